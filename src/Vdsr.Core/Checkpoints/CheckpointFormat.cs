namespace Vdsr.Core.Checkpoints;

/// <summary>The checkpoint layouts the toolkit reads (and, where noted, writes).</summary>
public enum CheckpointFormat
{
    /// <summary>Pre-1.6 torch.save (the published model_epoch_50.pth). Read only.</summary>
    TorchLegacy,
    /// <summary>torch.save zip format (torch >= 1.6), a state_dict or a whole module. Read only.</summary>
    TorchZip,
    /// <summary>Plain safetensors: float32 weights, optional string metadata. Read and write.</summary>
    Safetensors,
    /// <summary>The project's own format: safetensors with architecture, epoch and optimizer state. Read and write.</summary>
    Vdsr,
}
