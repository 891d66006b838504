using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>
/// The training loop of main_vdsr.py: sum-reduced MSE, gradient clipping, SGD with momentum and
/// weight decay, a tenfold lr decay every <see cref="TrainingOptions.Step"/> epochs. Files are the
/// caller's business: checkpoints are offered through <see cref="CheckpointReady"/> as
/// <see cref="StateDict"/>s, and a run resumes bit-identically from one via <see cref="Resume"/>.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly VdsrNet _net;
    private readonly IPatchBatchSource _source;

    public TrainingOptions Options { get; }
    public SgdMomentumOptimizer Optimizer { get; }

    /// <summary>The epoch of the next step and the batches of it already done.</summary>
    public TrainingPosition Position { get; private set; }

    /// <summary>
    /// The network whose outputs are blended into the targets when <see cref="TrainingOptions.DistillWeight"/>
    /// is above zero (run without gradients; the caller owns it).
    /// </summary>
    public VdsrNet? Teacher { get; set; }

    /// <summary>Receives every step, synchronously on the training thread.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Called when an epoch (or the rest of one, after a resume) is about to run, with its number of batches.</summary>
    public Action<TrainingPosition, long>? EpochStarting { get; set; }

    /// <summary>Called after each epoch, before its checkpoint (e.g. to validate and log PSNR).</summary>
    public Action<EpochSummary>? EpochEnded { get; set; }

    /// <summary>Receives each checkpoint; never called with weights from a diverged step.</summary>
    public Action<TrainingCheckpoint>? CheckpointReady { get; set; }

    public Trainer(VdsrNet net, IPatchBatchSource source, TrainingOptions options)
    {
        options.Validate();
        _net = net;
        _source = source;
        Options = options;
        var named = net.named_parameters().ToArray();
        Optimizer = new SgdMomentumOptimizer(named.Select(p => (p.name, (Tensor)p.parameter)), options.Momentum, options.WeightDecay);
        Position = new TrainingPosition(options.StartEpoch, 0);
    }

    /// <summary>A network with the original He initialisation drawn from <paramref name="seed"/>.</summary>
    public static VdsrNet CreateNetwork(VdsrArchitecture architecture, long seed)
    {
        Runtime.TorchRuntime.EnsureInitialized();
        random.manual_seed(seed);
        return new VdsrNet(architecture);
    }

    /// <summary>
    /// Continues a run from a state made by <see cref="CaptureState"/>: loads weights and momentum into
    /// <paramref name="net"/> and takes the stored options, optionally changed by <paramref name="adjust"/>
    /// (e.g. more epochs). <paramref name="origin"/> names the checkpoint in error messages.
    /// </summary>
    public static Trainer Resume(VdsrNet net, IPatchBatchSource source, StateDict state, string origin,
        Func<TrainingOptions, TrainingOptions>? adjust = null)
    {
        var options = TrainingState.ReadOptions(state, origin);
        if (adjust is not null) options = adjust(options);
        var position = TrainingState.ReadPosition(state, origin);
        ModelStore.LoadWeights(net, state, origin);
        var trainer = new Trainer(net, source, options) { Position = position };
        trainer.Optimizer.ImportState(state, origin);
        return trainer;
    }

    public StateDict CaptureState() => TrainingState.Capture(_net, Optimizer, Options, Position);

    /// <summary>
    /// Runs from <see cref="Position"/> to the end of epoch <see cref="TrainingOptions.Epochs"/>.
    /// Cancellation is honoured between steps: the current step finishes, a checkpoint is offered and
    /// the result is <see cref="TrainingOutcome.Cancelled"/>.
    /// </summary>
    public TrainingOutcome Run(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        for (int epoch = Position.Epoch; epoch <= Options.Epochs; epoch++)
        {
            _net.train(); // per epoch: a validation after the previous one leaves the network in eval mode
            double lr = LearningRateSchedule.At(Options, epoch);
            long total = _source.BatchesPerEpoch(Options.BatchSize);
            double lossSum = 0;
            long steps = 0;
            if (Position.BatchesDone < total)
            {
                EpochStarting?.Invoke(Position, total);
                foreach (var batch in _source.Epoch(epoch, Options.BatchSize, Position.BatchesDone))
                {
                    if (cancellationToken.IsCancellationRequested)
                        return Stop();
                    long iteration = Position.BatchesDone + 1;
                    var result = StepCore(batch, lr, string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} iteration {iteration}/{total}"));
                    Position = new TrainingPosition(epoch, iteration);
                    lossSum += result.Loss;
                    steps++;
                    double seconds = clock.Elapsed.TotalSeconds;
                    clock.Restart();
                    Progress?.Report(new TrainingProgress(epoch, iteration, total, result.Loss, lr, result.GradientNorm,
                        seconds > 0 ? batch.Count / seconds : 0));
                }
            }
            Position = new TrainingPosition(epoch + 1, 0);
            EpochEnded?.Invoke(new EpochSummary(epoch, total, steps > 0 ? lossSum / steps : double.NaN, lr, _net));
            bool saved = epoch % Options.CheckpointEveryEpochs == 0 || epoch == Options.Epochs;
            if (saved) Offer(CheckpointReason.EpochEnd);
            if (cancellationToken.IsCancellationRequested && epoch < Options.Epochs)
            {
                if (!saved) Offer(CheckpointReason.Cancelled);
                return TrainingOutcome.Cancelled;
            }
            clock.Restart();
        }
        return TrainingOutcome.Completed;
    }

    /// <summary>One forward/backward/clip/update on a batch at the given learning rate.</summary>
    public StepResult Step(PatchBatch batch, double learningRate) => StepCore(batch, learningRate, "this step");

    private StepResult StepCore(PatchBatch batch, double lr, string where)
    {
        using var scope = NewDisposeScope();
        long[] dims = [batch.Count, 1, batch.PatchSize, batch.PatchSize];
        var device = _net.LayerWeight(0).device;
        var input = tensor(batch.Inputs, dims).to(device);
        var label = tensor(batch.Labels, dims).to(device);
        if (Options.DistillWeight > 0) label = Distilled(input, label);
        Optimizer.ZeroGradients();
        var output = ForwardInTrainingPrecision(input);
        var loss = nn.functional.mse_loss(output, label, nn.Reduction.Sum);
        loss.backward();
        double lossValue = loss.item<float>();
        if (!double.IsFinite(lossValue))
            throw Diverged($"loss is {Text(lossValue)} at {where}", lr);
        var gradients = Optimizer.Gradients();
        double norm = GradientClipping.Apply(Options.ClipMode, gradients, Options.Clip, lr);
        if (!double.IsFinite(norm))
            throw Diverged($"gradient norm is {Text(norm)} at {where}", lr);
        Optimizer.Step(lr);
        return new StepResult(lossValue, norm);
    }

    /// <summary>The net's output with the training precision; validation between steps keeps the net's own.</summary>
    private Tensor ForwardInTrainingPrecision(Tensor input)
    {
        var own = _net.Precision;
        _net.Precision = Options.Precision;
        try
        {
            return _net.forward(input);
        }
        finally
        {
            _net.Precision = own;
        }
    }

    /// <summary>(1 - w) * label + w * teacher(input): the gradient of the blended loss, up to a constant.</summary>
    private Tensor Distilled(Tensor input, Tensor label)
    {
        if (Teacher is null) throw new InvalidOperationException("distillation needs a teacher network");
        using var _ = no_grad();
        double w = Options.DistillWeight;
        var taught = Teacher.forward(input);
        return w == 1 ? taught : label.mul(1 - w).add_(taught, alpha: w);
    }

    private static TrainingDivergedException Diverged(string what, double lr) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"training diverged: {what} (lr {lr:G4}); weights of that step were not applied and the last checkpoint is kept; try a lower learning rate or clipping threshold"));

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);

    private TrainingOutcome Stop()
    {
        Offer(CheckpointReason.Cancelled);
        return TrainingOutcome.Cancelled;
    }

    private void Offer(CheckpointReason reason)
    {
        if (CheckpointReady is null) return;
        CheckpointReady(new TrainingCheckpoint(CaptureState(), Position, reason));
    }

    public void Dispose() => Optimizer.Dispose();
}
