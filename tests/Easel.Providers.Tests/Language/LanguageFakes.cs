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
/// <param name="User">Every user message's text, run together.</param>
/// <param name="Schema">The answer's schema (response format, forced tool or format); empty when the call asked for none.</param>
internal sealed record LanguageCall(string Model, string System, string User, IReadOnlyList<SentImage> Images, JsonObject Schema)
{
    /// <summary>The names of the tools offered, in order.</summary>
    public IReadOnlyList<string> Tools => Declarations.Select(d => d.Name).ToList();

    /// <summary>The tools offered, as declared on the wire (Gemini's schemas in its own dialect).</summary>
    public IReadOnlyList<FakeToolDeclaration> Declarations { get; init; } = [];

    /// <summary>The request's tool choice in one vocabulary: "auto", "required", "none", "tool:NAME"; null when it said nothing.</summary>
    public string? ToolChoice { get; init; }

    /// <summary>Every function result in the conversation, in order, each named by the call it answers; the last are this turn's.</summary>
    public IReadOnlyList<FakeToolResult> ToolResults { get; init; } = [];

    /// <summary>
    /// The conversation as the model reads it, a line a message or part: "system: …", "user: …",
    /// "assistant: …", "assistant calls NAME ARGUMENTS", "tool NAME: CONTENT".
    /// </summary>
    public IReadOnlyList<string> Transcript { get; init; } = [];

    public double? Temperature { get; init; }

    /// <summary>The output limit the request set, in the vendor's own field.</summary>
    public int? MaxTokens { get; init; }
}

/// <summary>A tool as the client declared it on the wire.</summary>
internal sealed record FakeToolDeclaration(string Name, string? Description, JsonObject Schema);

/// <summary>A call the fake model makes: <paramref name="Arguments"/> is the JSON text the model writes.</summary>
internal sealed record FakeToolCall(string Name, string Arguments);

/// <summary>A function result the client sent back, named by the call it answers ("" when no call matches and the vendor let it pass).</summary>
internal sealed record FakeToolResult(string Name, string Content);

/// <summary>One scripted answer: words, tool calls, or both.</summary>
internal sealed record FakeAnswer(string Text, IReadOnlyList<FakeToolCall> Calls);

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

    /// <summary>The next successful answer is the model calling these tools (and optionally saying text).</summary>
    void CallTools(IReadOnlyList<FakeToolCall> calls, string? text = null);
}

/// <summary>
/// What the fakes share: scripted answers and tool calls, answers made up to fit the schema the
/// client sent ("Done." when it sent none), and call ids.
/// </summary>
internal sealed class FakeScript
{
    /// <summary>The key the fakes accept, shaped like a real one; it must never show up anywhere but the auth header.</summary>
    public const string Key = "sk-conformance-5eCr3t-0123456789abcdef";

    /// <summary>What a model says when nothing is scripted and no schema shapes the answer.</summary>
    public const string DefaultText = "Done.";

    private readonly ConcurrentQueue<FakeScenario> _scenarios = new();
    private readonly ConcurrentQueue<FakeAnswer> _answers = new();
    private int _ids;

    public ConcurrentQueue<LanguageCall> Calls { get; } = new();

    public void Next(FakeScenario scenario) => _scenarios.Enqueue(scenario);

    public void Answer(string content) => _answers.Enqueue(new FakeAnswer(content, []));

    /// <param name="objectsOnly">The vendor sends arguments as a JSON object, so a script that is not one is a mistake in the test.</param>
    public void CallTools(string vendor, IReadOnlyList<FakeToolCall> calls, string? text, bool objectsOnly)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0)
            throw new ArgumentException("Script at least one tool call; use Answer for a reply in words.", nameof(calls));
        foreach (var call in calls)
        {
            if (string.IsNullOrEmpty(call.Name))
                throw new ArgumentException("A scripted tool call needs a name.", nameof(calls));
            if (objectsOnly && Object(call.Arguments) is null)
                throw new ArgumentException($"{vendor} sends tool arguments as a JSON object; the script for {call.Name} is not one: {call.Arguments}", nameof(calls));
        }
        _answers.Enqueue(new FakeAnswer(text ?? "", calls));
    }

    public FakeScenario? NextScenario() => _scenarios.TryDequeue(out var s) ? s : null;

    /// <summary>The scripted answer, or one made up: JSON shaped by <paramref name="schema"/> as a model would write it, or <see cref="DefaultText"/> without a schema.</summary>
    public FakeAnswer NextAnswer(JsonNode? schema) =>
        _answers.TryDequeue(out var a) ? a : new FakeAnswer(schema is null ? DefaultText : SchemaSample.For(schema, "answer").ToJsonString(), []);

    /// <summary>A call id in the vendor's style ("call_", "toolu_"), unique for this fake.</summary>
    public string NewId(string prefix) => $"{prefix}fake{Interlocked.Increment(ref _ids):D4}";

    /// <summary>The text as a JSON object, or null when it is not one.</summary>
    public static JsonObject? Object(string? text)
    {
        try
        {
            return JsonNode.Parse(text ?? "") as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string or an array of text parts (OpenAI's and Anthropic's two ways of sending text) as one string; null when it is neither.</summary>
    public static string? Text(JsonNode? content) => content switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray parts when parts.All(p => p?["type"]?.GetValue<string>() == "text") => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => null,
    };

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
