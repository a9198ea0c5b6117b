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
/// Google's Gemini <c>generateContent</c> as PROVIDERS.md describes it, for text answers: key in
/// <c>x-goog-api-key</c> (400 API_KEY_INVALID for a wrong one), <c>systemInstruction</c>, text and
/// <c>inlineData</c> parts, <c>responseMimeType</c> + <c>responseSchema</c> in Gemini's own schema
/// dialect (an unknown field fails the whole request), blocked prompts as <c>promptFeedback</c>,
/// and Google's error bodies with RetryInfo. No request id header. Tools: <c>functionDeclarations</c>
/// with Gemini's name rules and schema dialect (an OBJECT needs properties), <c>toolConfig</c>,
/// scripted <c>functionCall</c> parts (no ids; the first signed with a <c>thoughtSignature</c> that
/// Gemini 3 models want back), and the turn rules: a function call follows a user turn, and a
/// function response turn follows a function call turn with as many parts.
/// </summary>
internal sealed partial class GeminiChatFake : ILanguageFake
{
    public const string Key = FakeScript.Key;
    private static readonly HashSet<string> SchemaFields =
    [
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum",
    ];
    private static readonly HashSet<string> Types = ["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL", "TYPE_UNSPECIFIED"];
    private readonly FakeScript _script = new();
    private readonly ConcurrentDictionary<string, bool> _signatures = new();

    private GeminiChatFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string? KeyHeader => "x-goog-api-key";

    public string? RequestId => null;

    public bool CanRefuse => true;

    public ConcurrentQueue<LanguageCall> Calls => _script.Calls;

    public void Next(FakeScenario scenario) => _script.Next(scenario);

    public void Answer(string content) => _script.Answer(content);

    public void CallTools(IReadOnlyList<FakeToolCall> calls, string? text = null) => _script.CallTools("Gemini", calls, text, objectsOnly: true);

    public static async Task<GeminiChatFake> StartAsync()
    {
        GeminiChatFake? fake = null;
        var server = await FakeServer.StartAsync(app => app.MapPost("/v1beta/models/{call}", FakeServer.Handle(context => fake!.HandleAsync(context))));
        fake = new GeminiChatFake(server);
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var route = context.Request.RouteValues["call"]?.ToString() ?? "";
        var colon = route.LastIndexOf(':');
        if (colon < 0 || route[(colon + 1)..] != "generateContent")
            return Error(404, "NOT_FOUND", "Method not found.");
        var model = route[..colon];
        var key = context.Request.Headers["x-goog-api-key"].ToString();
        if (key.Length == 0)
            return Error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
        if (key != Key)
        {
            return Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = "API_KEY_INVALID",
                ["domain"] = "googleapis.com",
                ["metadata"] = new JsonObject { ["service"] = "generativelanguage.googleapis.com" },
            });
        }
        if (!model.StartsWith("gemini-", StringComparison.Ordinal))
            return Error(404, "NOT_FOUND", $"models/{model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.");

        var body = await FakeScript.ReadBodyAsync(context.Request.Body);
        if (body is null)
            return Error(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unexpected token.");
        if (body.FirstOrDefault(p => p.Key is not ("contents" or "systemInstruction" or "generationConfig" or "safetySettings" or "tools" or "toolConfig" or "cachedContent")) is { Key: { } unknown })
            return Error(400, "INVALID_ARGUMENT", $"Invalid JSON payload received. Unknown name \"{unknown}\": Cannot find field.");
        if (body["contents"] is not JsonArray { Count: > 0 } contents)
            return Error(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");

        var system = string.Concat((body["systemInstruction"]?["parts"] as JsonArray ?? []).Select(p => p?["text"]?.GetValue<string>()));
        var transcript = new List<string>();
        if (system.Length > 0)
            transcript.Add($"system: {system}");
        var user = "";
        var images = new List<SentImage>();
        var results = new List<FakeToolResult>();
        var previousCalls = 0;
        string? previousRole = null;
        for (var i = 0; i < contents.Count; i++)
        {
            var role = contents[i]?["role"]?.GetValue<string>();
            if (role is not (null or "user" or "model"))
                return Error(400, "INVALID_ARGUMENT", "Please use a valid role: user, model.");
            role ??= "user";
            if (contents[i]?["parts"] is not JsonArray { Count: > 0 } parts)
                return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.contents[{i}].parts: contents.parts must not be empty.");
            int calls = 0, responses = 0;
            for (var j = 0; j < parts.Count; j++)
            {
                var part = parts[j] as JsonObject;
                if (part?.Count(p => p.Key is "text" or "inlineData" or "functionCall" or "functionResponse") != 1)
                    return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.contents[{i}].parts[{j}].data: required oneof field 'data' must have one initialized field");
                if (part["text"] is JsonValue text)
                {
                    if (role == "user")
                        user += text.GetValue<string>();
                    transcript.Add($"{(role == "model" ? "assistant" : "user")}: {text.GetValue<string>()}");
                }
                else if (part["inlineData"] is JsonObject data)
                {
                    var bytes = FakeScript.Base64(data["data"]?.GetValue<string>());
                    var mime = data["mimeType"]?.GetValue<string>();
                    if (bytes is null || mime is null)
                        return Error(400, "INVALID_ARGUMENT", $"Invalid value at 'contents[{i}].parts[{j}].inline_data.data' (TYPE_BYTES), Base64 decoding failed.");
                    images.Add(new SentImage(bytes, mime));
                }
                else if (part["functionCall"] is JsonObject functionCall)
                {
                    if (role != "model" || functionCall["name"]?.GetValueKind() != JsonValueKind.String)
                        return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.contents[{i}].parts[{j}].function_call: a function call needs a name and belongs to a model turn.");
                    if (functionCall["args"] is not (null or JsonObject))
                        return Error(400, "INVALID_ARGUMENT", $"Invalid value at 'contents[{i}].parts[{j}].function_call.args' (type.googleapis.com/google.protobuf.Struct), {functionCall["args"]!.ToJsonString()}");
                    if (calls == 0 && model.StartsWith("gemini-3", StringComparison.Ordinal) && i > LastUserText(contents)
                        && !_signatures.ContainsKey(part["thoughtSignature"]?.GetValue<string>() ?? ""))
                    {
                        return Error(400, "INVALID_ARGUMENT", $"Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:{functionCall["name"]}` , position {i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.");
                    }
                    calls++;
                    transcript.Add($"assistant calls {functionCall["name"]} {(functionCall["args"] ?? new JsonObject()).ToJsonString()}");
                }
                else if (part["functionResponse"] is JsonObject response)
                {
                    if (role != "user" || response["name"]?.GetValueKind() != JsonValueKind.String)
                        return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.contents[{i}].parts[{j}].function_response: a function response needs a name and belongs to a user turn.");
                    if (response["response"] is not JsonObject returned)
                        return Error(400, "INVALID_ARGUMENT", $"Invalid value at 'contents[{i}].parts[{j}].function_response.response' (type.googleapis.com/google.protobuf.Struct), {response["response"]?.ToJsonString() ?? "null"}");
                    responses++;
                    results.Add(new FakeToolResult(response["name"]!.GetValue<string>(), returned.ToJsonString()));
                    transcript.Add($"tool {response["name"]}: {returned.ToJsonString()}");
                }
                else
                {
                    return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.contents[{i}].parts[{j}].data: required oneof field 'data' must have one initialized field");
                }
            }
            if (calls > 0 && previousRole != "user")
                return Error(400, "INVALID_ARGUMENT", "Please ensure that function call turn comes immediately after a user turn or after a function response turn.");
            if (responses > 0 && previousCalls == 0)
                return Error(400, "INVALID_ARGUMENT", "Please ensure that function response turn comes immediately after a function call turn.");
            if (responses > 0 && responses != previousCalls)
                return Error(400, "INVALID_ARGUMENT", "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
            previousCalls = calls;
            previousRole = role;
        }

        var declarations = new List<FakeToolDeclaration>();
        var tools = body["tools"] as JsonArray ?? [];
        for (var i = 0; i < tools.Count; i++)
        {
            var functions = tools[i]?["functionDeclarations"] as JsonArray ?? [];
            for (var k = 0; k < functions.Count; k++)
            {
                var at = $"tools[{i}].function_declarations[{k}]";
                if (functions[k] is not JsonObject function)
                    return Error(400, "INVALID_ARGUMENT", $"Invalid value at '{at}': expected an object.");
                if (function.FirstOrDefault(p => p.Key is not ("name" or "description" or "parameters" or "parametersJsonSchema" or "response" or "behavior")) is { Key: { } field })
                    return Error(400, "INVALID_ARGUMENT", $"Invalid JSON payload received. Unknown name \"{field}\" at '{at}': Cannot find field.");
                var name = function["name"]?.GetValueKind() == JsonValueKind.String ? function["name"]!.GetValue<string>() : "";
                if (!FunctionName().IsMatch(name))
                    return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.{at}.name: Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.");
                var parameters = function["parameters"] as JsonObject;
                if (parameters is not null)
                {
                    if (SchemaProblem(parameters, $"{at}.parameters") is { } problem)
                        return Error(400, "INVALID_ARGUMENT", problem);
                    if (parameters["type"]?.GetValue<string>() == "OBJECT" && parameters["properties"] is not JsonObject { Count: > 0 })
                        return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.{at}.parameters.properties: should be non-empty for OBJECT type");
                }
                declarations.Add(new FakeToolDeclaration(name, function["description"]?.GetValue<string>(), parameters ?? []));
            }
        }
        string? choice = null;
        if (body["toolConfig"]?["functionCallingConfig"] is JsonObject calling)
        {
            var mode = calling["mode"]?.GetValue<string>();
            var allowed = (calling["allowedFunctionNames"] as JsonArray)?.Select(n => n?.GetValue<string>()).ToList();
            if (mode is not ("AUTO" or "ANY" or "NONE" or "VALIDATED"))
                return Error(400, "INVALID_ARGUMENT", $"Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), \"{mode}\"");
            if (allowed is not null && mode != "ANY")
                return Error(400, "INVALID_ARGUMENT", "* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: only allowed when mode is ANY.");
            choice = (mode, allowed) switch
            {
                ("ANY", [{ } only]) => $"tool:{only}",
                ("ANY", _) => "required",
                _ => mode.ToLowerInvariant(),
            };
        }

        JsonObject? schema = null;
        if (body["generationConfig"] is JsonObject config && config["responseSchema"] is JsonObject responseSchema)
        {
            if (config["responseMimeType"]?.GetValue<string>() != "application/json")
                return Error(400, "INVALID_ARGUMENT", "* GenerateContentRequest.generation_config.response_schema: responseSchema is only supported when responseMimeType is application/json.");
            if (SchemaProblem(responseSchema, "generation_config.response_schema") is { } problem)
                return Error(400, "INVALID_ARGUMENT", problem);
            schema = responseSchema;
        }

        var generation = body["generationConfig"];
        var call = new LanguageCall(model, system, user, images, schema ?? [])
        {
            Declarations = declarations,
            ToolChoice = choice,
            ToolResults = results,
            Transcript = transcript,
            Temperature = generation?["temperature"]?.GetValue<double>(),
            MaxTokens = generation?["maxOutputTokens"]?.GetValue<int>(),
        };
        switch (_script.NextScenario())
        {
            case FakeScenario.RateLimited:
                return Error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.",
                    new JsonObject
                    {
                        ["@type"] = "type.googleapis.com/google.rpc.QuotaFailure",
                        ["violations"] = new JsonArray(new JsonObject
                        {
                            ["quotaMetric"] = "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                            ["quotaId"] = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                            ["quotaValue"] = "10",
                        }),
                    },
                    new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = "7s" });
            case FakeScenario.ServerError:
                return Error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
            case FakeScenario.Invalid:
                return Error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
            case FakeScenario.Refused:
                Calls.Enqueue(call);
                return FakeServer.Json(new JsonObject
                {
                    ["promptFeedback"] = new JsonObject { ["blockReason"] = "PROHIBITED_CONTENT" },
                    ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 1290, ["totalTokenCount"] = 1290 },
                    ["modelVersion"] = model,
                });
        }

        Calls.Enqueue(call);
        var answer = _script.NextAnswer(schema);
        if (answer.Calls.Count == 0)
            return Reply(model, [new JsonObject { ["text"] = answer.Text }], "STOP");
        var reply = new List<JsonNode>();
        if (answer.Text.Length > 0)
            reply.Add(new JsonObject { ["text"] = answer.Text });
        foreach (var (tool, i) in answer.Calls.Select((c, i) => (c, i)))
        {
            var part = new JsonObject { ["functionCall"] = new JsonObject { ["name"] = tool.Name, ["args"] = FakeScript.Object(tool.Arguments) } };
            // Thinking models sign their first call of a turn; Gemini 3 wants the signature back.
            if (i == 0)
            {
                var signature = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(_script.NewId("signature-")));
                _signatures[signature] = true;
                part["thoughtSignature"] = signature;
            }
            reply.Add(part);
        }
        // Gemini says STOP when it calls functions too.
        return Reply(model, [.. reply], "STOP");
    }

    /// <summary>The index of the last user turn that says something (not a function response): the turn in progress starts after it.</summary>
    private static int LastUserText(JsonArray contents)
    {
        for (var i = contents.Count - 1; i >= 0; i--)
        {
            if (contents[i]?["role"]?.GetValue<string>() is null or "user" && (contents[i]?["parts"] as JsonArray ?? []).Any(p => p?["text"] is not null))
                return i;
        }
        return -1;
    }

    /// <summary>One candidate with these parts, as Gemini writes it.</summary>
    public static IResult Reply(string model, JsonNode[] parts, string finishReason) =>
        FakeServer.Json(new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject { ["parts"] = new JsonArray(parts), ["role"] = "model" },
                ["finishReason"] = finishReason,
                ["index"] = 0,
            }),
            ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 1290, ["candidatesTokenCount"] = 88, ["totalTokenCount"] = 1378 },
            ["modelVersion"] = model,
            ["responseId"] = "resp-fake-01",
        });

    /// <summary>What Gemini refuses in a responseSchema, in its words, or null.</summary>
    private static string? SchemaProblem(JsonObject schema, string at)
    {
        foreach (var (key, value) in schema)
        {
            if (!SchemaFields.Contains(key))
                return $"Invalid JSON payload received. Unknown name \"{key}\" at '{at}': Cannot find field.";
            if (key == "type" && (value?.GetValueKind() != JsonValueKind.String || !Types.Contains(value.GetValue<string>())))
                return $"Invalid value at '{at}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), {value?.ToJsonString()}";
        }
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (property is JsonObject p && SchemaProblem(p, $"{at}.properties[{name}].value") is { } problem)
                return problem;
        }
        return schema["items"] is JsonObject items ? SchemaProblem(items, $"{at}.items") : null;
    }

    public static IResult Error(int status, string code, string message, params JsonNode[] details) =>
        FakeServer.Json(new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = status,
                ["message"] = message,
                ["status"] = code,
                ["details"] = new JsonArray(details),
            },
        }, status);

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$")]
    private static partial Regex FunctionName();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
