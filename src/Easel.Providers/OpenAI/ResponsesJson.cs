using System.Text.Json.Serialization;

namespace Easel.Providers.OpenAI;

/// <summary>The body of <c>POST /v1/responses</c> as the image tool needs it.</summary>
internal sealed record ResponsesRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<ResponsesInputMessage> Input { get; init; }
    public required IReadOnlyList<ImageGenerationTool> Tools { get; init; }
    public required ResponsesToolChoice ToolChoice { get; init; }

    /// <summary>The earlier turn to continue from; it already holds the reference images.</summary>
    public string? PreviousResponseId { get; init; }
}

internal sealed record ResponsesInputMessage(string Role, IReadOnlyList<ResponsesInputContent> Content);

/// <summary>One content part: <c>input_text</c> (Text) or <c>input_image</c> (ImageUrl as a data URL, Detail).</summary>
internal sealed record ResponsesInputContent
{
    public required string Type { get; init; }
    public string? Text { get; init; }
    public string? ImageUrl { get; init; }
    public string? Detail { get; init; }
}

internal sealed record ImageGenerationTool
{
    public string Type { get; init; } = "image_generation";

    /// <summary>The GPT Image model behind the tool; null leaves the choice to OpenAI.</summary>
    public string? Model { get; init; }

    public string? Size { get; init; }
    public string? Quality { get; init; }
    public string? OutputFormat { get; init; }
    public string? Background { get; init; }
}

internal sealed record ResponsesToolChoice(string Type);

/// <summary>A response object; every field is optional so an unexpected shape reads as "no image" rather than a crash.</summary>
internal sealed record ResponsesResponse(
    string? Id,
    string? Status,
    ResponsesError? Error,
    ResponsesIncompleteDetails? IncompleteDetails,
    IReadOnlyList<ResponsesOutputItem>? Output);

internal sealed record ResponsesError(string? Code, string? Message);

internal sealed record ResponsesIncompleteDetails(string? Reason);

/// <summary>An output item: <c>image_generation_call</c> (Result is the base64 image) or <c>message</c> (Content), among others.</summary>
internal sealed record ResponsesOutputItem(
    string? Type,
    string? Id,
    string? Status,
    string? Result,
    string? RevisedPrompt,
    IReadOnlyList<ResponsesOutputContent>? Content);

/// <summary><c>output_text</c> (Text) or <c>refusal</c> (Refusal).</summary>
internal sealed record ResponsesOutputContent(string? Type, string? Text, string? Refusal);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResponsesRequest))]
[JsonSerializable(typeof(ResponsesResponse))]
internal sealed partial class OpenAIResponsesJsonContext : JsonSerializerContext;
