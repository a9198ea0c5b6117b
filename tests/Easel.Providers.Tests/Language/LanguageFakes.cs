using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Language;

/// <summary>An image as it reached the vendor, decoded from its wire form.</summary>
/// <param name="MediaType">Null where the wire carries none (Ollama's raw base64).</param>
internal sealed record SentImage(byte[] Bytes, string? MediaType);

/// <summary>One language-model call as the vendor understood it: the parts every vendor carries, read from its own wire format.</summary>
internal sealed record LanguageCall(string Model, string System, string User, IReadOnlyList<SentImage> Images, JsonObject Schema);

/// <summary>A language-model vendor's fake server as the conformance suite drives it.</summary>
internal interface ILanguageFake : IAsyncDisposable
{
    FakeServer Server { get; }

    /// <summary>The request header that must carry the key, lower-case; null when the vendor takes no key (Ollama).</summary>
    string? KeyHeader { get; }

    /// <summary>The request id the fake puts on every answer (in the vendor's header), when the vendor has one.</summary>
    string? RequestId { get; }

    /// <summary>Whether the vendor can say on the wire that it refuses (Ollama cannot).</summary>
    bool CanRefuse { get; }

    /// <summary>Calls that passed the vendor's validation, in order.</summary>
    ConcurrentQueue<LanguageCall> Calls { get; }

    /// <summary>Scripts the next call's failure (PartiallyFiltered does not apply to language models).</summary>
    void Next(FakeScenario scenario);

    /// <summary>The next successful answer's content, as the model would write it (not necessarily JSON).</summary>
    void Answer(string content);
}

/// <summary>What the fakes share: scripted answers, and answers made up to fit the schema the client sent.</summary>
internal sealed class FakeScript
{
    private readonly ConcurrentQueue<FakeScenario> _scenarios = new();
    private readonly ConcurrentQueue<string> _answers = new();

    public ConcurrentQueue<LanguageCall> Calls { get; } = new();

    public void Next(FakeScenario scenario) => _scenarios.Enqueue(scenario);

    public void Answer(string content) => _answers.Enqueue(content);

    public FakeScenario? NextScenario() => _scenarios.TryDequeue(out var s) ? s : null;

    /// <summary>The scripted answer, or JSON shaped by <paramref name="schema"/> as a model would write it.</summary>
    public string Content(JsonNode? schema) => _answers.TryDequeue(out var a) ? a : SchemaSample.For(schema, "answer").ToJsonString();

    /// <summary>The request body as JSON, or null when it is not.</summary>
    public static async Task<JsonObject?> ReadBodyAsync(Stream body)
    {
        try
        {
            return await JsonNode.ParseAsync(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Decodes base64 the way servers do: anything else is a client error.</summary>
    public static byte[]? Base64(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>A value that fits a JSON Schema (either dialect: "object" or Gemini's "OBJECT"), filled in the way a model would.</summary>
internal static class SchemaSample
{
    public const int Integer = 73;

    public static JsonNode For(JsonNode? schema, string name)
    {
        if (schema is not JsonObject s)
            return JsonValue.Create($"{name} text");
        if (s["enum"] is JsonArray { Count: > 0 } options)
            return options[0]!.DeepClone();
        var type = s["type"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonArray a => a.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t is not null and not "null"),
            _ => s["properties"] is not null ? "object" : "string",
        };
        switch (type?.ToLowerInvariant())
        {
            case "object":
                var result = new JsonObject();
                foreach (var (property, value) in s["properties"] as JsonObject ?? [])
                    result[property] = For(value, property);
                return result;
            case "array":
                return new JsonArray(For(s["items"], name));
            case "integer":
                return JsonValue.Create(Integer);
            case "number":
                return JsonValue.Create(0.5);
            case "boolean":
                return JsonValue.Create(true);
            default:
                return JsonValue.Create($"{name} text");
        }
    }
}
