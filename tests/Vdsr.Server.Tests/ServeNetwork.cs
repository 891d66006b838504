using System.CommandLine;
using Vdsr.Cli;
using Vdsr.Core.Model;
using Vdsr.Server;

namespace Vdsr.Server.Tests;

/// <summary>The bundled model loaded as vdsr-serve loads it: vdsr-demo's network options with their defaults.</summary>
internal static class ServeNetwork
{
    public static string BundledModel => Tool.InRepo("models/model_epoch_50.pth");

    public static ModelCatalog Bundled() =>
        ModelCatalog.Load([new ModelChoice("vdsr", "VDSR (model_epoch_50.pth)", BundledModel)], path =>
        {
            var options = new NetworkOptions(PrecisionRequest.Auto);
            var root = new RootCommand();
            options.AddTo(root);
            return options.Load(root.Parse(Array.Empty<string>()), path);
        });
}
