using System.Text.Json;

namespace Easel.Core.Language;

/// <summary>
/// A vendor's language (vision) model asked for one structured answer: instructions, a message,
/// images, and the JSON schema the answer must follow. Each vendor forces the schema its own way
/// (OpenAI's json_schema response format, an Anthropic tool, Gemini's responseSchema, Ollama's
/// format), so the evaluator and prompter never see a vendor's wire format.
/// </summary>
public interface ILanguageModel
{
    /// <summary>The lower-case name configuration uses ("openai", "anthropic", "gemini", "ollama").</summary>
    string Name { get; }

    /// <summary>The vendor's name as messages say it ("OpenAI").</summary>
    string Vendor { get; }

    /// <summary>The model asked ("gpt-4o").</summary>
    string Model { get; }

    /// <summary>Asks the model once and returns its answer: a JSON object shaped by <see cref="LanguageModelRequest.Schema"/>.</summary>
    /// <exception cref="Generation.ProviderException">The vendor refused, failed, could not be reached, or answered something that is not a JSON object.</exception>
    Task<LanguageModelReply> GenerateJsonAsync(LanguageModelRequest request, CancellationToken cancellationToken);
}

/// <param name="Instructions">The system text: who the model is and the rules it follows.</param>
/// <param name="Text">The user's message: what to do this time.</param>
/// <param name="Images">Images the model looks at, in order (none for text-only calls).</param>
public sealed record LanguageModelRequest(string Instructions, string Text, IReadOnlyList<ModelImage> Images, OutputSchema Schema);

/// <summary>An encoded image and its media type ("image/png").</summary>
public sealed record ModelImage(byte[] Bytes, string MediaType);

/// <summary>
/// The shape of the answer, as a JSON Schema object. Keep to what every vendor accepts: objects
/// with <c>additionalProperties: false</c> and every property required (OpenAI's strict mode),
/// types string, integer, number, boolean, array and object, and descriptions.
/// </summary>
public sealed record OutputSchema
{
    /// <param name="name">A short id the vendor sees ("critique"): letters, digits, '_' and '-', at most 64.</param>
    /// <param name="description">What the answer is, in a sentence (Anthropic's tool description).</param>
    /// <param name="json">The JSON Schema, an object.</param>
    /// <exception cref="ArgumentException">The name is not a short id or the schema is not a JSON object.</exception>
    public OutputSchema(string name, string description, string json)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw new ArgumentException($"The schema name \"{name}\" must be 1 to 64 letters, digits, '_' or '-'.", nameof(name));
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ArgumentException($"The schema \"{name}\" must be a JSON object.", nameof(json));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The schema \"{name}\" is not valid JSON: {ex.Message}", nameof(json), ex);
        }
        Name = name;
        Description = description ?? "";
        Json = json;
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>The schema as JSON text; vendors that need another dialect (Gemini) translate it.</summary>
    public string Json { get; }
}

/// <param name="Json">The answer: a JSON object as text, code fences removed.</param>
/// <param name="Usage">Tokens the call used, when the vendor reports them.</param>
/// <param name="Model">The model version that answered, when the vendor says ("gpt-4o-2024-08-06").</param>
public sealed record LanguageModelReply(string Json, ModelUsage? Usage = null, string? Model = null);

public sealed record ModelUsage(long InputTokens, long OutputTokens);
