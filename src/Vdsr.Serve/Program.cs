using System.CommandLine;
using Vdsr.Cli;
using Vdsr.Core;
using Vdsr.Core.Imaging;
using Vdsr.Core.Model;
using Vdsr.Serve;
using Vdsr.Server;

// The network options are vdsr-demo's, with its defaults (precision auto), so an upload's PNG is what vdsr-demo writes.
var network = new NetworkOptions(PrecisionRequest.Auto);
var models = new ModelChoices();
var defaults = new ServerSettings();
var port = new Option<int>("--port") { Description = $"TCP port (default: {defaults.Port}; 0 picks a free one)", DefaultValueFactory = _ => defaults.Port };
var host = new Option<string>("--host")
{
    Description = $"address to listen on (default: {defaults.Host}, this machine only; 0.0.0.0 for every interface)",
    DefaultValueFactory = _ => defaults.Host,
};
var maxPixels = new Option<long>("--max-pixels")
{
    Description = $"refuse images (input or result) with more pixels than this, from the header before decoding (default: {ImageFile.DefaultMaxPixels})",
    DefaultValueFactory = _ => ImageFile.DefaultMaxPixels,
};
var maxUpload = new Option<int>("--max-upload-mb")
{
    Description = $"refuse uploads larger than this many MiB (default: {defaults.MaxUploadBytes >> 20})",
    DefaultValueFactory = _ => (int)(defaults.MaxUploadBytes >> 20),
};
var queue = new Option<int>("--queue")
{
    Description = $"jobs that may wait while one runs; more are answered 'busy' (HTTP 429) (default: {defaults.QueueLength})",
    DefaultValueFactory = _ => defaults.QueueLength,
};

var root = new RootCommand(CliApp.Describe(
    "VDSR web page and HTTP API: upscale and compare pictures in a browser, or POST an image and get the PNG",
    "vdsr-serve                                  # then open http://127.0.0.1:8080",
    "vdsr-serve --port 9000 --int8-model vdsr-int8.onnx",
    "curl -s --data-binary @photo.jpg 'http://127.0.0.1:8080/api/upscale?scale=2' -o photo_x2.png"))
{
    port, host, maxPixels, maxUpload, queue,
};
network.AddTo(root);
models.AddTo(root);

return CliApp.Run(root, args, (parse, token) =>
{
    int portNumber = parse.GetValue(port), uploadMb = parse.GetValue(maxUpload), queued = parse.GetValue(queue);
    long pixels = parse.GetValue(maxPixels);
    if (portNumber is < 0 or > 65535) throw new VdsrUserException($"--port {portNumber}: expected 0 to 65535");
    if (pixels < 1) throw new VdsrUserException($"--max-pixels {pixels}: must be at least 1");
    if (uploadMb < 1) throw new VdsrUserException($"--max-upload-mb {uploadMb}: must be at least 1");
    if (queued < 0) throw new VdsrUserException($"--queue {queued}: must be 0 or more");
    var settings = new ServerSettings
    {
        Host = parse.GetValue(host)!, Port = portNumber, MaxPixels = pixels, MaxUploadBytes = (long)uploadMb << 20, QueueLength = queued,
    };
    settings.ListenAddress(); // a bad --host is refused before the models load
    var choices = models.Read(parse, network);
    using var catalog = ModelCatalog.Load(choices, path => network.Load(parse, path));
    foreach (var model in catalog.Models) Console.WriteLine($"Model {model.Id}: {model.Path} ({model.Description})");

    var server = ServerHost.Create(settings, catalog);
    try
    {
        server.StartAsync(token).GetAwaiter().GetResult();
        Console.WriteLine($"Listening on {server.Address} (press Ctrl+C to stop)");
        server.WaitForShutdownAsync(token).GetAwaiter().GetResult();
    }
    finally
    {
        server.DisposeAsync().AsTask().GetAwaiter().GetResult(); // deletes the work folder
    }
    Console.WriteLine("Stopped.");
    return 0;
});
