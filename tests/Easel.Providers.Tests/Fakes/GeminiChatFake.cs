using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// and Google's error bodies with RetryInfo. No request id header.
/// </summary>
internal sealed class GeminiChatFake : ILanguageFake
{
    public const string Key = LanguageModelConformance.Key;
    private static readonly HashSet<string> SchemaFields =
    [
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum",
    ];
    private static readonly HashSet<string> Types = ["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL", "TYPE_UNSPECIFIED"];
    private readonly FakeScript _script = new();

    private GeminiChatFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string? KeyHeader => "x-goog-api-key";

    public string? RequestId => null;

    public bool CanRefuse => true;

    public ConcurrentQueue<LanguageCall> Calls => _script.Calls;

    public void Next(FakeScenario scenario) => _script.Next(scenario);

    public void Answer(string content) => _script.Answer(content);

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
        var user = "";
        var images = new List<SentImage>();
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i]?["parts"] is not JsonArray { Count: > 0 } parts)
                return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.contents[{i}].parts: contents.parts must not be empty.");
            for (var j = 0; j < parts.Count; j++)
            {
                if (parts[j]?["text"] is JsonValue text)
                {
                    user += text.GetValue<string>();
                }
                else if (parts[j]?["inlineData"] is JsonObject data)
                {
                    var bytes = FakeScript.Base64(data["data"]?.GetValue<string>());
                    var mime = data["mimeType"]?.GetValue<string>();
                    if (bytes is null || mime is null)
                        return Error(400, "INVALID_ARGUMENT", $"Invalid value at 'contents[{i}].parts[{j}].inline_data.data' (TYPE_BYTES), Base64 decoding failed.");
                    images.Add(new SentImage(bytes, mime));
                }
                else
                {
                    return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.contents[{i}].parts[{j}].data: required oneof field 'data' must have one initialized field");
                }
            }
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

        var call = new LanguageCall(model, system, user, images, schema ?? []);
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
        return Reply(model, [new JsonObject { ["text"] = _script.Content(schema) }], "STOP");
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

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
