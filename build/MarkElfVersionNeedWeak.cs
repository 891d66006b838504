// MSBuild inline task: marks one symbol-version requirement of an ELF64 shared library as weak
// (VER_FLG_WEAK in its .gnu.version_r entry), so the dynamic loader only warns when the system
// library lacks that version instead of refusing to load the file.
//
// Why: libLibTorchSharp.so (TorchSharp 0.107) asks for GLIBCXX_3.4.32 (GCC 13), Debian 12 ships
// GLIBCXX up to 3.4.30, and the one symbol bound to that version is never called.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MarkElfVersionNeedWeak : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var changed = Patch(path, VersionName);
                Log.LogMessage(MessageImportance.Low, changed
                    ? $"{path}: marked version need {VersionName} weak"
                    : $"{path}: version need {VersionName} absent or already weak");
            }
            catch (Exception e)
            {
                Log.LogError($"{path}: cannot patch ELF version needs: {e.Message}");
                return false;
            }
        }
        return true;
    }

    private static bool Patch(string path, string versionName)
    {
        var bytes = File.ReadAllBytes(path);
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
        if (changed)
        {
            var tmp = path + ".patching";
            File.WriteAllBytes(tmp, bytes);
            File.Delete(path);
            File.Move(tmp, path);
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
