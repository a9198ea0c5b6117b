using System.Net.Http.Json;
using Easel.Core.Language;
using Easel.Providers.Http;

namespace Easel.Providers.Language;

/// <summary>
/// A local Ollama server's chat API (<c>POST /api/chat</c>, no key): images as raw base64 in the
/// message's <c>images</c>, the answer forced into the schema by <c>format</c>, one answer rather
/// than a stream. A model that is not pulled yet is a 404 whose message says how to pull it.
/// </summary>
public sealed class OllamaModel : ILanguageModel, IDisposable
{
    public const string ProviderName = "ollama";

    /// <summary>The best-known vision model in Ollama's library; any model that takes images works.</summary>
    public const string DefaultModel = "llava";

    private readonly VendorHttp _http;

    public OllamaModel(ProviderConnection connection, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        _http = new VendorHttp(connection, new OllamaErrors(connection.Vendor, Model, connection.Time));
    }

    public string Name => ProviderName;

    public string Vendor => _http.Connection.Vendor;

    public string Model { get; }

    public async Task<LanguageModelReply> GenerateJsonAsync(LanguageModelRequest request, CancellationToken cancellationToken)
    {
        LanguageReplies.Check(request);
        var schema = LanguageReplies.Schema(request.Schema);
        // Ollama's advice for structured output: the schema in the prompt too, and temperature 0.
        var instructions = $"{request.Instructions.TrimEnd()}\n\nAnswer with one JSON object that follows this JSON Schema:\n{schema.ToJsonString()}";
        var images = request.Images.Count == 0 ? null : request.Images.Select(image => Convert.ToBase64String(image.Bytes)).ToList();
        var body = new OllamaChatRequest
        {
            Model = Model,
            Messages = [new OllamaMessage("system", instructions), new OllamaMessage("user", request.Text, images)],
            Format = schema,
            Stream = false,
            Options = new OllamaOptions(0),
        };

        var response = await _http.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url("api/chat"))
        {
            Content = JsonContent.Create(body, OllamaJsonContext.Default.OllamaChatRequest),
        }, cancellationToken);

        var parsed = _http.ReadJson(response, OllamaJsonContext.Default.OllamaChatResponse);
        if (parsed.DoneReason == "length")
            throw LanguageReplies.Failed(Vendor, $"{Vendor} stopped at the model's output limit before the answer was complete", null);
        var json = LanguageReplies.RequireJsonObject(Vendor, parsed.Message?.Content, null);
        var usage = parsed.PromptEvalCount is { } input && parsed.EvalCount is { } output ? new ModelUsage(input, output) : null;
        return new LanguageModelReply(json, usage, parsed.Model);
    }

    public void Dispose() => _http.Dispose();
}
