using System.Buffers.Binary;
using System.Text;

namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>
/// Walks a pickle's opcodes without executing any of them, to find where it ends and to refuse
/// it if it names a global outside <see cref="TorchPickleGlobals"/> (or uses an opcode that looks
/// a global up from the stack, which cannot be checked beforehand). Only after this pass does the
/// unpickler see the bytes, so a hostile file never gets a constructor called.
/// </summary>
internal static class PickleGlobalGuard
{
    /// <summary>Checks the pickle starting at <paramref name="start"/> and returns the offset just past its STOP.</summary>
    public static int Check(ReadOnlySpan<byte> data, int start)
    {
        int pos = start;
        while (true)
        {
            if (pos >= data.Length) throw Truncated();
            byte op = data[pos++];
            switch (op)
            {
                case (byte)'.': // STOP
                    return pos;
                case (byte)'c': // GLOBAL
                case (byte)'i': // INST
                {
                    string module = ReadLine(data, ref pos);
                    string name = ReadLine(data, ref pos);
                    if (!TorchPickleGlobals.IsAllowed(module, name))
                        throw new InvalidDataException($"forbidden pickle global '{module}.{name}'");
                    break;
                }
                case 0x93: // STACK_GLOBAL
                    throw new InvalidDataException($"pickle opcode STACK_GLOBAL at offset {pos - 1} is not allowed in a checkpoint");
                case (byte)'o': // OBJ: calls a class taken from the stack
                case 0x82: case 0x83: case 0x84: // EXT1/2/4: globals from the copyreg registry
                case 0x97: // NEXT_BUFFER
                    throw new InvalidDataException($"pickle opcode 0x{op:x2} at offset {pos - 1} is not allowed in a checkpoint");

                case (byte)'(': case (byte)'0': case (byte)'1': case (byte)'2': case (byte)'N':
                case (byte)'Q': case (byte)'R': case (byte)'a': case (byte)'b': case (byte)'d':
                case (byte)'}': case (byte)'e': case (byte)'l': case (byte)']': case (byte)'s':
                case (byte)'t': case (byte)')': case (byte)'u':
                case 0x81: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89:
                case 0x8f: case 0x90: case 0x91: case 0x92: case 0x94: case 0x98:
                    break;

                case (byte)'F': case (byte)'I': case (byte)'L': case (byte)'P': case (byte)'S':
                case (byte)'V': case (byte)'g': case (byte)'p':
                    ReadLine(data, ref pos);
                    break;

                case (byte)'K': case (byte)'h': case (byte)'q': case 0x80: Skip(data, ref pos, 1); break;
                case (byte)'M': Skip(data, ref pos, 2); break;
                case (byte)'J': case (byte)'j': case (byte)'r': Skip(data, ref pos, 4); break;
                case (byte)'G': case 0x95: Skip(data, ref pos, 8); break;

                case 0x8a: case (byte)'U': case (byte)'C': case 0x8c: // 1-byte length
                    Skip(data, ref pos, 1);
                    Skip(data, ref pos, data[pos - 1]);
                    break;
                case 0x8b: case (byte)'T': case (byte)'X': case (byte)'B': // 4-byte length
                {
                    Skip(data, ref pos, 4);
                    long len = op is 0x8b or (byte)'T'
                        ? BinaryPrimitives.ReadInt32LittleEndian(data[(pos - 4)..])
                        : BinaryPrimitives.ReadUInt32LittleEndian(data[(pos - 4)..]);
                    Skip(data, ref pos, len);
                    break;
                }
                case 0x8d: case 0x8e: case 0x96: // 8-byte length
                    Skip(data, ref pos, 8);
                    Skip(data, ref pos, BinaryPrimitives.ReadInt64LittleEndian(data[(pos - 8)..]));
                    break;

                default:
                    throw new InvalidDataException($"invalid pickle opcode 0x{op:x2} at offset {pos - 1}");
            }
        }
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int pos, long count)
    {
        if (count < 0 || count > data.Length - pos) throw Truncated();
        pos += (int)count;
    }

    private static string ReadLine(ReadOnlySpan<byte> data, ref int pos)
    {
        int nl = data[pos..].IndexOf((byte)'\n');
        if (nl < 0) throw Truncated();
        string line = Encoding.UTF8.GetString(data.Slice(pos, nl));
        pos += nl + 1;
        return line;
    }

    private static InvalidDataException Truncated() => new("truncated pickle (the file ends inside it)");
}
