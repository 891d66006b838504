using System.CommandLine;
using Vdsr.Cli;
using Vdsr.Server;

namespace Vdsr.Serve;

/// <summary>
/// The models vdsr-serve offers: --model (default the bundled model), and a pruned model and an
/// int8 ONNX model where they are: named by --pruned-model / --int8-model, or found under the names
/// vdsr-prune and the README's vdsr-convert example write in the working folder.
/// </summary>
public sealed class ModelChoices
{
    public const string DefaultPruned = "pruned/vdsr_pruned.safetensors";
    public const string DefaultInt8 = "vdsr-int8.onnx";

    public Option<string?> Pruned { get; } = new("--pruned-model")
    {
        Description = $"a pruned model to offer as well (default: {DefaultPruned} when it exists, as vdsr-prune writes it)",
    };

    public Option<string?> Int8 { get; } = new("--int8-model")
    {
        Description = $"an int8 ONNX model to offer as well (default: {DefaultInt8} when it exists, as vdsr-convert --format onnx-int8 writes it)",
    };

    public void AddTo(Command command)
    {
        command.Add(Pruned);
        command.Add(Int8);
    }

    public IReadOnlyList<ModelChoice> Read(ParseResult parse, NetworkOptions network)
    {
        string main = ModelOption.Resolve(parse.GetValue(network.Model));
        var choices = new List<ModelChoice> { new("vdsr", $"VDSR ({Path.GetFileName(main)})", main) };
        if (Optional(parse.GetValue(Pruned), DefaultPruned) is string pruned)
            choices.Add(new ModelChoice("pruned", $"Pruned ({Path.GetFileName(pruned)})", pruned));
        if (Optional(parse.GetValue(Int8), DefaultInt8) is string int8)
            choices.Add(new ModelChoice("int8", $"int8 ONNX ({Path.GetFileName(int8)})", int8));
        return choices;
    }

    /// <summary>A path given on the command line must exist; the default is offered only when it does.</summary>
    private static string? Optional(string? given, string fallback) =>
        given is not null ? ModelOption.Resolve(given) : File.Exists(fallback) ? fallback : null;
}
