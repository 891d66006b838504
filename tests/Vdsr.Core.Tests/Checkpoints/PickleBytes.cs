using System.Text;

namespace Vdsr.Core.Tests.Checkpoints;

/// <summary>Hand-assembles tiny protocol-2 pickles for hostile-file tests.</summary>
internal sealed class PickleBytes
{
    private readonly List<byte> _bytes = [0x80, 0x02];

    public PickleBytes Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    public PickleBytes Text(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        return Op('X').Raw(BitConverter.GetBytes(utf8.Length)).Raw(utf8);
    }
    public PickleBytes Int(ushort value) => Op('M').Raw(BitConverter.GetBytes(value));
    public PickleBytes EmptyDict() => Op('}');
    public PickleBytes EmptyTuple() => Op(')');
    public PickleBytes Tuple1() => Raw([0x85]);
    public PickleBytes True() => Raw([0x88]);
    public PickleBytes SetItem() => Op('s');
    public PickleBytes Reduce() => Op('R');
    public PickleBytes Pop() => Op('0');
    public byte[] Stop() => [.. _bytes, (byte)'.'];

    private PickleBytes Op(char op) => Raw([(byte)op]);

    private PickleBytes Raw(byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>The four pickles a legacy torch.save file starts with, up to the main object.</summary>
    public static byte[] LegacyPreamble() =>
    [
        0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, (byte)'.',
        .. new PickleBytes().Int(1001).Stop(),
        .. new PickleBytes().EmptyDict().Text("little_endian").True().SetItem().Stop(),
    ];
}
