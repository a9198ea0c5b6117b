using System.Net.Http.Json;
using Easel.Core.Language;
using Easel.Providers.Http;
using Easel.Providers.OpenAI;

namespace Easel.Providers.Language;

/// <summary>
/// OpenAI's Chat Completions API (<c>POST /v1/chat/completions</c>) with images as data URLs and
/// the answer forced into the schema by <c>response_format: json_schema</c> in strict mode. A
/// model that declines says so in <c>message.refusal</c>: that is a refusal, never retried.
/// </summary>
public sealed class OpenAIChatModel : ILanguageModel, IDisposable
{
    public const string ProviderName = "openai";

    /// <summary>A vision model with strict structured output; any chat model that takes images works.</summary>
    public const string DefaultModel = "gpt-4o";

    private readonly VendorHttp _http;

    public OpenAIChatModel(ProviderConnection connection, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        _http = new VendorHttp(connection, new OpenAIErrors(connection.Vendor, connection.Time));
    }

    public string Name => ProviderName;

    public string Vendor => _http.Connection.Vendor;

    public string Model { get; }

    public async Task<LanguageModelReply> GenerateJsonAsync(LanguageModelRequest request, CancellationToken cancellationToken)
    {
        LanguageReplies.Check(request);
        var user = new List<ChatPart> { new("text", Text: request.Text) };
        // "high": an evaluator judges fine detail (facets, lettering, fingers).
        user.AddRange(request.Images.Select(image => new ChatPart("image_url", ImageUrl: new ChatImageUrl(LanguageReplies.DataUrl(image), "high"))));
        var body = new ChatRequest
        {
            Model = Model,
            Messages = [new ChatMessage("system", [new ChatPart("text", Text: request.Instructions)]), new ChatMessage("user", user)],
            ResponseFormat = new ChatResponseFormat("json_schema", new ChatJsonSchema(
                request.Schema.Name, string.IsNullOrWhiteSpace(request.Schema.Description) ? null : request.Schema.Description, LanguageReplies.Schema(request.Schema), Strict: true)),
        };

        var response = await _http.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url("v1/chat/completions"))
            {
                Content = JsonContent.Create(body, OpenAIChatJsonContext.Default.ChatRequest),
            };
            _http.Bearer(message);
            return message;
        }, cancellationToken);

        var parsed = _http.ReadJson(response, OpenAIChatJsonContext.Default.ChatResponse);
        var id = response.RequestId;
        var choice = parsed.Choices?.FirstOrDefault()
            ?? throw LanguageReplies.Failed(Vendor, $"{Vendor} answered with no choices{VendorHttp.RequestIdText(id)}", id);
        if (choice.Message?.Refusal is { Length: > 0 } refusal)
            throw LanguageReplies.Refused(Vendor, refusal, id);
        if (choice.FinishReason == "content_filter")
            throw LanguageReplies.Refused(Vendor, "content_filter", id);
        if (choice.FinishReason == "length")
            throw LanguageReplies.Failed(Vendor, $"{Vendor} stopped at its output limit before the answer was complete{VendorHttp.RequestIdText(id)}", id);
        var json = LanguageReplies.RequireJsonObject(Vendor, choice.Message?.Content, id);
        var usage = parsed.Usage is { } u ? new ModelUsage(u.PromptTokens, u.CompletionTokens) : null;
        return new LanguageModelReply(json, usage, parsed.Model);
    }

    public void Dispose() => _http.Dispose();
}
