using System.Net.Http.Json;
using System.Text.Json;
using Easel.Core.Language;
using Easel.Providers.Http;

namespace Easel.Providers.Language;

/// <summary>
/// Anthropic's Messages API (<c>POST /v1/messages</c>): images as base64 content blocks, and the
/// answer forced into the schema by offering one tool whose <c>input_schema</c> is the schema and
/// requiring it with <c>tool_choice</c>; the answer is the tool call's input. 529 (overloaded) is
/// retried; <c>stop_reason: refusal</c> is a refusal and is not.
/// </summary>
public sealed class AnthropicModel : ILanguageModel, IDisposable
{
    public const string ProviderName = "anthropic";

    /// <summary>A vision model that follows forced tool use.</summary>
    public const string DefaultModel = "claude-sonnet-4-5";

    public const string ApiVersion = "2023-06-01";

    /// <summary>Room for a critique with a dozen criteria; the API requires a limit.</summary>
    public const int DefaultMaxTokens = 4096;

    private readonly VendorHttp _http;
    private readonly int _maxTokens;

    /// <param name="maxTokens">The most tokens one answer may take (Anthropic requires a limit).</param>
    public AnthropicModel(ProviderConnection connection, string? model = null, int maxTokens = DefaultMaxTokens)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        Model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        _maxTokens = maxTokens;
        _http = new VendorHttp(connection, new AnthropicErrors(connection.Vendor, connection.Time));
    }

    public string Name => ProviderName;

    public string Vendor => _http.Connection.Vendor;

    public string Model { get; }

    public async Task<LanguageModelReply> GenerateJsonAsync(LanguageModelRequest request, CancellationToken cancellationToken)
    {
        LanguageReplies.Check(request);
        // Images before the text, as Anthropic recommends.
        var content = request.Images
            .Select(image => new AnthropicBlock("image", Source: new AnthropicImageSource("base64", image.MediaType.ToLowerInvariant(), Convert.ToBase64String(image.Bytes))))
            .Append(new AnthropicBlock("text", Text: request.Text))
            .ToList();
        var tool = request.Schema.Name;
        var body = new MessagesRequest
        {
            Model = Model,
            MaxTokens = _maxTokens,
            System = request.Instructions,
            Messages = [new AnthropicMessage("user", content)],
            Tools = [new AnthropicTool(tool, string.IsNullOrWhiteSpace(request.Schema.Description) ? $"Give the {tool}." : request.Schema.Description, LanguageReplies.Schema(request.Schema))],
            ToolChoice = new AnthropicToolChoice("tool", tool),
        };

        var response = await _http.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url("v1/messages"))
            {
                Content = JsonContent.Create(body, AnthropicJsonContext.Default.MessagesRequest),
            };
            if (_http.Connection.ApiKey is { Length: > 0 } key)
                message.Headers.Add("x-api-key", key);
            message.Headers.Add("anthropic-version", ApiVersion);
            return message;
        }, cancellationToken);

        var parsed = _http.ReadJson(response, AnthropicJsonContext.Default.MessagesResponse);
        var id = response.RequestId;
        if (parsed.StopReason == "refusal")
            throw LanguageReplies.Refused(Vendor, "refusal", id);
        var call = parsed.Content?.FirstOrDefault(b => b.Type == "tool_use" && b.Name == tool)
            ?? parsed.Content?.FirstOrDefault(b => b.Type == "tool_use");
        if (call is null)
        {
            throw parsed.StopReason == "max_tokens"
                ? LanguageReplies.Failed(Vendor, $"{Vendor} stopped at its output limit ({_maxTokens} tokens) before the answer was complete{VendorHttp.RequestIdText(id)}", id)
                : LanguageReplies.Failed(Vendor, $"{Vendor} answered without the {tool} tool call ({parsed.StopReason ?? "no stop reason"}{VendorHttp.RequestIdText(id)})", id);
        }
        if (call.Input is not { ValueKind: JsonValueKind.Object } input)
            throw LanguageReplies.Failed(Vendor, $"{Vendor} called the {tool} tool without an input object{VendorHttp.RequestIdText(id)}", id);
        var usage = parsed.Usage is { } u ? new ModelUsage(u.InputTokens, u.OutputTokens) : null;
        return new LanguageModelReply(input.GetRawText(), usage, parsed.Model);
    }

    public void Dispose() => _http.Dispose();
}
