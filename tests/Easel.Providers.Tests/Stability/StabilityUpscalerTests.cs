using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Providers.Http;
using Easel.Providers.Stability;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Stability;

public sealed class StabilityUpscalerTests : IAsyncLifetime
{
    private const string Key = ImageProviderConformance.Key;

    private StabilityFake? _fake;

    private StabilityFake Fake => _fake ?? throw new InvalidOperationException("The fake has not started.");

    private InstantDelays Time { get; } = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fake = await StabilityFake.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
            await _fake.DisposeAsync();
    }

    private StabilityUpscaler Upscaler(StabilityUpscaleMode mode, StabilityUpscalerOptions? options = null) => new(new ProviderConnection
    {
        Vendor = "Stability AI",
        BaseUrl = Fake.Server.BaseUrl,
        ApiKey = Key,
        Time = Time,
        Retry = new RetryOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(500) },
    }, mode, options);

    [Fact]
    public async Task Fast_makes_the_image_four_times_as_large()
    {
        using var upscaler = Upscaler(StabilityUpscaleMode.Fast);
        var source = FakeImages.Png(40, 32);

        var result = await upscaler.UpscaleAsync(source, "image/png", 4, Ct);

        var header = ImageHeader.Read(result.Bytes);
        (header.Width, header.Height).ShouldBe((160, 128));
        result.Bytes.ShouldBe(FakeImages.Png(160, 128, seed: 4), "the vendor's own bytes, untouched");
        result.MediaType.ShouldBe("image/png");
        result.Model.ShouldBe("fast");
        var sent = Fake.Server.Requests.ShouldHaveSingleItem();
        (sent.Method, sent.Path).ShouldBe(("POST", "/v2beta/stable-image/upscale/fast"));
        sent.Header("authorization").ShouldBe($"Bearer {Key}");
        sent.Header("accept").ShouldBe("image/*");
        var form = await MultipartFields.ReadAsync(sent);
        form.Files["image"].Bytes.ShouldBe(source);
        form.Fields.ShouldBe(new Dictionary<string, string> { ["output_format"] = "png" });
    }

    [Fact]
    public async Task Fast_at_2x_is_its_4x_result_brought_down_to_exactly_twice_the_size()
    {
        using var upscaler = Upscaler(StabilityUpscaleMode.Fast);

        var result = await upscaler.UpscaleAsync(FakeImages.Png(40, 32), "image/png", 2, Ct);

        var header = ImageHeader.Read(result.Bytes);
        (header.Width, header.Height).ShouldBe((80, 64));
    }

    [Fact]
    public async Task Fast_refuses_an_image_outside_its_input_bounds_before_paying()
    {
        using var upscaler = Upscaler(StabilityUpscaleMode.Fast);

        var error = await Should.ThrowAsync<ArgumentException>(() => upscaler.UpscaleAsync(FakeImages.Png(1600, 32), "image/png", 4, Ct));

        error.Message.ShouldStartWith("stability-fast takes images 32 to 1536 pixels a side and at most 1 megapixel; this one is 1600x32.");
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Conservative_sends_its_prompt_and_creativity_and_returns_exactly_the_factor_asked()
    {
        Fake.UpscaleOutputPixels = 256 * 192;
        using var upscaler = Upscaler(StabilityUpscaleMode.Conservative, new StabilityUpscalerOptions { Prompt = "a lighthouse at dusk" });

        var result = await upscaler.UpscaleAsync(FakeImages.Png(96, 72), "image/png", 2, Ct);

        var header = ImageHeader.Read(result.Bytes);
        (header.Width, header.Height).ShouldBe((192, 144), "Stability made 256x192; Easel was asked for 2x");
        var sent = Fake.Server.Requests.ShouldHaveSingleItem();
        sent.Path.ShouldBe("/v2beta/stable-image/upscale/conservative");
        var form = await MultipartFields.ReadAsync(sent);
        form.Fields["prompt"].ShouldBe("a lighthouse at dusk");
        form.Fields["creativity"].ShouldBe("0.35");
        form.Fields["output_format"].ShouldBe("png");
    }

    [Fact]
    public async Task Conservative_has_a_prompt_even_when_none_is_configured()
    {
        Fake.UpscaleOutputPixels = 128 * 128;
        using var upscaler = Upscaler(StabilityUpscaleMode.Conservative);

        await upscaler.UpscaleAsync(FakeImages.Png(64, 64), "image/png", 2, Ct);

        (await MultipartFields.ReadAsync(Fake.Server.Last)).Fields["prompt"].ShouldBe(StabilityUpscalerOptions.DefaultPrompt);
    }

    [Fact]
    public async Task Creative_polls_its_job_until_the_image_is_ready()
    {
        Fake.UpscaleOutputPixels = 256 * 256;
        Fake.ResultPolls = 3;
        using var upscaler = Upscaler(StabilityUpscaleMode.Creative);

        var result = await upscaler.UpscaleAsync(FakeImages.Png(64, 64), "image/png", 4, Ct);

        var header = ImageHeader.Read(result.Bytes);
        (header.Width, header.Height).ShouldBe((256, 256));
        result.Bytes.ShouldBe(FakeImages.Png(256, 256, seed: 6));
        var requests = Fake.Server.Requests.ToList();
        requests[0].Path.ShouldBe("/v2beta/stable-image/upscale/creative");
        var polls = requests.Skip(1).ToList();
        polls.Count.ShouldBe(4, "three answers of 202, then the image");
        polls.ShouldAllBe(r => r.Method == "GET" && r.Path.StartsWith("/v2beta/results/", StringComparison.Ordinal) && r.Header("accept") == "image/*");
        polls.Select(r => r.Path).Distinct().ShouldHaveSingleItem();
        Time.Waits.ToList().ShouldBe([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)]);
        var form = await MultipartFields.ReadAsync(requests[0]);
        form.Fields["creativity"].ShouldBe("0.3");
    }

    [Fact]
    public async Task A_creative_result_that_is_gone_is_a_clear_error()
    {
        Fake.ResultsExpired = true;
        using var upscaler = Upscaler(StabilityUpscaleMode.Creative);

        var error = await Should.ThrowAsync<ProviderException>(() => upscaler.UpscaleAsync(FakeImages.Png(64, 64), "image/png", 2, Ct));

        error.Kind.ShouldBe(ProviderErrorKind.NotFound);
        error.Message.ShouldStartWith("Stability AI has no result for creative upscale ");
        error.Message.ShouldContain($"(404, request id {StabilityFake.Id}): it expired or never existed, so the upscale must be started again.");
        Fake.Server.Requests.Count.ShouldBe(2, "a 404 is not retried");
    }

    [Fact]
    public async Task A_creative_job_that_never_ends_times_out()
    {
        Fake.ResultPolls = int.MaxValue;
        using var upscaler = Upscaler(StabilityUpscaleMode.Creative);

        var error = await Should.ThrowAsync<ProviderException>(() => upscaler.UpscaleAsync(FakeImages.Png(64, 64), "image/png", 2, Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Timeout);
        error.Message.ShouldContain("did not finish within 300 s");
    }

    [Fact]
    public async Task A_filtered_upscale_is_a_refusal()
    {
        Fake.FilterNext();
        using var upscaler = Upscaler(StabilityUpscaleMode.Fast);

        var error = await Should.ThrowAsync<ProviderException>(() => upscaler.UpscaleAsync(FakeImages.Png(32, 32), "image/png", 4, Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldStartWith("Stability AI refused to upscale the image (CONTENT_FILTERED");
    }

    [Fact]
    public async Task A_factor_it_does_not_make_is_refused()
    {
        using var upscaler = Upscaler(StabilityUpscaleMode.Conservative);

        var error = await Should.ThrowAsync<ArgumentException>(() => upscaler.UpscaleAsync(FakeImages.Png(64, 64), "image/png", 3, Ct));

        error.Message.ShouldStartWith("stability-conservative enlarges by 2 or 4; 3 was asked for.");
    }

    [Fact]
    public async Task An_output_beyond_4K_is_refused_before_paying()
    {
        using var upscaler = Upscaler(StabilityUpscaleMode.Creative);

        var error = await Should.ThrowAsync<ArgumentException>(() => upscaler.UpscaleAsync(FakeImages.Png(1100, 900), "image/png", 4, Ct));

        error.Message.ShouldStartWith("stability-creative makes images up to 4096 pixels a side; 1100x900 enlarged 4x would be larger.");
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void A_creativity_out_of_range_is_refused_at_once()
    {
        var error = Should.Throw<ArgumentOutOfRangeException>(() => Upscaler(StabilityUpscaleMode.Conservative, new StabilityUpscalerOptions { Creativity = 0.9 }));
        error.Message.ShouldStartWith("Stability AI's conservative upscale takes a creativity from 0.2 to 0.5.");
    }

    [Theory]
    [InlineData(StabilityUpscaleMode.Fast, "stability-fast", 0.02, 6144)]
    [InlineData(StabilityUpscaleMode.Conservative, "stability-conservative", 0.40, 4096)]
    [InlineData(StabilityUpscaleMode.Creative, "stability-creative", 0.60, 4096)]
    public void Each_mode_has_its_name_price_and_limits(StabilityUpscaleMode mode, string name, double price, int maxSide)
    {
        IImageUpscaler upscaler = Upscaler(mode);
        upscaler.Name.ShouldBe(name);
        upscaler.PricePerImage.ShouldBe((decimal)price);
        upscaler.MaxOutputSide.ShouldBe(maxSide);
        upscaler.Scales.ShouldBe([2, 4]);
        ((IDisposable)upscaler).Dispose();
    }
}
