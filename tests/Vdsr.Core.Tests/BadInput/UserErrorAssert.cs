namespace Vdsr.Core.Tests.BadInput;

/// <summary>The reader contract: a bad file gives one VdsrUserException whose one-line message starts with the file's path.</summary>
internal static class UserErrorAssert
{
    public static VdsrUserException Refuses(string path, Action read, string fragment)
    {
        var e = Assert.ThrowsAny<VdsrUserException>(read);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        Assert.Contains(fragment, e.Message);
        return e;
    }

    public static VdsrUserException Refuses<T>(string path, Func<T> read, string fragment) => Refuses(path, () => { read(); }, fragment);
}
