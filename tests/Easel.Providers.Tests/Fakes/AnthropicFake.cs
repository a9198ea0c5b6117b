using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Language;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests.Fakes;

/// <summary>
/// Anthropic's Messages API as PROVIDERS.md describes it: <c>x-api-key</c> and
/// <c>anthropic-version</c> headers, image and text content blocks, tools with an
/// <c>input_schema</c> and a forced <c>tool_choice</c> answered by a <c>tool_use</c> block,
/// <c>stop_reason: refusal</c>, <c>request-id</c> on every answer, 529 overloaded_error, and
/// Anthropic's error bodies.
/// </summary>
internal sealed class AnthropicFake : ILanguageFake
{
    public const string Key = LanguageModelConformance.Key;
    private static readonly string[] MediaTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];
    private readonly FakeScript _script = new();

    private AnthropicFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string? KeyHeader => "x-api-key";

    public string? RequestId => "req_011CAnthropicFake";

    public bool CanRefuse => true;

    public ConcurrentQueue<LanguageCall> Calls => _script.Calls;

    public void Next(FakeScenario scenario) => _script.Next(scenario);

    public void Answer(string content) => _script.Answer(content);

    public static async Task<AnthropicFake> StartAsync()
    {
        AnthropicFake? fake = null;
        var server = await FakeServer.StartAsync(app => app.MapPost("/v1/messages", FakeServer.Handle(context => fake!.HandleAsync(context))));
        fake = new AnthropicFake(server);
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        context.Response.Headers["request-id"] = RequestId;
        if (context.Request.Headers["x-api-key"].ToString() != Key)
            return Error(401, "authentication_error", "invalid x-api-key");
        if (context.Request.Headers["anthropic-version"].ToString() is not "2023-06-01")
            return Error(400, "invalid_request_error", "anthropic-version: header is required");
        var body = await FakeScript.ReadBodyAsync(context.Request.Body);
        if (body is null)
            return Error(400, "invalid_request_error", "There was an error parsing the body.");
        if (body["model"]?.GetValueKind() != JsonValueKind.String)
            return Error(400, "invalid_request_error", "model: Field required");
        if (body["max_tokens"]?.GetValueKind() != JsonValueKind.Number || body["max_tokens"]!.GetValue<int>() < 1)
            return Error(400, "invalid_request_error", "max_tokens: Field required");
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
            return Error(400, "invalid_request_error", "messages: at least one message is required");

        var system = body["system"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonArray blocks => string.Concat(blocks.Select(b => b?["text"]?.GetValue<string>())),
            _ => "",
        };
        var user = "";
        var images = new List<SentImage>();
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i]?["role"]?.GetValue<string>();
            if (role is not ("user" or "assistant"))
                return Error(400, "invalid_request_error", $"messages.{i}.role: Input should be 'user' or 'assistant'");
            switch (messages[i]?["content"])
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    user += v.GetValue<string>();
                    break;
                case JsonArray blocks:
                    for (var j = 0; j < blocks.Count; j++)
                    {
                        var block = blocks[j] as JsonObject;
                        switch (block?["type"]?.GetValue<string>())
                        {
                            case "text":
                                user += block["text"]?.GetValue<string>() ?? "";
                                break;
                            case "image":
                                var source = block["source"];
                                var mediaType = source?["media_type"]?.GetValue<string>();
                                if (source?["type"]?.GetValue<string>() != "base64")
                                    return Error(400, "invalid_request_error", $"messages.{i}.content.{j}.image.source: Input tag '{source?["type"]}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'");
                                if (!MediaTypes.Contains(mediaType))
                                    return Error(400, "invalid_request_error", $"messages.{i}.content.{j}.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'");
                                var bytes = FakeScript.Base64(source["data"]?.GetValue<string>());
                                if (bytes is null)
                                    return Error(400, "invalid_request_error", $"messages.{i}.content.{j}.image.source.base64: invalid base64 data");
                                images.Add(new SentImage(bytes, mediaType));
                                break;
                            default:
                                return Error(400, "invalid_request_error", $"messages.{i}.content.{j}: Input tag '{block?["type"]}' found using 'type' does not match any of the expected tags");
                        }
                    }
                    break;
                default:
                    return Error(400, "invalid_request_error", $"messages.{i}.content: Input should be a valid list");
            }
        }

        var tools = body["tools"] as JsonArray ?? [];
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i]?["name"]?.GetValueKind() != JsonValueKind.String)
                return Error(400, "invalid_request_error", $"tools.{i}.custom.name: Field required");
            if (tools[i]?["input_schema"]?["type"]?.GetValue<string>() != "object")
                return Error(400, "invalid_request_error", $"tools.{i}.custom.input_schema.type: Input should be 'object'");
        }
        JsonObject? schema = null;
        string? forced = null;
        if (body["tool_choice"] is JsonObject choice && choice["type"]?.GetValue<string>() == "tool")
        {
            forced = choice["name"]?.GetValue<string>();
            var tool = tools.FirstOrDefault(t => t?["name"]?.GetValue<string>() == forced);
            if (tool is null)
                return Error(400, "invalid_request_error", $"tool_choice.name: Tool '{forced}' not found in tools");
            schema = tool["input_schema"] as JsonObject;
        }

        var call = new LanguageCall(body["model"]!.GetValue<string>(), system, user, images, schema ?? []);
        switch (_script.NextScenario())
        {
            case FakeScenario.RateLimited:
                context.Response.Headers.RetryAfter = "7";
                return Error(429, "rate_limit_error", "This request would exceed the rate limit for your organization of 50 requests per minute.");
            case FakeScenario.ServerError:
                return Error(529, "overloaded_error", "Overloaded");
            case FakeScenario.Invalid:
                return Error(400, "invalid_request_error", "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929");
            case FakeScenario.Refused:
                Calls.Enqueue(call);
                return Reply([], "refusal");
        }

        Calls.Enqueue(call);
        var content = _script.Content(schema);
        JsonObject? input = null;
        try
        {
            input = JsonNode.Parse(content) as JsonObject;
        }
        catch (JsonException)
        {
            // Not JSON: the model wrote prose instead of calling the tool.
        }
        return forced is not null && input is not null
            ? Reply([new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_fake01", ["name"] = forced, ["input"] = input }], "tool_use")
            : Reply([new JsonObject { ["type"] = "text", ["text"] = content }], "end_turn");
    }

    /// <summary>A message with these content blocks, as Anthropic writes it.</summary>
    public static IResult Reply(JsonNode[] content, string stopReason) =>
        FakeServer.Json(new JsonObject
        {
            ["id"] = "msg_fake01",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = "claude-sonnet-4-5-20250929",
            ["content"] = new JsonArray(content),
            ["stop_reason"] = stopReason,
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = 1630, ["output_tokens"] = 210 },
        });

    public static IResult Error(int status, string type, string message) =>
        FakeServer.Json(new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        }, status);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
