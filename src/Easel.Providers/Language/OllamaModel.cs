using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Easel.Core.Language;
using Easel.Providers.Http;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Language;

/// <summary>
/// A local Ollama server's chat API (<c>POST /api/chat</c>, no key): images as raw base64 in the
/// message's <c>images</c>, the answer forced into the schema by <c>format</c>, one answer rather
/// than a stream. A model that is not pulled yet is a 404 whose message says how to pull it.
/// As an <see cref="IChatClient"/> it offers functions as <c>tools</c>, reads the model's
/// <c>tool_calls</c> (Ollama gives them no id, so one is made up) and answers each with a "tool"
/// message naming the function in <c>tool_name</c>. Ollama cannot be made to call a tool: a
/// required tool mode offers the tools (only the named one, when one is named) and hopes, and
/// <see cref="ChatToolMode.None"/> offers none.
/// </summary>
public sealed class OllamaModel : ILanguageModel, IChatClient
{
    public const string ProviderName = "ollama";

    /// <summary>The best-known vision model in Ollama's library; any model that takes images works.</summary>
    public const string DefaultModel = "llava";

    private readonly VendorHttp _http;
    private readonly ChatClientMetadata _metadata;

    public OllamaModel(ProviderConnection connection, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        _http = new VendorHttp(connection, new OllamaErrors(connection.Vendor, Model, connection.Time));
        _metadata = new ChatClientMetadata(ProviderName, connection.BaseUrl, Model);
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

        var parsed = await PostAsync(body, cancellationToken);
        if (parsed.DoneReason == "length")
            throw LanguageReplies.Failed(Vendor, $"{Vendor} stopped at the model's output limit before the answer was complete", null);
        var json = LanguageReplies.RequireJsonObject(Vendor, parsed.Message?.Content, null);
        var usage = parsed.PromptEvalCount is { } input && parsed.EvalCount is { } output ? new ModelUsage(input, output) : null;
        return new LanguageModelReply(json, usage, parsed.Model);
    }

    /// <summary>One answer from the model: its words and the functions it calls.</summary>
    /// <exception cref="Core.Generation.ProviderException">Ollama failed, does not have the model, or could not be reached.</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = ChatConversation.Plan(Vendor, Model, messages, options);
        var tools = plan.Choice switch
        {
            { Kind: ToolChoiceKind.None } => [],
            { Kind: ToolChoiceKind.Named, Name: var name } => plan.Tools.Where(t => t.Name == name).ToList(),
            _ => plan.Tools,
        };
        var body = new OllamaChatRequest
        {
            Model = plan.Model,
            Messages = plan.Turns.SelectMany(Messages).ToList(),
            Stream = false,
            Options = plan.Temperature is null && plan.MaxOutputTokens is null ? null : new OllamaOptions(plan.Temperature, plan.MaxOutputTokens),
            Tools = tools.Count == 0 ? null : tools.Select(t => new FunctionTool("function", new FunctionToolDefinition(t.Name, t.Description, t.Schema))).ToList(),
        };

        var parsed = await PostAsync(body, cancellationToken);
        var contents = ChatConversation.Contents(parsed.Message?.Content);
        foreach (var call in parsed.Message?.ToolCalls ?? [])
        {
            // Ollama parses the model's call into an object; a string is what a lenient proxy passes on unparsed.
            var arguments = call.Function?.Arguments is JsonValue text && text.TryGetValue<string>(out var s) ? s : call.Function?.Arguments?.ToJsonString();
            contents.Add(ChatConversation.Call(call.Id, call.Function?.Name, arguments, call));
        }
        var finish = parsed.DoneReason switch
        {
            "length" => ChatFinishReason.Length,
            "stop" or null => contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            var other => new ChatFinishReason(other),
        };
        return ChatConversation.Response(contents, finish, ChatConversation.Usage(parsed.PromptEvalCount, parsed.EvalCount), parsed.Model ?? plan.Model, null, parsed);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConversation.Stream(token => GetResponseAsync(messages, options, token), cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => ChatConversation.Service(this, _metadata, serviceType, serviceKey);

    /// <summary>A turn as Ollama messages: system text stays in place, and each function result is a "tool" message naming its function.</summary>
    private static IEnumerable<OllamaMessage> Messages(ChatTurn turn) => turn.Kind switch
    {
        TurnKind.System => [new OllamaMessage("system", turn.Text)],
        TurnKind.User => [new OllamaMessage("user", turn.Text)],
        TurnKind.Assistant => [new OllamaMessage("assistant", turn.Text, ToolCalls: turn.Calls.Count == 0 ? null
            : turn.Calls.Select((c, i) => new OllamaToolCall(c.Id, new OllamaFunctionCall(c.Name, c.Arguments, i))).ToList())],
        _ => turn.Results.Select(r => new OllamaMessage("tool", r.Text, ToolName: r.Call?.Name, ToolCallId: r.CallId)),
    };

    private async Task<OllamaChatResponse> PostAsync(OllamaChatRequest body, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url("api/chat"))
        {
            Content = JsonContent.Create(body, OllamaJsonContext.Default.OllamaChatRequest),
        }, cancellationToken);
        return _http.ReadJson(response, OllamaJsonContext.Default.OllamaChatResponse);
    }

    public void Dispose() => _http.Dispose();
}
