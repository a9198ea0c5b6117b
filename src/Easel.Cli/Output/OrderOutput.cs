using System.Globalization;
using System.Text.Json;
using Easel.Core;
using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Spectre.Console;

namespace Easel.Cli.Output;

/// <summary>How orders, approval requests and audit events are shown, as tables or JSON.</summary>
internal static class OrderOutput
{
    public static void WriteJson<T>(CliConsole console, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        console.RawOut.WriteLine(JsonSerializer.Serialize(value, type));
        console.RawOut.Flush();
    }

    /// <summary>The exact commands that decide a request, to copy and paste.</summary>
    public static IReadOnlyList<string> DecisionCommands(ApprovalRequest request) =>
    [
        $"easel approve {request.Id}",
        $"easel approve {request.Id} --count K",
        $"easel reject {request.Id} --note \"why\"",
    ];

    public static void WriteSummary(CliConsole console, ApprovalRequest request, TimeProvider time)
    {
        var s = request.Summary;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[grey]Prompt[/]", Markup.Escape(s.Prompt));
        grid.AddRow("[grey]Images[/]", $"{s.Count} in {s.Batches} {(s.Batches == 1 ? "call" : "calls")} of up to {s.ImagesPerCall}");
        grid.AddRow("[grey]Provider[/]", Markup.Escape($"{s.Provider} ({s.Model})"));
        grid.AddRow("[grey]Estimated cost[/]", Markup.Escape(CostText(s)));
        grid.AddRow("[grey]Why[/]", Markup.Escape(Sentence(string.Join("; ", s.Reasons))));
        grid.AddRow("[grey]Expires[/]", $"{LocalTime(request.ExpiresAt, time)} (in {Durations.Format(Remaining(request, time))})");
        grid.AddRow("[grey]Request[/]", request.Id);
        console.Error.Write(new Panel(grid).Header($"Order {request.OrderId} needs approval").Border(BoxBorder.Rounded));
    }

    /// <summary>For a pipe or CI: the request and how to decide it, then the caller exits with <see cref="ExitCodes.AwaitingApproval"/>.</summary>
    public static void WriteAwaiting(CliConsole console, Order order, ApprovalRequest request, bool json, TimeProvider time)
    {
        if (json)
        {
            WriteJson(console, new AwaitingApprovalJson(order.Id, order.Status.ToText(), ToJson(request), DecisionCommands(request)), CliJsonContext.Default.AwaitingApprovalJson);
            return;
        }
        var s = request.Summary;
        console.Out.MarkupLine($"[yellow]⏸[/] Order [bold]{order.Id}[/] waits for approval: {Markup.Escape(Sentence(string.Join("; ", s.Reasons)))}");
        console.Out.MarkupLine($"  {s.Count} images in {s.Batches} {(s.Batches == 1 ? "call" : "calls")} of up to {s.ImagesPerCall} ({Markup.Escape(s.Provider)}, {Markup.Escape(s.Model)}), estimated cost {Markup.Escape(CostText(s))}");
        console.Out.MarkupLine($"  Request [bold]{request.Id}[/] expires {LocalTime(request.ExpiresAt, time)} (in {Durations.Format(Remaining(request, time))}).");
        console.Out.WriteLine("  Decide with one of:");
        foreach (var command in DecisionCommands(request))
            console.Out.WriteLine($"    {command}");
    }

    public static async Task WriteResultAsync(CliConsole console, EaselServices services, Order order, bool json, TimeSpan? elapsed,
        Func<IReadOnlyList<ImageRecord>, List<string>, Task<Dictionary<string, string>>>? copyOut, CancellationToken cancellationToken)
    {
        var result = OrderResult.Build(
            order,
            await services.Store.Images.ListByOrderAsync(order.Id, cancellationToken),
            await services.Store.Orders.BatchesAsync(order.Id, cancellationToken));
        var images = result.FinalImages;
        var errors = new List<string>();
        if (order.Error is { } error)
            errors.Add(error);
        var copies = copyOut is null ? [] : await copyOut(images, errors);
        if (json)
        {
            var best = result.Best;
            var payload = new GenerateJson(
                order.Id,
                order.Status.ToText(),
                best?.Best?.Path,
                best?.FinalScore,
                PromptHistory: best?.PromptHistory ?? [order.Prompt],
                ImageHistory: best?.Images.Select(i => i.Path).ToList() ?? [],
                FeedbackHistory: best?.FeedbackHistory ?? [],
                Iterations: result.Iterations,
                Cost: result.Cost,
                Images: images.Select(i => new ImageJson(i.Id, i.Slot, i.Path, i.Width, i.Height, i.Seed, i.Sha256, i.Score, copies.GetValueOrDefault(i.Id))).ToList(),
                Slots: result.Slots.Select(s => new SlotJson(
                    s.Slot, s.Best?.Path, s.FinalScore, s.Iterations, s.PromptHistory, s.Images.Select(i => i.Path).ToList(), s.FeedbackHistory)).ToList(),
                Errors: errors);
            WriteJson(console, payload, CliJsonContext.Default.GenerateJson);
        }
        else
        {
            WriteHuman(console, result, copies, elapsed);
        }
        foreach (var line in errors)
            console.ErrorLine(line);
    }

    private static void WriteHuman(CliConsole console, OrderResult result, Dictionary<string, string> copies, TimeSpan? elapsed)
    {
        var order = result.Order;
        var images = result.FinalImages;
        var (mark, word) = order.Status switch
        {
            OrderStatus.Completed => ("[green]✓[/]", "done"),
            OrderStatus.PartiallyCompleted => ("[yellow]![/]", "partly done"),
            OrderStatus.Rejected => ("[red]✗[/]", "rejected"),
            OrderStatus.Expired => ("[red]✗[/]", "expired"),
            OrderStatus.Cancelled => ("[red]✗[/]", "cancelled"),
            _ => ("[red]✗[/]", "failed"),
        };
        var noun = images.Count == 1 ? "image" : "images";
        var time = elapsed is { } e ? $" in {e.TotalSeconds:0.0} s" : "";
        var made = result.Slots.Sum(s => s.Images.Count);
        var tried = made > images.Count ? $", best of {made} made" : "";
        console.Out.MarkupLine($"{mark} Order [bold]{order.Id}[/] {word}: {images.Count} of {order.TargetCount} {noun}{tried}{time} ({Markup.Escape(order.Provider)}, {Markup.Escape(order.Model)})");
        if (images.Count == 0)
            return;

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("#").AddColumn("Image").AddColumn(new TableColumn("Score").RightAligned()).AddColumn("Tries").AddColumn("Size").AddColumn("File");
        foreach (var slot in result.Slots)
        {
            if (slot.Best is not { } image)
                continue;
            var file = copies.TryGetValue(image.Id, out var copy) ? copy : image.Path;
            table.AddRow(
                (image.Slot + 1).ToString(CultureInfo.InvariantCulture),
                image.Id,
                ScoreText(image.Score, order.Loop.Threshold),
                $"{slot.Images.Count}",
                $"{image.Width}x{image.Height}",
                Markup.Escape(file));
        }
        console.Out.Write(table);
        if (result.Slots.Count == 1 && result.Slots[0].Best?.Evaluation is { } evaluation)
            console.Out.MarkupLine($"[grey]{Markup.Escape(evaluation.Feedback)}[/]");
    }

    /// <summary>One event as a line of a timeline: "batch 2 finished: 4 images in 1.0 s ($0.012)".</summary>
    public static string Describe(OrderEvent e)
    {
        var who = e.Actor is { } a && a != OrderEvent.System ? $" by {a}" : "";
        var note = e.Note is { Length: > 0 } n ? $" ({n})" : "";
        var batch = e.Batch is { } b ? $"batch {b + 1}" : "batch";
        var duration = e.Duration is { } d ? $" in {d.TotalSeconds:0.0} s" : "";
        var cost = e.Cost is { } c && c > 0 ? $", {Money.Format(c)}" : "";
        return e.Kind switch
        {
            OrderEventKind.Requested => $"requested{who}: {Images(e.Images)} from {e.Provider} ({e.Model}), estimated at most {Money.Format(e.Cost ?? 0)}",
            OrderEventKind.ApprovalRequested => $"approval requested{note}",
            OrderEventKind.Approved => $"approved{who}{(e.Images is { } k ? $": {k} images" : "")}{note}",
            OrderEventKind.Rejected => $"rejected{who}{note}",
            OrderEventKind.Expired => $"expired{note}",
            OrderEventKind.Queued => "queued",
            OrderEventKind.Started => "started",
            OrderEventKind.BatchStarted => $"{batch} started: {Images(e.Images)}, attempt {e.Attempt}{note}",
            OrderEventKind.BatchFinished => $"{batch} finished: {Images(e.Images)}{duration}{cost}",
            OrderEventKind.Refined => $"refined: {e.Note}",
            OrderEventKind.RefinementStopped => $"refinement stopped: {e.Note}",
            OrderEventKind.BatchFailed => $"{batch} failed{duration}: {e.Error}",
            OrderEventKind.Completed => $"completed: {Images(e.Images)}",
            OrderEventKind.PartiallyCompleted => $"partially completed: {e.Images} images; {e.Error}",
            OrderEventKind.Failed => $"failed: {e.Error}",
            OrderEventKind.Cancelled => $"cancelled{who}{note}",
            _ => e.Kind.ToText(),
        };
    }

    private static string Images(int? n) => n == 1 ? "1 image" : $"{n} images";

    public static ApprovalJson ToJson(ApprovalRequest r) => new(
        r.Id,
        r.Status.ToString().ToLowerInvariant(),
        r.CreatedAt,
        r.ExpiresAt,
        r.Summary,
        r.DecidedAt,
        r.DecidedBy,
        r.Note,
        r.ApprovedCount);

    public static EventJson ToJson(OrderEvent e) => new(
        e.Seq, e.At, e.Kind.ToText(), e.Actor, e.Note, e.Batch, e.Attempt, e.Images, e.Provider, e.Model,
        e.Duration?.TotalSeconds, e.Cost, e.Error);

    public static string LocalTime(DateTimeOffset at, TimeProvider time) =>
        TimeZoneInfo.ConvertTime(at, time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Status(OrderStatus status) => status.ToText().Replace('_', ' ');

    private static TimeSpan Remaining(ApprovalRequest request, TimeProvider time)
    {
        var left = request.ExpiresAt - time.GetUtcNow();
        return left < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Round(left.TotalSeconds));
    }

    /// <summary>"$0.012" or "$0.012 to $0.036 (up to 3 iterations of 1 candidate per image)".</summary>
    public static string CostText(ApprovalSummary s)
    {
        if (s.MinCost is not { } min || min == s.EstimatedCost)
            return Money.Format(s.EstimatedCost);
        var candidates = s.Candidates == 1 ? "1 candidate" : $"{s.Candidates} candidates";
        return $"{Money.Format(min)} to {Money.Format(s.EstimatedCost)} (up to {s.MaxIterations} iterations of {candidates} per image)";
    }

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + ".";

    /// <summary>"87", green when it passed the threshold, yellow when not; "-" when not judged.</summary>
    public static string ScoreText(int? score, int threshold) => score switch
    {
        null => "-",
        { } v when v >= threshold => $"[green]{v}[/]",
        { } v => $"[yellow]{v}[/]",
    };
}
