using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Easel.Cli.Output;
using Easel.Core.Orders;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>`easel orders`: list orders, show one's timeline, cancel one, wait for one.</summary>
internal static class OrdersCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var statuses = new Option<string[]>("--status")
        {
            Description = $"Only orders in these states: {string.Join(", ", Enum.GetValues<OrderStatus>().Select(s => s.ToText()))}.",
            AllowMultipleArgumentsPerToken = true,
        };
        var limit = new Option<int>("--limit") { Description = "Most orders to list (newest first).", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        statuses.Validators.Add(r =>
        {
            foreach (var text in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!OrderStatusExtensions.TryParse(text, out _))
                    r.AddError($"Unknown status '{text}'. Known: {string.Join(", ", Enum.GetValues<OrderStatus>().Select(s => s.ToText()))}.");
            }
        });
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10_000)
                r.AddError("--limit must be between 1 and 10000.");
        });

        var command = new Command("orders", "List orders, newest first.") { statuses, limit, json, Show(console, services), Cancel(console, services), Wait(console, services) };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await services.Orders.ExpireDueAsync(cancellationToken);
            var wanted = (parse.GetValue(statuses) ?? []).Select(s => OrderStatusExtensions.TryParse(s, out var v) ? v : default).ToList();
            var orders = await services.Store.Orders.ListAsync(wanted, parse.GetValue(limit), cancellationToken);
            var requests = new Dictionary<string, ApprovalRequest>();
            foreach (var order in orders.Where(o => o.Status == OrderStatus.AwaitingApproval))
            {
                if (await services.Store.Orders.ApprovalForOrderAsync(order.Id, cancellationToken) is { } r)
                    requests[order.Id] = r;
            }

            if (parse.GetValue(json))
            {
                var list = orders.Select(o => new OrderSummaryJson(o.Id, o.Status.ToText(), o.Prompt, o.Count, o.ApprovedCount, o.Provider, o.CreatedAt, o.CompletedAt,
                    requests.TryGetValue(o.Id, out var r) ? r.Id : null)).ToList();
                OrderOutput.WriteJson(console, new OrderListJson(list), CliJsonContext.Default.OrderListJson);
                return ExitCodes.Success;
            }
            if (orders.Count == 0)
            {
                console.Error.WriteLine(wanted.Count > 0 ? "No orders in that state." : "No orders yet. Try: easel generate \"a red fox in the snow\"");
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("Order").AddColumn("Status").AddColumn("Images").AddColumn("Created").AddColumn("Prompt");
            foreach (var o in orders)
            {
                var status = OrderOutput.Status(o.Status);
                if (requests.TryGetValue(o.Id, out var r))
                    status += $" ({r.Id})";
                table.AddRow(o.Id, Markup.Escape(status), o.ApprovedCount is { } k && k != o.Count ? $"{k} of {o.Count}" : o.Count.ToString(CultureInfo.InvariantCulture),
                    OrderOutput.LocalTime(o.CreatedAt, services.Time), Markup.Escape(Shorten(o.Prompt, 60)));
            }
            console.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliConsole console, EaselServices services)
    {
        var id = new Argument<string>("order-id") { Description = "The order's id (or a unique prefix)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout, with every event." };
        var command = new Command("show", "Show an order: its approval, batches and timeline.") { id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await services.Orders.ExpireDueAsync(cancellationToken);
            var store = services.Store.Orders;
            var order = await FindAsync(services, parse.GetRequiredValue(id), cancellationToken);
            var request = await store.ApprovalForOrderAsync(order.Id, cancellationToken);
            var batches = await store.BatchesAsync(order.Id, cancellationToken);
            var events = await store.EventsAsync(order.Id, cancellationToken);
            var made = await store.CountImagesAsync(order.Id, cancellationToken);
            var cost = batches.Sum(b => b.Cost ?? 0);

            if (parse.GetValue(json))
            {
                OrderOutput.WriteJson(console, new OrderJson(
                    order.Id, order.Status.ToText(), order.Prompt, order.NegativePrompt, order.Count, order.ApprovedCount, made,
                    order.Size.ToString(), order.Style, order.Provider, order.Model, order.ImagesPerCall, order.EstimatedCost, cost,
                    order.CreatedAt, order.CompletedAt, order.Error,
                    new LoopJson(order.Loop.MaxIterations, order.Loop.Threshold, order.Loop.Candidates, order.Loop.Preset),
                    order.Source is { } source ? new SourceJson(source.ImageId, source.Kind.ToText(), source.Strength?.ToString().ToLowerInvariant(), source.Scale) : null,
                    order.References.Select(r => r.Source).ToList(),
                    request is null ? null : OrderOutput.ToJson(request),
                    batches.Select(b => new BatchJson(
                        b.Index, b.Iteration, b.FirstSlot, b.Count, b.FirstCandidate, b.Candidates, b.Prompt,
                        b.Status.ToString().ToLowerInvariant() switch { "inflight" => "in_flight", var s => s }, b.Attempts, b.Error, b.Cost)).ToList(),
                    events.Select(OrderOutput.ToJson).ToList()), CliJsonContext.Default.OrderJson);
                return ExitCodes.Success;
            }

            var slots = await store.SlotsAsync(order.Id, cancellationToken);
            var final = slots.Count > 0 ? slots.Count(s => s.BestImageId is not null) : made;
            var tries = made > final ? $" ({made} made in all)" : "";
            console.Out.MarkupLine($"Order [bold]{order.Id}[/]: {Markup.Escape(OrderOutput.Status(order.Status))}, {final} of {order.TargetCount} images{tries}");
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow("[grey]Prompt[/]", Markup.Escape(order.Prompt));
            if (order.NegativePrompt is { } negative)
                grid.AddRow("[grey]Negative[/]", Markup.Escape(negative));
            grid.AddRow("[grey]Provider[/]", Markup.Escape($"{order.Provider} ({order.Model}), up to {order.ImagesPerCall} per call"));
            grid.AddRow("[grey]Size[/]", Markup.Escape(order.Size.ToString() + (order.Style is { } st ? $", {st}" : "")));
            grid.AddRow("[grey]Loop[/]", Markup.Escape(
                $"up to {order.Loop.MaxIterations} iterations until a score of {order.Loop.Threshold}, best of {order.Loop.Candidates}" + (order.Loop.Preset is { } preset ? $", preset {preset}" : "")));
            if (order.Source is { } from)
                grid.AddRow("[grey]From[/]", Markup.Escape($"{from.Kind.ToText()} of {from.ImageId}"));
            grid.AddRow("[grey]Cost[/]", $"{Core.Orders.Money.Format(cost)} (estimated {Core.Orders.Money.Format(order.EstimatedCost)})");
            if (request is not null)
                grid.AddRow("[grey]Approval[/]", Markup.Escape($"{request.Id}: {request.Status.ToString().ToLowerInvariant()}" + (request.Status == ApprovalStatus.Pending ? $", expires {OrderOutput.LocalTime(request.ExpiresAt, services.Time)}" : "")));
            if (order.Error is { } error)
                grid.AddRow("[grey]Problem[/]", Markup.Escape(error));
            console.Out.Write(grid);
            console.Out.WriteLine();
            var timeline = new Table().Border(TableBorder.Simple).AddColumn("Time").AddColumn("Event");
            foreach (var e in events)
                timeline.AddRow(OrderOutput.LocalTime(e.At, services.Time), Markup.Escape(OrderOutput.Describe(e)));
            console.Out.Write(timeline);
            if (order.Status == OrderStatus.AwaitingApproval && request is not null)
            {
                console.Out.WriteLine("Decide with one of:");
                foreach (var c in OrderOutput.DecisionCommands(request))
                    console.Out.WriteLine($"  {c}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Cancel(CliConsole console, EaselServices services)
    {
        var id = new Argument<string>("order-id") { Description = "The order's id (or a unique prefix)." };
        var note = new Option<string?>("--note") { Description = "Why, for the audit trail." };
        var actor = new Option<string?>("--as") { Description = "Who cancels (default: your login name).", HelpName = "NAME" };
        var command = new Command("cancel", "Cancel an order that has not finished. Images already made are kept.") { id, note, actor };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var order = await services.Orders.CancelAsync(parse.GetRequiredValue(id), ApprovalCommands.Name(parse.GetValue(actor), services),
                ApprovalCommands.Note(parse.GetValue(note)), cancellationToken);
            var made = await services.Store.Orders.CountImagesAsync(order.Id, cancellationToken);
            console.Out.MarkupLine($"Order [bold]{order.Id}[/] cancelled; {made} {(made == 1 ? "image was" : "images were")} made before and {(made == 1 ? "is" : "are")} kept.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Wait(CliConsole console, EaselServices services)
    {
        var id = new Argument<string>("order-id") { Description = "The order's id (or a unique prefix)." };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object on stdout." };
        var command = new Command("wait", "Follow an order to its end (through approval, if it waits for one), making its images if no worker runs.") { id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var order = await FindAsync(services, parse.GetRequiredValue(id), cancellationToken);
            var clock = Stopwatch.StartNew();
            if (order.Status == OrderStatus.AwaitingApproval && await services.Store.Orders.ApprovalForOrderAsync(order.Id, cancellationToken) is { } request)
                console.Log($"Order {order.Id} waits for approval: easel approve {request.Id}");
            order = await OrderFollower.FollowAsync(console, services, order.Id, cancellationToken);
            await OrderOutput.WriteResultAsync(console, services, order, parse.GetValue(json), clock.Elapsed, null, cancellationToken);
            return order.Status == OrderStatus.Completed ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static async Task<Order> FindAsync(EaselServices services, string id, CancellationToken cancellationToken) =>
        await services.Store.Orders.FindAsync(id, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no order '{id}'. `easel orders` lists them.");

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
