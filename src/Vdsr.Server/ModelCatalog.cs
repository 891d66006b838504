using Vdsr.Cli;
using Vdsr.Core;
using Vdsr.Core.Inference;

namespace Vdsr.Server;

/// <summary>A model the server offers: a short id for URLs, a label for the page, and its file.</summary>
public sealed record ModelChoice(string Id, string Label, string Path);

/// <summary>A loaded model and what runs it (e.g. "Precision: bf16 (auto), convs: direct").</summary>
public sealed class ServedModel(ModelChoice choice, RunningNetwork network)
{
    public string Id => choice.Id;
    public string Label => choice.Label;
    public string Path => choice.Path;
    public string Description => network.Description;
    public Upscaler Upscaler => network.Upscaler;
    internal RunningNetwork Network => network;
}

/// <summary>The models the server offers, loaded once at start; the first is the default.</summary>
public sealed class ModelCatalog : IDisposable
{
    private readonly List<ServedModel> _models;

    private ModelCatalog(List<ServedModel> models) => _models = models;

    public IReadOnlyList<ServedModel> Models => _models;

    /// <summary>Loads every choice with <paramref name="load"/> (a model path in, a running network out).</summary>
    public static ModelCatalog Load(IReadOnlyList<ModelChoice> choices, Func<string, RunningNetwork> load)
    {
        if (choices.Count == 0) throw new ArgumentException("at least one model is needed", nameof(choices));
        if (choices.Select(c => c.Id).Distinct().Count() != choices.Count) throw new ArgumentException("model ids must differ", nameof(choices));
        var loaded = new List<ServedModel>();
        try
        {
            foreach (var choice in choices) loaded.Add(new ServedModel(choice, load(choice.Path)));
        }
        catch
        {
            foreach (var model in loaded) model.Network.Dispose();
            throw;
        }
        return new ModelCatalog(loaded);
    }

    /// <summary>The model with this id; the default for none.</summary>
    public ServedModel Find(string? id)
    {
        if (string.IsNullOrEmpty(id)) return _models[0];
        return _models.FirstOrDefault(m => m.Id == id)
               ?? throw new VdsrUserException($"model '{id}': not served here (this server has {string.Join(", ", _models.Select(m => m.Id))})");
    }

    public void Dispose()
    {
        foreach (var model in _models) model.Network.Dispose();
        _models.Clear();
    }
}
