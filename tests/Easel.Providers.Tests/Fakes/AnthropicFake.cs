using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
/// Anthropic's error bodies. Tools: names by Anthropic's pattern, <c>tool_choice</c> auto, any,
/// tool or none, scripted <c>tool_use</c> blocks, and the rule that every <c>tool_use</c> is
/// answered by a <c>tool_result</c> in the very next (user) message and no result answers anything else.
/// </summary>
internal sealed partial class AnthropicFake : ILanguageFake
{
    public const string Key = FakeScript.Key;
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

    public void CallTools(IReadOnlyList<FakeToolCall> calls, string? text = null) => _script.CallTools("Anthropic", calls, text, objectsOnly: true);

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
        var transcript = new List<string>();
        if (system.Length > 0)
            transcript.Add($"system: {system}");
        var results = new List<FakeToolResult>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        // The tool_use ids of the message before, which this message must answer.
        var uses = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i]?["role"]?.GetValue<string>();
            if (role is not ("user" or "assistant"))
                return Error(400, "invalid_request_error", $"messages.{i}.role: Input should be 'user' or 'assistant'");
            var called = new List<string>();
            var answered = new HashSet<string>(StringComparer.Ordinal);
            switch (messages[i]?["content"])
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    if (role == "user")
                        user += v.GetValue<string>();
                    transcript.Add($"{role}: {v.GetValue<string>()}");
                    break;
                case JsonArray blocks:
                    for (var j = 0; j < blocks.Count; j++)
                    {
                        var block = blocks[j] as JsonObject;
                        switch (block?["type"]?.GetValue<string>())
                        {
                            case "text":
                                var text = block["text"]?.GetValue<string>() ?? "";
                                if (text.Length == 0)
                                    return Error(400, "invalid_request_error", $"messages.{i}.content.{j}.text: text content blocks must be non-empty");
                                if (role == "user")
                                    user += text;
                                transcript.Add($"{role}: {text}");
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
                            case "tool_use" when role == "assistant":
                                if (block["id"]?.GetValueKind() != JsonValueKind.String)
                                    return Error(400, "invalid_request_error", $"messages.{i}.content.{j}.tool_use.id: Field required");
                                if (block["name"]?.GetValueKind() != JsonValueKind.String || !ToolName().IsMatch(block["name"]!.GetValue<string>()))
                                    return Error(400, "invalid_request_error", $"messages.{i}.content.{j}.tool_use.name: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'");
                                if (block["input"] is not JsonObject arguments)
                                    return Error(400, "invalid_request_error", $"messages.{i}.content.{j}.tool_use.input: Input should be a valid dictionary");
                                names[block["id"]!.GetValue<string>()] = block["name"]!.GetValue<string>();
                                called.Add(block["id"]!.GetValue<string>());
                                transcript.Add($"assistant calls {block["name"]} {arguments.ToJsonString()}");
                                break;
                            case "tool_result" when role == "user":
                                var id = block["tool_use_id"]?.GetValue<string>() ?? "";
                                if (!uses.Contains(id))
                                    return Error(400, "invalid_request_error", $"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: {id}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                                var content = block["content"] is null ? "" : FakeScript.Text(block["content"]);
                                if (content is null)
                                    return Error(400, "invalid_request_error", $"messages.{i}.content.{j}.tool_result.content: Input should be a valid string or list of content blocks");
                                answered.Add(id);
                                results.Add(new FakeToolResult(names[id], content));
                                transcript.Add($"tool {names[id]}: {content}");
                                break;
                            default:
                                return Error(400, "invalid_request_error", $"messages.{i}.content.{j}: Input tag '{block?["type"]}' found using 'type' does not match any of the expected tags");
                        }
                    }
                    break;
                default:
                    return Error(400, "invalid_request_error", $"messages.{i}.content: Input should be a valid list");
            }
            if (uses.Except(answered).ToList() is { Count: > 0 } missing)
                return Error(400, "invalid_request_error", $"messages.{i - 1}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", missing)}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
            uses = called;
        }
        if (uses.Count > 0)
            return Error(400, "invalid_request_error", $"messages.{messages.Count - 1}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", uses)}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.");

        var tools = body["tools"] as JsonArray ?? [];
        var declarations = new List<FakeToolDeclaration>();
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i]?["name"]?.GetValueKind() != JsonValueKind.String)
                return Error(400, "invalid_request_error", $"tools.{i}.custom.name: Field required");
            if (!ToolName().IsMatch(tools[i]!["name"]!.GetValue<string>()))
                return Error(400, "invalid_request_error", $"tools.{i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'");
            if (tools[i]?["input_schema"]?["type"]?.GetValue<string>() != "object")
                return Error(400, "invalid_request_error", $"tools.{i}.custom.input_schema.type: Input should be 'object'");
            declarations.Add(new FakeToolDeclaration(tools[i]!["name"]!.GetValue<string>(), tools[i]!["description"]?.GetValue<string>(), tools[i]!["input_schema"]!.AsObject()));
        }
        JsonObject? schema = null;
        string? forced = null, choice = null;
        if (body["tool_choice"] is JsonObject toolChoice)
        {
            if (tools.Count == 0)
                return Error(400, "invalid_request_error", "tool_choice: tool_choice may only be specified while providing tools.");
            switch (toolChoice["type"]?.GetValue<string>())
            {
                case "tool":
                    forced = toolChoice["name"]?.GetValue<string>();
                    var tool = tools.FirstOrDefault(t => t?["name"]?.GetValue<string>() == forced);
                    if (tool is null)
                        return Error(400, "invalid_request_error", $"tool_choice.name: Tool '{forced}' not found in tools");
                    schema = tool["input_schema"] as JsonObject;
                    choice = $"tool:{forced}";
                    break;
                case "any":
                    choice = "required";
                    break;
                case "auto" or "none":
                    choice = toolChoice["type"]!.GetValue<string>();
                    break;
                default:
                    return Error(400, "invalid_request_error", $"tool_choice: Input tag '{toolChoice["type"]}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
            }
        }
        double? temperature = body["temperature"]?.GetValue<double>();
        if (temperature is < 0 or > 1)
            return Error(400, "invalid_request_error", "temperature: Input should be less than or equal to 1");

        var call = new LanguageCall(body["model"]!.GetValue<string>(), system, user, images, schema ?? [])
        {
            Declarations = declarations,
            ToolChoice = choice,
            ToolResults = results,
            Transcript = transcript,
            Temperature = temperature,
            MaxTokens = body["max_tokens"]!.GetValue<int>(),
        };
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
        var answer = _script.NextAnswer(schema);
        if (answer.Calls.Count > 0)
        {
            var blocks = new List<JsonNode>();
            if (answer.Text.Length > 0)
                blocks.Add(new JsonObject { ["type"] = "text", ["text"] = answer.Text });
            blocks.AddRange(answer.Calls.Select(c => new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = _script.NewId("toolu_"),
                ["name"] = c.Name,
                ["input"] = FakeScript.Object(c.Arguments),
            }));
            return Reply([.. blocks], "tool_use");
        }
        // A forced tool is called with what the model wrote, when that is an object; prose is the model ignoring the tool.
        return forced is not null && FakeScript.Object(answer.Text) is { } input
            ? Reply([new JsonObject { ["type"] = "tool_use", ["id"] = _script.NewId("toolu_"), ["name"] = forced, ["input"] = input }], "tool_use")
            : Reply([new JsonObject { ["type"] = "text", ["text"] = answer.Text }], "end_turn");
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

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ToolName();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
