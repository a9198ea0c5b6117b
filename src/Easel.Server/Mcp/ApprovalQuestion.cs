using System.Globalization;
using System.Text.Json;
using Easel.Core.Orders;
using Easel.Workflows;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace Easel.Server.Mcp;

/// <summary>What became of asking the person: decided (either way), or still undecided and why.</summary>
internal sealed record ApprovalAnswer(Order? Decided, string? Undecided);

/// <summary>
/// Asks the person at the MCP client, through an elicitation form, whether an order waiting for
/// approval may run. The answer is theirs: the form's "approve" box approves (all, or the number
/// they give), an unticked box or "decline" rejects, and "cancel", no answer in time or a failing
/// client leave the request pending for a decision elsewhere. The model never answers this form:
/// elicitation goes to the user, not to the model.
/// </summary>
internal static class ApprovalQuestion
{
    /// <summary>Longest a form waits for its answer before the request is left for a decision elsewhere.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    /// <summary>Longest note kept with a decision (as the CLI and the API allow).</summary>
    private const int MaxNoteLength = 2000;

    /// <summary>True when the client can show a form (an elicitation capability without modes means form).</summary>
    public static bool Supported(McpServer server) =>
        server.ClientCapabilities?.Elicitation is { } elicitation && (elicitation.Form is not null || elicitation.Url is null);

    public static async Task<ApprovalAnswer> AskAsync(
        McpServer server, EaselServices services, ApprovalRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        var client = ClientName(server);
        var remaining = request.ExpiresAt - services.Time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
            return new ApprovalAnswer(null, "The approval request expired before it could be asked.");
        using var timeout = new CancellationTokenSource(remaining < MaxWait ? remaining : MaxWait, services.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        ElicitResult answer;
        try
        {
            answer = await server.ElicitAsync(Question(request), linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ApprovalAnswer(null, $"The user did not answer the approval question in {client} within {Durations(remaining < MaxWait ? remaining : MaxWait)}.");
        }
        catch (Exception ex) when (ex is McpException or InvalidOperationException)
        {
            logger.LogWarning("Asking for approval through {Client} failed: {Message}", client, ex.Message);
            return new ApprovalAnswer(null, $"{client} could not show the approval question ({ex.Message}).");
        }

        ApprovalDecision decision;
        switch (answer.Action)
        {
            case "accept":
                var content = answer.Content ?? new Dictionary<string, JsonElement>();
                var note = Note(content);
                if (!content.TryGetValue("approve", out var approve) || approve.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    return new ApprovalAnswer(null, "The approval form came back without a yes or no, so nothing was decided.");
                if (approve.ValueKind == JsonValueKind.False)
                {
                    decision = new ApprovalDecision(request.Id, Approve: false, DecidedBy(services, client), note ?? $"Rejected in {client}.");
                    break;
                }
                int? count = null;
                if (content.TryGetValue("images", out var images) && images.ValueKind != JsonValueKind.Null)
                {
                    if (images.ValueKind != JsonValueKind.Number || !images.TryGetInt32(out var k) || k < 1 || k > request.Summary.Count)
                        return new ApprovalAnswer(null, $"The approval form asked for {Shown(images)} images; approve between 1 and {request.Summary.Count}. Nothing was decided.");
                    count = k == request.Summary.Count ? null : k;
                }
                decision = new ApprovalDecision(request.Id, Approve: true, DecidedBy(services, client), note, count);
                break;
            case "decline":
                decision = new ApprovalDecision(request.Id, Approve: false, DecidedBy(services, client), $"Declined in {client}.");
                break;
            default:
                return new ApprovalAnswer(null, $"The user closed the approval question in {client} without deciding.");
        }

        try
        {
            var (order, _) = await services.Orders.DecideAsync(decision, cancellationToken);
            services.Nudge();
            return new ApprovalAnswer(order, null);
        }
        catch (ApprovalRefusedException ex)
        {
            // Someone decided first (the CLI, the studio), or the request expired meanwhile: the first decision stands.
            var order = await services.Store.Orders.FindAsync(request.OrderId, cancellationToken);
            return order is not null && order.Status != OrderStatus.AwaitingApproval ? new ApprovalAnswer(order, null) : new ApprovalAnswer(null, ex.Message);
        }
    }

    private static ElicitRequestParams Question(ApprovalRequest request)
    {
        var s = request.Summary;
        var message =
            $"Easel asks for your approval before it makes anything or spends any money.\n" +
            $"Order: {s.Count} images of \"{s.Prompt}\" from {s.Provider} ({s.Model}), in {s.Batches} {(s.Batches == 1 ? "call" : "calls")} of up to {s.ImagesPerCall}.\n" +
            $"Worst-case cost: {Money.Format(s.EstimatedCost)}" + (s.MinCost is { } min && min != s.EstimatedCost ? $" (at least {Money.Format(min)})." : ".") + "\n" +
            $"Approval is needed because {string.Join("; ", s.Reasons)}.\n" +
            $"Request {request.Id} expires {OrderReports.Time(request.ExpiresAt)}.\n" +
            "Tick approve to make the images (give a number to make only that many), or leave it unticked to reject the order.";
        return new ElicitRequestParams
        {
            Message = message,
            RequestedSchema = new RequestSchema
            {
                Properties =
                {
                    ["approve"] = new BooleanSchema
                    {
                        Title = "Approve",
                        Description = $"Yes: make the images. No: reject the order; nothing is made.",
                    },
                    ["images"] = new NumberSchema
                    {
                        Type = "integer",
                        Title = "Images to make",
                        Description = $"Approve only this many of the {s.Count} images (1-{s.Count}); leave empty for all.",
                        Minimum = 1,
                        Maximum = s.Count,
                    },
                    ["note"] = new StringSchema
                    {
                        Title = "Note",
                        Description = "Why, for the order's audit trail (optional).",
                        MaxLength = MaxNoteLength,
                    },
                },
                Required = ["approve"],
            },
        };
    }

    private static string? Note(IDictionary<string, JsonElement> content)
    {
        if (!content.TryGetValue("note", out var value) || value.ValueKind != JsonValueKind.String)
            return null;
        var note = value.GetString()?.Trim();
        if (string.IsNullOrEmpty(note))
            return null;
        return note.Length > MaxNoteLength ? note[..MaxNoteLength] : note;
    }

    private static string Shown(JsonElement value) => ToolResults.Shorten(value.GetRawText(), 20);

    /// <summary>The audit trail's "who": the person at this machine, and where they answered.</summary>
    private static string DecidedBy(EaselServices services, string client) => $"{services.UserName} in {client} (MCP elicitation)";

    /// <summary>The client's name from the handshake, made safe for the audit trail and messages.</summary>
    public static string ClientName(McpServer server)
    {
        var name = new string((server.ClientInfo?.Name ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return name.Length == 0 ? "the MCP client" : ToolResults.Shorten(name, 60);
    }

    private static string Durations(TimeSpan t) =>
        t >= TimeSpan.FromMinutes(1) ? $"{Math.Round(t.TotalMinutes).ToString(CultureInfo.InvariantCulture)} minutes" : $"{Math.Ceiling(t.TotalSeconds).ToString(CultureInfo.InvariantCulture)} seconds";
}
