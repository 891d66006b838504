using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Vdsr.Cli;
using Vdsr.Core;
using Vdsr.Core.Imaging;

namespace Vdsr.Server;

/// <summary>
/// The HTTP API. `GET /api/health`; `POST /api/upscale` (image in, PNG out, for scripts);
/// `POST /api/jobs` (the page's: image in, server-sent events out: queued, started, progress per
/// tile, done with the result's pictures, or error); `GET /api/results/{id}/{kind}` (a kept
/// picture: vdsr, bicubic, ground-truth). A request is admitted to the line before its upload is
/// read, the header is checked before it waits, and the work stops when the client goes away.
/// </summary>
internal sealed class ApiEndpoints(ServerSettings settings, ModelCatalog models, JobGate gate, WorkFolder work, InferenceThread inference,
    CancellationToken stopping)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", (RequestDelegate)Health);
        app.MapPost("/api/upscale", (RequestDelegate)Upscale);
        app.MapPost("/api/jobs", (RequestDelegate)Job);
        app.MapGet("/api/results/{id}/{kind}", (RequestDelegate)Result);
        app.Map("/api/{**rest}", (RequestDelegate)(context =>
            throw new RequestRefusedException(StatusCodes.Status404NotFound, $"{context.Request.Method} {context.Request.Path}: no such API (see GET /api/health)")));
    }

    private Task Health(HttpContext context)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new HealthBody("ok", ToolVersion.Toolkit, gate.Running, gate.Waiting, gate.QueueLength, settings.MaxPixels,
            settings.MaxUploadBytes, UpscaleFactor.Min, UpscaleFactor.Max, UpscaleRequest.DefaultScale,
            [.. models.Models.Select(m => new ModelBody(m.Id, m.Label, m.Description))]);
        return context.Response.WriteAsync(JsonText.Of(body), context.RequestAborted);
    }

    private async Task Upscale(HttpContext context)
    {
        var request = UpscaleRequest.Parse(context.Request.Query);
        var model = models.Find(request.ModelId);
        using var ticket = Admit();
        var job = work.NewJob();
        try
        {
            var token = context.RequestAborted;
            var upload = await UploadReceiver.ReceiveAsync(context.Request, request.Name, job.InputFolder, settings.MaxUploadBytes, token);
            Shown(upload, () => UpscaleRunner.CheckHeader(upload, request, settings.MaxPixels));
            await ticket.WaitTurnAsync(token);
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token, stopping);
            var result = await inference.RunAsync(() => Shown(upload, () =>
                UpscaleRunner.Run(model, upload, request, settings.MaxPixels, job.OutputFolder, withBicubic: false, tileDone: null, cancel.Token)));

            var headers = context.Response.Headers;
            headers["X-Vdsr-Model"] = model.Id;
            headers["X-Vdsr-Seconds"] = result.Seconds.ToString("F3", CultureInfo.InvariantCulture);
            if (result.PsnrVdsr is double vdsr) headers["X-Vdsr-Psnr"] = vdsr.ToString("F6", CultureInfo.InvariantCulture);
            if (result.PsnrBicubic is double bicubic) headers["X-Vdsr-Psnr-Bicubic"] = bicubic.ToString("F6", CultureInfo.InvariantCulture);
            await SendPictureAsync(context, Path.Combine(job.OutputFolder, result.Pictures["vdsr"]));
        }
        finally
        {
            work.Delete(job);
        }
    }

    private async Task Job(HttpContext context)
    {
        var request = UpscaleRequest.Parse(context.Request.Query);
        var model = models.Find(request.ModelId);
        using var ticket = Admit();
        var job = work.NewJob();
        bool kept = false;
        try
        {
            var token = context.RequestAborted;
            var upload = await UploadReceiver.ReceiveAsync(context.Request, request.Name, job.InputFolder, settings.MaxUploadBytes, token);
            var header = Shown(upload, () => UpscaleRunner.CheckHeader(upload, request, settings.MaxPixels));

            var events = await EventStream.StartAsync(context.Response, token);
            await events.SendAsync("queued", new QueuedEvent(upload.Name, header.Width, header.Height, ticket.Ahead), token);
            await ticket.WaitTurnAsync(token);
            await events.SendAsync("started", new StartedEvent(model.Id, model.Description), token);

            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token, stopping);
            var progress = Channel.CreateUnbounded<TileProgress>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var run = inference.RunAsync(() =>
            {
                try
                {
                    return Shown(upload, () => UpscaleRunner.Run(model, upload, request, settings.MaxPixels, job.OutputFolder, withBicubic: true,
                        (done, total) => progress.Writer.TryWrite(new TileProgress(done, total)), cancel.Token));
                }
                finally
                {
                    progress.Writer.Complete();
                }
            });
            try
            {
                await foreach (var tile in progress.Reader.ReadAllAsync(token)) await events.SendAsync("progress", tile, token);
                var result = await run;
                work.Keep(job, result);
                kept = true;
                await events.SendAsync("done", DoneEvent.Of(job.Id, result), token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var (status, message) = ErrorResponses.Describe(e);
                if (status >= 500) Console.Error.WriteLine($"POST /api/jobs: {message}");
                await events.SendAsync("error", new ErrorBody(message), token);
            }
            finally
            {
                // The network stops (at the next tile) before the next job may start.
                await cancel.CancelAsync();
                try { await run; } catch (Exception) { /* reported above, or cancelled */ }
            }
        }
        finally
        {
            if (!kept) work.Delete(job);
        }
    }

    private Task Result(HttpContext context)
    {
        string id = (string)context.Request.RouteValues["id"]!, kind = (string)context.Request.RouteValues["kind"]!;
        string? path = work.Find(id)?.PicturePath(kind);
        if (path is null || !File.Exists(path))
            throw new RequestRefusedException(StatusCodes.Status404NotFound,
                $"no {kind} picture of job {id} here (the page's results are kept for the latest {settings.KeptResults} jobs)");
        return SendPictureAsync(context, path);
    }

    private static Task SendPictureAsync(HttpContext context, string path)
    {
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(Path.GetFileName(path));
        context.Response.ContentType = "image/png";
        context.Response.Headers.ContentDisposition = disposition.ToString();
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.SendFileAsync(path, context.RequestAborted);
    }

    private JobTicket Admit() =>
        gate.TryAdmit() ?? throw new RequestRefusedException(StatusCodes.Status429TooManyRequests,
            $"busy: {gate.Running} job running and {gate.Waiting} waiting (this server queues at most {gate.QueueLength}); try again later",
            TimeSpan.FromSeconds(5));

    /// <summary>Runs a step on the upload, its errors showing the upload's name instead of the saved path.</summary>
    private static T Shown<T>(Upload upload, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (VdsrUserException e)
        {
            throw new VdsrUserException(upload.Show(e.Message), e);
        }
    }
}

public sealed record ModelBody(string Id, string Label, string Description);

public sealed record HealthBody(string Status, string Version, int Running, int Waiting, int QueueLength, long MaxPixels, long MaxUploadBytes,
    int MinScale, int MaxScale, int DefaultScale, IReadOnlyList<ModelBody> Models);

public sealed record QueuedEvent(string Name, int Width, int Height, int Ahead);

public sealed record StartedEvent(string Model, string Description);

public sealed record TileProgress(int Done, int Total);

public sealed record PictureBody(string Url, string File);

public sealed record DoneEvent(string Id, string Name, int Scale, string Model, string Mode, int Width, int Height, int OutputWidth, int OutputHeight,
    double? PsnrVdsr, double? PsnrBicubic, double Seconds, IReadOnlyDictionary<string, PictureBody> Pictures)
{
    public static DoneEvent Of(string id, JobResult r) => new(id, r.Name, r.Scale, r.Model, r.Mode, r.Width, r.Height, r.OutputWidth, r.OutputHeight,
        r.PsnrVdsr, r.PsnrBicubic, r.Seconds,
        r.Pictures.ToDictionary(p => p.Key, p => new PictureBody($"/api/results/{id}/{p.Key}", p.Value)));
}
