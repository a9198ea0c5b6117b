using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Providers.Http;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Conformance;

/// <summary>
/// The behaviour every image provider owes its users, written once and run against each vendor's
/// fake server: images come back as real images, the key goes only where the vendor wants it,
/// rate limits and server errors are retried as the server asks, refusals and validation errors
/// are not, and every failure reads as one plain sentence with the provider's request id.
/// </summary>
public abstract class ImageProviderConformance : IAsyncLifetime
{
    /// <summary>A key shaped like a real one; it must never show up anywhere but the auth header.</summary>
    public const string Key = "sk-conformance-5eCr3t-0123456789abcdef";

    private IFakeVendor? _fake;

    internal IFakeVendor Fake => _fake ?? throw new InvalidOperationException("The fake has not started.");

    internal InstantDelays Time { get; } = new();

    internal abstract Task<IFakeVendor> StartFakeAsync();

    /// <summary>The provider under test, pointed at the fake.</summary>
    protected abstract IImageProvider CreateProvider(ProviderConnection connection);

    /// <summary>The vendor's name as messages say it ("OpenAI").</summary>
    protected abstract string Vendor { get; }

    /// <summary>Images the conformance calls ask for: within every provider's per-call maximum.</summary>
    protected virtual int Count => 1;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Scripts the next call; a vendor with no such behaviour (a local server has no content policy) skips the test, saying why.</summary>
    private void Script(FakeScenario scenario)
    {
        try
        {
            Fake.Next(scenario);
        }
        catch (NotSupportedException ex)
        {
            Assert.Skip(ex.Message);
        }
    }

    public async ValueTask InitializeAsync() => _fake = await StartFakeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
            await _fake.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected IImageProvider Provider() => CreateProvider(new ProviderConnection
    {
        Vendor = Vendor,
        BaseUrl = Fake.Server.BaseUrl,
        ApiKey = Key,
        Time = Time,
        Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(30) },
    });

    protected virtual GenerationRequest Request(int count) =>
        new("a red fox in the snow", null, new ImageSize(1024, 1024), null, Background.Opaque, Enumerable.Range(0, count).Select(i => 42L + i).ToArray());

    [Fact]
    public async Task Makes_the_images_asked_for_as_real_image_files()
    {
        var images = await Provider().GenerateAsync(Request(Count), Ct);
        images.Count.ShouldBe(Count);
        foreach (var image in images)
        {
            var header = ImageHeader.Read(image.Bytes);
            header.MediaType.ShouldBe(image.MediaType);
            header.Width.ShouldBeGreaterThan(0);
            image.Model.ShouldNotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public async Task Sends_the_key_only_in_the_vendors_auth_header()
    {
        await Provider().GenerateAsync(Request(Count), Ct);
        var requests = Fake.Server.Requests.ToList();
        requests.ShouldNotBeEmpty();
        foreach (var request in requests)
        {
            var value = request.Header(Fake.KeyHeader).ShouldNotBeNull();
            // HTTP Basic (a local server behind a password) carries "user:password" in base64.
            if (value.StartsWith("Basic ", StringComparison.Ordinal))
                value = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value["Basic ".Length..]));
            value.ShouldContain(Key);
            request.Headers.Where(h => h.Key != Fake.KeyHeader).ShouldNotContain(h => h.Value.Contains(Key), "the key went into another header");
            request.Text.ShouldNotContain(Key);
            request.Path.ShouldNotContain(Key);
            request.Query.ShouldNotContain(Key);
        }
    }

    [Fact]
    public async Task A_rate_limit_is_retried_after_the_delay_the_server_asked_for()
    {
        Script(FakeScenario.RateLimited);
        var images = await Provider().GenerateAsync(Request(Count), Ct);
        images.Count.ShouldBe(Count);
        Time.Waits.ShouldContain(TimeSpan.FromSeconds(7), "the server asked to come back in 7 s");
    }

    [Fact]
    public async Task A_server_error_is_retried_with_backoff()
    {
        Script(FakeScenario.ServerError);
        var images = await Provider().GenerateAsync(Request(Count), Ct);
        images.Count.ShouldBe(Count);
        Time.Waits.ShouldNotBeEmpty("a retry waits first");
    }

    [Fact]
    public async Task Server_errors_that_persist_end_in_one_plain_sentence_with_the_request_id()
    {
        for (var i = 0; i < 4; i++)
            Script(FakeScenario.ServerError);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(Count), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unavailable);
        error.Message.ShouldStartWith(Vendor);
        if (Fake.RequestId is { } id)
        {
            error.RequestId.ShouldBe(id);
            error.Message.ShouldContain(id);
        }
        error.Message.ShouldNotContain(Key);
    }

    [Fact]
    public async Task A_content_policy_refusal_is_reported_plainly_and_never_retried()
    {
        Script(FakeScenario.Refused);
        var before = Fake.Server.Requests.Count;
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(Count), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldStartWith($"{Vendor} refused");
        error.Message.ShouldNotContain(Key);
        (Fake.Server.Requests.Count - before).ShouldBe(RequestsPerCall, "a refusal is not retried");
        Time.Waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_validation_error_names_the_problem_and_is_never_retried()
    {
        Script(FakeScenario.Invalid);
        var before = Fake.Server.Requests.Count;
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(Count), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldStartWith(Vendor);
        (Fake.Server.Requests.Count - before).ShouldBe(1);
        Time.Waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task When_some_images_are_filtered_the_rest_come_back()
    {
        Script(FakeScenario.PartiallyFiltered);
        var provider = Provider();
        if (provider.Capabilities.MaxImagesPerCall == 1)
        {
            // One image a call: the filtered image is all there was, which is a refusal.
            var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(1), Ct));
            error.Kind.ShouldBe(ProviderErrorKind.Refused);
            error.Message.ShouldStartWith($"{Vendor} refused");
            return;
        }
        var count = Math.Max(2, Count);
        var images = await provider.GenerateAsync(Request(count), Ct);
        images.Count.ShouldBe(count - 1);
    }

    /// <summary>HTTP requests one provider call makes when it is refused (more for vendors that poll).</summary>
    protected virtual int RequestsPerCall => 1;
}
