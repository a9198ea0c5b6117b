using System.Diagnostics;
using System.Text.Json;

namespace Easel.Cli.Tests;

/// <summary>Orders above the limits wait for a person: placing, deciding, listing, cancelling and expiring them from the command line.</summary>
public sealed class ApprovalFlowTests : IDisposable
{
    private const string Prompt = "a lighthouse by the sea";
    private readonly CliHarness _cli = new();

    public ApprovalFlowTests()
    {
        // Decisions are recorded under the login name.
        _cli.Environment["USER"] = "alice";
    }

    public void Dispose() => _cli.Dispose();

    /// <summary>Places an order of <paramref name="count"/> images that must wait; returns its order and request ids.</summary>
    private async Task<(string OrderId, string RequestId)> PlaceAwaitingAsync(int count = 6, params string[] flags)
    {
        var run = await _cli.RunAsync(["generate", Prompt, "-n", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--size", "64x64", "--json", .. flags]);
        run.ExitCode.ShouldBe(3, run.ToString());
        var json = run.Json();
        return (json.GetProperty("order_id").GetString()!, json.GetProperty("approval").GetProperty("request_id").GetString()!);
    }

    private async Task<JsonElement> ShowAsync(string orderId)
    {
        var show = await _cli.RunAsync("orders", "show", orderId, "--json");
        show.ExitCode.ShouldBe(0, show.ToString());
        return show.Json();
    }

    private int ImageFiles() =>
        Directory.Exists(Path.Combine(_cli.Home, "images"))
            ? Directory.EnumerateFiles(Path.Combine(_cli.Home, "images"), "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Count()
            : 0;

    private static List<string?> Kinds(JsonElement order) =>
        order.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();

    [Fact]
    public async Task Without_a_terminal_generate_exits_3_and_prints_the_commands_that_decide()
    {
        var run = await _cli.RunAsync("generate", Prompt, "-n", "6", "--size", "64x64");
        run.ExitCode.ShouldBe(3, run.ToString());

        var list = await _cli.RunAsync("orders", "--json");
        var requestId = list.Json().GetProperty("orders")[0].GetProperty("approval_request_id").GetString()!;
        run.Stdout.ShouldContain("waits for approval: 6 images is more than the 4 allowed without approval.");
        run.Stdout.ShouldContain($"Request {requestId} expires");
        run.Stdout.ShouldContain($"easel approve {requestId}\n");
        run.Stdout.ShouldContain($"easel approve {requestId} --count K");
        run.Stdout.ShouldContain($"easel reject {requestId} --note \"why\"");
        ImageFiles().ShouldBe(0);
    }

    [Fact]
    public async Task The_real_executable_with_no_terminal_does_not_ask_and_exits_3()
    {
        var run = await _cli.RunProcessAsync("generate", Prompt, "-n", "6", "--size", "64x64");
        run.ExitCode.ShouldBe(3, run.ToString());
        run.Stdout.ShouldContain("easel approve ");
        run.Stdout.ShouldContain("easel reject ");
        run.Stderr.ShouldNotContain("Approve this order?");
    }

    [Fact]
    public async Task Json_prints_one_object_with_the_request_and_what_it_asks_for()
    {
        var before = DateTimeOffset.UtcNow;
        var run = await _cli.RunAsync("generate", Prompt, "-n", "6", "--size", "64x64", "--json");
        run.ExitCode.ShouldBe(3, run.ToString());
        var json = run.Json();

        json.GetProperty("order_id").GetString()!.ShouldStartWith("ord_");
        json.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        var approval = json.GetProperty("approval");
        approval.GetProperty("request_id").GetString()!.Length.ShouldBe(22);
        var expires = approval.GetProperty("expires_at").GetDateTimeOffset();
        expires.ShouldBeGreaterThanOrEqualTo(before + TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        expires.ShouldBeLessThanOrEqualTo(DateTimeOffset.UtcNow + TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        var summary = approval.GetProperty("summary");
        summary.GetProperty("prompt").GetString().ShouldBe(Prompt);
        summary.GetProperty("count").GetInt32().ShouldBe(6);
        summary.GetProperty("batches").GetInt32().ShouldBe(2);
        summary.GetProperty("images_per_call").GetInt32().ShouldBe(4);
        summary.GetProperty("provider").GetString().ShouldBe("sketch");
        summary.GetProperty("model").GetString().ShouldBe("sketch-1");
        summary.GetProperty("estimated_cost").GetDecimal().ShouldBe(0m);
        summary.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ShouldBe(["6 images is more than the 4 allowed without approval"]);
        run.Stderr.ShouldNotContain("error");
    }

    [Fact]
    public async Task Approve_completes_the_order_and_a_second_decision_is_refused()
    {
        var (orderId, requestId) = await PlaceAwaitingAsync();

        var approve = await _cli.RunAsync("approve", requestId, "--json");
        approve.ExitCode.ShouldBe(0, approve.ToString());
        var result = approve.Json();
        result.GetProperty("order_id").GetString().ShouldBe(orderId);
        result.GetProperty("status").GetString().ShouldBe("completed");
        result.GetProperty("images").GetArrayLength().ShouldBe(6);
        ImageFiles().ShouldBe(6);

        var again = await _cli.RunAsync("approve", requestId);
        again.ExitCode.ShouldBe(1, again.ToString());
        again.Stderr.ShouldContain("already approved by alice");
        var reject = await _cli.RunAsync("reject", requestId);
        reject.ExitCode.ShouldBe(1, reject.ToString());
        reject.Stderr.ShouldContain("already approved by alice");
        ImageFiles().ShouldBe(6);
    }

    [Fact]
    public async Task Approving_part_of_an_order_makes_only_that_many_images()
    {
        var (orderId, requestId) = await PlaceAwaitingAsync();

        var approve = await _cli.RunAsync("approve", requestId, "--count", "2", "--json");
        approve.ExitCode.ShouldBe(0, approve.ToString());
        approve.Json().GetProperty("images").GetArrayLength().ShouldBe(2);

        var order = await ShowAsync(orderId);
        order.GetProperty("status").GetString().ShouldBe("completed");
        order.GetProperty("count").GetInt32().ShouldBe(6);
        order.GetProperty("approved_count").GetInt32().ShouldBe(2);
        order.GetProperty("images_made").GetInt32().ShouldBe(2);
        order.GetProperty("approval").GetProperty("approved_count").GetInt32().ShouldBe(2);
        ImageFiles().ShouldBe(2);
    }

    [Fact]
    public async Task Approving_more_images_than_asked_for_is_refused()
    {
        var (_, requestId) = await PlaceAwaitingAsync();
        var run = await _cli.RunAsync("approve", requestId, "--count", "7");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("approve between 1 and 6");
        ImageFiles().ShouldBe(0);
    }

    [Fact]
    public async Task Reject_ends_the_order_with_nothing_generated_and_keeps_the_note()
    {
        var (orderId, requestId) = await PlaceAwaitingAsync();

        var reject = await _cli.RunAsync("reject", requestId, "--note", "x");
        reject.ExitCode.ShouldBe(0, reject.ToString());
        reject.Stdout.ShouldContain($"Order {orderId} rejected by alice; nothing was generated.");

        var order = await ShowAsync(orderId);
        order.GetProperty("status").GetString().ShouldBe("rejected");
        order.GetProperty("images_made").GetInt32().ShouldBe(0);
        order.GetProperty("batches").GetArrayLength().ShouldBe(0);
        var rejected = order.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "rejected");
        rejected.GetProperty("actor").GetString().ShouldBe("alice");
        rejected.GetProperty("note").GetString().ShouldBe("x");
        ImageFiles().ShouldBe(0);

        var approve = await _cli.RunAsync("approve", requestId);
        approve.ExitCode.ShouldBe(1, approve.ToString());
        approve.Stderr.ShouldContain("already rejected by alice");
    }

    [Theory]
    [InlineData("approve", "no-such-request")]
    [InlineData("approve", "AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("reject", "AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_request_id_exits_1_with_a_clear_message(string command, string id)
    {
        var run = await _cli.RunAsync(command, id);
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain($"There is no approval request '{id}'.");
        run.Stderr.ShouldContain("easel orders --status awaiting_approval");
        run.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Yes_runs_at_once_and_records_the_approval_as_the_users()
    {
        var run = await _cli.RunAsync("generate", Prompt, "-n", "6", "--size", "64x64", "--yes", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        var result = run.Json();
        result.GetProperty("status").GetString().ShouldBe("completed");
        result.GetProperty("images").GetArrayLength().ShouldBe(6);

        var order = await ShowAsync(result.GetProperty("order_id").GetString()!);
        var approved = order.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "approved");
        approved.GetProperty("actor").GetString().ShouldBe("alice");
        approved.GetProperty("note").GetString()!.ShouldContain("--yes");
        order.GetProperty("approval").GetProperty("status").GetString().ShouldBe("approved");
        order.GetProperty("approval").GetProperty("decided_by").GetString().ShouldBe("alice");
        Kinds(order).ShouldBe(["requested", "approval_requested", "approved", "queued", "started",
            "batch_started", "batch_finished", "batch_started", "batch_finished", "completed"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("5x", "--approval-timeout: '5x' is not a duration")]
    [InlineData("0s", "--approval-timeout: '0s' is zero")]
    [InlineData("400d", "--approval-timeout must be at most 366 days")]
    public async Task A_bad_approval_timeout_is_a_usage_error(string value, string message)
    {
        var run = await _cli.RunAsync("generate", Prompt, "-n", "6", "--approval-timeout", value);
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain(message);
        run.Stdout.ShouldBeEmpty();
        File.Exists(Path.Combine(_cli.Home, "easel.db")).ShouldBeFalse("nothing is stored for a usage error");
    }

    [Fact]
    public async Task A_higher_limit_on_the_command_line_runs_without_approval()
    {
        var run = await _cli.RunAsync("generate", Prompt, "-n", "6", "--size", "64x64", "--max-images-without-approval", "10", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Json().GetProperty("images").GetArrayLength().ShouldBe(6);
        var order = await ShowAsync(run.Json().GetProperty("order_id").GetString()!);
        order.GetProperty("approval").ValueKind.ShouldBe(JsonValueKind.Null);
        Kinds(order).ShouldNotContain("approval_requested");
    }

    [Fact]
    public async Task The_config_file_sets_the_limit_and_an_environment_variable_overrides_it()
    {
        var config = Path.Combine(_cli.Home, "config");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "config.json"), """{"Approval":{"MaxImagesWithoutApproval":2}}""", TestContext.Current.CancellationToken);
        _cli.Environment["EASEL_CONFIG_HOME"] = config;

        var waits = await _cli.RunAsync("generate", Prompt, "-n", "3", "--size", "64x64", "--json");
        waits.ExitCode.ShouldBe(3, waits.ToString());
        waits.Json().GetProperty("approval").GetProperty("summary").GetProperty("reasons")[0].GetString()
            .ShouldBe("3 images is more than the 2 allowed without approval");

        // Above the file's limit and the built-in default alike, below the variable's.
        _cli.Environment["EASEL_Approval__MaxImagesWithoutApproval"] = "10";
        var runs = await _cli.RunAsync("generate", Prompt, "-n", "6", "--size", "64x64", "--json");
        runs.ExitCode.ShouldBe(0, runs.ToString());
        runs.Json().GetProperty("images").GetArrayLength().ShouldBe(6);
    }

    [Fact]
    public async Task A_broken_config_file_exits_1_naming_the_file()
    {
        var config = Path.Combine(_cli.Home, "config");
        Directory.CreateDirectory(config);
        var file = Path.Combine(config, "config.json");
        await File.WriteAllTextAsync(file, """{"Approval": {"MaxImagesWithoutApproval": 2,""", TestContext.Current.CancellationToken);
        _cli.Environment["EASEL_CONFIG_HOME"] = config;

        var run = await _cli.RunAsync("generate", Prompt, "-n", "3", "--size", "64x64");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain(file);
        run.Stderr.ShouldContain("not valid JSON");
        run.Stderr.ShouldNotContain("   at ");
        ImageFiles().ShouldBe(0);
    }

    [Fact]
    public async Task A_bad_value_in_an_environment_variable_is_named()
    {
        _cli.Environment["EASEL_Approval__MaxImagesWithoutApproval"] = "lots";
        var run = await _cli.RunAsync("generate", Prompt, "-n", "3", "--size", "64x64");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("EASEL_Approval__MaxImagesWithoutApproval must be a whole number; got \"lots\"");
    }

    [Fact]
    public async Task Orders_lists_those_awaiting_approval_with_their_request()
    {
        var (orderId, requestId) = await PlaceAwaitingAsync();
        var done = await _cli.RunAsync("generate", "a small boat", "--size", "64x64", "--json");
        done.ExitCode.ShouldBe(0, done.ToString());
        var doneId = done.Json().GetProperty("order_id").GetString();

        var waiting = await _cli.RunAsync("orders", "--status", "awaiting_approval", "--json");
        waiting.ExitCode.ShouldBe(0, waiting.ToString());
        var only = waiting.Json().GetProperty("orders").EnumerateArray().ShouldHaveSingleItem();
        only.GetProperty("order_id").GetString().ShouldBe(orderId);
        only.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        only.GetProperty("approval_request_id").GetString().ShouldBe(requestId);

        var table = await _cli.RunAsync("orders", "--status", "awaiting_approval");
        table.ExitCode.ShouldBe(0, table.ToString());
        table.Stdout.ShouldContain(orderId);
        table.Stdout.ShouldContain($"awaiting approval ({requestId})");
        table.Stdout.ShouldNotContain(doneId!);

        var all = await _cli.RunAsync("orders", "--json");
        all.Json().GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("order_id").GetString()).ShouldBe([doneId, orderId]);
    }

    [Fact]
    public async Task Orders_show_prints_the_timeline_and_how_to_decide()
    {
        var (orderId, requestId) = await PlaceAwaitingAsync();

        var waiting = await _cli.RunAsync("orders", "show", orderId);
        waiting.ExitCode.ShouldBe(0, waiting.ToString());
        waiting.Stdout.ShouldContain($"Order {orderId}: awaiting approval, 0 of 6 images");
        waiting.Stdout.ShouldContain("requested by alice: 6 images from sketch (sketch-1)");
        waiting.Stdout.ShouldContain("approval requested (Approval needed: 6 images is more than the 4 allowed");
        waiting.Stdout.ShouldContain($"{requestId}: pending, expires");
        waiting.Stdout.ShouldContain("Decide with one of:");
        waiting.Stdout.ShouldContain($"easel approve {requestId}");

        (await _cli.RunAsync("approve", requestId)).ExitCode.ShouldBe(0);
        var done = await _cli.RunAsync("orders", "show", orderId[..10]);
        done.ExitCode.ShouldBe(0, done.ToString());
        done.Stdout.ShouldContain($"Order {orderId}: completed, 6 of 6 images");
        done.Stdout.ShouldContain("approved by alice: 6 images");
        done.Stdout.ShouldContain("batch 1 started: 4 images, attempt 1");
        done.Stdout.ShouldContain("batch 1 finished: 4 images in ");
        done.Stdout.ShouldContain("batch 2 finished: 2 images in ");
        done.Stdout.ShouldContain("completed: 6 images");
        done.Stdout.ShouldNotContain("Decide with one of:");
    }

    [Fact]
    public async Task Orders_show_of_an_unknown_order_exits_1()
    {
        var run = await _cli.RunAsync("orders", "show", "ord_nothinghere");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("There is no order 'ord_nothinghere'");
    }

    [Fact]
    public async Task A_cancelled_order_cannot_be_approved_afterwards()
    {
        var (orderId, requestId) = await PlaceAwaitingAsync();

        var cancel = await _cli.RunAsync("orders", "cancel", orderId, "--note", "changed my mind");
        cancel.ExitCode.ShouldBe(0, cancel.ToString());
        cancel.Stdout.ShouldContain($"Order {orderId} cancelled; 0 images were made before");

        var approve = await _cli.RunAsync("approve", requestId);
        approve.ExitCode.ShouldBe(1, approve.ToString());
        approve.Stderr.ShouldContain("no longer applies");
        approve.Stderr.ShouldContain("cancelled by alice");

        var order = await ShowAsync(orderId);
        order.GetProperty("status").GetString().ShouldBe("cancelled");
        order.GetProperty("approval").GetProperty("status").GetString().ShouldBe("cancelled");
        ImageFiles().ShouldBe(0);

        var again = await _cli.RunAsync("orders", "cancel", orderId);
        again.ExitCode.ShouldBe(1, again.ToString());
        again.Stderr.ShouldContain("already ended (cancelled)");
    }

    [Fact]
    public async Task Approve_with_no_wait_queues_the_order_and_orders_wait_completes_it()
    {
        var (orderId, requestId) = await PlaceAwaitingAsync();

        var approve = await _cli.RunAsync("approve", requestId, "--no-wait", "--json");
        approve.ExitCode.ShouldBe(0, approve.ToString());
        var decision = approve.Json();
        decision.GetProperty("order_id").GetString().ShouldBe(orderId);
        decision.GetProperty("status").GetString().ShouldBe("queued");
        decision.GetProperty("approval").GetProperty("status").GetString().ShouldBe("approved");
        ImageFiles().ShouldBe(0);

        var wait = await _cli.RunAsync("orders", "wait", orderId, "--json");
        wait.ExitCode.ShouldBe(0, wait.ToString());
        wait.Json().GetProperty("status").GetString().ShouldBe("completed");
        wait.Json().GetProperty("images").GetArrayLength().ShouldBe(6);
        ImageFiles().ShouldBe(6);
    }

    [Fact]
    public async Task Worker_with_nothing_to_do_exits_0()
    {
        var empty = await _cli.RunAsync("worker");
        empty.ExitCode.ShouldBe(0, empty.ToString());
        empty.Stderr.ShouldContain("No work left.");

        // An order waiting for a person is not work for the worker.
        var (orderId, _) = await PlaceAwaitingAsync();
        var waiting = await _cli.RunAsync("worker");
        waiting.ExitCode.ShouldBe(0, waiting.ToString());
        (await ShowAsync(orderId)).GetProperty("status").GetString().ShouldBe("awaiting_approval");
    }

    [Fact]
    public async Task An_approval_expires_across_processes_and_then_cannot_be_given()
    {
        var place = await _cli.RunProcessAsync("generate", Prompt, "-n", "6", "--size", "64x64", "--approval-timeout", "1s", "--json");
        place.ExitCode.ShouldBe(3, place.ToString());
        var orderId = place.Json().GetProperty("order_id").GetString()!;
        var requestId = place.Json().GetProperty("approval").GetProperty("request_id").GetString()!;

        // Real time must pass in the child processes; poll with a generous deadline.
        var clock = Stopwatch.StartNew();
        JsonElement order;
        while (true)
        {
            var show = await _cli.RunProcessAsync("orders", "show", orderId, "--json");
            show.ExitCode.ShouldBe(0, show.ToString());
            order = show.Json();
            if (order.GetProperty("status").GetString() != "awaiting_approval")
                break;
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(1), "the request did not expire");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        order.GetProperty("status").GetString().ShouldBe("expired");
        order.GetProperty("approval").GetProperty("status").GetString().ShouldBe("expired");
        Kinds(order).ShouldContain("expired");

        var approve = await _cli.RunProcessAsync("approve", requestId);
        approve.ExitCode.ShouldBe(1, approve.ToString());
        approve.Stderr.ShouldContain("expired");
        ImageFiles().ShouldBe(0);
    }
}
