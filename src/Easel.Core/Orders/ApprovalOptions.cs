namespace Easel.Core.Orders;

/// <summary>When an order must wait for a person, and for how long. Section <c>Approval</c> of the configuration.</summary>
public sealed class ApprovalOptions
{
    public const string Section = "Approval";

    /// <summary>Orders of more images than this wait for approval (seed 000: more than 4).</summary>
    public int MaxImagesWithoutApproval { get; set; } = 4;

    /// <summary>Orders estimated to cost more than this, in US dollars, wait for approval.</summary>
    public decimal MaxCostWithoutApproval { get; set; } = 1.00m;

    /// <summary>How long a request waits for a decision before the order expires.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Longest wait allowed: a year is beyond any real review, and keeps deadlines far from overflow.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(366);

    /// <summary>The first problem with these settings in plain words, or null.</summary>
    public string? Validate()
    {
        if (MaxImagesWithoutApproval < 0)
            return $"Approval:MaxImagesWithoutApproval must be 0 or more; got {MaxImagesWithoutApproval}.";
        if (MaxCostWithoutApproval < 0)
            return $"Approval:MaxCostWithoutApproval must be 0 or more; got {MaxCostWithoutApproval}.";
        if (Timeout <= TimeSpan.Zero || Timeout > MaxTimeout)
            return $"Approval:Timeout must be more than 0 and at most {MaxTimeout.TotalDays:0} days; got {Timeout}.";
        return null;
    }
}

/// <summary>How hard Easel may drive one provider. Section <c>Providers:NAME</c> of the configuration.</summary>
public sealed class ProviderLimitOptions
{
    /// <summary>Calls that may run at the same time; the provider's own default when null.</summary>
    public int? Concurrency { get; set; }

    /// <summary>Images per minute; the provider's own default (often unlimited) when null.</summary>
    public int? ImagesPerMinute { get; set; }

    public string? Validate(string provider)
    {
        if (Concurrency is < 1 or > 64)
            return $"Providers:{provider}:Concurrency must be between 1 and 64; got {Concurrency}.";
        if (ImagesPerMinute is < 1 or > 100_000)
            return $"Providers:{provider}:ImagesPerMinute must be between 1 and 100000; got {ImagesPerMinute}.";
        return null;
    }
}
