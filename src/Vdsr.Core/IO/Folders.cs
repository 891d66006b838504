namespace Vdsr.Core.IO;

/// <summary>Folder creation with a one-line error naming the folder and what it was for.</summary>
public static class Folders
{
    /// <summary>Creates <paramref name="folder"/> (and its parents) if missing; <paramref name="what"/> says what it holds, e.g. "output folder".</summary>
    public static void Create(string folder, string what)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{folder}: cannot create the {what} ({ErrorText.OneLine(e.Message)})", e);
        }
    }

    /// <summary>Creates the folder <paramref name="file"/> will be written in; errors name the file.</summary>
    public static void CreateFor(string file, string what)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{file}: cannot create the folder of the {what} ({ErrorText.OneLine(e.Message)})", e);
        }
    }
}
