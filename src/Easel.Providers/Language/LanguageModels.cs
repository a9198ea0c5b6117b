using Easel.Core.Language;
using Easel.Providers.Http;

namespace Easel.Providers.Language;

/// <summary>
/// The language models Easel can use for the evaluator and prompter roles, and how to reach each
/// by default. The built-in evaluator and prompter need no model and are not listed here.
/// </summary>
public static class LanguageModels
{
    public static IReadOnlyList<LanguageModelInfo> All { get; } =
    [
        new(OpenAIChatModel.ProviderName, "OpenAI", new Uri("https://api.openai.com/"), OpenAIChatModel.DefaultModel, "OPENAI_API_KEY"),
        new(AnthropicModel.ProviderName, "Anthropic", new Uri("https://api.anthropic.com/"), AnthropicModel.DefaultModel, "ANTHROPIC_API_KEY"),
        new(GeminiModel.ProviderName, "Gemini", new Uri("https://generativelanguage.googleapis.com/"), GeminiModel.DefaultModel, "GEMINI_API_KEY"),
        new(OllamaModel.ProviderName, "Ollama", new Uri("http://localhost:11434/"), OllamaModel.DefaultModel, null),
    ];

    /// <summary>The model with this name (any case), or null.</summary>
    public static LanguageModelInfo? Find(string? name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A client for the named vendor; dispose it (it is <see cref="IDisposable"/>) when done. Every
    /// one is also a <see cref="Microsoft.Extensions.AI.IChatClient"/>, for conversations with tool calls.
    /// </summary>
    /// <param name="model">The vendor's model name, or null for the documented default.</param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="All"/>.</exception>
    public static ILanguageModel Create(string name, ProviderConnection connection, string? model)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var known = string.Join(", ", All.Select(m => m.Name));
        if (string.Equals(name?.Trim(), "builtin", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"\"builtin\" is not a language model: the built-in evaluator and prompter need none. Language models: {known}.", nameof(name));
        return Find(name)?.Name switch
        {
            OpenAIChatModel.ProviderName => new OpenAIChatModel(connection, model),
            AnthropicModel.ProviderName => new AnthropicModel(connection, model),
            GeminiModel.ProviderName => new GeminiModel(connection, model),
            OllamaModel.ProviderName => new OllamaModel(connection, model),
            _ => throw new ArgumentException($"There is no language model called \"{name}\"; choose one of {known}, or builtin.", nameof(name)),
        };
    }
}

/// <param name="Name">What configuration names it ("openai").</param>
/// <param name="Vendor">The vendor as messages name it ("OpenAI"), for <see cref="ProviderConnection.Vendor"/>.</param>
/// <param name="DefaultBaseUrl">The vendor's public endpoint (Ollama: the local server).</param>
/// <param name="DefaultModel">The model used when configuration names none.</param>
/// <param name="KeyVariable">The environment variable holding the key, or null when the vendor takes none.</param>
public sealed record LanguageModelInfo(string Name, string Vendor, Uri DefaultBaseUrl, string DefaultModel, string? KeyVariable);
