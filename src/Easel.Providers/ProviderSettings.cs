namespace Easel.Providers;

/// <summary>
/// How an installation reaches one provider (<c>Providers:NAME</c> in config.json or
/// <c>EASEL_Providers__NAME__…</c>): its key, where it lives, which model, how long a call may take.
/// Every value is optional; the provider's defaults and the vendor's usual key variable fill the gaps.
/// </summary>
public sealed record ProviderSettings
{
    /// <summary>The key; never logged or shown (`easel providers` says only where it came from).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Where the key came from, for messages: "OPENAI_API_KEY" or "Providers:openai:ApiKey in /path/config.json".</summary>
    public string? ApiKeySource { get; init; }

    public Uri? BaseUrl { get; init; }

    public string? Model { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <summary>ComfyUI: the path of the API-format workflow file with Easel's placeholders.</summary>
    public string? Workflow { get; init; }
}

/// <summary>Which language model plays a role (evaluator or prompter); null provider means the built-in rules.</summary>
public sealed record LanguageRole(string? Provider, string? Model);
