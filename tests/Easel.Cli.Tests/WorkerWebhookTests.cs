using System.Text.Json;
using Easel.Providers.Tests.Fakes;
using Easel.Storage;
using Easel.Workflows.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Cli.Tests;

/// <summary>`easel worker --follow` announces approval requests placed from the command line, without a server.</summary>
public sealed class WorkerWebhookTests
{
    private const string Secret = "worker-webhook-secret-0123";

    [Fact]
    public async Task A_following_worker_posts_a_signed_approval_needed_for_an_order_placed_by_generate()
    {
        var ct = TestContext.Current.CancellationToken;
        var received = new TaskCompletionSource<(string Signature, byte[] Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = await FakeServer.StartAsync(app => app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.TrySetResult((context.Request.Headers["Easel-Signature"].ToString(), body.ToArray()));
            return Results.Ok();
        }));
        using var cli = new CliHarness();
        cli.Environment["EASEL_Webhooks__ops__Url"] = new Uri(listener.BaseUrl, "hook").ToString();
        cli.Environment["EASEL_Webhooks__ops__Secret"] = Secret;
        cli.Environment["EASEL_Server__PublicUrl"] = "https://easel.example";
        // Webhooks announce what happens after they are set up; record that point before the worker starts.
        using (var store = EaselStore.Open(new DataDirectory(cli.Home)))
            await store.Webhooks.CursorAsync(await store.Orders.LastEventSeqAsync(ct), ct);

        using var worker = cli.StartProcess("worker", "--follow");
        var placed = await cli.RunProcessAsync("generate", "six lanterns over a harbour", "-n", "6", "--json");
        placed.ExitCode.ShouldBe(3, placed.ToString());
        var orderId = placed.Json().GetProperty("order_id").GetString()!;

        var (signature, body) = await received.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        WebhookSignature.Verify(Secret, signature, body, DateTimeOffset.UtcNow).ShouldBeTrue();
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("type").GetString().ShouldBe("approval_needed");
        json.RootElement.GetProperty("order").GetProperty("id").GetString().ShouldBe(orderId);
        json.RootElement.GetProperty("approval").GetProperty("links").GetProperty("studio").GetString()!.ShouldStartWith("https://easel.example/approvals#");

        worker.Terminate();
        var run = await worker.WaitAsync(TimeSpan.FromSeconds(60));
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stderr.ShouldContain("Webhooks: sending events to ops");
        (run.Stdout + run.Stderr).ShouldNotContain(Secret);
    }
}
