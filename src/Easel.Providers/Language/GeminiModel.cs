using System.Net.Http.Json;
using Easel.Core.Language;
using Easel.Providers.Http;

namespace Easel.Providers.Language;

/// <summary>
/// Google's Gemini API (<c>POST /v1beta/models/{model}:generateContent</c>, key in
/// <c>x-goog-api-key</c>): images as <c>inlineData</c>, the answer forced into the schema by
/// <c>responseMimeType: application/json</c> and <c>responseSchema</c>. A blocked prompt or a
/// safety stop is a refusal; rate limits wait as long as the error's RetryInfo says.
/// </summary>
public sealed class GeminiModel : ILanguageModel, IDisposable
{
    public const string ProviderName = "gemini";

    /// <summary>A fast vision model with structured output.</summary>
    public const string DefaultModel = "gemini-2.5-flash";

    /// <summary>Finish reasons that mean Gemini's safety filters stopped the answer.</summary>
    private static readonly HashSet<string> Blocked = new(StringComparer.Ordinal)
    {
        "SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT",
    };

    private readonly VendorHttp _http;

    public GeminiModel(ProviderConnection connection, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var name = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        // "models/gemini-2.5-flash" is how Google's own listings name it.
        Model = name.StartsWith("models/", StringComparison.Ordinal) ? name["models/".Length..] : name;
        _http = new VendorHttp(connection, new GeminiModelErrors(connection.Vendor, connection.Time));
    }

    public string Name => ProviderName;

    public string Vendor => _http.Connection.Vendor;

    public string Model { get; }

    public async Task<LanguageModelReply> GenerateJsonAsync(LanguageModelRequest request, CancellationToken cancellationToken)
    {
        LanguageReplies.Check(request);
        var parts = new List<GeminiPart> { new(Text: request.Text) };
        parts.AddRange(request.Images.Select(image => new GeminiPart(InlineData: new GeminiInlineData(image.MediaType.ToLowerInvariant(), Convert.ToBase64String(image.Bytes)))));
        var body = new GeminiRequest
        {
            SystemInstruction = string.IsNullOrWhiteSpace(request.Instructions) ? null : new GeminiContent(null, [new GeminiPart(Text: request.Instructions)]),
            Contents = [new GeminiContent("user", parts)],
            GenerationConfig = new GeminiGenerationConfig("application/json", GeminiSchema.From(LanguageReplies.Schema(request.Schema))),
        };

        var response = await _http.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url($"v1beta/models/{Uri.EscapeDataString(Model)}:generateContent"))
            {
                Content = JsonContent.Create(body, GeminiJsonContext.Default.GeminiRequest),
            };
            if (_http.Connection.ApiKey is { Length: > 0 } key)
                message.Headers.Add("x-goog-api-key", key);
            return message;
        }, cancellationToken);

        var parsed = _http.ReadJson(response, GeminiJsonContext.Default.GeminiResponse);
        var candidate = parsed.Candidates?.FirstOrDefault();
        if (candidate is null)
        {
            throw parsed.PromptFeedback?.BlockReason is { Length: > 0 } block
                ? LanguageReplies.Refused(Vendor, $"blockReason {block}", null)
                : LanguageReplies.Failed(Vendor, $"{Vendor} answered with no candidates", null);
        }
        if (candidate.FinishReason is { } finish && Blocked.Contains(finish))
            throw LanguageReplies.Refused(Vendor, $"finishReason {finish}", null);
        // Thinking models may send their thoughts as parts of their own; the answer is the rest.
        var text = string.Concat((candidate.Content?.Parts ?? []).Where(p => p.Thought != true && p.Text is not null).Select(p => p.Text));
        if (text.Trim().Length == 0 && candidate.FinishReason == "MAX_TOKENS")
            throw LanguageReplies.Failed(Vendor, $"{Vendor} stopped at its output limit before the answer was complete", null);
        string json;
        try
        {
            json = LanguageReplies.RequireJsonObject(Vendor, text, null);
        }
        catch (Core.Generation.ProviderException) when (candidate.FinishReason == "MAX_TOKENS")
        {
            throw LanguageReplies.Failed(Vendor, $"{Vendor} stopped at its output limit before the answer was complete", null);
        }
        var usage = parsed.UsageMetadata is { } u ? new ModelUsage(u.PromptTokenCount, u.CandidatesTokenCount) : null;
        return new LanguageModelReply(json, usage, parsed.ModelVersion);
    }

    public void Dispose() => _http.Dispose();
}
