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
/// bearer auth, <c>x-request-id</c> on every answer, and OpenAI's error bodies. Tools: function
/// declarations with OpenAI's name rules, <c>tool_choice</c>, scripted <c>tool_calls</c> whose
/// arguments go out verbatim, and the rule that each assistant message's calls are answered by
/// "tool" messages with their <c>tool_call_id</c> before anything else.
/// </summary>
internal sealed partial class OpenAIChatFake : ILanguageFake
{
    public const string Key = FakeScript.Key;
    private readonly FakeScript _script = new();

    private OpenAIChatFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string? KeyHeader => "authorization";

    public string? RequestId => "req_chat_0001";

    public bool CanRefuse => true;

    public ConcurrentQueue<LanguageCall> Calls => _script.Calls;

    public void Next(FakeScenario scenario) => _script.Next(scenario);

    public void Answer(string content) => _script.Answer(content);

    public void CallTools(IReadOnlyList<FakeToolCall> calls, string? text = null) => _script.CallTools("OpenAI", calls, text, objectsOnly: false);

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
        var transcript = new List<string>();
        var results = new List<FakeToolResult>();
        // Call ids the assistant used, and those of its last message still waiting for their "tool" answers.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i]?["role"]?.GetValue<string>();
            if (role is not ("system" or "developer" or "user" or "assistant" or "tool"))
                return Error(400, $"Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.", "invalid_request_error", "invalid_value", $"messages[{i}].role");
            if (pending.Count > 0 && role != "tool")
                return Unanswered(pending, i);
            if (role == "tool")
            {
                if (messages[i]?["tool_call_id"]?.GetValueKind() != JsonValueKind.String)
                    return Error(400, $"Missing required parameter: 'messages[{i}].tool_call_id'.", "invalid_request_error", "missing_required_parameter", $"messages[{i}].tool_call_id");
                var id = messages[i]!["tool_call_id"]!.GetValue<string>();
                if (!pending.Remove(id))
                    return Error(400, "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", "invalid_request_error", null, $"messages.[{i}].role");
                if (FakeScript.Text(messages[i]?["content"]) is not { } result)
                    return Error(400, $"Invalid type for 'messages[{i}].content': expected one of a string or array of objects.", "invalid_request_error", "invalid_type", $"messages[{i}].content");
                results.Add(new FakeToolResult(names[id], result));
                transcript.Add($"tool {names[id]}: {result}");
                continue;
            }

            var calls = role == "assistant" ? messages[i]?["tool_calls"] as JsonArray : null;
            var text = "";
            switch (messages[i]?["content"])
            {
                case null when calls is { Count: > 0 }:
                    break;
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
            if (text.Length > 0)
                transcript.Add($"{(role == "developer" ? "system" : role)}: {text}");

            for (var j = 0; j < (calls?.Count ?? 0); j++)
            {
                var toolCall = calls![j];
                var at = $"messages[{i}].tool_calls[{j}]";
                if (toolCall?["type"]?.GetValue<string>() is var type && type != "function")
                    return Error(400, $"Invalid value: '{type}'. Supported values are: 'function' and 'custom'.", "invalid_request_error", "invalid_value", $"{at}.type");
                if (toolCall?["id"]?.GetValueKind() != JsonValueKind.String)
                    return Error(400, $"Missing required parameter: '{at}.id'.", "invalid_request_error", "missing_required_parameter", $"{at}.id");
                if (NameProblem(toolCall["function"]?["name"], $"{at}.function.name") is { } bad)
                    return bad;
                if (toolCall["function"]?["arguments"]?.GetValueKind() != JsonValueKind.String)
                    return Error(400, $"Invalid type for '{at}.function.arguments': expected a string.", "invalid_request_error", "invalid_type", $"{at}.function.arguments");
                var name = toolCall["function"]!["name"]!.GetValue<string>();
                names[toolCall["id"]!.GetValue<string>()] = name;
                pending.Add(toolCall["id"]!.GetValue<string>());
                transcript.Add($"assistant calls {name} {toolCall["function"]!["arguments"]!.GetValue<string>()}");
            }
        }
        if (pending.Count > 0)
            return Unanswered(pending, messages.Count);

        var declarations = new List<FakeToolDeclaration>();
        if (body["tools"] is { } toolsNode)
        {
            if (toolsNode is not JsonArray { Count: > 0 } tools)
                return Error(400, "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.", "invalid_request_error", "empty_array", "tools");
            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i]?["type"]?.GetValue<string>() is var type && type != "function")
                    return Error(400, $"Invalid value: '{type}'. Supported values are: 'function' and 'custom'.", "invalid_request_error", "invalid_value", $"tools[{i}].type");
                var function = tools[i]!["function"];
                if (NameProblem(function?["name"], $"tools[{i}].function.name") is { } bad)
                    return bad;
                var name = function!["name"]!.GetValue<string>();
                var parameters = function["parameters"];
                if (parameters is not (null or JsonObject))
                    return Error(400, $"Invalid type for 'tools[{i}].function.parameters': expected an object.", "invalid_request_error", "invalid_type", $"tools[{i}].function.parameters");
                if (parameters is JsonObject p && p["type"]?.GetValue<string>() != "object")
                    return Error(400, $"Invalid schema for function '{name}': schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{p["type"]}\"'.", "invalid_request_error", "invalid_function_parameters", $"tools[{i}].function.parameters");
                declarations.Add(new FakeToolDeclaration(name, function["description"]?.GetValue<string>(), parameters as JsonObject ?? []));
            }
        }
        string? choice = null;
        if (body["tool_choice"] is { } toolChoice)
        {
            if (declarations.Count == 0)
                return Error(400, "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "invalid_request_error", null, "tool_choice");
            if (toolChoice is JsonObject named)
            {
                var name = named["function"]?["name"]?.GetValue<string>();
                if (named["type"]?.GetValue<string>() != "function" || declarations.All(d => d.Name != name))
                    return Error(400, $"Invalid value for 'tool_choice': no function named '{name}' is in 'tools'.", "invalid_request_error", "invalid_value", "tool_choice");
                choice = $"tool:{name}";
            }
            else
            {
                choice = toolChoice.GetValueKind() == JsonValueKind.String ? toolChoice.GetValue<string>() : null;
                if (choice is not ("none" or "auto" or "required"))
                    return Error(400, $"Invalid value: '{toolChoice.ToJsonString()}'. Supported values are: 'none', 'auto', and 'required'.", "invalid_request_error", "invalid_value", "tool_choice");
            }
        }
        if (body["parallel_tool_calls"] is not null && declarations.Count == 0)
            return Error(400, "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.", "invalid_request_error", null, "parallel_tool_calls");
        double? temperature = body["temperature"]?.GetValue<double>();
        if (temperature is < 0 or > 2)
            return Error(400, $"Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got {temperature} instead.", "invalid_request_error", "decimal_above_max_value", "temperature");
        int? maxTokens = (body["max_completion_tokens"] ?? body["max_tokens"])?.GetValue<int>();

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

        var call = new LanguageCall(body["model"]!.GetValue<string>(), system, user, images, schema ?? [])
        {
            Declarations = declarations,
            ToolChoice = choice,
            ToolResults = results,
            Transcript = transcript,
            Temperature = temperature,
            MaxTokens = maxTokens,
        };
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
                Calls.Enqueue(call);
                return Reply(new JsonObject { ["role"] = "assistant", ["content"] = null, ["refusal"] = "I'm sorry, I can't help with that request." }, "stop");
        }

        Calls.Enqueue(call);
        var answer = _script.NextAnswer(schema);
        if (answer.Calls.Count == 0)
            return Reply(new JsonObject { ["role"] = "assistant", ["content"] = answer.Text, ["refusal"] = null }, "stop");
        // The arguments go out as the model wrote them: a string that need not be valid JSON.
        var toolCalls = answer.Calls.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = _script.NewId("call_"),
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
        });
        return Reply(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = answer.Text.Length == 0 ? null : answer.Text,
            ["refusal"] = null,
            ["tool_calls"] = new JsonArray(toolCalls.ToArray()),
        }, "tool_calls");
    }

    /// <summary>OpenAI's answer to an assistant message whose tool calls were not all answered before the next message.</summary>
    private static IResult Unanswered(List<string> pending, int index) =>
        Error(400, $"An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: {string.Join(", ", pending)}",
            "invalid_request_error", null, $"messages.[{index}].role");

    /// <summary>OpenAI's function-name rules, in its words, or null when the name is fine.</summary>
    private static IResult? NameProblem(JsonNode? node, string at)
    {
        if (node?.GetValueKind() != JsonValueKind.String)
            return Error(400, $"Missing required parameter: '{at}'.", "invalid_request_error", "missing_required_parameter", at);
        var name = node.GetValue<string>();
        if (name.Length > 64)
            return Error(400, $"Invalid '{at}': string too long. Expected a string with maximum length 64, but got a string with length {name.Length} instead.", "invalid_request_error", "string_above_max_length", at);
        if (!SchemaName().IsMatch(name))
            return Error(400, $"Invalid '{at}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", "invalid_request_error", "invalid_value", at);
        return null;
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
