namespace Easel.Providers.ComfyUI;

/// <summary>Limits of one ComfyUI installation: the batch its GPU takes, and how long a job may take, queue included.</summary>
public sealed record ComfyUIOptions
{
    /// <summary>Images one call asks for through <c>{{batch}}</c>; a workflow without <c>{{batch}}</c> makes one per call.</summary>
    public int MaxImagesPerCall { get; init; } = 8;

    /// <summary>Longest a job may wait in ComfyUI's queue and run before the call gives up (it can be picked up again from the journal).</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromMinutes(10);

    internal void Validate()
    {
        if (MaxImagesPerCall is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(MaxImagesPerCall), MaxImagesPerCall, $"The ComfyUI setting MaxImagesPerCall must be between 1 and 64; it is {MaxImagesPerCall}.");
        if (JobTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(JobTimeout), JobTimeout, $"The ComfyUI setting JobTimeout must be positive; it is {JobTimeout}.");
    }
}
