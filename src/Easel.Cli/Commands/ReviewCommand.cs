using System.CommandLine;
using System.Globalization;
using Easel.Cli.Output;
using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>
/// `easel review ORDER_ID`: seed 001's review step. In a terminal it shows each image (path, score,
/// feedback) and asks to approve or regenerate it; elsewhere it lists them, and `--approve` records verdicts.
/// </summary>
internal static class ReviewCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var id = new Argument<string>("order-id") { Description = "The order's id, or enough of its start to be unique." };
        var approve = new Option<string[]>("--approve") { Description = "Approve these images without asking.", AllowMultipleArgumentsPerToken = true, HelpName = "IMAGE_ID" };
        var approveAll = new Option<bool>("--approve-all") { Description = "Approve every image of the order without asking." };
        var json = new Option<bool>("--json") { Description = "Print the images and their review status as JSON." };
        var command = new Command("review", "Review an order's images: approve each one or have it regenerated.") { id, approve, approveAll, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = parse.GetRequiredValue(id).Trim();
            var order = await services.Store.Orders.FindAsync(key, cancellationToken)
                ?? throw new KeyNotFoundException($"There is no order '{key}'. `easel orders` lists them.");
            if (!order.Status.IsFinished())
                throw new UsageException($"Order {order.Id} is {OrderOutput.Status(order.Status)}; review it once it has finished (`easel orders wait {order.Id}`).");
            var items = await CurrentImagesAsync(services, order, cancellationToken);
            if (items.Count == 0)
            {
                console.ErrorLine($"Order {order.Id} has no images to review.");
                return ExitCodes.Failure;
            }

            var toApprove = (parse.GetValue(approve) ?? []).Select(a => a.Trim()).ToList();
            if (parse.GetValue(approveAll))
                toApprove.AddRange(items.Select(i => i.Id));
            if (toApprove.Count > 0)
            {
                foreach (var imageId in toApprove.Distinct())
                {
                    var image = await services.Images.FindAsync(imageId, cancellationToken);
                    if (!items.Any(i => i.Id == image.Id))
                        throw new UsageException($"{image.Id} is not one of order {order.Id}'s current images: {string.Join(", ", items.Select(i => i.Id))}.");
                    await services.Images.ApproveAsync(image.Id, services.UserName, cancellationToken);
                }
                items = await CurrentImagesAsync(services, order, cancellationToken);
            }
            else if (console.CanPrompt && !parse.GetValue(json))
            {
                return await InteractiveAsync(console, services, order, items, cancellationToken);
            }

            if (parse.GetValue(json))
                OrderOutput.WriteJson(console, new ReviewJson(order.Id, items.Select(i => i.ToDetailJson()).ToList()), CliJsonContext.Default.ReviewJson);
            else
                WriteList(console, order, items);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Each slot's image as it stands: regenerated ones replaced by their newest regeneration.</summary>
    private static async Task<List<ImageRecord>> CurrentImagesAsync(EaselServices services, Order order, CancellationToken cancellationToken)
    {
        var result = OrderResult.Build(
            order,
            await services.Store.Images.ListByOrderAsync(order.Id, cancellationToken),
            await services.Store.Orders.BatchesAsync(order.Id, cancellationToken));
        var items = new List<ImageRecord>();
        foreach (var image in result.FinalImages)
            items.Add(await services.Images.CurrentAsync(image, cancellationToken));
        return items;
    }

    private static void WriteList(CliConsole console, Order order, IReadOnlyList<ImageRecord> items)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("#").AddColumn("Image").AddColumn(new TableColumn("Score").RightAligned()).AddColumn("Review").AddColumn("File");
        foreach (var image in items)
        {
            table.AddRow(
                (image.Slot + 1).ToString(CultureInfo.InvariantCulture),
                image.Id,
                OrderOutput.ScoreText(image.Score, order.Loop.Threshold),
                image.Review.ToString().ToLowerInvariant(),
                Markup.Escape(image.Path));
        }
        console.Out.Write(table);
        console.Out.WriteLine($"Approve with `easel review {order.Id} --approve IMAGE_ID` (or --approve-all); replace one with `easel regenerate IMAGE_ID`.");
    }

    private static async Task<int> InteractiveAsync(CliConsole console, EaselServices services, Order order, List<ImageRecord> items, CancellationToken cancellationToken)
    {
        const string approve = "Approve", regenerate = "Regenerate", skip = "Skip", stop = "Stop reviewing";
        for (var i = 0; i < items.Count; i++)
        {
            var image = items[i];
            Show(console, order, image, i, items.Count);
            var choice = await new SelectionPrompt<string>()
                .Title("This image?")
                .AddChoices(approve, regenerate, skip, stop)
                .ShowAsync(console.Error, cancellationToken);
            if (choice == stop)
                break;
            if (choice == approve)
            {
                items[i] = await services.Images.ApproveAsync(image.Id, services.UserName, cancellationToken);
                console.Out.MarkupLine($"[green]✓[/] {image.Id} approved.");
            }
            else if (choice == regenerate)
            {
                var placed = await services.Images.RegenerateAsync(image.Id, new PlaceOptions(services.Settings.Approval, services.UserName), cancellationToken);
                var next = placed.Order;
                if (placed.Approval is { Status: ApprovalStatus.Pending } request)
                    next = await ApprovalPrompt.AskAsync(console, services, request, cancellationToken) ?? next;
                if (next.Status == OrderStatus.AwaitingApproval)
                {
                    console.Out.MarkupLine($"[yellow]⏸[/] The regeneration (order {next.Id}) waits for approval; review again once it has run.");
                    continue;
                }
                next = await OrderFollower.FollowAsync(console, services, next.Id, cancellationToken);
                var replacement = await services.Images.CurrentAsync(image, cancellationToken);
                if (replacement.Id == image.Id)
                {
                    console.ErrorLine($"The regeneration (order {next.Id}) ended {OrderOutput.Status(next.Status)}: {next.Error}");
                    continue;
                }
                items[i] = replacement;
                i--; // review the new image in the same slot
            }
        }
        var approved = items.Count(i => i.Review == ReviewStatus.Approved);
        console.Out.MarkupLine($"{approved} of {items.Count} images approved.");
        return ExitCodes.Success;
    }

    private static void Show(CliConsole console, Order order, ImageRecord image, int index, int total)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[grey]File[/]", Markup.Escape(image.Path));
        grid.AddRow("[grey]Score[/]", image.Score is { } s ? $"{OrderOutput.ScoreText(s, order.Loop.Threshold)} (threshold {order.Loop.Threshold})" : "-");
        grid.AddRow("[grey]Feedback[/]", Markup.Escape(image.Evaluation?.Feedback ?? "not evaluated"));
        grid.AddRow("[grey]Prompt[/]", Markup.Escape(image.Prompt));
        if (image.Derivation is not null)
            grid.AddRow("[grey]Made by[/]", Markup.Escape($"{image.Derivation.Value.ToText()} of {image.ParentId}"));
        grid.AddRow("[grey]Review[/]", image.Review.ToString().ToLowerInvariant());
        console.Out.Write(new Panel(grid).Header($"Image {index + 1} of {total}: {image.Id}").Border(BoxBorder.Rounded));
    }
}
