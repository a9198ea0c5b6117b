namespace Easel.Workflows.Notifications;

/// <summary>What a webhook is told about.</summary>
public enum WebhookEvent
{
    /// <summary>An order waits for a person's decision; the body carries links to decide.</summary>
    ApprovalNeeded,

    /// <summary>An order reached an end: completed, partially completed, failed, rejected, expired or cancelled.</summary>
    OrderFinished,
}

public static class WebhookEvents
{
    public static IReadOnlyList<WebhookEvent> All { get; } = Enum.GetValues<WebhookEvent>();

    /// <summary>The name in configuration, the <c>Easel-Event</c> header and the body's <c>type</c>.</summary>
    public static string ToText(this WebhookEvent kind) => kind switch
    {
        WebhookEvent.ApprovalNeeded => "approval_needed",
        WebhookEvent.OrderFinished => "order_finished",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string text, out WebhookEvent kind)
    {
        foreach (var value in All)
        {
            if (value.ToText().Equals(text.Trim().Replace('-', '_'), StringComparison.OrdinalIgnoreCase))
            {
                kind = value;
                return true;
            }
        }
        kind = default;
        return false;
    }
}

/// <summary>
/// One entry of the <c>Webhooks</c> section: <c>"Webhooks": { "NAME": { "Url": …, "Secret": …, "Events": [ … ] } }</c>.
/// A class rather than a record: a record's printout would show the secret.
/// </summary>
public sealed class WebhookSettings
{
    public const string Section = "Webhooks";

    /// <summary>Shortest secret accepted: the signature is only as strong as the secret.</summary>
    public const int MinSecretLength = 16;

    /// <summary>The wait before the first retry when none is configured; later retries wait longer.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(10);

    public WebhookSettings(string name, Uri url, string secret, IReadOnlyCollection<WebhookEvent>? events = null, TimeSpan? retryDelay = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Name = name;
        Url = url;
        Secret = secret;
        Events = events is { Count: > 0 } ? events.Distinct().Order().ToList() : WebhookEvents.All;
        RetryDelay = retryDelay ?? DefaultRetryDelay;
    }

    /// <summary>The entry's key, lower case: names deliveries in the store and in logs.</summary>
    public string Name { get; }

    /// <summary>Where events are POSTed.</summary>
    public Uri Url { get; }

    /// <summary>Key of the <c>Easel-Signature</c> HMAC. Never logged or shown.</summary>
    public string Secret { get; }

    /// <summary>Events this hook receives (all when the configuration lists none).</summary>
    public IReadOnlyList<WebhookEvent> Events { get; }

    /// <summary>Wait before the first retry; later ones wait 3, 12, 60, 360, 1080 and 2160 times as long.</summary>
    public TimeSpan RetryDelay { get; }

    public bool Wants(WebhookEvent kind) => Events.Contains(kind);

    public override string ToString() => $"{Name} ({Url})";
}
