// MSBuild inline task: copies one ELF64 shared library into a folder with one symbol-version
// requirement marked weak (VER_FLG_WEAK in its .gnu.version_r entry), so the dynamic loader only warns
// when the system library lacks that version instead of refusing to load the file.
//
// Why: libLibTorchSharp.so (TorchSharp 0.107) asks for GLIBCXX_3.4.32 (GCC 13), Debian 12 ships
// GLIBCXX up to 3.4.30, and the one symbol bound to that version is never called.
//
// Every project builds into one shared folder, possibly several at once, so the copy is patched in
// memory, written to a file of its own and renamed into place: a reader sees the old file or the
// whole new one, never a half-written or unpatched one, and a destination that already holds the
// patched bytes is left alone.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class CopyWithElfVersionNeedWeak : Task
{
    [Required] public ITaskItem Source { get; set; } = null!;
    [Required] public string Destination { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        var source = Source.ItemSpec;
        try
        {
            var bytes = File.ReadAllBytes(source);
            var changed = Patch(bytes, VersionName);
            if (File.Exists(Destination) && File.ReadAllBytes(Destination).SequenceEqual(bytes))
            {
                Log.LogMessage(MessageImportance.Low, $"{Destination}: up to date");
                return true;
            }
            var dir = Path.GetDirectoryName(Path.GetFullPath(Destination))!;
            Directory.CreateDirectory(dir);
            var tmp = Path.Combine(dir, $".{Path.GetFileName(Destination)}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllBytes(tmp, bytes);
                // Task code compiles against netstandard (no File.Move overwrite); on Linux both calls are rename(2).
                if (File.Exists(Destination)) File.Replace(tmp, Destination, null);
                else
                    try { File.Move(tmp, Destination); }
                    catch (IOException) { File.Replace(tmp, Destination, null); } // another build put it there first
            }
            finally
            {
                if (File.Exists(tmp)) File.Delete(tmp);
            }
            Log.LogMessage(MessageImportance.Low, changed
                ? $"{Destination}: copied with version need {VersionName} marked weak"
                : $"{Destination}: copied (version need {VersionName} absent or already weak)");
            return true;
        }
        catch (Exception e)
        {
            Log.LogError($"{source}: cannot copy to {Destination} with weak version needs: {e.Message}");
            return false;
        }
    }

    /// <summary>Marks <paramref name="versionName"/> weak in <paramref name="bytes"/>; false when it is absent or already weak.</summary>
    private static bool Patch(byte[] bytes, string versionName)
    {
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException("only little-endian ELF64 is supported");

        ulong shoff = BitConverter.ToUInt64(bytes, 0x28);
        int shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        int shnum = BitConverter.ToUInt16(bytes, 0x3C);
        bool changed = false;
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            uint type = BitConverter.ToUInt32(bytes, sh + 4);
            if (type != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(bytes, sh + 0x18));
            uint link = BitConverter.ToUInt32(bytes, sh + 0x28);
            uint count = BitConverter.ToUInt32(bytes, sh + 0x2C); // sh_info: number of Verneed entries
            int strsh = checked((int)shoff + (int)link * shentsize);
            int stroff = checked((int)BitConverter.ToUInt64(bytes, strsh + 0x18));

            int need = offset;
            for (uint n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(bytes, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(bytes, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = BitConverter.ToUInt16(bytes, aux + 4);
                    uint nameOffset = BitConverter.ToUInt32(bytes, aux + 8);
                    if (ReadCString(bytes, stroff + (int)nameOffset) == versionName && (flags & VerFlgWeak) == 0)
                    {
                        flags |= VerFlgWeak;
                        bytes[aux + 4] = (byte)(flags & 0xff);
                        bytes[aux + 5] = (byte)(flags >> 8);
                        changed = true;
                    }
                    aux += (int)BitConverter.ToUInt32(bytes, aux + 12);
                }
                uint next = BitConverter.ToUInt32(bytes, need + 12);
                if (next == 0) break;
                need += (int)next;
            }
        }
        return changed;
    }

    private static string ReadCString(byte[] bytes, int start)
    {
        int end = start;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }
}
