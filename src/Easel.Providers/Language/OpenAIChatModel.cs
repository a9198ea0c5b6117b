using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Easel.Core.Language;
using Easel.Providers.Http;
using Easel.Providers.OpenAI;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Language;

/// <summary>
/// OpenAI's Chat Completions API (<c>POST /v1/chat/completions</c>) with images as data URLs and
/// the answer forced into the schema by <c>response_format: json_schema</c> in strict mode. A
/// model that declines says so in <c>message.refusal</c>: that is a refusal, never retried.
/// As an <see cref="IChatClient"/> it offers functions as <c>tools</c>, reads the model's
/// <c>tool_calls</c> (whose arguments are JSON text the model wrote, so they may not parse), and
/// answers each with a <c>tool</c> message naming its <c>tool_call_id</c>.
/// </summary>
public sealed class OpenAIChatModel : ILanguageModel, IChatClient
{
    public const string ProviderName = "openai";

    /// <summary>A vision model with strict structured output; any chat model that takes images works.</summary>
    public const string DefaultModel = "gpt-4o";

    private readonly VendorHttp _http;
    private readonly ChatClientMetadata _metadata;

    public OpenAIChatModel(ProviderConnection connection, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        _http = new VendorHttp(connection, new OpenAIErrors(connection.Vendor, connection.Time));
        _metadata = new ChatClientMetadata(ProviderName, connection.BaseUrl, Model);
    }

    public string Name => ProviderName;

    public string Vendor => _http.Connection.Vendor;

    public string Model { get; }

    public async Task<LanguageModelReply> GenerateJsonAsync(LanguageModelRequest request, CancellationToken cancellationToken)
    {
        LanguageReplies.Check(request);
        var user = new List<OpenAIChatPart> { new("text", Text: request.Text) };
        // "high": an evaluator judges fine detail (facets, lettering, fingers).
        user.AddRange(request.Images.Select(image => new OpenAIChatPart("image_url", ImageUrl: new OpenAIImageUrl(LanguageReplies.DataUrl(image), "high"))));
        var body = new OpenAIChatRequest
        {
            Model = Model,
            Messages = [new OpenAIChatMessage("system", [new OpenAIChatPart("text", Text: request.Instructions)]), new OpenAIChatMessage("user", user)],
            ResponseFormat = new OpenAIResponseFormat("json_schema", new OpenAIJsonSchema(
                request.Schema.Name, string.IsNullOrWhiteSpace(request.Schema.Description) ? null : request.Schema.Description, LanguageReplies.Schema(request.Schema), Strict: true)),
        };

        var (parsed, id) = await PostAsync(body, cancellationToken);
        var choice = Choice(parsed, id);
        if (choice.FinishReason == "length")
            throw LanguageReplies.Failed(Vendor, $"{Vendor} stopped at its output limit before the answer was complete{VendorHttp.RequestIdText(id)}", id);
        var json = LanguageReplies.RequireJsonObject(Vendor, choice.Message?.Content, id);
        var usage = parsed.Usage is { } u ? new ModelUsage(u.PromptTokens, u.CompletionTokens) : null;
        return new LanguageModelReply(json, usage, parsed.Model);
    }

    /// <summary>One answer from the model: its words and the functions it calls.</summary>
    /// <exception cref="Core.Generation.ProviderException">OpenAI refused, failed, or could not be reached.</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = ChatConversation.Plan(Vendor, Model, messages, options);
        var body = new OpenAIChatRequest
        {
            Model = plan.Model,
            Messages = plan.Turns.SelectMany(Messages).ToList(),
            Tools = plan.Tools.Count == 0 ? null : plan.Tools.Select(t => new FunctionTool("function", new FunctionToolDefinition(t.Name, t.Description, t.Schema))).ToList(),
            ToolChoice = plan.Choice switch
            {
                null => null,
                { Kind: ToolChoiceKind.Named, Name: var name } => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } },
                { Kind: ToolChoiceKind.Any } => "required",
                { Kind: ToolChoiceKind.None } => "none",
                _ => "auto",
            },
            ParallelToolCalls = plan.ParallelToolCalls,
            Temperature = plan.Temperature,
            MaxCompletionTokens = plan.MaxOutputTokens,
        };

        var (parsed, id) = await PostAsync(body, cancellationToken);
        var choice = Choice(parsed, id);
        var contents = ChatConversation.Contents(choice.Message?.Content);
        foreach (var call in choice.Message?.ToolCalls ?? [])
            contents.Add(ChatConversation.Call(call.Id, call.Function?.Name, call.Function?.Arguments, call));
        var finish = choice.FinishReason switch
        {
            "length" => ChatFinishReason.Length,
            "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
            "stop" or null => contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            var other => new ChatFinishReason(other),
        };
        return ChatConversation.Response(
            contents, finish, ChatConversation.Usage(parsed.Usage?.PromptTokens, parsed.Usage?.CompletionTokens, parsed.Usage?.TotalTokens),
            parsed.Model, parsed.Id, parsed, parsed.Created is { } created ? DateTimeOffset.FromUnixTimeSeconds(created) : null);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConversation.Stream(token => GetResponseAsync(messages, options, token), cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => ChatConversation.Service(this, _metadata, serviceType, serviceKey);

    /// <summary>A turn as OpenAI messages: system text stays in place, and each function result is a "tool" message of its own.</summary>
    private static IEnumerable<OpenAIChatMessage> Messages(ChatTurn turn)
    {
        switch (turn.Kind)
        {
            case TurnKind.System:
                return [new OpenAIChatMessage("system", Text(turn.Text))];
            case TurnKind.User:
                return [new OpenAIChatMessage("user", Text(turn.Text))];
            case TurnKind.Assistant:
                var calls = turn.Calls.Select(c => new OpenAIToolCall(c.Id, "function", new OpenAIFunctionCall(c.Name, Arguments(c)))).ToList();
                return [new OpenAIChatMessage("assistant", turn.Text.Length == 0 ? null : Text(turn.Text), calls.Count == 0 ? null : calls)];
            default:
                return turn.Results.Select(r => new OpenAIChatMessage("tool", Text(r.Text), ToolCallId: r.CallId));
        }
    }

    private static List<OpenAIChatPart> Text(string text) => [new OpenAIChatPart("text", Text: text)];

    /// <summary>The arguments' text: what the model wrote when it could not be read (so it sees its own mistake), else the arguments as JSON.</summary>
    private static string Arguments(ChatToolCall call) =>
        call.Source.Arguments is null && call.Source.RawRepresentation is OpenAIToolCall { Function.Arguments: { } raw } ? raw : call.Arguments.ToJsonString();

    private async Task<(OpenAIChatResponse Parsed, string? RequestId)> PostAsync(OpenAIChatRequest body, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url("v1/chat/completions"))
            {
                Content = JsonContent.Create(body, OpenAIChatJsonContext.Default.OpenAIChatRequest),
            };
            _http.Bearer(message);
            return message;
        }, cancellationToken);
        return (_http.ReadJson(response, OpenAIChatJsonContext.Default.OpenAIChatResponse), response.RequestId);
    }

    /// <summary>The first choice, unless the model refused or the content filter stopped it.</summary>
    private OpenAIChatChoice Choice(OpenAIChatResponse parsed, string? id)
    {
        var choice = parsed.Choices?.FirstOrDefault()
            ?? throw LanguageReplies.Failed(Vendor, $"{Vendor} answered with no choices{VendorHttp.RequestIdText(id)}", id);
        if (choice.Message?.Refusal is { Length: > 0 } refusal)
            throw LanguageReplies.Refused(Vendor, refusal, id);
        if (choice.FinishReason == "content_filter")
            throw LanguageReplies.Refused(Vendor, "content_filter", id);
        return choice;
    }

    public void Dispose() => _http.Dispose();
}
