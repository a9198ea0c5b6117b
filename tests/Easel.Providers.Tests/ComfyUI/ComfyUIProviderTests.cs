using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Providers.ComfyUI;
using Easel.Providers.Http;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.ComfyUI;

public sealed class ComfyUIProviderTests : ImageProviderConformance
{
    internal override async Task<IFakeVendor> StartFakeAsync() => await ComfyUIFake.StartAsync(token: Key);

    protected override IImageProvider CreateProvider(ProviderConnection connection) => new ComfyUIProvider(connection, ComfyUIFake.Workflow);

    protected override string Vendor => "ComfyUI";

    protected override int Count => 2;

    private new ComfyUIFake Fake => (ComfyUIFake)base.Fake;

    private ProviderConnection Connection() => new()
    {
        Vendor = Vendor,
        BaseUrl = Fake.Server.BaseUrl,
        ApiKey = Key,
        Time = Time,
        Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(500) },
    };

    private List<RecordedRequest> Sent(string method, string pathStart) =>
        Fake.Server.Requests.Where(r => r.Method == method && r.Path.StartsWith(pathStart, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Queues_the_workflow_with_every_placeholder_filled()
    {
        var request = Request(3) with { NegativePrompt = "blurry", Size = new ImageSize(1024, 768), Style = "watercolor" };
        await Provider().GenerateAsync(request, Ct);

        var post = Sent("POST", "/prompt").ShouldHaveSingleItem();
        post.Header("authorization").ShouldBe($"Bearer {Key}");
        post.ContentType.ShouldNotBeNull().ShouldStartWith("application/json");
        var body = JsonNode.Parse(post.Body)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["prompt", "client_id"], ignoreOrder: true);
        Guid.TryParse(body["client_id"]!.GetValue<string>(), out _).ShouldBeTrue();

        var graph = body["prompt"]!;
        Number(graph["3"]!["inputs"]!["seed"]!).ShouldBe(42, "{{seed}} becomes a number, as KSampler checks");
        Number(graph["5"]!["inputs"]!["width"]!).ShouldBe(1024);
        Number(graph["5"]!["inputs"]!["height"]!).ShouldBe(768);
        Number(graph["5"]!["inputs"]!["batch_size"]!).ShouldBe(3);
        graph["6"]!["inputs"]!["text"]!.GetValue<string>().ShouldBe("a red fox in the snow, watercolor style");
        graph["7"]!["inputs"]!["text"]!.GetValue<string>().ShouldBe("blurry");
        graph["9"]!["inputs"]!["filename_prefix"]!.GetValue<string>().ShouldBe("easel_42", "a placeholder inside text is replaced in the text");
        // Everything else is the user's workflow, untouched.
        Number(graph["3"]!["inputs"]!["steps"]!).ShouldBe(20);
        graph["3"]!["inputs"]!["model"]!.ToJsonString().ShouldBe("""["4",0]""");
        graph["4"]!["_meta"]!["title"]!.GetValue<string>().ShouldBe("Load Checkpoint");
    }

    [Fact]
    public async Task Polls_the_history_until_done_then_downloads_each_saved_image()
    {
        Fake.PollsBeforeDone = 3;
        var images = await Provider().GenerateAsync(Request(2), Ct);

        images.Count.ShouldBe(2);
        var id = Fake.Queued.ShouldHaveSingleItem();
        Sent("GET", "/history/").Select(r => r.Path).ShouldBe(Enumerable.Repeat($"/history/{id}", 4), "{} three times, then the outputs");
        var views = Sent("GET", "/view");
        views.Count.ShouldBe(2);
        views.ShouldAllBe(v => v.Query.Contains("type=output") && v.Query.Contains("subfolder=") && v.Query.Contains("filename=easel_42_"));
        Time.Waits.Take(3).ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.25)], "the pauses between looks grow");
        images.ShouldAllBe(i => i.MediaType == "image/png" && i.Model == ComfyUIFake.Checkpoint);
        images.Select(i => i.Seed).ShouldBe([42L, null], "one seed drives the batch: only the first image is remade from it alone");
    }

    [Fact]
    public async Task The_job_id_is_journalled_before_the_first_poll()
    {
        var journal = new RecordingJournal(() => Sent("GET", "/history/").Count);
        await Provider().GenerateAsync(Request(1) with { Journal = journal }, Ct);

        var id = Fake.Queued.ShouldHaveSingleItem();
        journal.Recorded.ShouldBe([id]);
        journal.PollsWhenRecorded.ShouldBe([0], "a crash while polling must not lose the job");
    }

    [Fact]
    public async Task A_journalled_job_is_polled_instead_of_queued_again()
    {
        var first = new RecordingJournal(() => 0);
        var before = await Provider().GenerateAsync(Request(2) with { Journal = first }, Ct);
        var id = first.Recorded.ShouldHaveSingleItem();
        var posts = Sent("POST", "/prompt").Count;

        var resumed = new RecordingJournal(() => 0, existing: id);
        var after = await Provider().GenerateAsync(Request(2) with { Journal = resumed }, Ct);

        Sent("POST", "/prompt").Count.ShouldBe(posts, "nothing new was queued");
        resumed.Recorded.ShouldBeEmpty();
        Fake.Queued.ShouldBe([id]);
        after.Select(i => i.Bytes).ShouldBe(before.Select(i => i.Bytes));
    }

    [Fact]
    public async Task A_journalled_job_the_server_lost_is_queued_again_and_journalled()
    {
        var first = new RecordingJournal(() => 0);
        await Provider().GenerateAsync(Request(1) with { Journal = first }, Ct);
        var lost = first.Recorded.ShouldHaveSingleItem();
        Fake.Restart();

        var resumed = new RecordingJournal(() => 0, existing: lost);
        var images = await Provider().GenerateAsync(Request(1) with { Journal = resumed }, Ct);

        images.Count.ShouldBe(1);
        var again = resumed.Recorded.ShouldHaveSingleItem();
        again.ShouldNotBe(lost);
        Sent("GET", "/queue").ShouldNotBeEmpty("the queue is asked before deciding the job is gone");
    }

    [Fact]
    public async Task A_job_that_fails_while_running_reports_the_node_and_its_error()
    {
        Fake.FailNextJob = "Allocation on device";
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));

        var id = Fake.Queued.ShouldHaveSingleItem();
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe($"ComfyUI failed running the workflow (prompt id {id}): node 3 (KSampler) raised torch.OutOfMemoryError: Allocation on device.");
        error.RequestId.ShouldBe(id);
        Sent("POST", "/prompt").Count.ShouldBe(1, "a failed job is not queued again");
    }

    [Fact]
    public async Task A_workflow_the_server_rejects_names_the_node_and_its_error()
    {
        var workflow = ComfyUIFake.Workflow.Replace("sd_xl_base_1.0.safetensors", "missing.safetensors", StringComparison.Ordinal);
        using var provider = new ComfyUIProvider(Connection(), workflow);
        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(1), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldStartWith("ComfyUI rejected the workflow (prompt_outputs_failed_validation: node 4 (CheckpointLoaderSimple): Value not in list: ckpt_name: 'missing.safetensors' not in [");
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_suites_validation_error_reads_as_the_node_says()
    {
        Fake.Next(FakeScenario.Invalid);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Message.ShouldBe("ComfyUI rejected the workflow (prompt_outputs_failed_validation: node 3 (KSampler): Value 20000 bigger than max of 10000: steps).");
    }

    [Fact]
    public async Task A_job_that_never_finishes_times_out_naming_the_job()
    {
        Fake.PollsBeforeDone = int.MaxValue;
        using var provider = new ComfyUIProvider(Connection(), ComfyUIFake.Workflow, options: new ComfyUIOptions { JobTimeout = TimeSpan.FromSeconds(30) });
        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(1), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Timeout);
        error.Message.ShouldContain(Fake.Queued.ShouldHaveSingleItem());
        error.IsTransient.ShouldBeTrue("a retry with the journal picks the job up again");
    }

    [Fact]
    public void Capabilities_follow_the_placeholders_the_workflow_has()
    {
        var full = Provider().Capabilities;
        (full.MaxImagesPerCall, full.SupportsSeed, full.SupportsNegativePrompt, full.Model).ShouldBe((8, true, true, ComfyUIFake.Checkpoint));
        full.PricePerImage.ShouldBe(0m);
        full.MaxConcurrency.ShouldBe(1);
        (full.MaxReferences, full.SupportsVariations).ShouldBe((0, false));

        var bare = ComfyUIFake.Workflow
            .Replace("\"{{seed}}\"", "7", StringComparison.Ordinal)
            .Replace("\"{{batch}}\"", "1", StringComparison.Ordinal)
            .Replace("\"{{negative}}\"", "\"ugly\"", StringComparison.Ordinal)
            .Replace("\"{{width}}\"", "832", StringComparison.Ordinal)
            .Replace("\"{{height}}\"", "1216", StringComparison.Ordinal)
            .Replace("easel_{{seed}}", "easel", StringComparison.Ordinal);
        using var provider = new ComfyUIProvider(Connection(), bare, "my-sdxl");
        var caps = provider.Capabilities;
        (caps.MaxImagesPerCall, caps.SupportsSeed, caps.SupportsNegativePrompt, caps.Model).ShouldBe((1, false, false, "my-sdxl"));
        caps.Sizes.ShouldBe([new ImageSize(832, 1216)], "the workflow fixes the size");
    }

    [Fact]
    public async Task A_workflow_without_batch_makes_one_image_per_call()
    {
        var single = ComfyUIFake.Workflow.Replace("\"{{batch}}\"", "1", StringComparison.Ordinal);
        using var provider = new ComfyUIProvider(Connection(), single);
        var error = await Should.ThrowAsync<ArgumentException>(() => provider.GenerateAsync(Request(2), Ct));
        error.Message.ShouldContain("{{batch}}");
        (await provider.GenerateAsync(Request(1), Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public void A_workflow_without_the_prompt_placeholder_is_refused_by_name()
    {
        var workflow = ComfyUIFake.Workflow.Replace("{{prompt}}", "a cat", StringComparison.Ordinal);
        var error = Should.Throw<ComfyUIWorkflowException>(() => new ComfyUIProvider(Connection(), workflow));
        error.Message.ShouldStartWith("The ComfyUI workflow has no {{prompt}} placeholder");
    }

    [Fact]
    public void A_workflow_that_is_not_json_is_refused_with_its_line()
    {
        var broken = "{\n  \"3\": {\"class_type\": \"KSampler\",\n    \"inputs\": {\"seed\": }\n  }\n}";
        var error = Should.Throw<ComfyUIWorkflowException>(() => new ComfyUIProvider(Connection(), broken));
        error.Message.ShouldStartWith("The ComfyUI workflow is not valid JSON at line 3");
    }

    [Fact]
    public void A_workflow_saved_in_the_ui_format_is_explained()
    {
        var ui = """{"last_node_id": 9, "nodes": [{"id": 3, "type": "KSampler", "widgets_values": ["{{seed}}"]}], "links": [], "version": 0.4}""";
        var error = Should.Throw<ComfyUIWorkflowException>(() => new ComfyUIProvider(Connection(), ui));
        error.Message.ShouldContain("UI format");
        error.Message.ShouldContain("Export (API)");
    }

    [Fact]
    public void A_placeholder_easel_does_not_fill_is_named()
    {
        var workflow = ComfyUIFake.Workflow.Replace("\"steps\": 20", "\"steps\": \"{{steps}}\"", StringComparison.Ordinal);
        var error = Should.Throw<ComfyUIWorkflowException>(() => new ComfyUIProvider(Connection(), workflow));
        error.Message.ShouldStartWith("The ComfyUI workflow uses {{steps}}, which Easel does not fill");
    }

    [Fact]
    public async Task A_prompt_that_looks_like_a_placeholder_is_sent_as_written()
    {
        await Provider().GenerateAsync(Request(1) with { Prompt = "a sign that reads {{seed}}" }, Ct);
        var graph = JsonNode.Parse(Sent("POST", "/prompt").Single().Body)!["prompt"]!;
        graph["6"]!["inputs"]!["text"]!.GetValue<string>().ShouldBe("a sign that reads {{seed}}");
    }

    [Fact]
    public async Task Reference_images_are_refused_because_the_workflow_takes_none()
    {
        var reference = new ReferenceImage("/tmp/ref.png", FakeImages.Png(), "image/png", 32, 32, new string('a', 64));
        await Should.ThrowAsync<ArgumentException>(() => Provider().GenerateAsync(Request(1) with { References = [reference] }, Ct));
        Fake.Server.Requests.ShouldBeEmpty();
    }

    private static long Number(JsonNode node)
    {
        node.GetValueKind().ShouldBe(JsonValueKind.Number);
        return node.GetValue<long>();
    }

    /// <summary>A journal that notes what it was given and how many polls had happened by then.</summary>
    private sealed class RecordingJournal(Func<int> polls, string? existing = null) : IRemoteJobJournal
    {
        public List<string> Recorded { get; } = [];

        public List<int> PollsWhenRecorded { get; } = [];

        public string? ExistingJobId => existing;

        public Task RecordAsync(string jobId, CancellationToken cancellationToken)
        {
            Recorded.Add(jobId);
            PollsWhenRecorded.Add(polls());
            return Task.CompletedTask;
        }
    }
}
