namespace Vdsr.Core;

/// <summary>A checkpoint file that cannot be read: bad magic, truncated, unexpected content.</summary>
public sealed class CheckpointFormatException : VdsrUserException
{
    public CheckpointFormatException(string message) : base(message) { }
    public CheckpointFormatException(string message, Exception inner) : base(message, inner) { }
}
