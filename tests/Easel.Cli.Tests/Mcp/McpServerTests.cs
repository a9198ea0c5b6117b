using System.Buffers.Binary;
using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Tests.Fakes;
using Easel.Storage;
using Easel.Workflows.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Cli.Tests.Mcp;

/// <summary>
/// `easel mcp` as an MCP client sees it: the official TypeScript SDK (tests/mcp-node) starts the
/// real executable over stdio, lists and calls its tools, and answers (or declines, or cannot
/// show) its approval questions.
/// </summary>
public sealed class McpServerTests : IDisposable
{
    private static readonly string[] ToolNames = ["generate_images", "get_order", "search_images", "get_image", "refine_prompt", "list_providers"];
    private const string Client = "easel-test-client";
    private readonly CliHarness _cli = new();

    public McpServerTests()
    {
        // Decisions are recorded under the login name.
        _cli.Environment["USER"] = "alice";
    }

    public void Dispose() => _cli.Dispose();

    private Task<JsonElement> RunAsync(string scenario) => NodeMcpClient.RunAsync(_cli, scenario);

    private async Task<JsonElement> ShowOrderAsync(string orderId)
    {
        var show = await _cli.RunAsync("orders", "show", orderId, "--json");
        show.ExitCode.ShouldBe(0, show.ToString());
        return show.Json();
    }

    private static JsonElement Structured(JsonElement result) => result.GetProperty("structured");

    private static string Text(JsonElement result) => result.GetProperty("text").GetString()!;

    private static void ShouldSucceed(JsonElement result) => result.GetProperty("isError").GetBoolean().ShouldBeFalse(Text(result));

    private static string ShouldFail(JsonElement result)
    {
        result.GetProperty("isError").GetBoolean().ShouldBeTrue(Text(result));
        return Text(result);
    }

    private static List<JsonElement> Images(JsonElement result) => [.. Structured(result).GetProperty("images").EnumerateArray()];

    [Fact]
    public async Task The_client_sees_exactly_six_tools_each_described_and_none_that_decides()
    {
        var run = await RunAsync("tools");

        run.GetProperty("server").GetProperty("name").GetString().ShouldBe("easel");
        run.GetProperty("server").GetProperty("version").GetString().ShouldNotBeNullOrWhiteSpace();
        var instructions = run.GetProperty("instructions").GetString()!;
        instructions.ShouldContain("generate_images");
        instructions.ShouldContain("human's decision");

        var tools = run.GetProperty("tools").EnumerateArray().ToList();
        tools.Select(t => t.GetProperty("name").GetString()).Order().ShouldBe(ToolNames.Order());
        foreach (var tool in tools)
        {
            var name = tool.GetProperty("name").GetString()!;
            tool.GetProperty("description").GetString()!.Length.ShouldBeGreaterThan(40, name);
            tool.GetProperty("inputSchema").GetProperty("type").GetString().ShouldBe("object", name);
            foreach (var word in new[] { "approve", "reject", "decide", "cancel" })
                name.ShouldNotContain(word, Case.Insensitive);
        }

        var generate = tools.Single(t => t.GetProperty("name").GetString() == "generate_images").GetProperty("inputSchema");
        generate.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["prompt"]);
        var arguments = generate.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        arguments.ShouldBe([
            "prompt", "count", "negative_prompt", "size", "aspect_ratio", "style", "seed", "provider", "quality", "format", "background",
            "max_iterations", "threshold", "candidates", "preset", "wait_seconds",
        ], ignoreOrder: true);
        var styles = generate.GetProperty("properties").GetProperty("style").GetProperty("description").GetString()!;
        foreach (var style in ImageStyles.Known)
            styles.ShouldContain(style);
        tools.Single(t => t.GetProperty("name").GetString() == "get_image").GetProperty("inputSchema")
            .GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["image_id"]);
    }

    [Fact]
    public async Task Generate_images_on_sketch_completes_and_get_image_returns_the_png_at_the_ordered_size()
    {
        var run = await RunAsync("generate");

        var generated = run.GetProperty("generated");
        ShouldSucceed(generated);
        Structured(generated).GetProperty("status").GetString().ShouldBe("completed");
        Structured(generated).TryGetProperty("approval", out _).ShouldBeFalse("two images need no approval");
        var images = Images(generated);
        images.Count.ShouldBe(2);
        images.Select(i => i.GetProperty("slot").GetInt32()).Order().ShouldBe([0, 1]);
        foreach (var image in images)
        {
            image.GetProperty("id").GetString()!.ShouldStartWith("img_");
            image.GetProperty("width").GetInt32().ShouldBe(640);
            image.GetProperty("height").GetInt32().ShouldBe(480);
            image.GetProperty("prompt").GetString().ShouldBe("a red fox in the snow at dusk");
            Text(generated).ShouldContain(image.GetProperty("id").GetString()!);
        }
        Text(generated).ShouldContain("get_image");

        // The client asked for progress: the last report is every image done.
        var progress = run.GetProperty("progress").EnumerateArray().ToList();
        progress.ShouldNotBeEmpty();
        progress[^1].GetProperty("progress").GetInt32().ShouldBe(2);
        progress[^1].GetProperty("total").GetInt32().ShouldBe(2);

        var image0 = run.GetProperty("image");
        ShouldSucceed(image0);
        image0.GetProperty("contentTypes").EnumerateArray().Select(t => t.GetString()).ShouldBe(["image", "text"]);
        var content = image0.GetProperty("images")[0];
        content.GetProperty("mimeType").GetString().ShouldBe("image/png");
        PngSize(content.GetProperty("data").GetString()!).ShouldBe((640, 480));
        Text(image0).ShouldContain("a red fox in the snow at dusk");
        Text(image0).ShouldContain("Score:");
        Text(image0).ShouldContain("sketch");
        Structured(image0).GetProperty("id").GetString().ShouldBe(images[0].GetProperty("id").GetString());
        Structured(image0).GetProperty("evaluation").GetProperty("feedback").GetString().ShouldNotBeNullOrWhiteSpace();

        var thumbnail = run.GetProperty("thumbnail");
        ShouldSucceed(thumbnail);
        PngSize(thumbnail.GetProperty("images")[0].GetProperty("data").GetString()!).ShouldBe((320, 240));

        run.GetProperty("stderr").GetString().ShouldBeEmpty("easel mcp is quiet unless something goes wrong");
    }

    [Fact]
    public async Task A_person_approving_through_elicitation_runs_the_order_and_is_recorded_as_the_decider()
    {
        var run = await RunAsync("elicit-approve");

        var question = run.GetProperty("questions").EnumerateArray().ShouldHaveSingleItem();
        question.GetProperty("mode").GetString().ShouldBe("form");
        var message = question.GetProperty("message").GetString()!;
        message.ShouldContain("6 images of \"six lighthouses on a stormy coast\"");
        message.ShouldContain("sketch");
        message.ShouldContain("Worst-case cost: $0.00");
        message.ShouldContain("6 images is more than the 4 allowed without approval");
        message.ShouldContain("expires");
        var schema = question.GetProperty("requestedSchema");
        schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["approve"]);
        schema.GetProperty("properties").GetProperty("approve").GetProperty("type").GetString().ShouldBe("boolean");
        schema.GetProperty("properties").GetProperty("images").GetProperty("type").GetString().ShouldBe("integer");
        schema.GetProperty("properties").GetProperty("images").GetProperty("maximum").GetInt32().ShouldBe(6);

        var generated = run.GetProperty("generated");
        ShouldSucceed(generated);
        var order = Structured(generated);
        order.GetProperty("status").GetString().ShouldBe("completed");
        Images(generated).Count.ShouldBe(6);
        var approval = order.GetProperty("approval");
        approval.GetProperty("status").GetString().ShouldBe("approved");
        approval.GetProperty("decided_by").GetString().ShouldBe($"alice in {Client} (MCP elicitation)");
        approval.GetProperty("note").GetString().ShouldBe("Looks fine");
        Structured(run.GetProperty("order")).GetProperty("approval").GetProperty("decided_by").GetString().ShouldBe($"alice in {Client} (MCP elicitation)");

        // The audit trail as the command line shows it: requested through the client, approved by the person in it.
        var shown = await ShowOrderAsync(order.GetProperty("order_id").GetString()!);
        shown.GetProperty("status").GetString().ShouldBe("completed");
        shown.GetProperty("images_made").GetInt32().ShouldBe(6);
        shown.GetProperty("approval").GetProperty("decided_by").GetString().ShouldBe($"alice in {Client} (MCP elicitation)");
        var events = shown.GetProperty("events").EnumerateArray().ToList();
        events.First(e => e.GetProperty("kind").GetString() == "requested").GetProperty("actor").GetString().ShouldBe($"{Client} (MCP) for alice");
        events.First(e => e.GetProperty("kind").GetString() == "approved").GetProperty("actor").GetString().ShouldBe($"alice in {Client} (MCP elicitation)");
    }

    [Fact]
    public async Task A_person_declining_the_question_rejects_the_order_and_nothing_is_made()
    {
        var run = await RunAsync("elicit-decline");

        run.GetProperty("questions").GetArrayLength().ShouldBe(1);
        var generated = run.GetProperty("generated");
        ShouldSucceed(generated);
        Structured(generated).GetProperty("status").GetString().ShouldBe("rejected");
        Images(generated).ShouldBeEmpty();
        Text(generated).ShouldContain("Nothing was generated");

        var shown = await ShowOrderAsync(Structured(generated).GetProperty("order_id").GetString()!);
        shown.GetProperty("status").GetString().ShouldBe("rejected");
        shown.GetProperty("images_made").GetInt32().ShouldBe(0);
        shown.GetProperty("approval").GetProperty("decided_by").GetString().ShouldBe($"alice in {Client} (MCP elicitation)");
    }

    [Fact]
    public async Task Approving_four_of_six_in_the_form_makes_four_images()
    {
        var run = await RunAsync("elicit-partial");

        var generated = run.GetProperty("generated");
        ShouldSucceed(generated);
        var order = Structured(generated);
        order.GetProperty("status").GetString().ShouldBe("completed");
        order.GetProperty("count").GetInt32().ShouldBe(6);
        order.GetProperty("approved_count").GetInt32().ShouldBe(4);
        Images(generated).Count.ShouldBe(4);
        Text(generated).ShouldContain("4 of 6 images");

        var shown = await ShowOrderAsync(order.GetProperty("order_id").GetString()!);
        shown.GetProperty("images_made").GetInt32().ShouldBe(4);
    }

    [Fact]
    public async Task Closing_the_question_without_deciding_leaves_the_order_waiting_for_a_decision_elsewhere()
    {
        var run = await RunAsync("elicit-cancel");

        var generated = run.GetProperty("generated");
        ShouldSucceed(generated);
        var order = Structured(generated);
        order.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        var requestId = order.GetProperty("approval").GetProperty("request_id").GetString()!;
        Text(generated).ShouldContain("without deciding");
        Text(generated).ShouldContain($"easel approve {requestId}");

        var shown = await ShowOrderAsync(order.GetProperty("order_id").GetString()!);
        shown.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        shown.GetProperty("approval").GetProperty("status").GetString().ShouldBe("pending");
    }

    [Fact]
    public async Task Without_elicitation_the_result_says_how_a_person_approves_and_an_approval_from_the_cli_completes_the_order()
    {
        var run = await RunAsync("approve-with-cli");

        var generated = run.GetProperty("generated");
        ShouldSucceed(generated);
        var order = Structured(generated);
        var orderId = order.GetProperty("order_id").GetString()!;
        order.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        var approval = order.GetProperty("approval");
        approval.GetProperty("status").GetString().ShouldBe("pending");
        var requestId = approval.GetProperty("request_id").GetString()!;
        requestId.Length.ShouldBe(22);
        approval.GetProperty("expires_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        var text = Text(generated);
        text.ShouldContain(requestId);
        text.ShouldContain(orderId);
        text.ShouldContain($"easel approve {requestId}");
        text.ShouldContain("Approvals page");
        text.ShouldContain($"/api/v1/approvals/{requestId}/decision");
        text.ShouldContain("get_order");
        text.ShouldContain("You cannot approve it");
        order.GetProperty("how_to_approve").GetProperty("commands")[0].GetString().ShouldBe($"easel approve {requestId}");

        Structured(run.GetProperty("pending")).GetProperty("status").GetString().ShouldBe("awaiting_approval");

        var approve = run.GetProperty("approve");
        approve.GetProperty("code").GetInt32().ShouldBe(0, approve.GetProperty("stderr").GetString());

        var followed = run.GetProperty("followed");
        ShouldSucceed(followed);
        Structured(followed).GetProperty("status").GetString().ShouldBe("completed");
        Images(followed).Count.ShouldBe(6);
        Structured(followed).GetProperty("approval").GetProperty("decided_by").GetString().ShouldBe("alice");
    }

    [Fact]
    public async Task Bad_arguments_are_error_results_that_name_what_is_wrong_and_the_server_keeps_working()
    {
        var run = await RunAsync("invalid");

        var zero = ShouldFail(run.GetProperty("zero"));
        zero.ShouldContain("count");
        zero.ShouldContain("between 1 and 1000; got 0");
        var style = ShouldFail(run.GetProperty("style"));
        style.ShouldContain("Unknown style 'gothic-noir'");
        style.ShouldContain("watercolor");
        var missing = ShouldFail(run.GetProperty("missing"));
        missing.ShouldContain("prompt is required");
        ShouldFail(run.GetProperty("wrongType")).ShouldContain("count must be a whole number; got \"many\"");
        ShouldFail(run.GetProperty("unknown")).ShouldContain("did you mean 'negative_prompt'");
        ShouldFail(run.GetProperty("noOrder")).ShouldContain("There is no order 'ord_doesnotexist'");
        ShouldFail(run.GetProperty("noImage")).ShouldContain("There is no image 'img_doesnotexist'");
        ShouldFail(run.GetProperty("badImageId")).ShouldContain("is not an image id");
        var search = ShouldFail(run.GetProperty("badSearch"));
        search.ShouldContain("since must be an ISO 8601 date");
        search.ShouldContain("limit must be between 1 and 50; got 500");

        // The same session goes on: a right call (its count sent as text, as models do) works.
        var afterwards = run.GetProperty("afterwards");
        ShouldSucceed(afterwards);
        Structured(afterwards).GetProperty("status").GetString().ShouldBe("completed");
        Images(afterwards).Count.ShouldBe(1);

        // Nothing was ordered by the bad calls.
        var orders = await _cli.RunAsync("orders", "--json");
        orders.Json().GetProperty("orders").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Search_images_finds_what_was_made_and_pages_through_the_rest()
    {
        var run = await RunAsync("search");

        var made = Images(run.GetProperty("generated")).Select(i => i.GetProperty("id").GetString()).ToList();
        var found = run.GetProperty("found");
        ShouldSucceed(found);
        var hits = Structured(found).GetProperty("images").EnumerateArray().ToList();
        hits.Select(i => i.GetProperty("id").GetString()).ShouldBe(made, ignoreOrder: true);
        foreach (var hit in hits)
        {
            hit.GetProperty("prompt").GetString().ShouldBe("a zeppelin above a harbour");
            hit.GetProperty("provider").GetString().ShouldBe("sketch");
            hit.GetProperty("score").GetInt32().ShouldBeInRange(0, 100);
            hit.GetProperty("created_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(-1));
        }
        Text(found).ShouldContain(made[0]!);

        var first = Structured(run.GetProperty("firstPage"));
        first.GetProperty("images").GetArrayLength().ShouldBe(2);
        first.GetProperty("next_cursor").GetString().ShouldNotBeNullOrEmpty();
        var second = Structured(run.GetProperty("secondPage"));
        second.GetProperty("images").GetArrayLength().ShouldBe(1);
        second.TryGetProperty("next_cursor", out _).ShouldBeFalse();
        var all = first.GetProperty("images").EnumerateArray().Concat(second.GetProperty("images").EnumerateArray()).Select(i => i.GetProperty("id").GetString()).ToList();
        all.Distinct().Count().ShouldBe(3);

        var none = run.GetProperty("none");
        ShouldSucceed(none);
        Structured(none).GetProperty("images").GetArrayLength().ShouldBe(0);
        Text(none).ShouldContain("No images match");
    }

    [Fact]
    public async Task Refine_prompt_suggests_better_prompts_with_reasons()
    {
        var run = await RunAsync("refine");

        var refined = run.GetProperty("refined");
        ShouldSucceed(refined);
        var suggestions = Structured(refined).GetProperty("suggestions").EnumerateArray().ToList();
        suggestions.Count.ShouldBeInRange(1, 3);
        foreach (var s in suggestions)
        {
            s.GetProperty("prompt").GetString().ShouldNotBe("a cat");
            s.GetProperty("prompt").GetString()!.ShouldContain("cat");
            s.GetProperty("reason").GetString().ShouldNotBeNullOrWhiteSpace();
            Text(refined).ShouldContain(s.GetProperty("prompt").GetString()!);
        }
        ShouldFail(run.GetProperty("tooMany")).ShouldContain("count must be between 1 and 10; got 11");
    }

    [Fact]
    public async Task List_providers_shows_sketch_configured_and_what_others_need_but_never_a_key()
    {
        const string key = "sk-test-secret-key-0123456789abcdef";
        _cli.Environment["OPENAI_API_KEY"] = key;
        var run = await RunAsync("providers");

        var result = run.GetProperty("providers");
        ShouldSucceed(result);
        var providers = Structured(result).GetProperty("providers").EnumerateArray().ToList();
        var sketch = providers.Single(p => p.GetProperty("name").GetString() == "sketch" && p.GetProperty("kind").GetString() == "image");
        sketch.GetProperty("configured").GetBoolean().ShouldBeTrue();
        sketch.GetProperty("capabilities").GetProperty("max_images_per_call").GetInt32().ShouldBeGreaterThan(0);
        providers.Single(p => p.GetProperty("name").GetString() == "openai" && p.GetProperty("kind").GetString() == "image")
            .GetProperty("configured").GetBoolean().ShouldBeTrue();
        var stability = providers.First(p => p.GetProperty("name").GetString() == "stability");
        stability.GetProperty("configured").GetBoolean().ShouldBeFalse();
        stability.GetProperty("problem").GetString()!.ShouldContain("STABILITY_API_KEY");
        providers.Select(p => p.GetProperty("kind").GetString()).Distinct().ShouldBe(["image", "upscaler", "language"], ignoreOrder: true);
        Text(result).ShouldContain("sketch");
        run.ToString().ShouldNotContain(key);
    }

    [Fact]
    public async Task An_order_waiting_for_approval_is_announced_to_the_configured_webhooks()
    {
        const string secret = "mcp-webhook-secret-0123456";
        var ct = TestContext.Current.CancellationToken;
        var received = new TaskCompletionSource<(string Signature, byte[] Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = await FakeServer.StartAsync(app => app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.TrySetResult((context.Request.Headers["Easel-Signature"].ToString(), body.ToArray()));
            return Results.Ok();
        }));
        _cli.Environment["EASEL_Webhooks__ops__Url"] = new Uri(listener.BaseUrl, "hook").ToString();
        _cli.Environment["EASEL_Webhooks__ops__Secret"] = secret;
        // Webhooks announce what happens after they are set up; record that point before the server starts.
        using (var store = EaselStore.Open(new DataDirectory(_cli.Home)))
            await store.Webhooks.CursorAsync(await store.Orders.LastEventSeqAsync(ct), ct);

        // The client keeps its session (and so `easel mcp`) open until the hook has arrived.
        var hook = received.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        var run = await NodeMcpClient.RunAsync(_cli, "place-and-hold", hook);

        var (signature, body) = await hook;
        WebhookSignature.Verify(secret, signature, body, DateTimeOffset.UtcNow).ShouldBeTrue();
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("type").GetString().ShouldBe("approval_needed");
        var order = Structured(run.GetProperty("generated"));
        order.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        json.RootElement.GetProperty("order").GetProperty("id").GetString().ShouldBe(order.GetProperty("order_id").GetString());
        json.RootElement.GetProperty("approval").GetProperty("id").GetString().ShouldBe(order.GetProperty("approval").GetProperty("request_id").GetString());
        run.ToString().ShouldNotContain(secret);
    }

    [Fact]
    public async Task A_configuration_error_stops_easel_mcp_before_it_serves_with_the_reason_on_stderr()
    {
        _cli.Environment["EASEL_Approval__MaxImagesWithoutApproval"] = "lots";
        var run = await _cli.RunProcessAsync("mcp");

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("EASEL_Approval__MaxImagesWithoutApproval must be a whole number; got \"lots\"");
        run.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Easel_mcp_exits_cleanly_and_silently_when_its_client_closes_stdin()
    {
        var run = await _cli.RunProcessAsync("mcp");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldBeEmpty();
        run.Stderr.ShouldBeEmpty();
    }

    /// <summary>Width and height from a PNG's IHDR chunk, after checking the signature.</summary>
    private static (int Width, int Height) PngSize(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes.Length.ShouldBeGreaterThan(24);
        bytes[..8].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        System.Text.Encoding.ASCII.GetString(bytes, 12, 4).ShouldBe("IHDR");
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
