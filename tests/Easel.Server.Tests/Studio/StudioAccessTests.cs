using System.Net;
using Easel.Core.Orders;

namespace Easel.Server.Tests.Studio;

public sealed class StudioAccessTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_tokens_sign_in_says_it_is_not_needed()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var html = await client.GetPageAsync("/signin");
        html.ShouldContain("No sign-in is needed");
        html.ShouldNotContain("name=\"Token\"");
    }

    [Fact]
    public async Task With_tokens_pages_send_you_to_sign_in_and_back()
    {
        await using var server = await ServerHarness.StartAsync(tokens: true);
        using var client = new StudioClient(server);
        var response = await client.GetAsync("/approvals");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/signin?ReturnUrl=%2Fapprovals");

        var form = await client.GetPageAsync("/signin?ReturnUrl=%2Fapprovals");
        form.ShouldContain("<label for=\"token\">Token</label>");
        form.ShouldContain("name=\"ReturnUrl\" value=\"/approvals\"");

        var wrong = await client.PostFormAsync("/signin", "/signin", [new("Token", "not-a-token-at-all"), new("Name", "Ann")]);
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await StudioClient.ReadAsync(wrong)).ShouldContain("That token is not one this server accepts.");

        var signedIn = await client.PostFormAsync("/signin", "/signin", [new("Token", ServerHarness.ApproverToken), new("Name", "Ann"), new("ReturnUrl", "/approvals")]);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.OriginalString.ShouldBe("/approvals");
        var page = await client.GetPageAsync("/approvals");
        page.ShouldContain("Ann · approver");
        page.ShouldContain(">Sign out</button>");

        // Another site is never a place to return to.
        using var other = new StudioClient(server);
        var away = await other.PostFormAsync("/signin", "/signin", [new("Token", ServerHarness.RequesterToken), new("ReturnUrl", "https://evil.example/")]);
        away.Headers.Location!.OriginalString.ShouldBe("/");

        var signOut = await client.PostFormAsync("/approvals", "/signin?handler=SignOut", []);
        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetAsync("/approvals")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_requester_sees_pending_requests_but_cannot_decide_them()
    {
        await using var server = await ServerHarness.StartAsync(tokens: true);
        var placed = await StudioOrders.PlaceAsync(server, "six foxes", 6);
        using var requester = new StudioClient(server);
        await requester.SignInAsync(ServerHarness.RequesterToken, "Rita");

        var html = await requester.GetPageAsync("/approvals");
        html.ShouldContain($"id=\"{placed.Approval!.Id}\"");
        html.ShouldContain("only an approver can decide them");
        html.ShouldNotContain(">Approve all</button>");

        var refused = await requester.PostFormAsync("/approvals", "/approvals?handler=ApproveAll", [new("requestId", placed.Approval.Id)]);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StudioClient.ReadAsync(refused)).ShouldContain("Only an approver can approve or reject orders.");
        (await server.Services.Store.Orders.FindApprovalAsync(placed.Approval.Id, Cancel))!.Status.ShouldBe(ApprovalStatus.Pending);

        using var approver = new StudioClient(server);
        await approver.SignInAsync(ServerHarness.ApproverToken, "Ann");
        var approved = await approver.PostFormAsync("/approvals", "/approvals?handler=ApproveAll", [new("requestId", placed.Approval.Id)]);
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var request = await server.Services.Store.Orders.FindApprovalAsync(placed.Approval.Id, Cancel);
        request!.Status.ShouldBe(ApprovalStatus.Approved);
        request.DecidedBy.ShouldBe("Ann");
    }

    [Fact]
    public async Task A_requester_places_orders_under_their_own_name()
    {
        await using var server = await ServerHarness.StartAsync(tokens: true);
        using var requester = new StudioClient(server);
        await requester.SignInAsync(ServerHarness.RequesterToken, "Rita");
        var response = await requester.PostFormAsync("/", "/", [new("Prompt", "a small boat"), new("Count", "1"), new("MaxIterations", "1")]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var orderId = response.Headers.Location!.OriginalString["/orders/".Length..];
        var events = await server.Services.Store.Orders.EventsAsync(orderId, Cancel);
        events.First(e => e.Kind == OrderEventKind.Requested).Actor.ShouldBe("Rita");
    }
}
