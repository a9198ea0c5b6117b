using System.Buffers.Text;
using System.Text.Json.Serialization;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Formats;

namespace Easel.Providers.Google;

// Gemini generateContent: https://ai.google.dev/api/generate-content (camelCase JSON, as the REST API writes it).

internal sealed record GenerateContentRequest(IReadOnlyList<GeminiContent> Contents, GeminiGenerationConfig GenerationConfig);

internal sealed record GeminiContent(string? Role, IReadOnlyList<GeminiPart>? Parts);

/// <summary>One part of a turn: text, or an image inline as base64. Thinking models also send interim "thought" images.</summary>
internal sealed record GeminiPart
{
    public string? Text { get; init; }
    public GeminiBlob? InlineData { get; init; }
    public bool? Thought { get; init; }
}

internal sealed record GeminiBlob(string? MimeType, string? Data);

internal sealed record GeminiGenerationConfig(IReadOnlyList<string> ResponseModalities, GeminiImageConfig? ImageConfig);

internal sealed record GeminiImageConfig(string AspectRatio);

internal sealed record GenerateContentResponse(
    IReadOnlyList<GeminiCandidate>? Candidates, GeminiPromptFeedback? PromptFeedback, string? ModelVersion, string? ResponseId);

internal sealed record GeminiCandidate(GeminiContent? Content, string? FinishReason, string? FinishMessage);

internal sealed record GeminiPromptFeedback(string? BlockReason, string? BlockReasonMessage);

// Imagen predict: {"instances":[{"prompt"}],"parameters":{…}} → {"predictions":[{"bytesBase64Encoded","mimeType"} | {"raiFilteredReason"}]}.

internal sealed record PredictRequest(IReadOnlyList<ImagenInstance> Instances, ImagenParameters Parameters);

internal sealed record ImagenInstance(string Prompt);

internal sealed record ImagenParameters(int SampleCount, string AspectRatio, string PersonGeneration, bool IncludeRaiReason);

internal sealed record PredictResponse(IReadOnlyList<ImagenPrediction>? Predictions);

internal sealed record ImagenPrediction(string? BytesBase64Encoded, string? MimeType, string? RaiFilteredReason);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenerateContentRequest))]
[JsonSerializable(typeof(GenerateContentResponse))]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
internal sealed partial class GoogleJsonContext : JsonSerializerContext;

/// <summary>Images as Google sends them: base64 in a JSON string.</summary>
internal static class GoogleImages
{
    /// <summary>The image in <paramref name="base64"/>, or a plain-words failure when it is not a readable image.</summary>
    public static GeneratedImage Read(string vendor, string base64, string model)
    {
        var bytes = TryDecode(base64)
            ?? throw new ProviderException(vendor, ProviderErrorKind.Failed, $"{vendor} returned an image that is not valid base64.");
        try
        {
            var header = ImageHeader.Read(bytes);
            return new GeneratedImage(bytes, header.MediaType, Seed: null, model);
        }
        catch (ImageFormatException ex)
        {
            throw new ProviderException(vendor, ProviderErrorKind.Failed, $"{vendor} returned an image Easel cannot read ({ex.Message.TrimEnd('.')}).", inner: ex);
        }
    }

    /// <summary>
    /// Decodes a protobuf <c>bytes</c> field: Google writes standard base64, and its JSON mapping
    /// allows the URL-safe alphabet too, so both are read. Null when it is neither.
    /// </summary>
    public static byte[]? TryDecode(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            try
            {
                return Base64Url.DecodeFromChars(text.TrimEnd('='));
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
