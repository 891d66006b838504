using System.Buffers;
using System.Diagnostics;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;
using Vdsr.Core.IO;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Data;

/// <summary>
/// Builds a VDSR training HDF5 file (datasets "data" and "label", (N, 1, P, P) float32, chunks of
/// 64 patches) from a folder of images, like data/generate_train.m but streaming: the patches of
/// one image at a time are scattered to temporary bucket files by a random key, then each bucket is
/// shuffled in memory and appended to the HDF5 file. Memory stays bounded by the bucket size,
/// whatever the number of patches. The output appears (by rename) only when complete.
/// The live heap stays in the hundreds of MB; with the default concurrent GC the process RSS
/// still reaches about 1.6 GB from uncollected garbage, so a host app should run with
/// non-concurrent GC and GC ConserveMemory (measured: about 0.4 GB on 40 images).
/// </summary>
public static class TrainingSetBuilder
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The images of a folder as generate_train.m lists them: the jpgs, then the bmps (then pngs and the rest), each by name.</summary>
    public static IReadOnlyList<string> ListImages(string folder)
    {
        if (!Directory.Exists(folder))
            throw new VdsrUserException($"{folder}: folder not found");
        return ImageFormats.ImagesIn(folder).OrderBy(ImageFormats.ListingRank).ThenBy(Path.GetFileName, StringComparer.Ordinal).ToList();
    }

    public static TrainingSetSummary Build(
        string imageFolder,
        string outputPath,
        TrainingSetOptions? options = null,
        IProgress<TrainingSetProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new TrainingSetOptions();
        if (options.ChunkPatches < 1) throw new ArgumentOutOfRangeException(nameof(options), "ChunkPatches must be positive");
        var generator = new PatchGenerator(options.Patches);
        var clock = Stopwatch.StartNew();

        var files = ListImages(imageFolder);
        if (options.MaxImages > 0) files = files.Take(options.MaxImages).ToList();
        if (files.Count == 0)
            throw new VdsrUserException($"{imageFolder}: no images ({ImageFormats.Description})");

        var infos = files.Select(path => ImageFile.Identify(path)).ToArray();
        long expected = infos.Where(i => i.Planes == 3).Sum(i => generator.CountPatches(i.Height, i.Width));
        var skipped = files.Where((_, k) => infos[k].Planes != 3).ToList();

        string fullOutput = Path.GetFullPath(outputPath);
        if (Directory.Exists(fullOutput))
            throw new VdsrUserException($"{outputPath}: is a folder, expected an output file path");
        string folder = Path.GetDirectoryName(fullOutput)!;
        TemporaryFiles.RemoveLeftovers(fullOutput); // a killed run's half-written file and shuffle buckets
        string tempPath = TemporaryFiles.Beside(fullOutput, "tmp");
        FileStream tempStream;
        try { tempStream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{outputPath}: cannot write the output file ({e.Message})");
        }

        bool done = false;
        try
        {
            int patchSize = options.Patches.PatchSize;
            long recordBytes = 2L * patchSize * patchSize * sizeof(float);
            int bucketCount = (int)Math.Clamp((expected * recordBytes + options.BucketBytes - 1) / Math.Max(1, options.BucketBytes), 1, 4096);
            string bucketFolder = TemporaryFiles.Beside(Path.Combine(options.TempFolder ?? folder, Path.GetFileName(fullOutput)), "buckets");
            if (options.TempFolder is not null) TemporaryFiles.RemoveLeftovers(Path.Combine(options.TempFolder, Path.GetFileName(fullOutput)));
            using var buckets = CreateBuckets(bucketFolder, bucketCount, patchSize);

            var reporter = new Reporter(progress, clock, files.Count, expected);
            long generated = Scatter(files, infos, generator, buckets, options, reporter, cancellationToken);
            int imagesUsed = files.Count - skipped.Count;
            if (imagesUsed == 0)
                throw new VdsrUserException($"{imageFolder}: none of the {files.Count} images is RGB");

            long toWrite = options.DropIncompleteChunk ? generated - generated % options.ChunkPatches : generated;
            if (toWrite == 0)
                throw new VdsrUserException($"{imageFolder}: the images give {generated} patches, fewer than one chunk of {options.ChunkPatches}");
            WriteShuffled(tempStream, buckets, toWrite, patchSize, options, reporter, generated, cancellationToken);
            tempStream.Flush(flushToDisk: true);
            tempStream.Dispose();

            File.Move(tempPath, fullOutput, overwrite: true);
            done = true;
            return new TrainingSetSummary(outputPath, imagesUsed, skipped, generated, toWrite,
                new FileInfo(fullOutput).Length, clock.Elapsed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{outputPath}: cannot write the training set ({e.Message})", e);
        }
        finally
        {
            tempStream.Dispose();
            if (!done) File.Delete(tempPath);
        }
    }

    private static PatchBuckets CreateBuckets(string bucketFolder, int bucketCount, int patchSize)
    {
        try { return new PatchBuckets(bucketFolder, bucketCount, patchSize); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{bucketFolder}: cannot create the temporary shuffle files ({e.Message})", e);
        }
    }

    /// <summary>Cuts the images (several at a time) and scatters their patches, in file order, to the buckets.</summary>
    private static long Scatter(
        IReadOnlyList<string> files, ImageHeader[] infos, PatchGenerator generator,
        PatchBuckets buckets, TrainingSetOptions options, Reporter reporter, CancellationToken cancellationToken)
    {
        int workers = Math.Max(1, options.Workers);
        int area = options.Patches.PatchSize * options.Patches.PatchSize;
        var keys = SplitMix64.Derive(options.Seed, 0xB0C4E7);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<ImagePatches?>>();
        int next = 0, done = 0;
        long generated = 0;
        try
        {
            while (next < files.Count || pending.Count > 0)
            {
                while (pending.Count < workers && next < files.Count)
                {
                    int k = next++;
                    pending.Enqueue(infos[k].Planes == 3
                        ? Task.Run(() => (ImagePatches?)Cut(files[k], generator, cancel.Token), cancel.Token)
                        : Task.FromResult<ImagePatches?>(null));
                }
                var patches = pending.Dequeue().GetAwaiter().GetResult();
                cancellationToken.ThrowIfCancellationRequested();
                if (patches is not null)
                {
                    for (int i = 0; i < patches.Count; i++)
                        buckets.Add((int)keys.NextBelow(buckets.BucketCount),
                            patches.Inputs.AsSpan(i * area, area), patches.Labels.AsSpan(i * area, area));
                    generated += patches.Count;
                    PatchArrays.Return(patches.Inputs);
                    PatchArrays.Return(patches.Labels);
                }
                reporter.Generating(++done, generated, last: done == files.Count);
            }
        }
        finally
        {
            cancel.Cancel();
            foreach (var task in pending)
                try { task.Wait(CancellationToken.None); } catch (AggregateException) { }
        }
        return generated;
    }

    private sealed record ImagePatches(float[] Inputs, float[] Labels, int Count);

    /// <summary>Reused per-image patch arrays (tens of MB each), so the large-object heap stays small.</summary>
    private static readonly ArrayPool<float> PatchArrays = ArrayPool<float>.Create(1 << 28, 8);

    /// <summary>The image's patches as float32, each transposed (h5py's view of MATLAB's column-major file).</summary>
    private static ImagePatches Cut(string path, PatchGenerator generator, CancellationToken cancellationToken)
    {
        var rgb = ImageFile.Load(path).Rgb;
        int p = generator.Options.PatchSize, area = p * p;
        long expected = generator.CountPatches(rgb.Height, rgb.Width);
        var inputs = PatchArrays.Rent(checked((int)(expected * area)));
        var labels = PatchArrays.Rent(inputs.Length);
        int count = 0;
        generator.ForEachPatch(rgb, (input, label, top, left) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            int offset = count++ * area;
            for (int r = 0; r < p; r++)
                for (int c = 0; c < p; c++)
                {
                    int source = (top + r) * input.Width + left + c;
                    inputs[offset + c * p + r] = (float)input.Data[source];
                    labels[offset + c * p + r] = (float)label.Data[source];
                }
        });
        if (count != expected)
            throw new InvalidOperationException($"{path}: cut {count} patches, the size predicted {expected}");
        return new ImagePatches(inputs, labels, count);
    }

    /// <summary>Shuffles each bucket in memory and appends its patches, one whole chunk per write.</summary>
    private static void WriteShuffled(
        Stream output, PatchBuckets buckets, long toWrite, int patchSize, TrainingSetOptions options,
        Reporter reporter, long generated, CancellationToken cancellationToken)
    {
        int area = patchSize * patchSize, chunk = (int)Math.Min(options.ChunkPatches, toWrite); // HDF5 chunks may not exceed the dataset
        var dims = TrainingSetLayout.Dimensions(toWrite, patchSize);
        uint[] chunks = [(uint)chunk, 1, (uint)patchSize, (uint)patchSize];
        var dataCache = new StreamingChunkCache();
        var labelCache = new StreamingChunkCache();
        var data = new H5Dataset<float[]>(fileDims: dims, chunks: chunks, datasetCreation: new H5DatasetCreation(ChunkCache: dataCache));
        var label = new H5Dataset<float[]>(fileDims: dims, chunks: chunks, datasetCreation: new H5DatasetCreation(ChunkCache: labelCache));
        var file = new H5File { [TrainingSetLayout.InputDataset] = data, [TrainingSetLayout.LabelDataset] = label };

        var stageInputs = new float[chunk * area];
        var stageLabels = new float[chunk * area];
        int staged = 0;
        long written = 0;
        using var writer = file.BeginWrite(output);

        void Flush()
        {
            var fileSelection = new HyperslabSelection(4, [(ulong)written, 0, 0, 0], [(ulong)staged, 1, (ulong)patchSize, (ulong)patchSize]);
            var memorySelection = new HyperslabSelection(0, (ulong)(staged * area));
            writer.Write(data, stageInputs, memorySelection, fileSelection);
            dataCache.WriteOut();
            writer.Write(label, stageLabels, memorySelection, fileSelection);
            labelCache.WriteOut();
            written += staged;
            staged = 0;
            reporter.Writing(generated, written, toWrite, last: written == toWrite);
        }

        // One buffer for every bucket: allocating one per bucket lets the large-object heap grow.
        var records = new float[checked(buckets.LargestCount * buckets.RecordFloats)];
        for (int b = 0; b < buckets.BucketCount && written + staged < toWrite; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            buckets.Read(b, records);
            buckets.Delete(b);
            int count = (int)buckets.Count(b);
            var order = Enumerable.Range(0, count).ToArray();
            SplitMix64.Derive(options.Seed, 0x5A0FF1E, b).Shuffle(order.AsSpan());
            foreach (int k in order)
            {
                if (written + staged == toWrite) break;
                var record = records.AsSpan(k * buckets.RecordFloats, buckets.RecordFloats);
                record[..area].CopyTo(stageInputs.AsSpan(staged * area));
                record[area..].CopyTo(stageLabels.AsSpan(staged * area));
                if (++staged == chunk) Flush();
            }
        }
        if (staged > 0) Flush();
    }

    /// <summary>Throttles progress reports (the app redraws a bar) while always sending each stage's last one.</summary>
    private sealed class Reporter(IProgress<TrainingSetProgress>? progress, Stopwatch clock, int imageCount, long expected)
    {
        private TimeSpan? _last;
        private int _imagesDone;

        public void Generating(int imagesDone, long generated, bool last)
        {
            _imagesDone = imagesDone;
            Send(new TrainingSetProgress(TrainingSetStage.Generating, imagesDone, imageCount, generated, expected, 0, 0, clock.Elapsed), last);
        }

        public void Writing(long generated, long written, long toWrite, bool last) =>
            Send(new TrainingSetProgress(TrainingSetStage.Writing, _imagesDone, imageCount, generated, expected, written, toWrite, clock.Elapsed), last);

        private void Send(TrainingSetProgress report, bool force)
        {
            if (progress is null || (!force && _last is { } last && report.Elapsed - last < ReportInterval)) return;
            _last = report.Elapsed;
            progress.Report(report);
        }
    }
}
