using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Language;

/// <summary>What one turn of a conversation is, once read from <see cref="ChatMessage"/>s: every vendor's wire form is built from these.</summary>
internal enum TurnKind
{
    /// <summary>Instructions: OpenAI and Ollama keep them in place, Anthropic and Gemini take them apart from the messages.</summary>
    System,

    User,

    /// <summary>The model's words and the functions it called.</summary>
    Assistant,

    /// <summary>What the caller's functions answered, consecutive results together (Anthropic and Gemini want them in one message).</summary>
    ToolResults,
}

internal sealed record ChatTurn(TurnKind Kind, string Text, IReadOnlyList<ChatToolCall> Calls, IReadOnlyList<ChatToolResult> Results);

/// <param name="Arguments">The arguments as a JSON object (empty when the call had none or they could not be read).</param>
/// <param name="Source">The call as the caller holds it, with the vendor's own record in <see cref="AIContent.RawRepresentation"/> when this client made it.</param>
internal sealed record ChatToolCall(string Id, string Name, JsonObject Arguments, FunctionCallContent Source);

/// <param name="Call">The call this answers, found earlier in the conversation by its id; null when none has that id.</param>
/// <param name="Text">The result as the model reads it: a string as is, anything else as JSON.</param>
/// <param name="Json">The result as JSON (a string result that holds a JSON object or array is that object or array).</param>
/// <param name="IsError">The function failed (<see cref="FunctionResultContent.Exception"/> is set).</param>
internal sealed record ChatToolResult(string CallId, FunctionCallContent? Call, string Text, JsonNode? Json, bool IsError);

/// <summary>A function declared to the model; the schema always has a "type".</summary>
internal sealed record ChatFunction(string Name, string? Description, JsonObject Schema);

internal enum ToolChoiceKind { Auto, Any, None, Named }

/// <param name="Name">The function the model must call, for <see cref="ToolChoiceKind.Named"/>.</param>
internal sealed record ToolChoice(ToolChoiceKind Kind, string? Name = null);

/// <summary>A request to a chat vendor in the vendor-neutral form the four clients map to their wire.</summary>
/// <param name="Choice">What the caller asked of the model's tool use; null when it said nothing or no tools are offered.</param>
/// <param name="ParallelToolCalls">False when the caller allows one call per answer at most; null when it said nothing.</param>
internal sealed record ChatPlan(
    string Model, IReadOnlyList<ChatTurn> Turns, IReadOnlyList<ChatFunction> Tools, ToolChoice? Choice, float? Temperature, int? MaxOutputTokens, bool? ParallelToolCalls)
{
    /// <summary>All system text in order, for vendors that take it apart from the messages; null when there is none.</summary>
    public string? System =>
        Turns.Where(t => t.Kind == TurnKind.System).Select(t => t.Text).ToList() is { Count: > 0 } texts ? string.Join("\n\n", texts) : null;

    /// <summary>The turns without the system text.</summary>
    public IEnumerable<ChatTurn> Conversation => Turns.Where(t => t.Kind != TurnKind.System);
}

/// <summary>
/// What the four <see cref="IChatClient"/>s share: reading <see cref="ChatMessage"/>s and
/// <see cref="ChatOptions"/> into a <see cref="ChatPlan"/>, reading the model's function calls
/// back (arguments that are not a JSON object become <see cref="FunctionCallContent.Exception"/>,
/// so the caller can tell the model instead of failing), and the answer's shape.
/// </summary>
internal static class ChatConversation
{
    /// <summary>Reads the conversation and options once for any vendor.</summary>
    /// <exception cref="ArgumentException">A message is in a role no vendor takes, or a function call is not the assistant's.</exception>
    /// <exception cref="NotSupportedException">A message holds content these clients do not send (images, files), or a tool is not a function.</exception>
    public static ChatPlan Plan(string vendor, string defaultModel, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var turns = new List<ChatTurn>();
        if (options?.Instructions is { } instructions && !string.IsNullOrWhiteSpace(instructions))
            turns.Add(new ChatTurn(TurnKind.System, instructions, [], []));
        // Call ids seen so far: a result names its function through them (Gemini and Ollama want the name).
        var calls = new Dictionary<string, FunctionCallContent>(StringComparer.Ordinal);
        var index = 0;
        foreach (var message in messages)
        {
            index++;
            if (message is null)
                throw new ArgumentException($"Message {index} of the conversation is null.", nameof(messages));
            var role = message.Role;
            if (role != ChatRole.System && role != ChatRole.User && role != ChatRole.Assistant && role != ChatRole.Tool)
                throw new ArgumentException($"Message {index} has the role \"{role}\"; {vendor} takes system, user, assistant and tool messages.", nameof(messages));
            var text = new StringBuilder();
            var called = new List<ChatToolCall>();
            var results = new List<ChatToolResult>();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case FunctionCallContent call when role == ChatRole.Assistant:
                        calls[call.CallId] = call;
                        called.Add(new ChatToolCall(call.CallId, call.Name, Arguments(call.Arguments), call));
                        break;
                    case FunctionCallContent call:
                        throw new ArgumentException($"Message {index} ({role}) holds a call to {call.Name}; only assistant messages call functions.", nameof(messages));
                    case FunctionResultContent result:
                        results.Add(Result(result, calls.GetValueOrDefault(result.CallId)));
                        break;
                    case TextReasoningContent or UsageContent:
                        // Nothing a vendor takes back in a request.
                        break;
                    default:
                        throw new NotSupportedException($"Message {index} holds {content.GetType().Name}; {vendor} chat takes text, function calls and function results.");
                }
            }

            if (results.Count > 0)
            {
                if (turns.Count > 0 && turns[^1].Kind == TurnKind.ToolResults)
                    turns[^1] = turns[^1] with { Results = [.. turns[^1].Results, .. results] };
                else
                    turns.Add(new ChatTurn(TurnKind.ToolResults, "", [], results));
            }
            var words = text.ToString();
            if (role == ChatRole.Assistant)
            {
                if (words.Length > 0 || called.Count > 0)
                    turns.Add(new ChatTurn(TurnKind.Assistant, words, called, []));
            }
            else if (role == ChatRole.Tool)
            {
                if (results.Count == 0)
                    throw new ArgumentException($"Message {index} is a tool message without a function result.", nameof(messages));
            }
            else if (words.Length > 0)
            {
                turns.Add(new ChatTurn(role == ChatRole.System ? TurnKind.System : TurnKind.User, words, [], []));
            }
        }

        var tools = Tools(vendor, options?.Tools);
        return new ChatPlan(
            string.IsNullOrWhiteSpace(options?.ModelId) ? defaultModel : options.ModelId.Trim(),
            turns,
            tools,
            tools.Count == 0 ? null : Choice(options?.ToolMode),
            options?.Temperature,
            options?.MaxOutputTokens,
            tools.Count == 0 ? null : options?.AllowMultipleToolCalls);
    }

    private static List<ChatFunction> Tools(string vendor, IList<AITool>? tools)
    {
        var result = new List<ChatFunction>();
        foreach (var tool in tools ?? [])
        {
            if (tool is not AIFunctionDeclaration function)
                throw new NotSupportedException($"The tool \"{tool?.Name}\" is a {tool?.GetType().Name}; {vendor} chat takes function declarations only.");
            var schema = function.JsonSchema.ValueKind == JsonValueKind.Object ? JsonNode.Parse(function.JsonSchema.GetRawText())!.AsObject() : [];
            // Every vendor wants an object schema; a function without parameters still has one.
            if (!schema.ContainsKey("type"))
                schema.Insert(0, "type", "object");
            if (!schema.ContainsKey("properties"))
                schema["properties"] = new JsonObject();
            result.Add(new ChatFunction(function.Name, string.IsNullOrWhiteSpace(function.Description) ? null : function.Description, schema));
        }
        return result;
    }

    private static ToolChoice? Choice(ChatToolMode? mode) => mode switch
    {
        null => null,
        NoneChatToolMode => new ToolChoice(ToolChoiceKind.None),
        RequiredChatToolMode { RequiredFunctionName: { } name } => new ToolChoice(ToolChoiceKind.Named, name),
        RequiredChatToolMode => new ToolChoice(ToolChoiceKind.Any),
        _ => new ToolChoice(ToolChoiceKind.Auto),
    };

    /// <summary>A call's arguments as a JSON object.</summary>
    private static JsonObject Arguments(IDictionary<string, object?>? arguments)
    {
        var result = new JsonObject();
        foreach (var (name, value) in arguments ?? new Dictionary<string, object?>())
            result[name] = Node(value);
        return result;
    }

    private static ChatToolResult Result(FunctionResultContent result, FunctionCallContent? call)
    {
        var (text, json) = result.Result switch
        {
            null => ("", null),
            string s => (s, ParseStructured(s) ?? JsonValue.Create(s)),
            TextContent t => (t.Text, JsonValue.Create(t.Text)),
            JsonElement { ValueKind: JsonValueKind.String } e => (e.GetString() ?? "", Node(e)),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => (v.GetValue<string>(), v.DeepClone()),
            var other => Node(other) is { } node ? (node.ToJsonString(), node) : ("", null),
        };
        if (text.Length == 0 && result.Exception is { } error)
            (text, json) = ($"Error: {error.Message}", JsonValue.Create($"Error: {error.Message}"));
        return new ChatToolResult(result.CallId, call, text, json, result.Exception is not null);
    }

    /// <summary>A value as JSON: JSON stays as it is, anything else is serialized the way Microsoft.Extensions.AI serializes.</summary>
    private static JsonNode? Node(object? value) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Undefined } => null,
        JsonElement e => JsonNode.Parse(e.GetRawText()),
        JsonNode n => n.DeepClone(),
        string s => JsonValue.Create(s),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), AIJsonUtilities.DefaultOptions),
    };

    private static JsonNode? ParseStructured(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '['))
            return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A function call as the model wrote it. Arguments that are not a JSON object do not fail the
    /// answer: the call has no arguments and <see cref="FunctionCallContent.Exception"/> says what
    /// was wrong, so the caller can tell the model.
    /// </summary>
    /// <param name="id">The vendor's call id; one is made up when the vendor gives none.</param>
    /// <param name="arguments">The arguments' JSON text; empty means none.</param>
    /// <param name="raw">The vendor's record of the call, kept for the next request.</param>
    public static FunctionCallContent Call(string? id, string? name, string? arguments, object? raw)
    {
        var call = new FunctionCallContent(string.IsNullOrEmpty(id) ? NewCallId() : id, name ?? "", null) { RawRepresentation = raw };
        if (string.IsNullOrWhiteSpace(arguments))
        {
            call.Arguments = new Dictionary<string, object?>();
            return call;
        }
        try
        {
            using var doc = JsonDocument.Parse(arguments);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                call.Exception = new JsonException($"the arguments are a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object");
                return call;
            }
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
                values[property.Name] = property.Value.Clone();
            call.Arguments = values;
        }
        catch (JsonException ex)
        {
            call.Exception = new JsonException($"the arguments are not valid JSON: {ex.Message}", ex);
        }
        return call;
    }

    /// <summary>A call id for vendors that give none (Gemini, Ollama), unique within any conversation.</summary>
    public static string NewCallId() => $"call_{Guid.NewGuid():N}";

    /// <summary>The answer: one assistant message with the model's words and calls.</summary>
    public static ChatResponse Response(
        List<AIContent> contents, ChatFinishReason? finish, UsageDetails? usage, string? modelId, string? responseId, object raw, DateTimeOffset? created = null) =>
        new(new ChatMessage(ChatRole.Assistant, contents) { RawRepresentation = raw, MessageId = responseId })
        {
            FinishReason = finish,
            Usage = usage,
            ModelId = modelId,
            ResponseId = responseId,
            CreatedAt = created,
            RawRepresentation = raw,
        };

    public static UsageDetails? Usage(long? input, long? output, long? total = null) =>
        input is null && output is null ? null : new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = total ?? input + output };

    /// <summary>The model's words, when there are any, as the first content.</summary>
    public static List<AIContent> Contents(string? text)
    {
        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(text))
            contents.Add(new TextContent(text));
        return contents;
    }

    /// <summary>
    /// The answer as updates: these vendors are called without streaming, so the one answer is
    /// asked for when the caller starts reading and handed over whole.
    /// </summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Stream(
        Func<CancellationToken, Task<ChatResponse>> respond, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await respond(cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    /// <summary><see cref="IChatClient.GetService"/> for the four clients: their metadata, or the client itself.</summary>
    public static object? Service(IChatClient client, ChatClientMetadata metadata, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ChatClientMetadata))
            return metadata;
        return serviceType.IsInstanceOfType(client) ? client : null;
    }
}
