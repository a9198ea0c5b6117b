namespace Easel.Core.Quality;

/// <summary>A preset file that cannot be used; the message names the file and what is wrong with it.</summary>
public sealed class PresetException(string message, string? file = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The file (or built-in resource) at fault, when there is one.</summary>
    public string? File { get; } = file;
}
