using System.Security.Claims;
using Easel.Core.Orders;
using Easel.Server.Hosting;
using Easel.Server.Security;
using Easel.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Easel.Server.Api;

/// <summary>/api/v1/approvals: the questions costly orders put to a person, and their answers.</summary>
internal static class ApprovalsApi
{
    public static RouteGroupBuilder MapApprovalsApi(this RouteGroupBuilder api)
    {
        var approvals = api.MapGroup("/approvals").WithTags("Approvals").WithApiErrors();

        approvals.MapGet("", ListAsync)
            .WithName("ListApprovals")
            .WithSummary("Approval requests waiting for a decision, newest first")
            .WithDescription("status=pending (the default and only list kept); limit 1-200, default 50. Each has the summary the approver decides on: count, calls, cost range, reasons, and when it expires.");

        approvals.MapGet("/{id}", GetAsync)
            .WithName("GetApproval")
            .WithSummary("One approval request, pending or decided")
            .ProducesProblem(StatusCodes.Status404NotFound);

        approvals.MapPost("/{id}/decision", DecideAsync)
            .RequireAuthorization(EaselPolicies.Approver)
            .WithName("DecideApproval")
            .WithSummary("Approve (all or part) or reject an order")
            .WithDescription(
                "Body: {\"approve\": true|false, \"count\": K (approve only K of the images), \"note\": \"why\"}. Needs the approver token. " +
                "The first decision wins: a later one, or one on an expired request, is refused with 409.")
            .WithBody<DecisionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    private static async Task<Ok<ItemsView<ApprovalView>>> ListAsync(
        string? status, string? limit, EaselServices services, TimeProvider time, CancellationToken cancellationToken)
    {
        if (status is { Length: > 0 } s && !s.Trim().Equals("pending", StringComparison.OrdinalIgnoreCase))
            throw ApiProblemException.Invalid("status", $"Only pending requests are listed; got status '{Requests.Shorten(s)}'. Decided ones are part of their order (GET {ApiLinks.Root}/orders/ID).");
        var count = QueryValues.Int("limit", limit, 1, OrdersApi.MaxListLimit, 50);
        var store = services.Store.Orders;
        var now = time.GetUtcNow();
        var items = new List<ApprovalView>();
        // The store keeps no list of pending requests: the orders waiting for one lead to them.
        foreach (var order in await store.ListAsync([OrderStatus.AwaitingApproval], count, cancellationToken))
        {
            var request = await store.ApprovalForOrderAsync(order.Id, cancellationToken);
            // Past its deadline it can no longer be decided; the worker is about to expire it.
            if (request is { Status: ApprovalStatus.Pending } && request.ExpiresAt > now)
                items.Add(ApprovalView.From(request, await OrderViews.RequestedByAsync(services, order.Id, cancellationToken)));
        }
        return TypedResults.Ok(new ItemsView<ApprovalView>(items));
    }

    private static async Task<Ok<ApprovalView>> GetAsync(string id, EaselServices services, CancellationToken cancellationToken)
    {
        var request = await FindAsync(services, id, cancellationToken);
        return TypedResults.Ok(ApprovalView.From(request, await OrderViews.RequestedByAsync(services, request.OrderId, cancellationToken)));
    }

    private static async Task<Ok<DecisionView>> DecideAsync(string id, HttpContext context, ClaimsPrincipal user, EaselServices services, OrderFeed feed)
    {
        var cancellationToken = context.RequestAborted;
        var request = await FindAsync(services, id, cancellationToken);
        var body = await Requests.ReadJsonAsync<DecisionRequest>(context, required: true);
        if (body!.Approve is not { } approve)
            throw ApiProblemException.Invalid("approve", "Say \"approve\": true to approve or false to reject.");
        if (body.Count is { } k)
        {
            if (!approve)
                throw ApiProblemException.Invalid("count", "A count only goes with approving part of an order; leave it out to reject.");
            if (k < 1 || k > request.Summary.Count)
                throw ApiProblemException.Invalid("count", $"The order asks for {request.Summary.Count} images; approve between 1 and {request.Summary.Count}, or leave count out to approve all.");
        }
        var note = QueryValues.Note(body.Note);

        var (order, decided) = await services.Orders.DecideAsync(
            new ApprovalDecision(request.Id, approve, Requests.UserName(user, services), note, body.Count), cancellationToken);
        Requests.Nudge(services, feed);
        return TypedResults.Ok(new DecisionView(
            ApprovalView.From(decided, await OrderViews.RequestedByAsync(services, order.Id, cancellationToken)),
            await OrderViews.SummaryAsync(services, order, cancellationToken)));
    }

    private static async Task<ApprovalRequest> FindAsync(EaselServices services, string id, CancellationToken cancellationToken)
    {
        var key = Requests.CheckId(id, "approval");
        var request = ApprovalRequest.LooksLikeId(key) ? await services.Store.Orders.FindApprovalAsync(key, cancellationToken) : null;
        return request ?? throw ApiProblemException.NotFound(
            $"There is no approval request '{key}'. Request ids are 22 characters long; GET {ApiLinks.Root}/approvals lists the pending ones.");
    }
}
