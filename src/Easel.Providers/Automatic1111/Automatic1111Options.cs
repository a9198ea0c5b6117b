namespace Easel.Providers.Automatic1111;

/// <summary>
/// How the web UI is asked to draw: the sampling settings a user would pick in its UI, the largest
/// batch the GPU takes, and how far image-to-image may move from the image it starts from.
/// </summary>
public sealed record Automatic1111Options
{
    public int Steps { get; init; } = 25;

    public double CfgScale { get; init; } = 7;

    /// <summary>A name from <c>GET /sdapi/v1/samplers</c>.</summary>
    public string Sampler { get; init; } = "DPM++ 2M";

    /// <summary>A name from <c>GET /sdapi/v1/schedulers</c> (web UI 1.9 and later); null leaves the server's choice.</summary>
    public string? Scheduler { get; init; }

    /// <summary>Images one call renders together (<c>batch_size</c>): more needs more GPU memory.</summary>
    public int MaxImagesPerCall { get; init; } = 8;

    /// <summary><c>denoising_strength</c> when a reference image is the starting point: 0 keeps it, 1 ignores it.</summary>
    public double ReferenceStrength { get; init; } = 0.6;

    /// <summary><c>denoising_strength</c> for a subtle variation: same composition, different details.</summary>
    public double SubtleVariationStrength { get; init; } = 0.35;

    /// <summary><c>denoising_strength</c> for a strong variation: same idea, a new take.</summary>
    public double StrongVariationStrength { get; init; } = 0.7;

    /// <summary>Throws a plain-words <see cref="ArgumentOutOfRangeException"/> for a setting the server would refuse or misuse.</summary>
    internal void Validate()
    {
        Check(Steps is >= 1 and <= 150, nameof(Steps), Steps, "between 1 and 150");
        Check(CfgScale is >= 1 and <= 30, nameof(CfgScale), CfgScale, "between 1 and 30");
        Check(MaxImagesPerCall is >= 1 and <= 100, nameof(MaxImagesPerCall), MaxImagesPerCall, "between 1 and 100");
        Check(ReferenceStrength is > 0 and <= 1, nameof(ReferenceStrength), ReferenceStrength, "above 0 and at most 1");
        Check(SubtleVariationStrength is > 0 and <= 1, nameof(SubtleVariationStrength), SubtleVariationStrength, "above 0 and at most 1");
        Check(StrongVariationStrength is > 0 and <= 1, nameof(StrongVariationStrength), StrongVariationStrength, "above 0 and at most 1");
        if (string.IsNullOrWhiteSpace(Sampler))
            throw new ArgumentException("The AUTOMATIC1111 sampler must be named (e.g. \"DPM++ 2M\" or \"Euler a\").", nameof(Sampler));
    }

    private static void Check(bool ok, string name, object value, string range)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, value, $"The AUTOMATIC1111 setting {name} must be {range}; it is {value}.");
    }
}
