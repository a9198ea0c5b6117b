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
/// Retry-After) is what a proxy or hosted Ollama sends.
/// </summary>
internal sealed class OllamaFake : ILanguageFake
{
    /// <summary>Models this server has pulled; any tag of them is found.</summary>
    public static readonly string[] Pulled = ["llava", "llama3.2-vision", "gemma3"];

    private readonly FakeScript _script = new();

    private OllamaFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string? KeyHeader => null;

    public string? RequestId => null;

    public bool CanRefuse => false;

    public ConcurrentQueue<LanguageCall> Calls => _script.Calls;

    public void Next(FakeScenario scenario) => _script.Next(scenario);

    public void Answer(string content) => _script.Answer(content);

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
        foreach (var message in messages)
        {
            var role = message?["role"]?.GetValue<string>();
            var content = message?["content"]?.GetValue<string>() ?? "";
            if (role == "system")
                system += content;
            else if (role == "user")
                user += content;
            else if (role is not ("assistant" or "tool"))
                return Error(400, $"invalid role: {role}");
            foreach (var image in message?["images"] as JsonArray ?? [])
            {
                // Ollama decodes raw base64; a data URL is not base64.
                var bytes = FakeScript.Base64(image?.GetValue<string>());
                if (bytes is null)
                    return Error(400, "illegal base64 data at input byte 4");
                images.Add(new SentImage(bytes, null));
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

        var call = new LanguageCall(model, system, user, images, schema ?? []);
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
        var answer = _script.Content(schema);
        if (body["stream"]?.GetValueKind() != JsonValueKind.False)
        {
            // Ollama streams unless told not to: one JSON object a line, the last with done: true.
            var lines = Line(model, answer, done: false).ToJsonString() + "\n" + Line(model, "", done: true).ToJsonString() + "\n";
            return Results.Text(lines, "application/x-ndjson");
        }
        return FakeServer.Json(Line(model, answer, done: true));
    }

    private static JsonObject Line(string model, string content, bool done)
    {
        var line = new JsonObject
        {
            ["model"] = model,
            ["created_at"] = "2026-01-01T00:00:00.000000Z",
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
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
