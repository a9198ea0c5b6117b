using System.ComponentModel;
using System.Text.Json;
using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Workflows;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Easel.Server.Mcp;

/// <summary>
/// generate_images and get_order: place an order, have a person approve it if it must, and follow it.
/// Parameters are named in snake_case because the SDK names the tools' arguments after them.
/// </summary>
[McpServerToolType]
internal sealed class OrderTools(EaselServices services, ILogger<OrderTools> logger)
{
    public const int DefaultWaitSeconds = 50;
    public const int MaxWaitSeconds = 600;

    [McpServerTool(Name = "generate_images", Title = "Generate images", Destructive = false, Idempotent = false, OpenWorld = true, ReadOnly = false)]
    [Description(
        "Orders images from a prompt and waits for them (up to wait_seconds), then returns the order's status and its images (id, slot, score, size, prompt used). " +
        "Call get_image with an image id to see the pixels. Orders above the approval limits (by default more than 4 images, or above $1.00 worst case) wait for a person: " +
        "Easel asks the user through an approval form when this client supports it, otherwise the result gives the approval request id and how the user approves it. " +
        "You cannot approve orders yourself.")]
    public async Task<CallToolResult> GenerateImages(
        RequestContext<CallToolRequestParams> context,
        [Description("What to draw, in plain words, e.g. \"a red fox in the snow at dusk, watercolor\".")] string prompt,
        [Description("How many images (1-1000, default 1). More than 4 needs a person's approval by default.")] int? count = null,
        [Description("What the images must not contain.")] string? negative_prompt = null,
        [Description("WIDTHxHEIGHT in pixels, each side 64-4096, e.g. 1024x1024 (the default). Give this or aspect_ratio, not both.")] string? size = null,
        [Description("W:H, e.g. 16:9, for an image of about one megapixel. Give this or size, not both.")] string? aspect_ratio = null,
        [Description("One of the styles: watercolor, pixel-art, flat, minimal, photographic, cyberpunk, neon.")] string? style = null,
        [Description("Seed of the first image (0-4294967295); image i uses seed+i. Random when left out.")] long? seed = null,
        [Description("Image provider, e.g. sketch (built in, offline). list_providers shows which are configured. Default sketch.")] string? provider = null,
        [Description("auto, low, medium or high, for providers that take it (price follows). Default auto.")] string? quality = null,
        [Description("png, jpeg or webp, as the provider can make. Default png.")] string? format = null,
        [Description("opaque (default) or transparent, for providers that can clear the background.")] string? background = null,
        [Description("Most times each image is made, scored and its prompt refined (1-10, default 3).")] int? max_iterations = null,
        [Description("Score (0-100) at which an image is good enough and refinement stops (default 80).")] int? threshold = null,
        [Description("Images made per iteration for each image wanted; the best one counts (1-8, default 1).")] int? candidates = null,
        [Description("A domain preset guiding refinement and scoring: product, portrait, landscape, jewelry, or one of the installation's own.")] string? preset = null,
        [Description("Seconds to wait for the images before returning (0-600, default 50). If the order is still running then, call get_order later.")] int? wait_seconds = null,
        CancellationToken cancellationToken = default)
    {
        var wait = wait_seconds ?? DefaultWaitSeconds;
        if (wait is < 0 or > MaxWaitSeconds)
            return ToolResults.Error($"wait_seconds must be between 0 and {MaxWaitSeconds}; got {wait}. An order keeps running after the call returns: get_order follows it.");

        var input = new OrderInput
        {
            Prompt = prompt,
            Count = count,
            NegativePrompt = negative_prompt,
            Size = size,
            AspectRatio = aspect_ratio,
            Style = style,
            Seed = seed,
            Provider = provider,
            Quality = quality,
            Format = format,
            Background = background,
            MaxIterations = max_iterations,
            Threshold = threshold,
            Candidates = candidates,
            Preset = preset,
        };
        OrderSpec spec;
        try
        {
            spec = await input.ToSpecAsync(services, [], cancellationToken);
        }
        catch (OrderInputException ex)
        {
            return InvalidOrder(ex);
        }

        var server = context.Server;
        var client = ApprovalQuestion.ClientName(server);
        PlacedOrder placed;
        try
        {
            // Never approved up front: only a person approves, here through the form below or elsewhere.
            placed = await services.Orders.PlaceAsync(spec, new PlaceOptions(services.Settings.Approval, $"{client} (MCP) for {services.UserName}", ApprovedUpFront: false), cancellationToken);
        }
        catch (OrderRejectedException ex)
        {
            return ToolResults.Error($"The order cannot be placed as given: {ex.Message}");
        }
        services.Nudge();

        var order = placed.Order;
        if (placed.Approval is { Status: ApprovalStatus.Pending } request)
        {
            string? why = null;
            if (ApprovalQuestion.Supported(server))
            {
                var answer = await ApprovalQuestion.AskAsync(server, services, request, logger, cancellationToken);
                // Undecided here, the order may still have been decided elsewhere meanwhile (`easel approve`, the studio).
                order = answer.Decided ?? await services.Store.Orders.FindAsync(order.Id, cancellationToken) ?? order;
                why = answer.Undecided;
            }
            else
            {
                why = $"{client} cannot show Easel's approval question to the user (it does not support MCP elicitation).";
            }
            if (order.Status == OrderStatus.AwaitingApproval)
            {
                var waiting = await OrderReports.ViewAsync(services, order, cancellationToken);
                var current = await services.Store.Orders.ApprovalForOrderAsync(order.Id, cancellationToken) ?? request;
                return ToolResults.Ok(OrderReports.AskAPerson(waiting, current, waiting.HowToApprove ?? OrderReports.HowToApprove(services, current), why), waiting);
            }
        }

        if (!order.Status.IsFinished())
        {
            // Sent and awaited here rather than through IProgress, which does not wait: the last
            // report ("all done") must reach the client before the result that ends the call.
            var token = context.Params?.ProgressToken;
            order = await OrderReports.WaitAsync(services, order.Id, TimeSpan.FromSeconds(wait), async progress =>
            {
                if (token is { } t)
                    await server.NotifyProgressAsync(t, progress, cancellationToken: cancellationToken);
            }, cancellationToken);
        }
        var view = await OrderReports.ViewAsync(services, order, cancellationToken);
        return ToolResults.Ok(OrderReports.Describe(view), view);
    }

    [McpServerTool(Name = "get_order", Title = "Get an order", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description(
        "Where an order stands: its status, approval (pending, approved by whom, rejected, expired), images done, and its images (id, slot, score, size, prompt used). " +
        "Use it to follow an order generate_images returned before it finished, or one waiting for approval.")]
    public async Task<CallToolResult> GetOrder(
        [Description("The order's id as generate_images returned it (e.g. ord_...), or enough of its start to be unique.")] string order_id,
        CancellationToken cancellationToken = default)
    {
        var key = order_id.Trim();
        if (!ToolResults.IsIdLike(key))
            return ToolResults.Error($"'{ToolResults.Shorten(key)}' is not an order id: order ids look like ord_01jd… (letters, digits, '_' and '-').");
        Order? order;
        try
        {
            // An approval past its deadline shows as expired, not as pending forever.
            await services.Orders.ExpireDueAsync(cancellationToken);
            order = await services.Store.Orders.FindAsync(key, cancellationToken);
        }
        catch (AmbiguousIdException ex)
        {
            return ToolResults.Error(ex.Message);
        }
        catch (ArgumentException ex) when (ex.ParamName == "idOrPrefix")
        {
            return ToolResults.Error(ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal));
        }
        if (order is null)
            return ToolResults.Error($"There is no order '{key}'. Use the order_id generate_images returned.");

        if (order.Status.IsActive())
            await OrderReports.EnsureWorkerAsync(services, cancellationToken);
        var view = await OrderReports.ViewAsync(services, order, cancellationToken);
        if (view.HowToApprove is { } how && await services.Store.Orders.ApprovalForOrderAsync(order.Id, cancellationToken) is { } request)
            return ToolResults.Ok(OrderReports.AskAPerson(view, request, how, null), view);
        return ToolResults.Ok(OrderReports.Describe(view), view);
    }

    /// <summary>Every field at fault, named as the tool's arguments are.</summary>
    private static CallToolResult InvalidOrder(OrderInputException ex)
    {
        var errors = ex.Errors.ToDictionary(e => Argument(e.Key), e => e.Value.Select(m => Message(e.Key, m)).ToArray());
        var lines = errors.SelectMany(e => e.Value.Select(m => $"- {e.Key}: {m}"));
        return ToolResults.Error($"The order cannot be placed as given; fix these arguments and call generate_images again:\n{string.Join("\n", lines)}", new { errors });
    }

    /// <summary>OrderInput's camelCase field names as this tool's arguments: aspectRatio → aspect_ratio.</summary>
    private static string Argument(string field) => JsonNamingPolicy.SnakeCaseLower.ConvertName(field);

    /// <summary>Messages shared with the CLI name its options (--max-iterations); here the argument is meant.</summary>
    private static string Message(string field, string message) =>
        message.Replace("--" + JsonNamingPolicy.KebabCaseLower.ConvertName(field), Argument(field), StringComparison.Ordinal);
}
