using System.Globalization;
using System.Security.Cryptography;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Quality;

namespace Easel.Core.Orders;

/// <summary>How an order is placed: the approval rules in force and who asks.</summary>
/// <param name="ApprovedUpFront">The requester approved in advance (<c>--yes</c>); recorded as their decision.</param>
public sealed record PlaceOptions(ApprovalOptions Approval, string RequestedBy, bool ApprovedUpFront = false);

/// <summary>What an order would be, shown before it is placed.</summary>
/// <param name="Size">The size the provider will make (the nearest it offers to the one asked for).</param>
/// <param name="MinCost">Cost if every image passes on its first iteration.</param>
/// <param name="EstimatedCost">Worst case: every image refined to the iteration limit.</param>
/// <param name="ApprovalReasons">Why a person must approve; empty when the order runs at once.</param>
public sealed record OrderQuote(
    string Provider, string Model, ImageSize Size, string? AspectRatio, int Count, int Calls, int ImagesPerCall,
    decimal MinCost, decimal EstimatedCost, IReadOnlyList<string> ApprovalReasons)
{
    public bool NeedsApproval => ApprovalReasons.Count > 0;
}

/// <summary>A stored order and, when it must wait, its approval request.</summary>
public sealed record PlacedOrder(Order Order, ApprovalRequest? Approval);

/// <summary>
/// The order use cases every interface shares: place (plan, price, gate), decide, cancel and
/// expire. The work itself is done by <see cref="BatchRunner"/> under the worker.
/// </summary>
public sealed class OrderService(ProviderRegistry providers, IOrderStore orders, IBlobStore blobs, QualityServices quality, TimeProvider time)
{
    public IOrderStore Store => orders;

    public QualityServices Quality => quality;

    /// <summary>
    /// What placing <paramref name="spec"/> would do, without storing or spending anything: the
    /// size the provider will make, the calls, the cost range and whether a person must approve.
    /// </summary>
    /// <exception cref="OrderRejectedException">The order cannot be placed as given; the message says why.</exception>
    public OrderQuote Quote(OrderSpec spec, ApprovalOptions approval)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(approval);
        var (fitted, provider, plan) = Prepare(spec, approval);
        var caps = provider.Capabilities;
        return new OrderQuote(
            provider.Name, caps.Model, fitted.Size, fitted.AspectRatio, spec.Count, plan.Batches.Count, caps.MaxImagesPerCall,
            plan.MinCost, plan.EstimatedCost, ApprovalPolicy.Reasons(spec.Count, plan.EstimatedCost, approval));
    }

    private (OrderSpec Spec, IImageProvider Provider, OrderPlan Plan) Prepare(OrderSpec spec, ApprovalOptions approval)
    {
        if (approval.Validate() is { } problem)
            throw new OrderRejectedException(problem);
        if (spec.Loop.Validate() is { } loopProblem)
            throw new OrderRejectedException(loopProblem);
        if (spec.Loop.Preset is { } presetName && quality.FindPreset(presetName) is null)
            throw new OrderRejectedException($"There is no preset '{presetName}'. `easel presets` lists them.");
        IImageProvider provider;
        if (spec.Source is { Kind: Derivation.Upscale })
        {
            if (!providers.TryGetUpscaler(spec.Provider, out provider))
                throw new OrderRejectedException($"Unknown upscaler '{spec.Provider}'. Known upscalers: {string.Join(", ", providers.UpscalerNames)}.");
        }
        else if (!providers.TryGet(spec.Provider, out provider))
        {
            throw new OrderRejectedException($"Unknown provider '{spec.Provider}'. Known providers: {string.Join(", ", providers.Names)}.");
        }
        var caps = provider.Capabilities;
        if (spec.Source is not { Kind: Derivation.Upscale })
        {
            // Vendors with a fixed list of sizes or ratios get the nearest one in shape.
            var (fitted, ratio) = caps.Fit(spec.Size);
            spec = spec with { Size = fitted, AspectRatio = ratio ?? (fitted == spec.Size ? spec.AspectRatio : null) };
        }
        return (spec, provider, OrderPlan.Create(spec, caps, provider.Name));
    }

    public async Task<PlacedOrder> PlaceAsync(OrderSpec spec, PlaceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        (spec, var provider, var plan) = Prepare(spec, options.Approval);
        var caps = provider.Capabilities;

        // Kept before the order exists: a reference stored for an order that then fails to save is harmless (one copy per content).
        var references = new List<StoredReference>(spec.References.Count);
        foreach (var r in spec.References)
            references.Add(new StoredReference(r.Source, await blobs.SaveReferenceAsync(r, cancellationToken), r.MediaType, r.Sha256, r.Width, r.Height));

        var now = time.GetUtcNow();
        var order = new Order
        {
            Id = Ids.New("ord", now),
            Prompt = spec.Prompt,
            NegativePrompt = spec.NegativePrompt,
            Count = spec.Count,
            Size = spec.Size,
            AspectRatio = spec.AspectRatio,
            Style = spec.Style,
            Background = spec.Background,
            Seed = spec.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue),
            Provider = provider.Name,
            Model = caps.Model,
            ImagesPerCall = caps.MaxImagesPerCall,
            EstimatedCost = plan.EstimatedCost,
            Loop = spec.Loop,
            Quality = spec.Quality,
            Format = spec.Format,
            References = references,
            Source = spec.Source,
            Status = OrderStatus.Queued,
            CreatedAt = now,
        };
        var events = new List<OrderEvent>
        {
            new()
            {
                OrderId = order.Id, At = now, Kind = OrderEventKind.Requested, Actor = options.RequestedBy,
                Images = spec.Count, Provider = order.Provider, Model = order.Model, Cost = plan.EstimatedCost,
            },
        };

        var reasons = ApprovalPolicy.Reasons(spec.Count, plan.EstimatedCost, options.Approval);
        ApprovalRequest? approval = null;
        if (reasons.Count > 0)
        {
            approval = new ApprovalRequest
            {
                Id = ApprovalRequest.NewId(),
                OrderId = order.Id,
                Status = ApprovalStatus.Pending,
                CreatedAt = now,
                ExpiresAt = now + options.Approval.Timeout,
                Summary = new ApprovalSummary(
                    spec.Prompt, spec.Count, plan.Batches.Count, caps.MaxImagesPerCall, order.Provider, order.Model, plan.EstimatedCost, reasons,
                    plan.MinCost, spec.Loop.MaxIterations, spec.Loop.Candidates),
            };
            events.Add(new OrderEvent
            {
                OrderId = order.Id, At = now, Kind = OrderEventKind.ApprovalRequested, Actor = OrderEvent.System,
                Note = $"Approval needed: {string.Join("; ", reasons)}. Expires {approval.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC.",
                Images = spec.Count, Cost = plan.EstimatedCost,
            });
            if (options.ApprovedUpFront)
            {
                const string note = "Approved up front (--yes).";
                approval = approval with
                {
                    Status = ApprovalStatus.Approved, DecidedAt = now, DecidedBy = options.RequestedBy, Note = note, ApprovedCount = spec.Count,
                };
                order = order with { ApprovedCount = spec.Count };
                events.Add(new OrderEvent
                {
                    OrderId = order.Id, At = now, Kind = OrderEventKind.Approved, Actor = options.RequestedBy, Note = note, Images = spec.Count,
                });
            }
            else
            {
                order = order with { Status = OrderStatus.AwaitingApproval };
            }
        }

        var batches = order.Status == OrderStatus.Queued ? plan.Batches : [];
        if (order.Status == OrderStatus.Queued)
            events.Add(new OrderEvent { OrderId = order.Id, At = now, Kind = OrderEventKind.Queued, Actor = OrderEvent.System, Images = spec.Count });
        await orders.CreateAsync(order, batches, approval, events, cancellationToken);
        return new PlacedOrder(order, approval);
    }

    /// <summary>Approves (all or part) or rejects; the first decision wins.</summary>
    /// <exception cref="ApprovalRefusedException">The request is unknown, already decided, expired or no longer applies.</exception>
    public async Task<(Order Order, ApprovalRequest Request)> DecideAsync(ApprovalDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var id = decision.RequestId.Trim();
        var request = ApprovalRequest.LooksLikeId(id) ? await orders.FindApprovalAsync(id, cancellationToken) : null;
        if (request is null)
            throw new ApprovalRefusedException($"There is no approval request '{decision.RequestId}'. Request ids are 22 characters long; `easel orders --status awaiting_approval` lists the orders waiting for a decision.");
        if (decision.Count is { } k && request.Status == ApprovalStatus.Pending && (k < 1 || k > request.Summary.Count))
            throw new ApprovalRefusedException($"Cannot approve {k} images: the order asks for {request.Summary.Count}, so approve between 1 and {request.Summary.Count}.");

        var order = await orders.FindAsync(request.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Approval request '{id}' belongs to order '{request.OrderId}', which does not exist.");
        var batches = decision.Approve ? Batch.Plan(decision.Count ?? order.Count, order.Loop.Candidates, order.ImagesPerCall) : [];
        var outcome = await orders.DecideAsync(decision with { RequestId = id }, batches, time.GetUtcNow(), cancellationToken);
        var current = outcome.Request ?? request;
        switch (outcome.Result)
        {
            case DecisionResult.Decided:
                break;
            case DecisionResult.AlreadyDecided:
                throw new ApprovalRefusedException(AlreadyDecided(current));
            case DecisionResult.Expired:
                throw new ApprovalRefusedException($"Request {id} expired at {Time(current.ExpiresAt)}: order {current.OrderId} ended without generating anything. Place the order again to retry.");
            case DecisionResult.Stale:
                var now = await orders.FindAsync(current.OrderId, cancellationToken);
                throw new ApprovalRefusedException($"Request {id} no longer applies: order {current.OrderId} is {now?.Status.ToText().Replace('_', ' ') ?? "gone"}.");
            default:
                throw new ApprovalRefusedException($"There is no approval request '{decision.RequestId}'.");
        }
        var updated = await orders.FindAsync(current.OrderId, cancellationToken) ?? order;
        return (updated, current);
    }

    /// <summary>Cancels an order that has not finished. Batches already in flight finish and keep their images.</summary>
    public async Task<Order> CancelAsync(string orderIdOrPrefix, string actor, string? note, CancellationToken cancellationToken)
    {
        var order = await orders.FindAsync(orderIdOrPrefix, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no order '{orderIdOrPrefix}'. `easel orders` lists them.");
        if (!await orders.CancelAsync(order.Id, actor, note, time.GetUtcNow(), cancellationToken))
        {
            var now = await orders.FindAsync(order.Id, cancellationToken) ?? order;
            throw new InvalidOperationException($"Order {order.Id} already ended ({now.Status.ToText().Replace('_', ' ')}); there is nothing to cancel.");
        }
        return await orders.FindAsync(order.Id, cancellationToken) ?? order;
    }

    /// <summary>Expires every undecided request past its deadline; returns the orders that expired.</summary>
    public Task<IReadOnlyList<string>> ExpireDueAsync(CancellationToken cancellationToken) =>
        orders.ExpireDueAsync(time.GetUtcNow(), cancellationToken);

    private static string AlreadyDecided(ApprovalRequest r) => r.Status switch
    {
        ApprovalStatus.Approved => $"Request {r.Id} was already approved by {r.DecidedBy} at {Time(r.DecidedAt)}{(r.ApprovedCount is { } n && n != r.Summary.Count ? $" ({n} of {r.Summary.Count} images)" : "")}; the first decision stands.",
        ApprovalStatus.Rejected => $"Request {r.Id} was already rejected by {r.DecidedBy} at {Time(r.DecidedAt)}; the first decision stands.",
        ApprovalStatus.Expired => $"Request {r.Id} expired at {Time(r.ExpiresAt)} without a decision; order {r.OrderId} ended without generating anything.",
        ApprovalStatus.Cancelled => $"Request {r.Id} no longer applies: order {r.OrderId} was cancelled{(r.DecidedBy is { } by ? $" by {by}" : "")}.",
        _ => $"Request {r.Id} is {r.Status.ToString().ToLowerInvariant()}.",
    };

    private static string Time(DateTimeOffset? t) =>
        t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "an unknown time";
}
