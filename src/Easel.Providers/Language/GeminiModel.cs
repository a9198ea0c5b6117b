using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Easel.Core.Language;
using Easel.Providers.Http;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Language;

/// <summary>
/// Google's Gemini API (<c>POST /v1beta/models/{model}:generateContent</c>, key in
/// <c>x-goog-api-key</c>): images as <c>inlineData</c>, the answer forced into the schema by
/// <c>responseMimeType: application/json</c> and <c>responseSchema</c>. A blocked prompt or a
/// safety stop is a refusal; rate limits wait as long as the error's RetryInfo says.
/// As an <see cref="IChatClient"/> it declares functions in <c>functionDeclarations</c> (in
/// Gemini's schema dialect), reads <c>functionCall</c> parts as calls and answers them with
/// <c>functionResponse</c> parts. Gemini names calls by function, not by id (unless the API
/// version gives one, which is passed through), so a result finds its function through the call
/// with the same id earlier in the conversation; a call's <c>thoughtSignature</c> goes back with it.
/// </summary>
public sealed class GeminiModel : ILanguageModel, IChatClient
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
    private readonly ChatClientMetadata _metadata;

    public GeminiModel(ProviderConnection connection, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var name = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        // "models/gemini-2.5-flash" is how Google's own listings name it.
        Model = name.StartsWith("models/", StringComparison.Ordinal) ? name["models/".Length..] : name;
        _http = new VendorHttp(connection, new GeminiModelErrors(connection.Vendor, connection.Time));
        _metadata = new ChatClientMetadata(ProviderName, connection.BaseUrl, Model);
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

        var parsed = await PostAsync(body, Model, cancellationToken);
        var candidate = Candidate(parsed);
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

    /// <summary>One answer from the model: its words and the functions it calls.</summary>
    /// <exception cref="Core.Generation.ProviderException">Gemini refused, failed, or could not be reached.</exception>
    /// <exception cref="ArgumentException">A function result answers no call in the conversation, so Gemini cannot be told which function answered.</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = ChatConversation.Plan(Vendor, Model, messages, options);
        var model = plan.Model.StartsWith("models/", StringComparison.Ordinal) ? plan.Model["models/".Length..] : plan.Model;
        var system = plan.System;
        var body = new GeminiRequest
        {
            SystemInstruction = system is null ? null : new GeminiContent(null, [new GeminiPart(Text: system)]),
            Contents = plan.Conversation.Select(Content).ToList(),
            GenerationConfig = plan.Temperature is null && plan.MaxOutputTokens is null ? null : new GeminiGenerationConfig(Temperature: plan.Temperature, MaxOutputTokens: plan.MaxOutputTokens),
            Tools = plan.Tools.Count == 0 ? null : [new GeminiTool(plan.Tools.Select(t => new GeminiFunctionDeclaration(
                t.Name, t.Description, t.Schema["properties"] is JsonObject { Count: > 0 } ? GeminiSchema.From(t.Schema) : null)).ToList())],
            ToolConfig = plan.Choice switch
            {
                null => null,
                { Kind: ToolChoiceKind.None } => new GeminiToolConfig(new GeminiFunctionCallingConfig("NONE")),
                { Kind: ToolChoiceKind.Named, Name: { } name } => new GeminiToolConfig(new GeminiFunctionCallingConfig("ANY", [name])),
                { Kind: ToolChoiceKind.Any } => new GeminiToolConfig(new GeminiFunctionCallingConfig("ANY")),
                _ => new GeminiToolConfig(new GeminiFunctionCallingConfig("AUTO")),
            },
        };

        var parsed = await PostAsync(body, model, cancellationToken);
        var candidate = Candidate(parsed);
        if (candidate.FinishReason is "MALFORMED_FUNCTION_CALL" or "UNEXPECTED_TOOL_CALL")
            throw LanguageReplies.Failed(Vendor, $"{Vendor} wrote a function call it could not complete (finishReason {candidate.FinishReason}); ask again", null);
        var contents = new List<AIContent>();
        foreach (var part in candidate.Content?.Parts ?? [])
        {
            // Thinking models may send their thoughts as parts of their own; they are not the answer.
            if (part.Thought == true)
                continue;
            if (part.FunctionCall is { } call)
                contents.Add(ChatConversation.Call(call.Id, call.Name, call.Args?.ToJsonString(), part));
            else if (!string.IsNullOrEmpty(part.Text))
                contents.Add(new TextContent(part.Text) { RawRepresentation = part });
        }
        var finish = candidate.FinishReason switch
        {
            "MAX_TOKENS" => ChatFinishReason.Length,
            "STOP" or null => contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            var other => new ChatFinishReason(other),
        };
        var usage = parsed.UsageMetadata is { } u ? ChatConversation.Usage(u.PromptTokenCount, u.CandidatesTokenCount, u.TotalTokenCount) : null;
        return ChatConversation.Response(contents, finish, usage, parsed.ModelVersion ?? model, parsed.ResponseId, parsed);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConversation.Stream(token => GetResponseAsync(messages, options, token), cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => ChatConversation.Service(this, _metadata, serviceType, serviceKey);

    /// <summary>
    /// A turn as Gemini content: the model's turn is "model"; results go back in one "user" turn of
    /// <c>functionResponse</c> parts, each named by the call it answers and carrying that call's id
    /// when Gemini gave one. A call this client read keeps its <c>id</c> and <c>thoughtSignature</c>.
    /// </summary>
    private static GeminiContent Content(ChatTurn turn)
    {
        switch (turn.Kind)
        {
            case TurnKind.Assistant:
                var parts = new List<GeminiPart>();
                if (turn.Text.Length > 0)
                    parts.Add(new GeminiPart(Text: turn.Text));
                foreach (var call in turn.Calls)
                {
                    var raw = call.Source.RawRepresentation as GeminiPart;
                    parts.Add(new GeminiPart(FunctionCall: new GeminiFunctionCall(call.Name, call.Arguments, raw?.FunctionCall?.Id), ThoughtSignature: raw?.ThoughtSignature));
                }
                return new GeminiContent("model", parts);
            case TurnKind.ToolResults:
                return new GeminiContent("user", turn.Results.Select(FunctionResponse).ToList());
            default:
                return new GeminiContent("user", [new GeminiPart(Text: turn.Text)]);
        }
    }

    private static GeminiPart FunctionResponse(ChatToolResult result)
    {
        var call = result.Call
            ?? throw new ArgumentException($"The function result for call \"{result.CallId}\" answers no function call earlier in the conversation; Gemini needs the called function's name, so keep the assistant message with the call.", "messages");
        // Gemini takes an object; "result" and "error" are the keys its documentation suggests.
        JsonNode response = result.IsError
            ? new JsonObject { ["error"] = result.Text }
            : result.Json is JsonObject o ? o.DeepClone() : new JsonObject { ["result"] = result.Json?.DeepClone() ?? result.Text };
        return new GeminiPart(FunctionResponse: new GeminiFunctionResponse(call.Name, response, (call.RawRepresentation as GeminiPart)?.FunctionCall?.Id));
    }

    private async Task<GeminiResponse> PostAsync(GeminiRequest body, string model, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url($"v1beta/models/{Uri.EscapeDataString(model)}:generateContent"))
            {
                Content = JsonContent.Create(body, GeminiJsonContext.Default.GeminiRequest),
            };
            if (_http.Connection.ApiKey is { Length: > 0 } key)
                message.Headers.Add("x-goog-api-key", key);
            return message;
        }, cancellationToken);
        return _http.ReadJson(response, GeminiJsonContext.Default.GeminiResponse);
    }

    /// <summary>The first candidate, unless the prompt was blocked or the safety filters stopped the answer.</summary>
    private GeminiCandidate Candidate(GeminiResponse parsed)
    {
        var candidate = parsed.Candidates?.FirstOrDefault();
        if (candidate is null)
        {
            throw parsed.PromptFeedback?.BlockReason is { Length: > 0 } block
                ? LanguageReplies.Refused(Vendor, $"blockReason {block}", null)
                : LanguageReplies.Failed(Vendor, $"{Vendor} answered with no candidates", null);
        }
        if (candidate.FinishReason is { } finish && Blocked.Contains(finish))
            throw LanguageReplies.Refused(Vendor, $"finishReason {finish}", null);
        return candidate;
    }

    public void Dispose() => _http.Dispose();
}
