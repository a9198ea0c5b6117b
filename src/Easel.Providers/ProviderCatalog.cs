using Easel.Core.Generation;
using Easel.Providers.Builtin;
using Easel.Providers.Http;
using Easel.Providers.OpenAI;
using Easel.Providers.Sketch;

namespace Easel.Providers;

public enum ProviderKind
{
    Image,
    Upscaler,
    Language,
}

/// <summary>One provider Easel knows, and how to make it from an installation's settings.</summary>
/// <param name="KeyVariable">The vendor's usual key variable; null for providers without keys (local servers, built-ins).</param>
/// <param name="NeedsSetup">What makes it usable when it is not: "set OPENAI_API_KEY", "set Providers:comfyui:Workflow".</param>
public sealed record ProviderDefinition(
    string Name,
    string Vendor,
    ProviderKind Kind,
    Uri? DefaultBaseUrl,
    string? KeyVariable,
    Func<ProviderSettings, string?> NeedsSetup,
    Func<ProviderConnection, ProviderSettings, object> Create);

/// <summary>A provider as `easel providers` shows it.</summary>
/// <param name="Problem">Why it cannot be used yet, in plain words; null when it is configured.</param>
public sealed record ProviderStatus(ProviderDefinition Definition, ProviderSettings Settings, string? Problem, object? Instance)
{
    public bool Configured => Problem is null;

    public Uri? BaseUrl => Settings.BaseUrl ?? Definition.DefaultBaseUrl;
}

/// <summary>
/// Every provider Easel knows and which of them an installation can use: the built-ins always,
/// vendors once their key (or, for local servers, their address or workflow) is configured.
/// </summary>
public static class ProviderCatalog
{
    public static IReadOnlyList<ProviderDefinition> Definitions { get; } =
    [
        new("sketch", "Easel", ProviderKind.Image, null, null, _ => null, (_, _) => new SketchImageProvider()),
        new(BuiltinUpscaler.UpscalerName, "Easel", ProviderKind.Upscaler, null, null, _ => null, (_, _) => new BuiltinUpscaler()),
        new(OpenAIImageProvider.ProviderName, "OpenAI", ProviderKind.Image, new Uri("https://api.openai.com/"), "OPENAI_API_KEY", NeedsKey("openai", "OPENAI_API_KEY"),
            (c, s) => new OpenAIImageProvider(c, s.Model)),
        new(OpenAIResponsesProvider.ProviderName, "OpenAI", ProviderKind.Image, new Uri("https://api.openai.com/"), "OPENAI_API_KEY",
            NeedsKey(OpenAIResponsesProvider.ProviderName, "OPENAI_API_KEY"), (c, s) => new OpenAIResponsesProvider(c, s.Model)),
    ];

    /// <summary>What each known provider needs and whether it has it, by name.</summary>
    /// <param name="settings">Settings by provider name (case-insensitive), from the configuration and the vendors' key variables.</param>
    public static IReadOnlyList<ProviderStatus> Describe(IReadOnlyDictionary<string, ProviderSettings> settings, TimeProvider time, HttpMessageHandler? handler = null)
    {
        var statuses = new List<ProviderStatus>();
        foreach (var definition in Definitions)
        {
            var own = settings.GetValueOrDefault(definition.Name) ?? new ProviderSettings();
            var problem = definition.NeedsSetup(own);
            object? instance = null;
            if (problem is null)
            {
                try
                {
                    instance = definition.Create(Connection(definition, own, time, handler), own);
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidOperationException)
                {
                    problem = ex.Message;
                }
            }
            statuses.Add(new ProviderStatus(definition, own, problem, instance));
        }
        return statuses;
    }

    /// <summary>The image providers and upscalers that are configured.</summary>
    public static ProviderRegistry Registry(IReadOnlyList<ProviderStatus> statuses) => new(
        statuses.Select(s => s.Instance).OfType<IImageProvider>(),
        statuses.Select(s => s.Instance).OfType<IImageUpscaler>());

    public static ProviderConnection Connection(ProviderDefinition definition, ProviderSettings settings, TimeProvider time, HttpMessageHandler? handler = null) => new()
    {
        Vendor = definition.Vendor,
        BaseUrl = settings.BaseUrl ?? definition.DefaultBaseUrl ?? new Uri("http://127.0.0.1/"),
        ApiKey = settings.ApiKey,
        Timeout = settings.Timeout ?? TimeSpan.FromMinutes(5),
        Time = time,
        Handler = handler,
    };

    /// <summary>Usable once a key is configured.</summary>
    public static Func<ProviderSettings, string?> NeedsKey(string name, string variable) =>
        s => s.ApiKey is { Length: > 0 } ? null : $"set {variable} or Providers:{name}:ApiKey";

    /// <summary>A local server: usable once its address is configured.</summary>
    public static Func<ProviderSettings, string?> NeedsBaseUrl(string name, string example) =>
        s => s.BaseUrl is not null ? null : $"set Providers:{name}:BaseUrl (e.g. {example})";
}
