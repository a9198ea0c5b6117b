namespace Easel.Providers.References;

/// <summary>
/// A reference image could not be used: refused by a safety rule, not found, not an image, too
/// large, or not downloadable. The message names the input (never a URL's credentials or query)
/// and says what was wrong.
/// </summary>
public sealed class ReferenceException : Exception
{
    public ReferenceException(string message)
        : base(message)
    {
    }

    public ReferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
