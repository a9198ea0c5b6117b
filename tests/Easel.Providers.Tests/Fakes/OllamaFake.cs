using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Language;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests.Fakes;

/// <summary>
/// A local Ollama server's <c>/api/chat</c> as PROVIDERS.md describes it: no auth, messages with
/// raw base64 <c>images</c>, <c>format</c> as "json" or a JSON schema, a stream of NDJSON lines
/// unless <c>stream: false</c>, and <c>{"error":"…"}</c> bodies (404 for a model not pulled).
/// Ollama has no content policy of its own, so nothing here refuses; its rate limit (429 with
/// Retry-After) is what a proxy or hosted Ollama sends. Tools: offered to a model that takes them
/// (else Ollama's "does not support tools"), scripted <c>tool_calls</c> without ids (arguments that
/// do not parse go out as a string), and "tool" messages taken leniently, as Ollama does: no id
/// is checked and a result names its function by <c>tool_name</c>. Ollama has no tool choice.
/// </summary>
internal sealed class OllamaFake : ILanguageFake
{
    /// <summary>Models this server has pulled; any tag of them is found.</summary>
    public static readonly string[] Pulled = ["llava", "llama3.2-vision", "gemma3", "qwen3", "llama3.1"];

    /// <summary>Pulled models whose templates take tools; offering tools to another is a 400, as in Ollama.</summary>
    public static readonly string[] ToolCapable = ["qwen3", "llama3.1"];

    private readonly FakeScript _script = new();

    private OllamaFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string? KeyHeader => null;

    public string? RequestId => null;

    public bool CanRefuse => false;

    public ConcurrentQueue<LanguageCall> Calls => _script.Calls;

    public void Next(FakeScenario scenario) => _script.Next(scenario);

    public void Answer(string content) => _script.Answer(content);

    public void CallTools(IReadOnlyList<FakeToolCall> calls, string? text = null) => _script.CallTools("Ollama", calls, text, objectsOnly: false);

    public static async Task<OllamaFake> StartAsync()
    {
        OllamaFake? fake = null;
        var server = await FakeServer.StartAsync(app => app.MapPost("/api/chat", FakeServer.Handle(context => fake!.HandleAsync(context))));
        fake = new OllamaFake(server);
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var body = await FakeScript.ReadBodyAsync(context.Request.Body);
        if (body is null)
            return Error(400, "invalid character 'x' looking for beginning of value");
        var model = body["model"]?.GetValue<string>() ?? "";
        if (model.Length == 0)
            return Error(400, "model is required");
        if (!Pulled.Contains(model.Split(':')[0]))
            return Error(404, $"model \"{model}\" not found, try pulling it first");
        if (body["messages"] is not JsonArray messages)
            return Error(400, "messages is required");

        string system = "", user = "";
        var images = new List<SentImage>();
        var transcript = new List<string>();
        var results = new List<FakeToolResult>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            var role = message?["role"]?.GetValue<string>();
            if (message?["content"] is { } raw && raw.GetValueKind() != JsonValueKind.String)
                return Error(400, $"json: cannot unmarshal {Kind(raw)} into Go struct field Message.messages.content of type string");
            var content = message?["content"]?.GetValue<string>() ?? "";
            if (role == "system")
                system += content;
            else if (role == "user")
                user += content;
            else if (role is not ("assistant" or "tool"))
                return Error(400, $"invalid role: {role}");
            if (role == "tool")
            {
                // Ollama names a result by tool_name; an id or nothing at all passes too.
                var name = message!["tool_name"]?.GetValue<string>()
                    ?? (message["tool_call_id"]?.GetValue<string>() is { } id ? names.GetValueOrDefault(id) : null) ?? "";
                results.Add(new FakeToolResult(name, content));
                transcript.Add($"tool {name}: {content}");
            }
            else if (content.Length > 0)
            {
                transcript.Add($"{role}: {content}");
            }
            foreach (var toolCall in message?["tool_calls"] as JsonArray ?? [])
            {
                var name = toolCall?["function"]?["name"]?.GetValue<string>() ?? "";
                if (toolCall?["function"]?["arguments"] is { } arguments && arguments is not JsonObject)
                    return Error(400, $"json: cannot unmarshal {Kind(arguments)} into Go struct field ToolCallFunction.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments");
                if (toolCall?["id"]?.GetValue<string>() is { } id)
                    names[id] = name;
                transcript.Add($"assistant calls {name} {(toolCall?["function"]?["arguments"] ?? new JsonObject()).ToJsonString()}");
            }
            foreach (var image in message?["images"] as JsonArray ?? [])
            {
                // Ollama decodes raw base64; a data URL is not base64.
                var bytes = FakeScript.Base64(image?.GetValue<string>());
                if (bytes is null)
                    return Error(400, "illegal base64 data at input byte 4");
                images.Add(new SentImage(bytes, null));
            }
        }

        var declarations = new List<FakeToolDeclaration>();
        if (body["tools"] is JsonArray { Count: > 0 } tools)
        {
            if (!ToolCapable.Contains(model.Split(':')[0]))
                return Error(400, $"registry.ollama.ai/library/{(model.Contains(':') ? model : model + ":latest")} does not support tools");
            foreach (var tool in tools)
            {
                var function = tool?["function"];
                declarations.Add(new FakeToolDeclaration(function?["name"]?.GetValue<string>() ?? "", function?["description"]?.GetValue<string>(), function?["parameters"] as JsonObject ?? []));
            }
        }

        JsonObject? schema = null;
        switch (body["format"])
        {
            case null:
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is "json" or "":
                break;
            case JsonObject o:
                schema = o;
                break;
            default:
                return Error(400, "invalid format: expected \"json\" or a valid JSON schema");
        }

        var call = new LanguageCall(model, system, user, images, schema ?? [])
        {
            Declarations = declarations,
            ToolResults = results,
            Transcript = transcript,
            Temperature = body["options"]?["temperature"]?.GetValue<double>(),
            MaxTokens = body["options"]?["num_predict"]?.GetValue<int>(),
        };
        switch (_script.NextScenario())
        {
            case FakeScenario.RateLimited:
                context.Response.Headers.RetryAfter = "7";
                return Error(429, "too many requests");
            case FakeScenario.ServerError:
                return Error(500, "llama runner process has terminated: exit status 2");
            case FakeScenario.Invalid:
                return Error(400, "invalid options: num_ctx must be a positive integer");
        }

        Calls.Enqueue(call);
        var answer = _script.NextAnswer(schema);
        // Ollama parses the model's call; what does not parse as an object is passed on as the text the model wrote.
        var calls = answer.Calls.Count == 0 ? null : new JsonArray(answer.Calls.Select((c, i) => (JsonNode)new JsonObject
        {
            ["function"] = new JsonObject { ["index"] = i, ["name"] = c.Name, ["arguments"] = (JsonNode?)FakeScript.Object(c.Arguments) ?? JsonValue.Create(c.Arguments) },
        }).ToArray());
        if (body["stream"]?.GetValueKind() != JsonValueKind.False)
        {
            // Ollama streams unless told not to: one JSON object a line, the last with done: true.
            var lines = Line(model, answer.Text, calls, done: false).ToJsonString() + "\n" + Line(model, "", null, done: true).ToJsonString() + "\n";
            return Results.Text(lines, "application/x-ndjson");
        }
        return FakeServer.Json(Line(model, answer.Text, calls, done: true));
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "bool",
    };

    private static JsonObject Line(string model, string content, JsonArray? calls, bool done)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (calls is not null)
            message["tool_calls"] = calls;
        var line = new JsonObject
        {
            ["model"] = model,
            ["created_at"] = "2026-01-01T00:00:00.000000Z",
            ["message"] = message,
            ["done"] = done,
        };
        if (done)
        {
            line["done_reason"] = "stop";
            line["total_duration"] = 4_210_000_000L;
            line["prompt_eval_count"] = 612;
            line["eval_count"] = 84;
        }
        return line;
    }

    public static IResult Error(int status, string message) =>
        FakeServer.Json(new JsonObject { ["error"] = message }, status);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
