using System.CommandLine;
using System.Diagnostics;
using Easel.Cli.Output;
using Easel.Core.Orders;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>`easel approve` and `easel reject`: decide an approval request by its id.</summary>
internal static class ApprovalCommands
{
    public static Command Approve(CliConsole console, EaselServices services)
    {
        var id = new Argument<string>("request-id") { Description = "The approval request's id, as printed when the order was placed." };
        var count = new Option<int?>("--count") { Description = "Approve only this many of the images (K of N).", HelpName = "K" };
        var note = new Option<string?>("--note") { Description = "Why, for the audit trail." };
        var actor = new Option<string?>("--as") { Description = "Who decides (default: your login name).", HelpName = "NAME" };
        var noWait = new Option<bool>("--no-wait") { Description = "Record the decision and return; a running worker (or a later `easel worker`) makes the images." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
                r.AddError("--count must be 1 or more.");
        });
        var command = new Command("approve", "Approve an order waiting for approval (all of it, or --count K of its images), then follow it to the end.")
        {
            id, count, note, actor, noWait, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var decision = new ApprovalDecision(parse.GetRequiredValue(id), Approve: true, Name(parse.GetValue(actor), services), Note(parse.GetValue(note)), parse.GetValue(count));
            var clock = Stopwatch.StartNew();
            var (order, request) = await services.Orders.DecideAsync(decision, cancellationToken);
            var part = request.ApprovedCount is { } k && k != request.Summary.Count ? $"{k} of {request.Summary.Count}" : $"all {request.Summary.Count}";
            console.Log($"Approved {part} images of order {order.Id} (by {request.DecidedBy}).");
            if (parse.GetValue(noWait))
            {
                if (parse.GetValue(json))
                    OrderOutput.WriteJson(console, new DecisionJson(order.Id, order.Status.ToText(), OrderOutput.ToJson(request)), CliJsonContext.Default.DecisionJson);
                else
                    console.Out.MarkupLine($"Order [bold]{order.Id}[/] is queued. A running `easel worker` makes it now; otherwise run `easel orders wait {order.Id}`.");
                return ExitCodes.Success;
            }
            order = await OrderFollower.FollowAsync(console, services, order.Id, cancellationToken);
            await OrderOutput.WriteResultAsync(console, services, order, parse.GetValue(json), clock.Elapsed, null, cancellationToken);
            return order.Status == OrderStatus.Completed ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    public static Command Reject(CliConsole console, EaselServices services)
    {
        var id = new Argument<string>("request-id") { Description = "The approval request's id, as printed when the order was placed." };
        var note = new Option<string?>("--note") { Description = "Why, for the audit trail and the requester." };
        var actor = new Option<string?>("--as") { Description = "Who decides (default: your login name).", HelpName = "NAME" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        var command = new Command("reject", "Reject an order waiting for approval: nothing is generated.") { id, note, actor, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var decision = new ApprovalDecision(parse.GetRequiredValue(id), Approve: false, Name(parse.GetValue(actor), services), Note(parse.GetValue(note)));
            var (order, request) = await services.Orders.DecideAsync(decision, cancellationToken);
            if (parse.GetValue(json))
                OrderOutput.WriteJson(console, new DecisionJson(order.Id, order.Status.ToText(), OrderOutput.ToJson(request)), CliJsonContext.Default.DecisionJson);
            else
                console.Out.MarkupLine($"[red]✗[/] Order [bold]{order.Id}[/] rejected by {Markup.Escape(request.DecidedBy ?? "")}; nothing was generated.");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Name(string? given, EaselServices services)
    {
        if (given is null)
            return services.UserName;
        var name = given.Trim();
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
            throw new UsageException("--as needs a name of 1 to 100 printable characters.");
        return name;
    }

    internal static string? Note(string? given)
    {
        if (string.IsNullOrWhiteSpace(given))
            return null;
        var note = given.Trim();
        if (note.Length > 2000)
            throw new UsageException($"--note is {note.Length} characters long; the limit is 2000.");
        return note;
    }
}

/// <summary>The question `easel generate` asks in a terminal when an order needs approval.</summary>
internal static class ApprovalPrompt
{
    /// <summary>Returns the order after the person's decision, or null when they chose to decide later.</summary>
    public static async Task<Order?> AskAsync(CliConsole console, EaselServices services, ApprovalRequest request, CancellationToken cancellationToken)
    {
        OrderOutput.WriteSummary(console, request, services.Time);
        var n = request.Summary.Count;
        const string all = "Approve all", part = "Approve part…", reject = "Reject", later = "Decide later";
        var choice = await new SelectionPrompt<string>()
            .Title("Approve this order?")
            .AddChoices(all, part, reject, later)
            .ShowAsync(console.Error, cancellationToken);
        if (choice == later)
            return null;

        int? count = null;
        string? note = null;
        if (choice == part)
        {
            count = await new TextPrompt<int>($"How many of the {n} images?")
                .Validate(k => k >= 1 && k <= n ? ValidationResult.Success() : ValidationResult.Error($"Enter a number from 1 to {n}."))
                .ShowAsync(console.Error, cancellationToken);
        }
        else if (choice == reject)
        {
            note = ApprovalCommands.Note(await new TextPrompt<string>("Why (optional)?").AllowEmpty().ShowAsync(console.Error, cancellationToken));
        }
        var (order, _) = await services.Orders.DecideAsync(
            new ApprovalDecision(request.Id, choice != reject, services.UserName, note, count), cancellationToken);
        return order;
    }
}
