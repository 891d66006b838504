using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>
/// A project checkpoint whose string metadata was edited by hand: the header is rewritten with one
/// value changed, as a text editor would, and reading it must name the file and the value.
/// </summary>
public sealed class BadCheckpointMetadataTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string SavedProjectFile()
    {
        var state = CheckpointFile.Load(TestPaths.Fixture("checkpoints", "legacy_state_dict_width4.pth"));
        state.Epoch = 3;
        new TrainingOptions().WriteTo(state.Metadata);
        state.Metadata[TrainingState.EpochKey] = "4";
        state.Metadata[TrainingState.BatchesDoneKey] = "10";
        state.Metadata[TrainingState.ElapsedKey] = "12.5";
        string path = _temp.File("project.safetensors");
        CheckpointFile.Save(path, state);
        return path;
    }

    /// <summary>The saved file with metadata <paramref name="key"/> set to <paramref name="value"/> (removed when null).</summary>
    private string Edited(string key, string? value)
    {
        var bytes = File.ReadAllBytes(SavedProjectFile());
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(bytes.AsSpan(8, headerLength))!.AsObject();
        var metadata = header[Safetensors.MetadataKey]!.AsObject();
        Assert.True(metadata.ContainsKey(key), $"the saved file has no metadata '{key}'");
        if (value is null) metadata.Remove(key);
        else metadata[key] = value;
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var edited = new byte[8 + json.Length + bytes.Length - 8 - headerLength];
        BinaryPrimitives.WriteUInt64LittleEndian(edited, (ulong)json.Length);
        json.CopyTo(edited, 8);
        bytes.AsSpan(8 + headerLength).CopyTo(edited.AsSpan(8 + json.Length));
        string path = _temp.File("edited.safetensors");
        File.WriteAllBytes(path, edited);
        return path;
    }

    [Fact]
    public void UneditedFileReadsBack()
    {
        string path = Edited(VdsrCheckpointMetadata.EpochKey, "3");
        var state = CheckpointFile.Load(path);
        Assert.Equal(3, state.Epoch);
        Assert.Equal(new TrainingOptions().BatchSize, TrainingState.ReadOptions(state, path).BatchSize);
        Assert.Equal(new TrainingPosition(4, 10), TrainingState.ReadPosition(state, path));
    }

    [Theory]
    [InlineData(VdsrCheckpointMetadata.VersionKey, "one", "project checkpoint has no valid format_version")]
    [InlineData(VdsrCheckpointMetadata.VersionKey, "-1", "project checkpoint has no valid format_version")]
    [InlineData(VdsrCheckpointMetadata.VersionKey, "2", "project checkpoint version 2 is newer than this build reads")]
    [InlineData(VdsrCheckpointMetadata.VersionKey, null, "project checkpoint has no valid format_version")]
    [InlineData(VdsrCheckpointMetadata.EpochKey, "three", "metadata 'epoch' is not a number of completed epochs: 'three'")]
    [InlineData(VdsrCheckpointMetadata.EpochKey, "-3", "metadata 'epoch' is not a number of completed epochs: '-3'")]
    [InlineData(VdsrCheckpointMetadata.EpochKey, "99999999999", "metadata 'epoch' is not a number of completed epochs: '99999999999'")]
    [InlineData(VdsrCheckpointMetadata.HiddenWidthsKey, "4,4,x", "metadata declares hidden widths [4,4,x]")]
    public void EditedFormatFieldIsRefusedOnLoad(string key, string? value, string fragment)
    {
        string path = Edited(key, value);
        UserErrorAssert.Refuses(path, () => CheckpointFile.Load(path), fragment);
    }

    [Theory]
    [InlineData("training.options.lr", "fast", "training option 'lr' is not a number: 'fast'")]
    [InlineData("training.options.batch_size", "64.5", "training option 'batch_size' is not an integer: '64.5'")]
    [InlineData("training.options.seed", "99999999999999999999", "training option 'seed' is not an integer")]
    [InlineData("training.options.optimizer", "rmsprop", "training option 'optimizer' is none of sgd, adam: 'rmsprop'")]
    [InlineData("training.options.clip_mode", "sideways", "training option 'clip_mode' is none of norm, adjustable: 'sideways'")]
    [InlineData("training.options.loss_reduction", "median", "training option 'loss_reduction' is none of sum, batch, mean: 'median'")]
    [InlineData("training.options.precision", "fp8", "training option 'precision' is none of fp32, bf16: 'fp8'")]
    [InlineData("training.options.momentum", null, "no training option 'momentum'")]
    public void EditedTrainingOptionIsRefusedWhenResuming(string key, string? value, string fragment)
    {
        string path = Edited(key, value);
        var state = CheckpointFile.Load(path);
        UserErrorAssert.Refuses(path, () => TrainingState.ReadOptions(state, path), fragment);
    }

    [Theory]
    [InlineData(TrainingState.EpochKey, "zero", "no valid 'training.epoch'")]
    [InlineData(TrainingState.EpochKey, "-2", "no valid 'training.epoch'")]
    [InlineData(TrainingState.BatchesDoneKey, "-1", "no valid 'training.batches_done'")]
    public void EditedTrainingPositionIsRefusedWhenResuming(string key, string value, string fragment)
    {
        string path = Edited(key, value);
        var state = CheckpointFile.Load(path);
        UserErrorAssert.Refuses(path, () => TrainingState.ReadPosition(state, path), fragment);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void EditedTrainingClockIsRefusedWhenResuming(string value)
    {
        string path = Edited(TrainingState.ElapsedKey, value);
        var state = CheckpointFile.Load(path);
        UserErrorAssert.Refuses(path, () => TrainingState.ReadElapsedSeconds(state, path), $"'training.elapsed_s' is not a number of seconds: '{value}'");
    }
}
