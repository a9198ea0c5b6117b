using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Providers.Tests.Conformance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests.Fakes;

/// <summary>
/// The Gemini API as PROVIDERS.md describes it, both image routes: Gemini's
/// <c>models/{model}:generateContent</c> and Imagen's <c>models/{model}:predict</c>, the
/// <c>x-goog-api-key</c> header, Google's strict JSON (unknown field names are a 400), and its
/// error bodies with <c>google.rpc</c> details. Google sends no request id header.
/// </summary>
internal sealed class GoogleFake : IFakeVendor
{
    public const string Key = ImageProviderConformance.Key;

    public static readonly string[] GeminiRatios = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];
    public static readonly string[] ImagenRatios = ["1:1", "3:4", "4:3", "9:16", "16:9"];

    /// <summary>Imagen's summary of what its filter withheld (one prediction for all the images it filtered).</summary>
    public static string FilteredReason(int images) =>
        $"Your current safety filter threshold filtered out {images} generated images. You will not be charged for blocked images. Try rephrasing the prompt. If you think this was an error, send feedback. Support codes: 58061214";

    /// <summary>Models the fake serves, by method (two text-only Gemini models, to check modalities).</summary>
    private static readonly HashSet<string> GeminiModels = ["gemini-2.5-flash-image", "gemini-2.5-flash-image-preview", "gemini-3-pro-image-preview", "gemini-2.5-flash", "gemini-2.5-pro"];
    private static readonly HashSet<string> ImagenModels = ["imagen-4.0-generate-001", "imagen-4.0-fast-generate-001", "imagen-4.0-ultra-generate-001", "imagen-3.0-generate-002"];

    private static readonly HashSet<string> RequestFields = ["contents", "generationConfig", "safetySettings", "systemInstruction", "tools", "toolConfig", "cachedContent"];
    private static readonly HashSet<string> GenerationConfigFields =
        ["responseModalities", "imageConfig", "temperature", "topP", "topK", "candidateCount", "maxOutputTokens", "stopSequences", "seed", "responseMimeType", "thinkingConfig"];
    private static readonly HashSet<string> ImageConfigFields = ["aspectRatio", "imageSize"];
    private static readonly HashSet<string> PartFields = ["text", "inlineData", "fileData", "thought"];
    private static readonly HashSet<string> PersonGeneration = ["dont_allow", "allow_adult", "allow_all"];

    private readonly ConcurrentQueue<object> _next = new();
    private int _images;

    private GoogleFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string KeyHeader => "x-goog-api-key";

    public string? RequestId => null;

    public void Next(FakeScenario scenario) => _next.Enqueue(scenario);

    /// <summary>The next valid call is answered with this body instead of images (after the key and body are checked).</summary>
    public void Answer(JsonNode body, int status = 200) => _next.Enqueue(new Scripted(status, body));

    private sealed record Scripted(int Status, JsonNode Body);

    public static async Task<GoogleFake> StartAsync()
    {
        GoogleFake? fake = null;
        var server = await FakeServer.StartAsync(app =>
            app.MapPost("/v1beta/models/{call}", FakeServer.Handle(context => fake!.HandleAsync(context))));
        fake = new GoogleFake(server);
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var key = context.Request.Headers["x-goog-api-key"].ToString();
        if (key.Length == 0)
            return Error(403, "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
        if (key != Key)
            return Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = "API_KEY_INVALID",
                ["domain"] = "googleapis.com",
                ["metadata"] = new JsonObject { ["service"] = "generativelanguage.googleapis.com" },
            });

        var call = (string)context.Request.RouteValues["call"]!;
        var colon = call.LastIndexOf(':');
        var (model, method) = colon < 0 ? (call, "") : (call[..colon], call[(colon + 1)..]);
        var known = method switch
        {
            "generateContent" => GeminiModels.Contains(model),
            "predict" => ImagenModels.Contains(model),
            _ => false,
        };
        if (!known)
            return Error(404, "NOT_FOUND", $"models/{model} is not found for API version v1beta, or is not supported for {(method.Length > 0 ? method : "this method")}. Call ListModels to see the list of available models and their supported methods.");

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Error(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unexpected token.");
        }
        return method == "predict" ? Predict(body) : GenerateContent(model, body);
    }

    private IResult GenerateContent(string model, JsonObject body)
    {
        if (Unknown(body, RequestFields, null) is { } bad)
            return bad;
        if (body["contents"] is not JsonArray { Count: > 0 } contents)
            return Error(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified\n");
        var hasText = false;
        for (var c = 0; c < contents.Count; c++)
        {
            if (contents[c]?["parts"] is not JsonArray { Count: > 0 } parts)
                return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.contents[{c}].parts: contents.parts must not be empty.\n");
            for (var p = 0; p < parts.Count; p++)
            {
                if (parts[p] is not JsonObject part)
                    return Error(400, "INVALID_ARGUMENT", $"Invalid value at 'contents[{c}].parts[{p}]': not an object.");
                if (Unknown(part, PartFields, $"contents[{c}].parts[{p}]") is { } unknownPart)
                    return unknownPart;
                if (part["text"] is JsonValue text && text.GetValue<string>().Trim().Length > 0)
                    hasText = true;
                if (part["inlineData"] is JsonNode inline)
                {
                    if (inline["mimeType"]?.GetValue<string>() is not ("image/png" or "image/jpeg" or "image/webp" or "image/heic" or "image/heif"))
                        return Error(400, "INVALID_ARGUMENT", $"Unsupported MIME type: {inline["mimeType"]}");
                    var data = inline["data"]?.GetValue<string>() ?? "";
                    if (data.Length == 0 || !Convert.TryFromBase64String(data, new byte[data.Length], out _))
                        return Error(400, "INVALID_ARGUMENT", $"Invalid value at 'contents[{c}].parts[{p}].inline_data.data' (TYPE_BYTES), Base64 decoding failed");
                }
            }
        }
        if (!hasText)
            return Error(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: the request has no text prompt.\n");

        var ratio = "1:1";
        var modalities = new List<string> { "TEXT", "IMAGE" };
        if (body["generationConfig"] is JsonObject config)
        {
            if (Unknown(config, GenerationConfigFields, "generation_config") is { } unknownConfig)
                return unknownConfig;
            if (config["responseModalities"] is JsonArray list)
            {
                modalities = list.Select(m => m?.GetValue<string>() ?? "").ToList();
                var wrong = modalities.FindIndex(m => m is not ("TEXT" or "IMAGE" or "AUDIO"));
                if (wrong >= 0)
                    return Error(400, "INVALID_ARGUMENT", $"Invalid value at 'generation_config.response_modalities[{wrong}]' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality), \"{modalities[wrong]}\"");
            }
            if (config["imageConfig"] is JsonObject image)
            {
                if (Unknown(image, ImageConfigFields, "generation_config.image_config") is { } unknownImage)
                    return unknownImage;
                if (image["aspectRatio"] is JsonValue value)
                {
                    ratio = value.GetValue<string>();
                    if (!GeminiRatios.Contains(ratio))
                        return Error(400, "INVALID_ARGUMENT", $"* GenerateContentRequest.generation_config.image_config.aspect_ratio: unsupported aspect ratio '{ratio}'; use one of {string.Join(", ", GeminiRatios)}.\n");
                }
            }
        }
        if (!model.Contains("image", StringComparison.Ordinal) && modalities.Contains("IMAGE"))
            return Error(400, "INVALID_ARGUMENT", "Model does not support the requested response modalities: image");

        if (_next.TryDequeue(out var next))
        {
            switch (next)
            {
                case Scripted scripted:
                    return FakeServer.Json(scripted.Body, scripted.Status);
                case FakeScenario.RateLimited:
                    return RateLimited(model);
                case FakeScenario.ServerError:
                    return Error(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
                // One image per call: the only image filtered is the whole answer filtered.
                case FakeScenario.Refused or FakeScenario.PartiallyFiltered:
                    return FakeServer.Json(new JsonObject
                    {
                        ["candidates"] = new JsonArray(new JsonObject { ["finishReason"] = "IMAGE_SAFETY", ["index"] = 0 }),
                        ["usageMetadata"] = Usage(0),
                        ["modelVersion"] = model,
                    });
                case FakeScenario.Invalid:
                    return Error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
            }
        }

        var answer = new JsonArray();
        if (modalities.Contains("TEXT"))
            answer.Add(new JsonObject { ["text"] = "Here is the image you asked for." });
        if (modalities.Contains("IMAGE"))
            answer.Add(new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = "image/png", ["data"] = Image(ratio) } });
        return FakeServer.Json(new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject { ["parts"] = answer, ["role"] = "model" },
                ["finishReason"] = "STOP",
                ["index"] = 0,
            }),
            ["usageMetadata"] = Usage(modalities.Contains("IMAGE") ? 1290 : 8),
            ["modelVersion"] = model,
            ["responseId"] = $"resp-{Interlocked.Increment(ref _images)}",
        });
    }

    private IResult Predict(JsonObject body)
    {
        if (body["instances"] is not JsonArray { Count: > 0 } instances)
            return Error(400, "INVALID_ARGUMENT", "Empty instances.");
        if (instances[0]?["prompt"] is not JsonValue prompt || prompt.GetValue<string>().Trim().Length == 0)
            return Error(400, "INVALID_ARGUMENT", "Missing required field: instances[0].prompt.");
        var parameters = body["parameters"] as JsonObject ?? [];
        var count = parameters["sampleCount"] is JsonValue n ? n.GetValue<int>() : 4;
        if (count is < 1 or > 4)
            return Error(400, "INVALID_ARGUMENT", $"sampleCount must be in the range [1, 4], but is {count}.");
        var ratio = parameters["aspectRatio"]?.GetValue<string>() ?? "1:1";
        if (!ImagenRatios.Contains(ratio))
            return Error(400, "INVALID_ARGUMENT", $"Unsupported aspect ratio: {ratio}. Supported values are {string.Join(", ", ImagenRatios)}.");
        if (parameters["personGeneration"]?.GetValue<string>() is { } people && !PersonGeneration.Contains(people))
            return Error(400, "INVALID_ARGUMENT", $"Invalid personGeneration: {people}. Supported values are dont_allow, allow_adult, allow_all.");
        var reasons = parameters["includeRaiReason"]?.GetValue<bool>() == true;

        var filtered = 0;
        if (_next.TryDequeue(out var next))
        {
            switch (next)
            {
                case Scripted scripted:
                    return FakeServer.Json(scripted.Body, scripted.Status);
                case FakeScenario.RateLimited:
                    return RateLimited("imagen");
                case FakeScenario.ServerError:
                    return Error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
                case FakeScenario.Refused:
                    filtered = count;
                    break;
                case FakeScenario.Invalid:
                    return Error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
                case FakeScenario.PartiallyFiltered:
                    filtered = 1;
                    break;
            }
        }
        var predictions = new JsonArray();
        // Without includeRaiReason, filtered images are simply missing.
        if (filtered > 0 && reasons)
            predictions.Add(new JsonObject { ["raiFilteredReason"] = FilteredReason(filtered) });
        for (var i = filtered; i < count; i++)
            predictions.Add(new JsonObject { ["mimeType"] = "image/png", ["bytesBase64Encoded"] = Image(ratio) });
        return FakeServer.Json(predictions.Count == 0 ? new JsonObject() : new JsonObject { ["predictions"] = predictions });
    }

    private static IResult RateLimited(string model) =>
        Error(429, "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n"
            + $"* Quota exceeded for metric: generativelanguage.googleapis.com/generate_requests_per_model, limit: 10, model: {model}\nPlease retry in 7s.",
            new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.QuotaFailure",
                ["violations"] = new JsonArray(new JsonObject
                {
                    ["quotaMetric"] = "generativelanguage.googleapis.com/generate_requests_per_model",
                    ["quotaId"] = "GenerateRequestsPerMinutePerProjectPerModel",
                    ["quotaDimensions"] = new JsonObject { ["location"] = "global", ["model"] = model },
                    ["quotaValue"] = "10",
                }),
            },
            new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = "7s" });

    /// <summary>A small PNG shaped like the aspect ratio (long side 128), distinct per call.</summary>
    private string Image(string ratio)
    {
        var parts = ratio.Split(':').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var scale = 128 / Math.Max(parts[0], parts[1]);
        return FakeImages.Base64Png((int)Math.Round(parts[0] * scale), (int)Math.Round(parts[1] * scale), seed: Interlocked.Increment(ref _images));
    }

    private static JsonObject Usage(int imageTokens) => new()
    {
        ["promptTokenCount"] = 12,
        ["candidatesTokenCount"] = imageTokens,
        ["totalTokenCount"] = 12 + imageTokens,
    };

    /// <summary>Google rejects any field name it does not know, naming it.</summary>
    private static IResult? Unknown(JsonObject node, HashSet<string> allowed, string? at)
    {
        foreach (var (name, _) in node)
        {
            if (!allowed.Contains(name))
                return Error(400, "INVALID_ARGUMENT", $"Invalid JSON payload received. Unknown name \"{name}\"{(at is null ? "" : $" at '{at}'")}: Cannot find field.");
        }
        return null;
    }

    private static IResult Error(int code, string status, string message, params JsonObject[] details)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status };
        if (details.Length > 0)
            error["details"] = new JsonArray(details.Select(d => (JsonNode)d).ToArray());
        return FakeServer.Json(new JsonObject { ["error"] = error }, code);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
