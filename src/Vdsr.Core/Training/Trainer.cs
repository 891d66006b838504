using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>
/// The training loop of main_vdsr.py: MSE (sum-reduced by default), gradient clipping, SGD with
/// momentum and weight decay (or Adam), a tenfold lr decay every <see cref="TrainingOptions.Step"/>
/// epochs after an optional warm-up; validations and checkpoints inside epochs on request. Files are the
/// caller's business: checkpoints are offered through <see cref="TrainerHooks.CheckpointReady"/> as
/// <see cref="StateDict"/>s, and a run resumes bit-identically from one via <see cref="Resume"/>.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly VdsrNet _net;
    private readonly IPatchBatchSource _source;

    public TrainingOptions Options { get; }
    public TrainingOptimizer Optimizer { get; }

    /// <summary>The epoch of the next step and the batches of it already done.</summary>
    public TrainingPosition Position { get; private set; }

    /// <summary>
    /// The network whose outputs are blended into the targets when <see cref="TrainingOptions.DistillWeight"/>
    /// is above zero (run without gradients; the caller owns it).
    /// </summary>
    public VdsrNet? Teacher { get; }

    /// <summary>The record of the model the run started from (e.g. how it was pruned), written into every checkpoint.</summary>
    public IReadOnlyDictionary<string, string> Lineage { get; init; } = new Dictionary<string, string>();

    private readonly TrainerHooks _hooks;

    /// <summary>
    /// Seconds spent in training steps over the whole run, resumes included: the clock of
    /// --val-every-minutes, --checkpoint-every-minutes and the log's elapsed_s (validations and
    /// checkpoint writes are not counted).
    /// </summary>
    public double ElapsedSeconds => _elapsedBefore + _clock.Elapsed.TotalSeconds;

    private double _elapsedBefore;
    private readonly Stopwatch _clock = new();

    /// <summary>The input of the last step, to check that the net is still alive before a checkpoint is offered.</summary>
    private Tensor? _lastInput;

    /// <param name="hooks">What the run reports to its caller (progress, epochs, checkpoints, validations).</param>
    /// <param name="teacher">The network distillation learns from, when the source has no cached teacher outputs.</param>
    public Trainer(VdsrNet net, IPatchBatchSource source, TrainingOptions options, TrainerHooks? hooks = null, VdsrNet? teacher = null)
    {
        options.Validate();
        _net = net;
        _hooks = hooks ?? new TrainerHooks();
        Teacher = teacher;
        _source = source;
        Options = options;
        var named = net.named_parameters().ToArray();
        var parameters = named.Select(p => (p.name, (Tensor)p.parameter));
        Optimizer = options.Optimizer == OptimizerKind.Adam
            ? new AdamOptimizer(parameters, options.WeightDecay)
            : new SgdMomentumOptimizer(parameters, options.Momentum, options.WeightDecay);
        Position = new TrainingPosition(options.StartEpoch, 0);
    }

    /// <summary>
    /// A network with the original He initialisation drawn from <paramref name="seed"/> (a private
    /// generator: other threads' random numbers do not change the weights).
    /// </summary>
    public static VdsrNet CreateNetwork(VdsrArchitecture architecture, long seed)
    {
        Runtime.TorchRuntime.EnsureInitialized();
        var net = new VdsrNet(architecture);
        net.ResetParameters(seed);
        return net;
    }

    /// <summary>
    /// Continues a run from a state made by <see cref="CaptureState"/>: loads weights and momentum into
    /// <paramref name="net"/> and takes the stored options, optionally changed by <paramref name="adjust"/>
    /// (e.g. more epochs). <paramref name="origin"/> names the checkpoint in error messages.
    /// </summary>
    public static Trainer Resume(VdsrNet net, IPatchBatchSource source, StateDict state, string origin,
        Func<TrainingOptions, TrainingOptions>? adjust = null, TrainerHooks? hooks = null, VdsrNet? teacher = null)
    {
        var options = TrainingState.ReadOptions(state, origin);
        if (adjust is not null) options = adjust(options);
        var position = TrainingState.ReadPosition(state, origin);
        ModelStore.LoadWeights(net, state, origin);
        var trainer = new Trainer(net, source, options, hooks, teacher)
        {
            Position = position, _elapsedBefore = TrainingState.ReadElapsedSeconds(state, origin), Lineage = ModelLineage.Of(state),
        };
        trainer.Optimizer.ImportState(state, origin);
        return trainer;
    }

    public StateDict CaptureState() => TrainingState.Capture(_net, Optimizer, Options, Position, ElapsedSeconds, Lineage);

    /// <summary>
    /// Runs from <see cref="Position"/> to the end of epoch <see cref="TrainingOptions.Epochs"/>.
    /// Cancellation is honoured between steps: the current step finishes, a checkpoint is offered and
    /// the result is <see cref="TrainingOutcome.Cancelled"/>.
    /// </summary>
    public TrainingOutcome Run(CancellationToken cancellationToken = default)
    {
        var stepClock = Stopwatch.StartNew();
        long perEpoch = _source.BatchesPerEpoch(Options.BatchSize);
        var schedule = new CadenceMarks(Options, ElapsedSeconds);
        bool checkpointPending = false;
        _clock.Restart();
        try
        {
            for (int epoch = Position.Epoch; epoch <= Options.Epochs; epoch++)
            {
                _net.train(); // per epoch: a validation after the previous one leaves the network in eval mode
                long total = perEpoch;
                double lossSum = 0;
                long steps = 0;
                double lr = LearningRateSchedule.At(Options, epoch);
                if (Position.BatchesDone < total)
                {
                    Paused(() => _hooks.EpochStarting?.Invoke(Position, total));
                    foreach (var batch in _source.Epoch(epoch, Options.BatchSize, Position.BatchesDone))
                    {
                        if (cancellationToken.IsCancellationRequested)
                            return Stop();
                        long iteration = Position.BatchesDone + 1;
                        long runStep = (long)(epoch - Options.StartEpoch) * total + iteration;
                        lr = LearningRateSchedule.At(Options, epoch, runStep, total, ElapsedSeconds);
                        var result = StepCore(batch, lr, string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} iteration {iteration}/{total}"));
                        Position = new TrainingPosition(epoch, iteration);
                        lossSum += result.Loss;
                        steps++;
                        double seconds = stepClock.Elapsed.TotalSeconds;
                        double elapsed = ElapsedSeconds;
                        _hooks.Progress?.Report(new TrainingProgress(epoch, iteration, total, result.Loss, lr, result.GradientNorm,
                            seconds > 0 ? batch.Count / seconds : 0, elapsed));
                        var (validate, checkpoint) = schedule.After(runStep, elapsed);
                        checkpointPending |= checkpoint;
                        if (iteration < total) // the epoch's end validates and checkpoints on its own
                        {
                            if (validate && _hooks.ValidationDue is { } validationDue)
                                Paused(() => { validationDue(new ValidationPoint(epoch, iteration, elapsed, _net)); _net.train(); });
                            if (checkpointPending)
                            {
                                Paused(() => Offer(CheckpointReason.Scheduled));
                                checkpointPending = false;
                            }
                        }
                        stepClock.Restart();
                    }
                }
                Position = new TrainingPosition(epoch + 1, 0);
                bool saved = epoch % Options.CheckpointEveryEpochs == 0 || epoch == Options.Epochs || checkpointPending;
                Paused(() =>
                {
                    _hooks.EpochEnded?.Invoke(new EpochSummary(epoch, total, steps > 0 ? lossSum / steps : double.NaN, lr, _net, ElapsedSeconds));
                    if (saved) Offer(CheckpointReason.EpochEnd);
                });
                checkpointPending = false;
                if (cancellationToken.IsCancellationRequested && epoch < Options.Epochs)
                {
                    if (!saved) Offer(CheckpointReason.Cancelled);
                    return TrainingOutcome.Cancelled;
                }
                stepClock.Restart();
            }
            return TrainingOutcome.Completed;
        }
        finally
        {
            _elapsedBefore += _clock.Elapsed.TotalSeconds;
            _clock.Reset();
        }
    }

    /// <summary>Runs work that is not training (validation, checkpoints, callers' hooks) off the training clock.</summary>
    private void Paused(Action work)
    {
        _clock.Stop();
        try { work(); }
        finally { _clock.Start(); }
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
        if (Options.DistillWeight > 0) label = Distilled(input, label, batch.TeacherOutputs is { } cached ? tensor(cached, dims).to(device) : null);
        Optimizer.ZeroGradients();
        var output = ForwardInTrainingPrecision(input);
        var loss = TrainingLoss.Of(output, label, Options.LossReduction);
        loss.backward();
        double lossValue = loss.item<float>();
        if (!double.IsFinite(lossValue))
            throw Diverged($"loss is {Text(lossValue)} at {where}", lr);
        if (ResidualCollapse.IsDead(output, input, _net.LayerWeight(_net.Architecture.Depth - 1).grad, lossValue))
            throw ResidualCollapse.Collapsed($"at {where}", "the weights of that step were not applied and the last checkpoint is kept", Options);
        _lastInput?.Dispose();
        _lastInput = input.detach().clone().MoveToOuterDisposeScope();
        var gradients = Optimizer.Gradients();
        double norm = GradientClipping.Apply(Options.ClipMode, gradients, Options.Clip, lr);
        if (!double.IsFinite(norm))
            throw Diverged($"gradient norm is {Text(norm)} at {where}", lr);
        Optimizer.Step(lr);
        return new StepResult(lossValue, norm);
    }

    /// <summary>The net's output with the training precision; validation between steps keeps the net's own plan.</summary>
    private Tensor ForwardInTrainingPrecision(Tensor input) => _net.Forward(input, ConvPlan.Direct(Options.Precision));

    /// <summary>
    /// (1 - w) * label + w * teacher(input): the gradient of the blended loss, up to a constant. The
    /// teacher's outputs come with the batch when the source has them cached (<see cref="TeacherCache"/>),
    /// else from a forward of <see cref="Teacher"/>.
    /// </summary>
    private Tensor Distilled(Tensor input, Tensor label, Tensor? cached)
    {
        using var _ = no_grad();
        double w = Options.DistillWeight;
        var taught = cached ?? (Teacher ?? throw new InvalidOperationException("distillation needs a teacher network or cached teacher outputs")).forward(input);
        return w == 1 ? taught : label.mul(1 - w).add_(taught, alpha: w);
    }

    private static TrainingDivergedException Diverged(string what, double lr) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"training diverged: {what} (lr {lr:G4}); weights of that step were not applied and the last checkpoint is kept; try a lower learning rate or clipping threshold"),
            nameof(TrainingOptions.LearningRate), nameof(TrainingOptions.Clip));

    /// <summary>Refuses to offer weights that collapsed in the last step (the last checkpoint offered stays the last good one).</summary>
    private void CheckAlive()
    {
        if (_lastInput is null) return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (ForwardInTrainingPrecision(_lastInput).equal(_lastInput).all().item<bool>())
            throw ResidualCollapse.Collapsed(string.Create(CultureInfo.InvariantCulture, $"of the last batch before epoch {Position.Epoch} iteration {Position.BatchesDone + 1}"),
                "that checkpoint was not written and the last one is kept", Options);
    }

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);

    private TrainingOutcome Stop()
    {
        Offer(CheckpointReason.Cancelled);
        return TrainingOutcome.Cancelled;
    }

    private void Offer(CheckpointReason reason)
    {
        if (_hooks.CheckpointReady is not { } checkpointReady) return;
        CheckAlive();
        checkpointReady(new TrainingCheckpoint(CaptureState(), Position, reason));
    }

    public void Dispose()
    {
        _lastInput?.Dispose();
        Optimizer.Dispose();
    }
}
