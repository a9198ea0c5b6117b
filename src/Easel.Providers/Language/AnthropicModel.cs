using System.Net.Http.Json;
using System.Text.Json;
using Easel.Core.Language;
using Easel.Providers.Http;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Language;

/// <summary>
/// Anthropic's Messages API (<c>POST /v1/messages</c>): images as base64 content blocks, and the
/// answer forced into the schema by offering one tool whose <c>input_schema</c> is the schema and
/// requiring it with <c>tool_choice</c>; the answer is the tool call's input. 529 (overloaded) is
/// retried; <c>stop_reason: refusal</c> is a refusal and is not. As an <see cref="IChatClient"/>
/// it offers functions as tools, reads <c>tool_use</c> blocks as calls, and answers them with
/// <c>tool_result</c> blocks, all results to one turn in one user message, as the API requires.
/// </summary>
public sealed class AnthropicModel : ILanguageModel, IChatClient
{
    public const string ProviderName = "anthropic";

    /// <summary>A vision model that follows forced tool use.</summary>
    public const string DefaultModel = "claude-sonnet-4-5";

    public const string ApiVersion = "2023-06-01";

    /// <summary>Room for a critique with a dozen criteria; the API requires a limit.</summary>
    public const int DefaultMaxTokens = 4096;

    private readonly VendorHttp _http;
    private readonly int _maxTokens;
    private readonly ChatClientMetadata _metadata;

    /// <param name="maxTokens">The most tokens one answer may take (Anthropic requires a limit).</param>
    public AnthropicModel(ProviderConnection connection, string? model = null, int maxTokens = DefaultMaxTokens)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        Model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        _maxTokens = maxTokens;
        _http = new VendorHttp(connection, new AnthropicErrors(connection.Vendor, connection.Time));
        _metadata = new ChatClientMetadata(ProviderName, connection.BaseUrl, Model);
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

        var (parsed, id) = await PostAsync(body, cancellationToken);
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

    /// <summary>One answer from the model: its words and the functions it calls.</summary>
    /// <exception cref="Core.Generation.ProviderException">Anthropic refused, failed, or could not be reached.</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = ChatConversation.Plan(Vendor, Model, messages, options);
        var single = plan.ParallelToolCalls == false ? true : (bool?)null;
        var body = new MessagesRequest
        {
            Model = plan.Model,
            MaxTokens = plan.MaxOutputTokens ?? _maxTokens,
            System = plan.System,
            Messages = plan.Conversation.Select(Message).Where(m => m.Content.Count > 0).ToList(),
            Tools = plan.Tools.Count == 0 ? null : plan.Tools.Select(t => new AnthropicTool(t.Name, t.Description, t.Schema)).ToList(),
            ToolChoice = plan.Choice switch
            {
                null when single is null => null,
                null => new AnthropicToolChoice("auto", DisableParallelToolUse: true),
                { Kind: ToolChoiceKind.None } => new AnthropicToolChoice("none"),
                { Kind: ToolChoiceKind.Named, Name: var name } => new AnthropicToolChoice("tool", name, single),
                { Kind: ToolChoiceKind.Any } => new AnthropicToolChoice("any", DisableParallelToolUse: single),
                _ => new AnthropicToolChoice("auto", DisableParallelToolUse: single),
            },
            Temperature = plan.Temperature,
        };

        var (parsed, id) = await PostAsync(body, cancellationToken);
        if (parsed.StopReason == "refusal")
            throw LanguageReplies.Refused(Vendor, "refusal", id);
        var contents = new List<AIContent>();
        foreach (var block in parsed.Content ?? [])
        {
            if (block.Type == "text" && !string.IsNullOrEmpty(block.Text))
                contents.Add(new TextContent(block.Text) { RawRepresentation = block });
            else if (block.Type == "tool_use")
                contents.Add(ChatConversation.Call(block.Id, block.Name, block.Input?.GetRawText(), block));
        }
        var finish = parsed.StopReason switch
        {
            "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
            "tool_use" => ChatFinishReason.ToolCalls,
            "end_turn" or "stop_sequence" or "pause_turn" or null => contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            var other => new ChatFinishReason(other),
        };
        return ChatConversation.Response(contents, finish, ChatConversation.Usage(parsed.Usage?.InputTokens, parsed.Usage?.OutputTokens), parsed.Model, parsed.Id, parsed);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConversation.Stream(token => GetResponseAsync(messages, options, token), cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => ChatConversation.Service(this, _metadata, serviceType, serviceKey);

    /// <summary>A turn as an Anthropic message: results go back as the user's <c>tool_result</c> blocks; empty text is left out (the API refuses empty blocks).</summary>
    private static AnthropicMessage Message(ChatTurn turn)
    {
        switch (turn.Kind)
        {
            case TurnKind.Assistant:
                var blocks = new List<AnthropicBlock>();
                if (turn.Text.Length > 0)
                    blocks.Add(new AnthropicBlock("text", Text: turn.Text));
                blocks.AddRange(turn.Calls.Select(c => new AnthropicBlock("tool_use", Id: c.Id, Name: c.Name, Input: c.Arguments)));
                return new AnthropicMessage("assistant", blocks);
            case TurnKind.ToolResults:
                return new AnthropicMessage("user", turn.Results.Select(r => new AnthropicBlock(
                    "tool_result", ToolUseId: r.CallId, Content: r.Text.Length == 0 ? null : r.Text, IsError: r.IsError ? true : null)).ToList());
            default:
                return new AnthropicMessage("user", turn.Text.Length == 0 ? [] : [new AnthropicBlock("text", Text: turn.Text)]);
        }
    }

    private async Task<(MessagesResponse Parsed, string? RequestId)> PostAsync(MessagesRequest body, CancellationToken cancellationToken)
    {
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
        return (_http.ReadJson(response, AnthropicJsonContext.Default.MessagesResponse), response.RequestId);
    }

    public void Dispose() => _http.Dispose();
}
