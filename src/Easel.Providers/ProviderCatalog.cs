using Easel.Core.Generation;
using Easel.Providers.Automatic1111;
using Easel.Providers.Builtin;
using Easel.Providers.ComfyUI;
using Easel.Providers.Google;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Mcp;
using Easel.Providers.OpenAI;
using Easel.Providers.Replicate;
using Easel.Providers.Sketch;
using Easel.Providers.Stability;

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
/// <param name="SettingsName">The <c>Providers:NAME</c> section it reads: an upscaler or language model shares its vendor's.</param>
public sealed record ProviderDefinition(
    string Name,
    string Vendor,
    ProviderKind Kind,
    Uri? DefaultBaseUrl,
    string? KeyVariable,
    Func<ProviderSettings, string?> NeedsSetup,
    Func<ProviderConnection, ProviderSettings, object> Create,
    string? SettingsName = null)
{
    public string Section => SettingsName ?? Name;
}

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
    // Before Definitions: static fields initialise in the order they are written.
    private static readonly Uri Google = new("https://generativelanguage.googleapis.com/");
    private static readonly Uri Stability = new("https://api.stability.ai/");

    public static IReadOnlyList<ProviderDefinition> Definitions { get; } =
    [
        new("sketch", "Easel", ProviderKind.Image, null, null, _ => null, (_, _) => new SketchImageProvider()),
        new(BuiltinUpscaler.UpscalerName, "Easel", ProviderKind.Upscaler, null, null, _ => null, (_, _) => new BuiltinUpscaler()),
        new(OpenAIImageProvider.ProviderName, "OpenAI", ProviderKind.Image, new Uri("https://api.openai.com/"), "OPENAI_API_KEY", NeedsKey("openai", "OPENAI_API_KEY"),
            (c, s) => new OpenAIImageProvider(c, s.Model)),
        new(OpenAIResponsesProvider.ProviderName, "OpenAI", ProviderKind.Image, new Uri("https://api.openai.com/"), "OPENAI_API_KEY",
            NeedsKey(OpenAIResponsesProvider.ProviderName, "OPENAI_API_KEY"), (c, s) => new OpenAIResponsesProvider(c, s.Model)),
        new(GeminiImageProvider.ProviderName, "Gemini", ProviderKind.Image, Google, "GEMINI_API_KEY", NeedsKey("gemini", "GEMINI_API_KEY"),
            (c, s) => new GeminiImageProvider(c, s.Model)),
        new(ImagenProvider.ProviderName, "Imagen", ProviderKind.Image, Google, "GEMINI_API_KEY", NeedsKey("imagen", "GEMINI_API_KEY"),
            (c, s) => new ImagenProvider(c, s.Model)),
        new(ReplicateProvider.ProviderName, "Replicate", ProviderKind.Image, new Uri("https://api.replicate.com/"), "REPLICATE_API_TOKEN",
            NeedsKey("replicate", "REPLICATE_API_TOKEN"), (c, s) => new ReplicateProvider(c, s.Model)),
        new(StabilityProvider.ProviderName, "Stability AI", ProviderKind.Image, Stability, "STABILITY_API_KEY", NeedsKey("stability", "STABILITY_API_KEY"),
            (c, s) => new StabilityProvider(c, s.Model)),
        new(Automatic1111Provider.ProviderName, "AUTOMATIC1111", ProviderKind.Image, null, null, NeedsBaseUrl("automatic1111", "http://127.0.0.1:7860"),
            (c, s) => new Automatic1111Provider(c, s.Model)),
        new(ComfyUIProvider.ProviderName, "ComfyUI", ProviderKind.Image, null, null,
            s => s.BaseUrl is null || s.Workflow is null ? "set Providers:comfyui:BaseUrl (e.g. http://127.0.0.1:8188) and Providers:comfyui:Workflow (an API-format workflow file)" : null,
            (c, s) => new ComfyUIProvider(c, ReadWorkflow(s.Workflow!), s.Model, new ComfyUIOptions { JobTimeout = s.Timeout ?? TimeSpan.FromMinutes(10) })),
        new(StabilityUpscaler.FastName, "Stability AI", ProviderKind.Upscaler, Stability, "STABILITY_API_KEY", NeedsKey("stability", "STABILITY_API_KEY"),
            (c, _) => new StabilityUpscaler(c, StabilityUpscaleMode.Fast), "stability"),
        new(StabilityUpscaler.ConservativeName, "Stability AI", ProviderKind.Upscaler, Stability, "STABILITY_API_KEY", NeedsKey("stability", "STABILITY_API_KEY"),
            (c, _) => new StabilityUpscaler(c, StabilityUpscaleMode.Conservative), "stability"),
        new(StabilityUpscaler.CreativeName, "Stability AI", ProviderKind.Upscaler, Stability, "STABILITY_API_KEY", NeedsKey("stability", "STABILITY_API_KEY"),
            (c, _) => new StabilityUpscaler(c, StabilityUpscaleMode.Creative), "stability"),
        new(Automatic1111Upscaler.UpscalerName, "AUTOMATIC1111", ProviderKind.Upscaler, null, null, NeedsBaseUrl("automatic1111", "http://127.0.0.1:7860"),
            (c, _) => new Automatic1111Upscaler(c), "automatic1111"),
        .. LanguageModels.All.Select(info => new ProviderDefinition(
            info.Name, info.Vendor, ProviderKind.Language, info.DefaultBaseUrl, info.KeyVariable,
            // A local model server (Ollama) is in use once its address is set.
            info.KeyVariable is { } variable ? NeedsKey(info.Name, variable) : NeedsBaseUrl(info.Name, info.DefaultBaseUrl.GetLeftPart(UriPartial.Authority)),
            // Only Ollama and Anthropic have the section to themselves; OpenAI's and Gemini's Model names their image model.
            (c, s) => LanguageModels.Create(info.Name, c, info.Name is "ollama" or "anthropic" ? s.Model : null))),
    ];

    /// <summary>The ComfyUI workflow file's text; a missing or unreadable file says which.</summary>
    private static string ReadWorkflow(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot read the ComfyUI workflow {path}: {ex.Message}", ex);
        }
    }

    /// <summary>What each known provider needs and whether it has it, by name.</summary>
    /// <param name="settings">Settings by provider name (case-insensitive), from the configuration and the vendors' key variables.</param>
    /// <param name="mcpProviders">Image tools of other MCP servers (<c>McpProviders:NAME</c>), each a provider of its own name.</param>
    public static IReadOnlyList<ProviderStatus> Describe(
        IReadOnlyDictionary<string, ProviderSettings> settings, TimeProvider time, HttpMessageHandler? handler = null,
        IReadOnlyDictionary<string, McpProviderOptions>? mcpProviders = null)
    {
        var statuses = new List<ProviderStatus>();
        foreach (var definition in Definitions.Concat((mcpProviders ?? new Dictionary<string, McpProviderOptions>()).Values.Select(Mcp)))
        {
            var own = settings.GetValueOrDefault(definition.Section) ?? new ProviderSettings();
            var problem = definition.NeedsSetup(own);
            object? instance = null;
            if (problem is null)
            {
                try
                {
                    instance = definition.Create(Connection(definition, own, time, handler), own);
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidOperationException or ComfyUIWorkflowException)
                {
                    problem = ex.Message;
                }
            }
            statuses.Add(new ProviderStatus(definition, own, problem, instance));
        }
        return statuses;
    }

    /// <summary>An MCP server's image tool: configured by its own section, so it is ready as soon as it is listed.</summary>
    private static ProviderDefinition Mcp(McpProviderOptions options) =>
        new(options.Name, McpImageProvider.Vendor, ProviderKind.Image, null, null, _ => null, (c, _) => new McpImageProvider(options, c.Time));

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
