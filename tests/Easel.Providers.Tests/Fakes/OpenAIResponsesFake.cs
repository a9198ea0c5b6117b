using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Providers.Tests.Conformance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests.Fakes;

/// <summary>
/// OpenAI's Responses API with the <c>image_generation</c> tool as PROVIDERS.md describes it:
/// bearer auth, <c>x-request-id</c> on every answer, validation of the tool's options and of
/// input images, the error bodies, and response ids it remembers so a later turn can name one in
/// <c>previous_response_id</c> (an id it never issued is a 400 <c>previous_response_not_found</c>).
/// A content-policy refusal is a 200 response whose status is <c>failed</c>.
/// </summary>
internal sealed class OpenAIResponsesFake : IFakeVendor
{
    public const string Key = "sk-conformance-5eCr3t-0123456789abcdef";

    private static readonly string[] Sizes = ["auto", "1024x1024", "1536x1024", "1024x1536"];
    private static readonly string[] Qualities = ["auto", "low", "medium", "high"];
    private static readonly string[] Formats = ["png", "jpeg", "webp"];
    private static readonly string[] Backgrounds = ["auto", "opaque", "transparent"];
    private static readonly string[] DataUrlTypes = ["image/png", "image/jpeg", "image/webp", "image/gif"];

    private readonly ConcurrentQueue<Script> _next = new();
    private readonly ConcurrentDictionary<string, string?> _issued = new();
    private int _responseNumber;

    private OpenAIResponsesFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string KeyHeader => "authorization";

    public string? RequestId => "req_fake_0001";

    /// <summary>Response ids this fake has issued, each with the id it continued from.</summary>
    public IReadOnlyDictionary<string, string?> Issued => _issued;

    /// <summary>
    /// Scripts the next call. <see cref="FakeScenario.PartiallyFiltered"/> means the call's only
    /// image was filtered: a completed response with a message and no image call.
    /// </summary>
    public void Next(FakeScenario scenario) => _next.Enqueue(new Script(scenario));

    /// <summary>The next call answers 200 with status <c>failed</c> and this error.</summary>
    public void NextFailed(string code, string message) => _next.Enqueue(new Script(null, code, message));

    /// <summary>The next call answers 200 with status <c>incomplete</c> for this reason.</summary>
    public void NextIncomplete(string reason) => _next.Enqueue(new Script(null, Incomplete: reason));

    /// <summary>The next call completes with only this message from the model (or nothing at all) and no image.</summary>
    public void NextWithoutImage(string? text) => _next.Enqueue(new Script(null, NoImage: true, Text: text));

    public static async Task<OpenAIResponsesFake> StartAsync()
    {
        OpenAIResponsesFake? fake = null;
        var server = await FakeServer.StartAsync(app =>
            app.MapPost("/v1/responses", FakeServer.Handle(context => fake!.HandleAsync(context))));
        fake = new OpenAIResponsesFake(server);
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        context.Response.Headers["x-request-id"] = RequestId;
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
            return Error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");

        JsonObject body;
        try
        {
            if (await JsonNode.ParseAsync(context.Request.Body) is not JsonObject o)
                return Error(400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
            body = o;
        }
        catch (JsonException)
        {
            return Error(400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
        }

        if (Text(body["model"]) is not { Length: > 0 } model)
            return Error(400, "Missing required parameter: 'model'.", "invalid_request_error", "missing_required_parameter", "model");
        if (CheckInput(body["input"]) is { } inputError)
            return inputError;
        var (tool, toolError) = CheckTools(body);
        if (toolError is not null)
            return toolError;
        var previous = Text(body["previous_response_id"]);
        if (previous is not null && !_issued.ContainsKey(previous))
            return Error(400, $"Previous response with id '{previous}' not found.", "invalid_request_error", "previous_response_not_found", "previous_response_id");

        _next.TryDequeue(out var script);
        switch (script?.Scenario)
        {
            case FakeScenario.RateLimited:
                context.Response.Headers.RetryAfter = "7";
                return Error(429, $"Rate limit reached for {model} on tokens per min (TPM): Limit 30000, Used 30000, Requested 1200. Please try again in 7s.", "tokens", "rate_limit_exceeded");
            case FakeScenario.ServerError:
                return Error(500, "The server had an error processing your request. Sorry about that!", "server_error", null);
            case FakeScenario.Invalid:
                return Error(400, "Invalid value: 'ultra'. Supported values are: 'low', 'medium', 'high', and 'auto'.", "invalid_request_error", "invalid_value", "tools[0].quality");
            case FakeScenario.Refused:
                script = new Script(null, "image_content_policy_violation", "This request has been blocked by our content filters.");
                break;
            case FakeScenario.PartiallyFiltered:
                script = new Script(null, NoImage: true, Text: "I can't create that image.");
                break;
        }

        var id = $"resp_fake_{Interlocked.Increment(ref _responseNumber):D6}";
        _issued[id] = previous;
        var response = new JsonObject
        {
            ["id"] = id,
            ["object"] = "response",
            ["created_at"] = 1_763_700_000 + _responseNumber,
            ["status"] = "completed",
            ["error"] = null,
            ["incomplete_details"] = null,
            ["model"] = model,
            ["previous_response_id"] = previous,
            ["tool_choice"] = body["tool_choice"]?.DeepClone(),
            ["tools"] = body["tools"]?.DeepClone(),
            ["usage"] = new JsonObject { ["input_tokens"] = 310, ["output_tokens"] = 1450, ["total_tokens"] = 1760 },
        };
        var output = new JsonArray();
        if (script is { FailCode: { } code })
        {
            response["status"] = "failed";
            response["error"] = new JsonObject { ["code"] = code, ["message"] = script.FailMessage };
        }
        else if (script is { Incomplete: { } reason })
        {
            response["status"] = "incomplete";
            response["incomplete_details"] = new JsonObject { ["reason"] = reason };
        }
        else
        {
            if (script is not { NoImage: true })
            {
                output.Add(new JsonObject
                {
                    ["type"] = "image_generation_call",
                    ["id"] = $"ig_fake_{_responseNumber:D6}",
                    ["status"] = "completed",
                    ["background"] = Text(tool!["background"]) ?? "opaque",
                    ["output_format"] = Text(tool["output_format"]) ?? "png",
                    ["quality"] = Text(tool["quality"]) ?? "high",
                    ["size"] = Text(tool["size"]) is { } s and not "auto" ? s : "1024x1024",
                    ["result"] = FakeImages.Base64Png(seed: _responseNumber),
                    ["revised_prompt"] = "A red fox standing in fresh snow.",
                });
            }
            if (script is not { NoImage: true, Text: null })
            {
                output.Add(new JsonObject
                {
                    ["type"] = "message",
                    ["id"] = $"msg_fake_{_responseNumber:D6}",
                    ["status"] = "completed",
                    ["role"] = "assistant",
                    ["content"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "output_text",
                        ["text"] = script?.Text ?? "Here is the image you asked for.",
                        ["annotations"] = new JsonArray(),
                    }),
                });
            }
        }
        response["output"] = output;
        return FakeServer.Json(response);
    }

    /// <summary>A string or a list of messages whose parts are input_text, or input_image with a data URL, an https URL or a file id.</summary>
    private static IResult? CheckInput(JsonNode? input)
    {
        if (input is null)
            return Error(400, "Missing required parameter: 'input'.", "invalid_request_error", "missing_required_parameter", "input");
        if (input.GetValueKind() == JsonValueKind.String)
            return null;
        if (input is not JsonArray messages)
            return Error(400, "Invalid type for 'input': expected a string or an array of input items.", "invalid_request_error", "invalid_type", "input");
        for (var m = 0; m < messages.Count; m++)
        {
            if (messages[m] is not JsonObject message || Text(message["role"]) is not ("user" or "system" or "developer" or "assistant"))
                return Error(400, $"Invalid value for 'input[{m}].role'.", "invalid_request_error", "invalid_value", $"input[{m}].role");
            if (message["content"] is not JsonArray parts)
                continue;
            for (var p = 0; p < parts.Count; p++)
            {
                var param = $"input[{m}].content[{p}]";
                var part = parts[p] as JsonObject;
                switch (Text(part?["type"]))
                {
                    case "input_text" when Text(part!["text"]) is not null:
                        break;
                    case "input_image" when Text(part!["file_id"]) is not null || Text(part["image_url"]) is { } url && url.StartsWith("https://", StringComparison.Ordinal):
                        break;
                    case "input_image" when Text(part!["image_url"]) is { } url:
                        if (!ValidDataUrl(url))
                            return Error(400, $"Invalid '{param}.image_url'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got an invalid value.", "invalid_request_error", "invalid_value", $"{param}.image_url");
                        if (Text(part["detail"]) is { } detail && detail is not ("auto" or "low" or "high"))
                            return Error(400, $"Invalid value: '{detail}'. Supported values are: 'low', 'high', and 'auto'.", "invalid_request_error", "invalid_value", $"{param}.detail");
                        break;
                    default:
                        return Error(400, $"Invalid value for '{param}': expected an input_text or input_image part.", "invalid_request_error", "invalid_value", param);
                }
            }
        }
        return null;
    }

    private static bool ValidDataUrl(string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (!url.StartsWith("data:", StringComparison.Ordinal) || comma < 0 || !url[..comma].EndsWith(";base64", StringComparison.Ordinal))
            return false;
        var type = url[5..comma][..^";base64".Length];
        if (!DataUrlTypes.Contains(type))
            return false;
        var data = url[(comma + 1)..];
        return data.Length > 0 && Convert.TryFromBase64String(data, new byte[data.Length], out _);
    }

    /// <summary>The image_generation tool's options, and a tool_choice that names a tool present.</summary>
    private static (JsonObject? Tool, IResult? Error) CheckTools(JsonObject body)
    {
        var tool = (body["tools"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(t => Text(t["type"]) == "image_generation");
        if (tool is not null)
        {
            foreach (var (name, allowed) in new[] { ("size", Sizes), ("quality", Qualities), ("output_format", Formats), ("background", Backgrounds) })
            {
                if (Text(tool[name]) is { } value && !allowed.Contains(value))
                    return (null, Error(400, $"Invalid value: '{value}'. Supported values are: {string.Join(", ", allowed.Select(a => $"'{a}'"))}.", "invalid_request_error", "invalid_value", $"tools[0].{name}"));
            }
            if (Text(tool["background"]) == "transparent" && Text(tool["output_format"]) == "jpeg")
                return (null, Error(400, "Transparent background is not supported for the jpeg output format.", "invalid_request_error", "invalid_value", "tools[0].background"));
        }
        if (body["tool_choice"] is JsonObject choice && Text(choice["type"]) is { } type && type != "function" && tool is null)
            return (null, Error(400, $"Tool choice '{type}' not found in 'tools' parameter.", "invalid_request_error", "invalid_value", "tool_choice"));
        return tool is null
            ? (null, Error(400, "This fake only makes images: 'tools' must include the image_generation tool.", "invalid_request_error", "invalid_value", "tools"))
            : (tool, null);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static IResult Error(int status, string message, string type, string? code, string? param = null) =>
        FakeServer.Json(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        }, status);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private sealed record Script(FakeScenario? Scenario, string? FailCode = null, string? FailMessage = null, string? Incomplete = null, bool NoImage = false, string? Text = null);
}
