namespace Easel.Imaging;

/// <summary>
/// The bytes are not a valid image of the expected format: empty, truncated, corrupt, over a
/// configured limit, or deliberately hostile. The message says what was wrong and where.
/// </summary>
public sealed class ImageFormatException : Exception
{
    public ImageFormatException(string message)
        : base(message)
    {
    }

    public ImageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
