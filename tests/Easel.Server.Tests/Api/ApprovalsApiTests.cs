using System.Net;
using System.Net.Http.Headers;

namespace Easel.Server.Tests.Api;

public sealed class ApprovalsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_six_image_order_waits_until_an_approver_approves_four_of_them()
    {
        await using var server = await ServerHarness.StartAsync(tokens: true);
        using var requester = server.ClientWithToken(ServerHarness.RequesterToken);
        using var approver = server.ClientWithToken(ServerHarness.ApproverToken);
        requester.DefaultRequestHeaders.Add("X-Easel-User", "robin");
        approver.DefaultRequestHeaders.Add("X-Easel-User", "alex");

        var placed = await requester.PlaceAsync(ApiTestClient.SmallOrder("six watercolor cats", count: 6));
        placed.Text("status").ShouldBe("awaiting_approval");
        var approval = placed.GetProperty("approval");
        approval.Text("status").ShouldBe("pending");
        approval.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        placed.GetProperty("images").GetArrayLength().ShouldBe(0);

        var pending = (await requester.GetJsonAsync("/api/v1/approvals?status=pending")).GetProperty("items");
        var listed = pending.EnumerateArray().ShouldHaveSingleItem();
        listed.Id().ShouldBe(approval.Id());
        listed.Text("orderId").ShouldBe(placed.Id());
        listed.Text("requestedBy").ShouldBe("robin");
        listed.GetProperty("summary").GetProperty("count").GetInt32().ShouldBe(6);
        listed.GetProperty("summary").GetProperty("estimatedCost").GetDecimal().ShouldBe(0m);
        listed.GetProperty("summary").GetProperty("reasons")[0].GetString()!.ShouldContain("6 images");
        listed.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(approval.GetProperty("expiresAt").GetDateTimeOffset());

        var decision = listed.Text("decisionUrl");
        var refused = await requester.PostJsonAsync(decision, new { approve = true });
        (await refused.ProblemAsync(HttpStatusCode.Forbidden)).Text("detail").ShouldContain("approver token");

        var decided = await approver.PostJsonAsync(decision, new { approve = true, count = 4, note = "four is plenty" });
        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync(Ct));
        var result = await decided.JsonAsync();
        result.GetProperty("approval").Text("status").ShouldBe("approved");
        result.GetProperty("approval").GetProperty("approvedCount").GetInt32().ShouldBe(4);
        result.GetProperty("approval").Text("decidedBy").ShouldBe("alex");
        result.GetProperty("order").GetProperty("approvedCount").GetInt32().ShouldBe(4);

        var order = await requester.WaitForOrderAsync(placed.Id());
        order.Text("status").ShouldBe("completed");
        order.GetProperty("targetCount").GetInt32().ShouldBe(4);
        order.FinalImages().Count.ShouldBe(4);
        order.GetProperty("images").GetArrayLength().ShouldBe(4);

        var second = await approver.PostJsonAsync(decision, new { approve = false });
        (await second.ProblemAsync(HttpStatusCode.Conflict)).Text("detail").ShouldContain("already");
        (await requester.GetJsonAsync("/api/v1/approvals")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_rejection_keeps_the_note_and_ends_the_order()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var placed = await client.PlaceAsync(ApiTestClient.SmallOrder("ten dogs", count: 10));
        var approvalId = placed.GetProperty("approval").Id();

        var response = await client.PostJsonAsync($"/api/v1/approvals/{approvalId}/decision", new { approve = false, note = "too many dogs" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var approval = await client.GetJsonAsync($"/api/v1/approvals/{approvalId}");
        approval.Text("status").ShouldBe("rejected");
        approval.Text("note").ShouldBe("too many dogs");
        approval.Text("decidedBy").ShouldBe("tester");
        var order = await client.GetJsonAsync($"/api/v1/orders/{placed.Id()}");
        order.Text("status").ShouldBe("rejected");
        order.GetProperty("approval").Text("note").ShouldBe("too many dogs");
    }

    [Fact]
    public async Task Decisions_that_cannot_be_taken_say_why()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var placed = await client.PlaceAsync(ApiTestClient.SmallOrder("six owls", count: 6));
        var url = $"/api/v1/approvals/{placed.GetProperty("approval").Id()}/decision";

        var tooMany = await client.PostJsonAsync(url, new { approve = true, count = 7 });
        (await tooMany.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("count")[0].GetString()!.ShouldContain("between 1 and 6");
        var noAnswer = await client.PostJsonAsync(url, new { note = "hmm" });
        (await noAnswer.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("approve").GetArrayLength().ShouldBe(1);
        var countOnReject = await client.PostJsonAsync(url, new { approve = false, count = 2 });
        (await countOnReject.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("count").GetArrayLength().ShouldBe(1);

        var unknown = await client.PostJsonAsync("/api/v1/approvals/AAAAAAAAAAAAAAAAAAAAAA/decision", new { approve = true });
        (await unknown.ProblemAsync(HttpStatusCode.NotFound)).Text("detail").ShouldContain("22 characters");
        var malformed = await client.GetAsync("/api/v1/approvals/not-an-id", Ct);
        await malformed.ProblemAsync(HttpStatusCode.NotFound);
        var badStatus = await client.GetAsync("/api/v1/approvals?status=approved", Ct);
        (await badStatus.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("status").GetArrayLength().ShouldBe(1);

        // Nothing above decided anything: the order still waits.
        (await client.GetJsonAsync($"/api/v1/orders/{placed.Id()}")).Text("status").ShouldBe("awaiting_approval");
    }

    [Fact]
    public async Task With_tokens_a_request_without_one_or_with_a_wrong_one_is_refused()
    {
        await using var server = await ServerHarness.StartAsync(tokens: true);
        var none = await server.Client.GetAsync("/api/v1/orders", Ct);
        (await none.ProblemAsync(HttpStatusCode.Unauthorized)).Text("detail").ShouldContain("Bearer");

        using var wrong = server.ClientWithToken("not-the-token-at-all-0000");
        await (await wrong.GetAsync("/api/v1/images", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await wrong.PostJsonAsync("/api/v1/orders", ApiTestClient.SmallOrder("a fox"))).ProblemAsync(HttpStatusCode.Unauthorized);

        using var basic = server.ClientWithToken(ServerHarness.RequesterToken);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        await (await basic.GetAsync("/api/v1/providers", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);

        using var requester = server.ClientWithToken(ServerHarness.RequesterToken);
        (await requester.GetAsync("/api/v1/providers", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
