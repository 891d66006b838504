namespace Vdsr.Core;

/// <summary>
/// A problem with the user's input (a file, a flag, the machine) that the tools report as one
/// line, without a stack trace, and exit non-zero. The message names the file and the problem.
/// </summary>
public class VdsrUserException : Exception
{
    public VdsrUserException(string message) : base(message) { }
    public VdsrUserException(string message, Exception inner) : base(message, inner) { }
}
