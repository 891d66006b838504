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
    public PickleBytes Mark() => Op('(');
    public PickleBytes Tuple() => Op('t');
    public PickleBytes EmptyList() => Op(']');
    public PickleBytes Appends() => Op('e');
    public PickleBytes None() => Op('N');
    public PickleBytes False() => Raw([0x89]);
    public PickleBytes BinPersId() => Op('Q');
    public PickleBytes BinPut(byte index) => Op('q').Raw([index]);
    public PickleBytes BinGet(byte index) => Op('h').Raw([index]);
    public PickleBytes Build() => Op('b');
    public PickleBytes Obj() => Op('o');
    public PickleBytes NewObj() => Raw([0x81]);
    public PickleBytes StackGlobal() => Raw([0x93]);
    public PickleBytes Ext1(byte code) => Raw([0x82, code]);
    public PickleBytes Inst(string module, string name) => Op('i').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    /// <summary>Any 64-bit integer, as LONG1 (8 bytes, two's complement).</summary>
    public PickleBytes Long(long value) => Raw([0x8a, 8]).Raw(BitConverter.GetBytes(value));
    public PickleBytes Ints(IEnumerable<long> values)
    {
        Mark();
        foreach (long v in values) Long(v);
        return Tuple();
    }
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
