using System.Text.Encodings.Web;
using System.Text.Json;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Microsoft.Extensions.AI;

namespace Easel.Workflows.Agent;

/// <summary>
/// A language model turning a request in plain words into orders by calling <see cref="AgentTools"/>,
/// turn after turn, until it answers in words. Every tool call is run here, checked, and answered;
/// a call to a tool that does not exist or with bad arguments is answered with what was wrong, so
/// the model can correct itself within <see cref="MaxSteps"/>.
/// </summary>
public sealed class OrderAgent(IChatClient model, AgentTools tools)
{
    /// <summary>Results as plain text: "person's", not "person\u0027s", which costs the model tokens and clarity.</summary>
    private static readonly JsonSerializerOptions ResultJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Most model calls for one turn of the conversation.</summary>
    public const int MaxSteps = 12;

    public static string Instructions(EaselServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var approval = services.Settings.Approval;
        return $"""
            You are Easel's ordering assistant. You turn a person's request for images into an order and place it with the tools.
            - Take from the request: the number of images, the subject (keep the person's own words as the prompt), what must not appear (negative_prompt: "no text" becomes "text"), size or aspect ratio, style ({string.Join(", ", ImageStyles.Known)}), seed, provider ({string.Join(", ", services.Providers.Names)}; the default is {ProviderRegistry.DefaultProvider}), quality, format and loop settings (max_iterations, threshold, candidates).
            - If the number of images or the subject is missing, ask one short question and call no tool.
            - Call plan_order before create_order, then create_order once per order.
            - Orders of more than {approval.MaxImagesWithoutApproval} images or above ${approval.MaxCostWithoutApproval} wait for a person's approval. You cannot approve anything and must not say an order is approved.
            - Use search_gallery when the person refers to images made earlier, and refine_prompt when they ask for help with a prompt.
            - When a tool answers with an error, correct the arguments and call it again.
            - Finish with one or two plain sentences saying what you ordered or what you need.
            """;
    }

    /// <summary>Runs the conversation until the model answers in words; the conversation keeps every message, so a person's reply can be added and the agent run again.</summary>
    /// <exception cref="AgentException">The model kept calling tools past <see cref="MaxSteps"/> or answered nothing.</exception>
    /// <exception cref="ProviderException">The model's vendor refused or failed.</exception>
    public async Task<AgentTurn> RunAsync(List<ChatMessage> conversation, Action<ToolOutcome>? onTool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var options = new ChatOptions { Tools = [.. tools.Declarations], ToolMode = ChatToolMode.Auto };
        var calls = new List<ToolOutcome>();
        for (var step = 0; step < MaxSteps; step++)
        {
            var response = await model.GetResponseAsync(conversation, options, cancellationToken);
            conversation.AddRange(response.Messages);
            var requested = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (requested.Count == 0)
            {
                var text = response.Text.Trim();
                if (text.Length == 0 && calls.Count == 0)
                    throw new AgentException("The model answered with neither words nor tool calls.");
                return new AgentTurn(text, calls);
            }

            var results = new List<AIContent>(requested.Count);
            foreach (var call in requested)
            {
                var outcome = await tools.InvokeAsync(call, cancellationToken);
                calls.Add(outcome);
                onTool?.Invoke(outcome);
                results.Add(new FunctionResultContent(call.CallId, outcome.Result.ToJsonString(ResultJson)));
            }
            conversation.Add(new ChatMessage(ChatRole.Tool, results));
        }
        throw new AgentException($"The model was still calling tools after {MaxSteps} steps; nothing more was done.");
    }
}

/// <param name="Text">The model's closing words: what it ordered, or the question it asks.</param>
/// <param name="Calls">Every tool call of this turn, in order, with what it was told.</param>
public sealed record AgentTurn(string Text, IReadOnlyList<ToolOutcome> Calls);

/// <summary>The agent could not finish; the message says why in one sentence.</summary>
public sealed class AgentException(string message) : Exception(message);
