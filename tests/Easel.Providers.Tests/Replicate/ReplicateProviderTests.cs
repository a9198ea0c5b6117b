using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;
using Easel.Providers.Replicate;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Replicate;

public sealed class ReplicateProviderTests : ImageProviderConformance
{
    private ReplicateFake Replicate => (ReplicateFake)Fake;

    internal override async Task<IFakeVendor> StartFakeAsync() => await ReplicateFake.StartAsync();

    protected override IImageProvider CreateProvider(ProviderConnection connection) => new ReplicateProvider(connection);

    protected override string Vendor => "Replicate";

    protected override int Count => 2;

    private List<RecordedRequest> Posts => Fake.Server.Requests.Where(r => r.Method == "POST").ToList();

    private List<RecordedRequest> Polls => Fake.Server.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/v1/predictions/", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Sends_the_documented_create_request()
    {
        var request = Request(3) with { Size = new ImageSize(1344, 768), Style = "pixel-art", Format = ImageFormat.Jpeg };
        var images = await Provider().GenerateAsync(request, Ct);

        images.Count.ShouldBe(3);
        var sent = Posts.ShouldHaveSingleItem();
        sent.Path.ShouldBe("/v1/models/black-forest-labs/flux-schnell/predictions");
        sent.Header("authorization").ShouldBe($"Bearer {Key}");
        sent.Header("prefer").ShouldBe("wait");
        using var body = JsonDocument.Parse(sent.Body);
        body.RootElement.TryGetProperty("version", out _).ShouldBeFalse("the model route names the model in its path");
        var input = body.RootElement.GetProperty("input");
        input.GetProperty("prompt").GetString().ShouldBe("a red fox in the snow, pixel art style");
        input.GetProperty("aspect_ratio").GetString().ShouldBe("16:9");
        input.GetProperty("num_outputs").GetInt32().ShouldBe(3);
        input.GetProperty("seed").GetInt64().ShouldBe(42);
        input.GetProperty("output_format").GetString().ShouldBe("jpg");
        input.GetProperty("go_fast").GetBoolean().ShouldBeFalse("the fast path ignores the seed");
        input.GetProperty("megapixels").GetString().ShouldBe("1");
        input.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["aspect_ratio", "go_fast", "megapixels", "num_outputs", "output_format", "prompt", "seed"]);
    }

    [Fact]
    public async Task A_version_id_is_created_on_the_generic_route()
    {
        var version = new string('a', 32) + new string('0', 32);
        using var provider = new ReplicateProvider(Connection(), $"black-forest-labs/flux-schnell:{version}");
        await provider.GenerateAsync(Request(1), Ct);

        var sent = Posts.ShouldHaveSingleItem();
        sent.Path.ShouldBe("/v1/predictions");
        using var body = JsonDocument.Parse(sent.Body);
        body.RootElement.GetProperty("version").GetString().ShouldBe(version);
        body.RootElement.GetProperty("input").GetProperty("prompt").GetString().ShouldBe("a red fox in the snow");
    }

    [Fact]
    public async Task A_prediction_still_running_is_polled_through_its_states_until_it_succeeds()
    {
        Replicate.PollsBeforeDone = 3;
        var images = await Provider().GenerateAsync(Request(2), Ct);

        images.Count.ShouldBe(2);
        var id = Replicate.Predictions.Keys.ShouldHaveSingleItem();
        Polls.Count.ShouldBe(3);
        Polls.ShouldAllBe(r => r.Path == $"/v1/predictions/{id}" && r.Header("authorization") == $"Bearer {Key}");
        Time.Waits.Count.ShouldBe(3, "one wait before each poll");
        Time.Waits.ToList().ShouldBe([TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], "the waits back off");
    }

    [Fact]
    public async Task A_prediction_finished_within_the_held_call_needs_no_poll()
    {
        Replicate.PollsBeforeDone = 0;
        var images = await Provider().GenerateAsync(Request(4), Ct);

        images.Count.ShouldBe(4);
        Polls.ShouldBeEmpty();
        Time.Waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_journal_holds_the_prediction_id_before_the_first_poll()
    {
        var journal = new RecordingJournal(Fake.Server);
        await Provider().GenerateAsync(Request(1) with { Journal = journal }, Ct);

        var id = Replicate.Predictions.Keys.ShouldHaveSingleItem();
        journal.Recorded.ShouldBe([id]);
        journal.PollsWhenRecorded.ShouldBe(0);
        Polls.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_job_an_earlier_attempt_started_is_collected_without_creating_another()
    {
        var existing = Replicate.AddExisting(ReplicateOutcome.Succeeded, polls: 2, outputs: 2);
        var journal = new RecordingJournal(Fake.Server, existing);

        var images = await Provider().GenerateAsync(Request(2) with { Journal = journal }, Ct);

        images.Count.ShouldBe(2);
        Posts.ShouldBeEmpty("a crash never pays twice");
        Polls.ShouldAllBe(r => r.Path == $"/v1/predictions/{existing}");
        Polls.Count.ShouldBe(2);
        journal.Recorded.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failed_earlier_job_made_nothing_so_a_new_one_is_started_and_recorded()
    {
        var existing = Replicate.AddExisting(ReplicateOutcome.Failed, polls: 0);
        var journal = new RecordingJournal(Fake.Server, existing);

        var images = await Provider().GenerateAsync(Request(1) with { Journal = journal }, Ct);

        images.ShouldHaveSingleItem();
        Posts.Count.ShouldBe(1);
        var created = Replicate.Predictions.Keys.Single(k => k != existing);
        journal.Recorded.ShouldBe([created]);
    }

    [Fact]
    public async Task An_earlier_job_refused_for_NSFW_content_is_not_paid_for_again()
    {
        var existing = Replicate.AddExisting(ReplicateOutcome.Nsfw, polls: 0);

        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1) with { Journal = new RecordingJournal(Fake.Server, existing) }, Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        Posts.ShouldBeEmpty();
    }

    [Fact]
    public async Task Outputs_on_another_host_are_downloaded_without_the_token()
    {
        var images = await Provider().GenerateAsync(Request(2), Ct);

        images.Count.ShouldBe(2);
        var downloads = Replicate.Delivery.Requests.ToList();
        downloads.Count.ShouldBe(2);
        foreach (var download in downloads)
        {
            download.Header("authorization").ShouldBeNull();
            download.Headers.Values.ShouldNotContain(v => v.Contains(Key));
        }
    }

    [Fact]
    public async Task Outputs_on_the_API_host_are_downloaded_with_the_token()
    {
        Replicate.OutputsOnApiHost = true;
        var images = await Provider().GenerateAsync(Request(2), Ct);

        images.Count.ShouldBe(2);
        var downloads = Fake.Server.Requests.Where(r => r.Path.StartsWith("/files/", StringComparison.Ordinal)).ToList();
        downloads.Count.ShouldBe(2);
        downloads.ShouldAllBe(r => r.Header("authorization") == $"Bearer {Key}");
    }

    [Fact]
    public async Task Each_image_is_the_file_Replicate_made_and_a_single_image_keeps_its_seed()
    {
        var images = await Provider().GenerateAsync(Request(1), Ct);

        var image = images.ShouldHaveSingleItem();
        image.Bytes.ShouldBe(FakeImages.Png(seed: 42));
        image.MediaType.ShouldBe("image/png");
        image.Seed.ShouldBe(42);
        image.Model.ShouldBe(ReplicateProvider.DefaultModel);

        var batch = await Provider().GenerateAsync(Request(2), Ct);
        batch.ShouldAllBe(i => i.Seed == null, "one seed drives the whole batch, so it names no single image");
    }

    [Fact]
    public async Task An_NSFW_failure_found_while_polling_is_a_refusal()
    {
        Replicate.NextPrediction(ReplicateOutcome.Nsfw, polls: 2);

        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        var id = Replicate.Predictions.Keys.ShouldHaveSingleItem();
        error.Message.ShouldStartWith($"Replicate refused the prompt (NSFW, prediction {id}): All generated images contained NSFW content");
        Posts.Count.ShouldBe(1, "a refusal is not retried");
    }

    [Fact]
    public async Task A_model_failure_names_the_prediction_and_the_reason()
    {
        Replicate.NextPrediction(ReplicateOutcome.Failed);

        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe($"Replicate's prediction {Replicate.Predictions.Keys.Single()} failed: CUDA error: out of memory.");
    }

    [Fact]
    public async Task The_throttle_message_sets_the_wait_when_there_is_no_Retry_After()
    {
        Fake.Server.Interrupt(429, """{"detail":"Request was throttled. Your rate limit resets in ~30s.","status":429}""");

        await Provider().GenerateAsync(Request(1), Ct);

        Time.Waits.ShouldContain(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_Retry_After_header_wins_over_the_throttle_message()
    {
        Fake.Server.Interrupt(429, """{"detail":"Request was throttled. Your rate limit resets in ~30s.","status":429}""",
            headers: new Dictionary<string, string> { ["Retry-After"] = "3" });

        await Provider().GenerateAsync(Request(1), Ct);

        Time.Waits.ShouldContain(TimeSpan.FromSeconds(3));
        Time.Waits.ShouldNotContain(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_input_Replicate_rejects_is_invalid_with_its_detail()
    {
        using var provider = new ReplicateProvider(Connection(), options: new ReplicateOptions { MaxImagesPerCall = 8 });

        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(6), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldBe("Replicate rejected the input (Input validation failed): input.num_outputs: Must be less than or equal to 4.");
        Posts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Expired_outputs_are_explained()
    {
        Replicate.OutputsExpired = true;

        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));

        error.Message.ShouldStartWith($"Replicate made output 1 of prediction {Replicate.Predictions.Keys.Single()}, but it could not be downloaded");
        error.Message.ShouldContain("deletes outputs about an hour after");
        error.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task A_prediction_that_never_ends_times_out_within_the_connection_timeout_and_is_cancelled()
    {
        Replicate.NextPrediction(ReplicateOutcome.NeverFinishes);

        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Timeout);
        error.Message.ShouldContain(Replicate.Predictions.Keys.Single());
        error.Message.ShouldContain("300 s");
        Time.Waits.Aggregate(TimeSpan.Zero, (a, b) => a + b).ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(5));
        Time.Waits.ShouldAllBe(w => w <= TimeSpan.FromSeconds(5), "polls back off to at most 5 s apart");
        // A failed batch is not tried again: a prediction left running would be paid for and never collected.
        Fake.Server.Requests.ShouldContain(r => r.Method == "POST" && r.Path == $"/v1/predictions/{Replicate.Predictions.Keys.Single()}/cancel");
        error.Message.ShouldContain("it was cancelled");
    }

    [Fact]
    public async Task A_timeout_shorter_than_a_minute_shortens_the_held_call()
    {
        Replicate.PollsBeforeDone = 0;
        // A real clock: the test clock fires every short timer at once, the call's deadline included.
        using var provider = new ReplicateProvider(Connection() with { Timeout = TimeSpan.FromSeconds(30), Time = TimeProvider.System });
        await provider.GenerateAsync(Request(1), Ct);

        Posts.Single().Header("prefer").ShouldBe("wait=25");
    }

    [Fact]
    public void A_model_that_is_not_owner_and_name_is_refused_plainly()
    {
        var error = Should.Throw<ArgumentException>(() => new ReplicateProvider(Connection(), "flux schnell"));
        error.Message.ShouldStartWith("'flux schnell' is not a Replicate model: use owner/name (like black-forest-labs/flux-schnell)");
    }

    [Fact]
    public async Task More_images_than_one_prediction_makes_is_refused_before_any_call()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => Provider().GenerateAsync(Request(5), Ct));
        error.Message.ShouldStartWith("Replicate makes 1 to 4 images per prediction");
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void Capabilities_are_flux_schnells()
    {
        using var provider = new ReplicateProvider(Connection());
        var caps = provider.Capabilities;
        provider.Name.ShouldBe("replicate");
        caps.Model.ShouldBe("black-forest-labs/flux-schnell");
        caps.MaxImagesPerCall.ShouldBe(4);
        caps.PricePerImage.ShouldBe(0.003m);
        caps.ImagesPerMinute.ShouldBe(600);
        caps.SupportsSeed.ShouldBeTrue();
        caps.SupportsNegativePrompt.ShouldBeFalse();
        caps.Formats.ShouldBe([ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp]);
        caps.Fit(new ImageSize(1024, 1024)).AspectRatio.ShouldBe("1:1");
        caps.Fit(new ImageSize(2100, 900)).AspectRatio.ShouldBe("21:9");
        caps.Fit(new ImageSize(768, 1024)).AspectRatio.ShouldBe("3:4");
    }

    private ProviderConnection Connection() => new()
    {
        Vendor = Vendor,
        BaseUrl = Fake.Server.BaseUrl,
        ApiKey = Key,
        Time = Time,
        Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(30) },
    };

    /// <summary>Stands in for the batch's journal, noting how many polls the server had seen when the id was stored.</summary>
    private sealed class RecordingJournal(FakeServer server, string? existing = null) : IRemoteJobJournal
    {
        public string? ExistingJobId => existing;

        public List<string> Recorded { get; } = [];

        public int? PollsWhenRecorded { get; private set; }

        public Task RecordAsync(string jobId, CancellationToken cancellationToken)
        {
            PollsWhenRecorded ??= server.Requests.Count(r => r.Method == "GET");
            Recorded.Add(jobId);
            return Task.CompletedTask;
        }
    }
}
