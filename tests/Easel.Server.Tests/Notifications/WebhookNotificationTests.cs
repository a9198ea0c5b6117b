using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Easel.Core.Notifications;
using Easel.Providers.Tests.Fakes;
using Easel.Workflows.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Server.Tests.Notifications;

/// <summary><c>easel serve</c> with a webhook configured, posting to a real listener on a loopback port.</summary>
public sealed class WebhookNotificationTests
{
    private const string Secret = "server-webhook-secret-0123456789";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_costly_order_is_announced_signed_with_working_links_retried_and_finished_and_a_restart_sends_nothing_twice()
    {
        await using var listener = await FakeServer.StartAsync(app => app.MapPost("/hook", () => Results.Text("thanks")));
        listener.Interrupt(500, """{"error":"not ready yet"}""");
        // A one-second first retry keeps the test short; the default is 10 s.
        var config = $$"""{ "Webhooks": { "ops": { "Url": "{{listener.BaseUrl}}hook", "Secret": "{{Secret}}", "RetryDelay": "1s" } } }""";
        var server = await ServerHarness.StartAsync(config, tokens: true);
        string home;
        IReadOnlyList<RecordedRequest> beforeRestart;
        try
        {
            using var requester = server.ClientWithToken(ServerHarness.RequesterToken);
            using var approver = server.ClientWithToken(ServerHarness.ApproverToken);
            var (orderId, approvalId) = await PlaceSixAsync(requester);

            // The first attempt meets a 500; the same delivery comes again and is taken.
            var announced = await WaitForAsync(listener, r => r.Header("easel-event") == "approval_needed", count: 2);
            announced.Select(r => r.Header("easel-delivery")).Distinct().ShouldHaveSingleItem();
            var approvalNeeded = announced[1];
            ShouldBeSigned(approvalNeeded);
            var body = JsonNode.Parse(approvalNeeded.Text)!;
            body["type"]!.GetValue<string>().ShouldBe("approval_needed");
            body["id"]!.GetValue<string>().ShouldBe(approvalNeeded.Header("easel-delivery"));
            body["order"]!["id"]!.GetValue<string>().ShouldBe(orderId);
            body["order"]!["count"]!.GetValue<int>().ShouldBe(6);
            body["approval"]!["id"]!.GetValue<string>().ShouldBe(approvalId);
            body["approval"]!["reasons"]![0]!.GetValue<string>().ShouldContain("6 images");

            // The links lead to the approval in the studio and to the API that decides it.
            var studio = new Uri(body["approval"]!["links"]!["studio"]!.GetValue<string>());
            studio.GetLeftPart(UriPartial.Authority).ShouldBe(server.BaseAddress.GetLeftPart(UriPartial.Authority));
            studio.Fragment.ShouldBe("#" + approvalId);
            var page = await approver.GetStringAsync(studio.PathAndQuery, Ct);
            page.ShouldContain($"id=\"{approvalId}\"");
            var decision = await approver.PostAsJsonAsync(body["approval"]!["links"]!["api"]!.GetValue<string>(), new { approve = true, note = "from the webhook" }, Ct);
            decision.StatusCode.ShouldBe(HttpStatusCode.OK, await decision.Content.ReadAsStringAsync(Ct));

            var finished = (await WaitForAsync(listener, r => r.Header("easel-event") == "order_finished", count: 1)).Single();
            ShouldBeSigned(finished);
            var order = JsonNode.Parse(finished.Text)!["order"]!;
            order["id"]!.GetValue<string>().ShouldBe(orderId);
            order["status"]!.GetValue<string>().ShouldBe("completed");
            order["images"]!.GetValue<int>().ShouldBe(6);

            var deliveries = await server.Services.Store.Webhooks.ListAsync(orderId, 10, Ct);
            deliveries.Select(d => (d.Type, d.Status, d.Attempts, d.ResponseStatus)).ShouldBe(
                [("order_finished", WebhookDeliveryStatus.Delivered, 1, (int?)200), ("approval_needed", WebhookDeliveryStatus.Delivered, 2, (int?)200)]);
            beforeRestart = [.. listener.Requests];
            home = server.Home;
            server.KeepHome = true;
        }
        finally
        {
            await server.DisposeAsync();
        }

        // The same data directory again: what was delivered stays delivered, and new events still go out.
        await using var restarted = await ServerHarness.StartAsync(config, tokens: true, home: home);
        using var again = restarted.ClientWithToken(ServerHarness.RequesterToken);
        var (nextOrderId, _) = await PlaceSixAsync(again);
        await WaitForAsync(listener, r => r.Text.Contains(nextOrderId, StringComparison.Ordinal), count: 1);

        var afterRestart = listener.Requests.Skip(beforeRestart.Count).ToList();
        afterRestart.ShouldHaveSingleItem().Header("easel-event").ShouldBe("approval_needed");
        beforeRestart.Select(r => r.Header("easel-delivery")).ShouldNotContain(afterRestart[0].Header("easel-delivery"));
    }

    private static async Task<(string OrderId, string ApprovalId)> PlaceSixAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/orders", new { prompt = "six watercolor foxes", count = 6, size = "256x256", maxIterations = 1 }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var placed = JsonNode.Parse(text)!;
        placed["status"]!.GetValue<string>().ShouldBe("awaiting_approval");
        return (placed["id"]!.GetValue<string>(), placed["approval"]!["id"]!.GetValue<string>());
    }

    /// <summary>Checks the signature as a receiver would: HMAC-SHA256 of "t.body" with the shared secret, and a recent t.</summary>
    private static void ShouldBeSigned(RecordedRequest request)
    {
        var header = request.Header("easel-signature").ShouldNotBeNull();
        WebhookSignature.Verify(Secret, header, request.Body, DateTimeOffset.UtcNow).ShouldBeTrue(header);
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(parts["t"] + ".").Concat(request.Body).ToArray());
        parts["v1"].ShouldBe(Convert.ToHexStringLower(mac));
        request.ContentType.ShouldBe("application/json; charset=utf-8");
    }

    /// <summary>Waits (at most 60 s) until the listener has received <paramref name="count"/> requests matching <paramref name="match"/>.</summary>
    private static async Task<IReadOnlyList<RecordedRequest>> WaitForAsync(FakeServer listener, Func<RecordedRequest, bool> match, int count)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var matching = listener.Requests.Where(match).ToList();
            if (matching.Count >= count)
                return matching;
            await Task.Delay(50, deadline.Token);
        }
    }
}
