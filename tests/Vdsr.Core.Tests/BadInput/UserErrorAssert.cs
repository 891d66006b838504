namespace Vdsr.Core.Tests.BadInput;

/// <summary>The reader contract: a bad file gives one VdsrUserException whose one-line message starts with the file's path.</summary>
internal static class UserErrorAssert
{
    public static VdsrUserException Refuses(string path, Action read, string fragment)
    {
        var e = Assert.ThrowsAny<VdsrUserException>(read);
        Assert.True(e.Message.StartsWith(path + ": ", StringComparison.Ordinal), $"the message does not start with the path: {e.Message}");
        Assert.True(e.Message.AsSpan().IndexOfAny('\n', '\r') < 0, $"the message is not one line: {e.Message}");
        Assert.True(e.Message.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' is not in the message: {e.Message}");
        return e;
    }

    public static VdsrUserException Refuses<T>(string path, Func<T> read, string fragment) => Refuses(path, () => { read(); }, fragment);

    /// <summary><see cref="Refuses"/>, and the reader allocated less than <paramref name="maxBytes"/> on the way (a hostile length field is checked, not believed).</summary>
    public static VdsrUserException RefusesCheaply<T>(string path, Func<T> read, string fragment, long maxBytes = 1 << 20)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Refuses(path, read, fragment);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < maxBytes, $"refusing {Path.GetFileName(path)} allocated {allocated} bytes");
        return e;
    }
}
