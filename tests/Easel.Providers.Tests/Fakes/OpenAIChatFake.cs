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
/// OpenAI's Chat Completions API as PROVIDERS.md describes it: text and image_url parts (data URLs
/// only), <c>response_format: json_schema</c> with strict mode's schema rules, <c>message.refusal</c>,
/// bearer auth, <c>x-request-id</c> on every answer, and OpenAI's error bodies.
/// </summary>
internal sealed partial class OpenAIChatFake : ILanguageFake
{
    public const string Key = LanguageModelConformance.Key;
    private readonly FakeScript _script = new();

    private OpenAIChatFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string? KeyHeader => "authorization";

    public string? RequestId => "req_chat_0001";

    public bool CanRefuse => true;

    public ConcurrentQueue<LanguageCall> Calls => _script.Calls;

    public void Next(FakeScenario scenario) => _script.Next(scenario);

    public void Answer(string content) => _script.Answer(content);

    public static async Task<OpenAIChatFake> StartAsync()
    {
        OpenAIChatFake? fake = null;
        var server = await FakeServer.StartAsync(app => app.MapPost("/v1/chat/completions", FakeServer.Handle(context => fake!.HandleAsync(context))));
        fake = new OpenAIChatFake(server);
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        context.Response.Headers["x-request-id"] = RequestId;
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
            return Error(401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
        var body = await FakeScript.ReadBodyAsync(context.Request.Body);
        if (body is null)
            return Error(400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
        if (body["model"]?.GetValueKind() != JsonValueKind.String)
            return Error(400, "you must provide a model parameter", "invalid_request_error", null);
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
            return Error(400, "[] is too short - 'messages'", "invalid_request_error", "empty_array", "messages");

        string system = "", user = "";
        var images = new List<SentImage>();
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i]?["role"]?.GetValue<string>();
            if (role is not ("system" or "developer" or "user" or "assistant"))
                return Error(400, $"Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.", "invalid_request_error", "invalid_value", $"messages[{i}].role");
            var text = "";
            switch (messages[i]?["content"])
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    text = v.GetValue<string>();
                    break;
                case JsonArray parts:
                    for (var j = 0; j < parts.Count; j++)
                    {
                        var type = parts[j]?["type"]?.GetValue<string>();
                        if (type == "text")
                        {
                            text += parts[j]!["text"]?.GetValue<string>() ?? "";
                        }
                        else if (type == "image_url" && role == "user")
                        {
                            var url = parts[j]!["image_url"]?["url"]?.GetValue<string>() ?? "";
                            var detail = parts[j]!["image_url"]?["detail"]?.GetValue<string>();
                            if (detail is not (null or "auto" or "low" or "high"))
                                return Error(400, $"Invalid value: '{detail}'. Supported values are: 'auto', 'low', and 'high'.", "invalid_request_error", "invalid_value", $"messages[{i}].content[{j}].image_url.detail");
                            var match = DataUrl().Match(url);
                            var bytes = match.Success ? FakeScript.Base64(match.Groups[2].Value) : null;
                            if (bytes is null)
                                return Error(400, "Invalid image URL: expected a base64 data URL with a supported image type (png, jpeg, gif, webp).", "invalid_request_error", "invalid_image_url", $"messages[{i}].content[{j}].image_url.url");
                            images.Add(new SentImage(bytes, match.Groups[1].Value));
                        }
                        else
                        {
                            return Error(400, $"Invalid value: '{type}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.", "invalid_request_error", "invalid_value", $"messages[{i}].content[{j}].type");
                        }
                    }
                    break;
                default:
                    return Error(400, $"Invalid type for 'messages[{i}].content': expected one of a string or array of objects.", "invalid_request_error", "invalid_type", $"messages[{i}].content");
            }
            if (role is "system" or "developer")
                system += text;
            else if (role == "user")
                user += text;
        }

        JsonObject? schema = null;
        if (body["response_format"] is JsonObject format)
        {
            if (format["type"]?.GetValue<string>() != "json_schema" || format["json_schema"] is not JsonObject js)
                return Error(400, "Invalid value for 'response_format.type'.", "invalid_request_error", "invalid_value", "response_format.type");
            var name = js["name"]?.GetValue<string>() ?? "";
            if (!SchemaName().IsMatch(name))
                return Error(400, $"Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", "invalid_request_error", "invalid_value", "response_format.json_schema.name");
            schema = js["schema"] as JsonObject;
            if (schema is null)
                return Error(400, "Missing required parameter: 'response_format.json_schema.schema'.", "invalid_request_error", "missing_required_parameter", "response_format.json_schema.schema");
            if (js["strict"]?.GetValue<bool>() == true && StrictProblem(schema, "()") is { } problem)
                return Error(400, $"Invalid schema for response_format '{name}': In context={problem}", "invalid_request_error", null, "response_format");
        }

        switch (_script.NextScenario())
        {
            case FakeScenario.RateLimited:
                context.Response.Headers.RetryAfter = "7";
                return Error(429, "Rate limit reached for gpt-4o in organization org-fake on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 7s.", "requests", "rate_limit_exceeded");
            case FakeScenario.ServerError:
                return Error(500, "The server had an error while processing your request. Sorry about that!", "server_error", null);
            case FakeScenario.Invalid:
                return Error(400, "Invalid value: 'ultra'. Supported values are: 'auto', 'low', and 'high'.", "invalid_request_error", "invalid_value", "messages[1].content[1].image_url.detail");
            case FakeScenario.Refused:
                Calls.Enqueue(new LanguageCall(body["model"]!.GetValue<string>(), system, user, images, schema ?? []));
                return Reply(new JsonObject { ["role"] = "assistant", ["content"] = null, ["refusal"] = "I'm sorry, I can't help with that request." }, "stop");
        }

        Calls.Enqueue(new LanguageCall(body["model"]!.GetValue<string>(), system, user, images, schema ?? []));
        return Reply(new JsonObject { ["role"] = "assistant", ["content"] = _script.Content(schema), ["refusal"] = null }, "stop");
    }

    /// <summary>A completion with this message, as OpenAI writes it.</summary>
    public static IResult Reply(JsonObject message, string finishReason) =>
        FakeServer.Json(new JsonObject
        {
            ["id"] = "chatcmpl-fake0001",
            ["object"] = "chat.completion",
            ["created"] = 1_763_700_000,
            ["model"] = "gpt-4o-2024-08-06",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = finishReason }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1210, ["completion_tokens"] = 96, ["total_tokens"] = 1306 },
            ["system_fingerprint"] = "fp_fake",
        });

    /// <summary>What strict mode refuses in a schema, in OpenAI's words, or null.</summary>
    private static string? StrictProblem(JsonObject schema, string context)
    {
        if (schema["properties"] is JsonObject properties)
        {
            if (schema["additionalProperties"]?.GetValueKind() != JsonValueKind.False)
                return $"{context}, 'additionalProperties' is required to be supplied and to be false.";
            var required = (schema["required"] as JsonArray)?.Select(r => r?.GetValue<string>()).ToHashSet() ?? [];
            foreach (var (name, property) in properties)
            {
                if (!required.Contains(name))
                    return $"{context}, 'required' is required to be supplied and to be an array including every key in properties. Missing '{name}'.";
                if (property is JsonObject p && StrictProblem(p, $"('properties', '{name}')") is { } problem)
                    return problem;
            }
        }
        if (schema["items"] is JsonObject items)
            return StrictProblem(items, $"{context}, ('items')");
        return null;
    }

    private static IResult Error(int status, string message, string type, string? code, string? param = null) =>
        FakeServer.Json(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        }, status);

    [GeneratedRegex("^data:(image/(?:png|jpeg|gif|webp));base64,(.+)$", RegexOptions.Singleline)]
    private static partial Regex DataUrl();

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex SchemaName();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
