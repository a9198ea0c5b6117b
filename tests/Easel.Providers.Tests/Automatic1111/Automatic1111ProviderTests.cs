using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Providers.Automatic1111;
using Easel.Providers.Http;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Automatic1111;

public sealed class Automatic1111ProviderTests : ImageProviderConformance
{
    private static readonly string Credentials = $"{Automatic1111Fake.User}:{Key}";

    internal override async Task<IFakeVendor> StartFakeAsync() => await Automatic1111Fake.StartAsync(password: Key);

    /// <summary>The web UI takes HTTP Basic credentials, so the suite's key is the password of a user.</summary>
    protected override IImageProvider CreateProvider(ProviderConnection connection) =>
        new Automatic1111Provider(connection with { ApiKey = connection.ApiKey is null ? null : $"{Automatic1111Fake.User}:{connection.ApiKey}" });

    protected override string Vendor => "AUTOMATIC1111";

    protected override int Count => 2;

    private new Automatic1111Fake Fake => (Automatic1111Fake)base.Fake;

    private ProviderConnection Connection(Uri? baseUrl = null, string? key = null, int retries = 3) => new()
    {
        Vendor = Vendor,
        BaseUrl = baseUrl ?? Fake.Server.BaseUrl,
        ApiKey = key ?? Credentials,
        Time = Time,
        Retry = new RetryOptions { MaxRetries = retries, BaseDelay = TimeSpan.FromMilliseconds(500) },
    };

    private static JsonElement Body(RecordedRequest request) => JsonDocument.Parse(request.Body).RootElement;

    [Fact]
    public async Task Sends_the_documented_txt2img_request()
    {
        var request = Request(3) with { NegativePrompt = "blurry, text", Size = new ImageSize(1024, 768), Style = "pixel-art" };
        await Provider().GenerateAsync(request, Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path).ShouldBe(("POST", "/sdapi/v1/txt2img"));
        sent.ContentType.ShouldNotBeNull().ShouldStartWith("application/json");
        sent.Header("authorization").ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Credentials)));
        var body = Body(sent);
        body.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["prompt", "negative_prompt", "seed", "batch_size", "n_iter", "steps", "cfg_scale", "sampler_name", "width", "height", "send_images", "save_images"],
            ignoreOrder: true);
        body.GetProperty("prompt").GetString().ShouldBe("a red fox in the snow, pixel art style");
        body.GetProperty("negative_prompt").GetString().ShouldBe("blurry, text");
        body.GetProperty("seed").GetInt64().ShouldBe(42);
        body.GetProperty("batch_size").GetInt32().ShouldBe(3);
        body.GetProperty("n_iter").GetInt32().ShouldBe(1);
        body.GetProperty("steps").GetInt32().ShouldBe(25);
        body.GetProperty("cfg_scale").GetDouble().ShouldBe(7);
        body.GetProperty("sampler_name").GetString().ShouldBe("DPM++ 2M");
        (body.GetProperty("width").GetInt32(), body.GetProperty("height").GetInt32()).ShouldBe((1024, 768));
        body.GetProperty("send_images").GetBoolean().ShouldBeTrue();
        body.GetProperty("save_images").GetBoolean().ShouldBeFalse("Easel keeps the images; the server's output folder should not fill up");
    }

    [Fact]
    public async Task Sampling_settings_and_checkpoint_come_from_the_constructor()
    {
        using var provider = new Automatic1111Provider(Connection(), "dreamshaper_8.safetensors",
            new Automatic1111Options { Steps = 40, CfgScale = 5.5, Sampler = "Euler a", Scheduler = "Karras" });
        var images = await provider.GenerateAsync(Request(1), Ct);

        var body = Body(Fake.Server.Last);
        body.GetProperty("steps").GetInt32().ShouldBe(40);
        body.GetProperty("cfg_scale").GetDouble().ShouldBe(5.5);
        body.GetProperty("sampler_name").GetString().ShouldBe("Euler a");
        body.GetProperty("scheduler").GetString().ShouldBe("Karras");
        body.GetProperty("override_settings").GetProperty("sd_model_checkpoint").GetString().ShouldBe("dreamshaper_8.safetensors");
        provider.Capabilities.Model.ShouldBe("dreamshaper_8.safetensors");
        images[0].Model.ShouldBe("dreamshaper_8.safetensors", "info names the checkpoint that drew it");
    }

    [Fact]
    public async Task Each_image_carries_the_seed_the_server_says_made_it()
    {
        var images = await Provider().GenerateAsync(Request(3) with { Seeds = [1000, 5, 6] }, Ct);
        images.Select(i => i.Seed).ShouldBe([1000L, 1001L, 1002L], "a batch from seed s is s, s+1, … (info's all_seeds)");
        images.Select(i => i.Bytes).Distinct(new BytesComparer()).Count().ShouldBe(3);
        images[0].Model.ShouldBe(Automatic1111Fake.LoadedModel);
    }

    [Fact]
    public async Task A_random_seed_is_read_back_from_the_server()
    {
        var images = await Provider().GenerateAsync(Request(2) with { Seeds = [-1, -1] }, Ct);
        images.Select(i => i.Seed).ShouldBe([Automatic1111Fake.RandomSeed, Automatic1111Fake.RandomSeed + 1]);
    }

    [Fact]
    public async Task Images_an_extension_appends_are_not_taken_for_the_batch()
    {
        Fake.ExtensionImages = 2;
        var images = await Provider().GenerateAsync(Request(2), Ct);
        images.Count.ShouldBe(2);
        images.ShouldAllBe(i => ImageHeader.Read(i.Bytes).Width == 16, "the 8-pixel extension maps are left out");
    }

    [Fact]
    public async Task A_reference_image_is_the_starting_point_of_img2img()
    {
        var png = FakeImages.Png(24, 24, seed: 7);
        var reference = new ReferenceImage("/tmp/ref.png", png, "image/png", 24, 24, new string('a', 64));
        await Provider().GenerateAsync(Request(2) with { References = [reference] }, Ct);

        var sent = Fake.Server.Last;
        sent.Path.ShouldBe("/sdapi/v1/img2img");
        var body = Body(sent);
        body.GetProperty("init_images").EnumerateArray().Select(e => e.GetString()).ShouldBe([Convert.ToBase64String(png)]);
        body.GetProperty("denoising_strength").GetDouble().ShouldBe(0.6);
        body.GetProperty("batch_size").GetInt32().ShouldBe(2);
        body.GetProperty("prompt").GetString().ShouldBe("a red fox in the snow");
    }

    [Theory]
    [InlineData(VariationStrength.Subtle, 0.35)]
    [InlineData(VariationStrength.Strong, 0.7)]
    public async Task A_variation_redraws_its_parent_with_img2img(VariationStrength strength, double denoising)
    {
        var parent = FakeImages.Png(32, 32, seed: 9);
        var images = await Provider().GenerateAsync(Request(2) with { VariationOf = new VariationSource(parent, "image/png", 42, strength) }, Ct);

        images.Count.ShouldBe(2);
        var sent = Fake.Server.Last;
        sent.Path.ShouldBe("/sdapi/v1/img2img");
        var body = Body(sent);
        body.GetProperty("init_images")[0].GetString().ShouldBe(Convert.ToBase64String(parent));
        body.GetProperty("denoising_strength").GetDouble().ShouldBe(denoising);
    }

    [Fact]
    public async Task Sizes_are_rounded_to_multiples_of_8_within_the_web_uis_range()
    {
        await Provider().GenerateAsync(Request(1) with { Size = new ImageSize(1001, 700) }, Ct);
        var body = Body(Fake.Server.Last);
        (body.GetProperty("width").GetInt32(), body.GetProperty("height").GetInt32()).ShouldBe((1000, 704));

        var tooLarge = await Should.ThrowAsync<ArgumentException>(() => Provider().GenerateAsync(Request(1) with { Size = new ImageSize(3072, 1024) }, Ct));
        tooLarge.Message.ShouldContain("2048");
        Provider().Capabilities.MaxSide.ShouldBe(2048);
    }

    [Fact]
    public async Task More_images_than_the_batch_limit_are_refused_before_any_call()
    {
        using var provider = new Automatic1111Provider(Connection(), options: new Automatic1111Options { MaxImagesPerCall = 4 });
        provider.Capabilities.MaxImagesPerCall.ShouldBe(4);
        await Should.ThrowAsync<ArgumentException>(() => provider.GenerateAsync(Request(5), Ct));
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void Capabilities_describe_a_free_local_server()
    {
        var caps = Provider().Capabilities;
        caps.PricePerImage.ShouldBe(0m);
        caps.MaxConcurrency.ShouldBe(1, "the web UI runs one generation at a time");
        caps.ImagesPerMinute.ShouldBeNull();
        caps.SupportsSeed.ShouldBeTrue();
        caps.SupportsNegativePrompt.ShouldBeTrue();
        caps.SupportsVariations.ShouldBeTrue();
        caps.MaxReferences.ShouldBe(1);
        caps.MaxImagesPerCall.ShouldBe(8);
        caps.Model.ShouldBe(Automatic1111Provider.LoadedCheckpoint);
    }

    [Fact]
    public async Task A_validation_error_names_the_field()
    {
        Fake.Next(FakeScenario.Invalid);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldBe("AUTOMATIC1111 rejected the request (422): steps: value is not a valid integer.");
    }

    [Fact]
    public async Task An_unknown_sampler_is_a_bad_setting_not_an_outage()
    {
        using var provider = new Automatic1111Provider(Connection(), options: new Automatic1111Options { Sampler = "Heun Turbo" });
        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldBe("AUTOMATIC1111 rejected the request (404): Sampler not found.");
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_crash_on_the_server_is_reported_with_its_exception()
    {
        for (var i = 0; i < 4; i++)
            Fake.Next(FakeScenario.ServerError);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unavailable);
        error.Message.ShouldStartWith("AUTOMATIC1111 failed with a server error (500, OutOfMemoryError): CUDA out of memory.");
    }

    [Fact]
    public async Task Wrong_credentials_name_the_setting_to_check_and_never_the_password()
    {
        using var provider = new Automatic1111Provider(Connection(key: "easel:wrong-password-123"));
        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unauthorized);
        error.Message.ShouldContain("Providers:automatic1111:ApiKey");
        error.Message.ShouldContain("--api-auth");
        error.Message.ShouldNotContain("wrong-password-123");
    }

    [Fact]
    public async Task A_key_that_is_not_user_and_password_is_refused_before_any_call()
    {
        using var provider = new Automatic1111Provider(Connection(key: Key));
        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unauthorized);
        error.Message.ShouldStartWith("AUTOMATIC1111 takes HTTP Basic credentials as user:password");
        error.Message.ShouldNotContain(Key);
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_credentials_no_authorization_header_is_sent()
    {
        await using var open = await Automatic1111Fake.StartAsync();
        using var provider = new Automatic1111Provider(new ProviderConnection { Vendor = Vendor, BaseUrl = open.Server.BaseUrl, Time = Time });
        var images = await provider.GenerateAsync(Request(1), Ct);
        images.Count.ShouldBe(1);
        open.Server.Last.Header("authorization").ShouldBeNull();
    }

    [Fact]
    public async Task A_server_that_is_not_running_is_reported_as_unreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var provider = new Automatic1111Provider(Connection(new Uri($"http://127.0.0.1:{port}/"), retries: 0));

        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unavailable);
        error.Message.ShouldStartWith($"AUTOMATIC1111 could not be reached at http://127.0.0.1:{port}");
        error.Message.ShouldContain("--api");
    }

    [Fact]
    public async Task A_web_ui_started_without_its_api_is_explained()
    {
        Fake.Server.Interrupt(404, """{"detail":"Not Found"}""");
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.NotFound);
        error.Message.ShouldContain("start the web UI with --api");
    }

    [Fact]
    public void Settings_the_server_would_misuse_are_refused_at_construction()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new Automatic1111Provider(Connection(), options: new Automatic1111Options { Steps = 0 }))
            .Message.ShouldContain("Steps must be between 1 and 150");
        Should.Throw<ArgumentOutOfRangeException>(() => new Automatic1111Provider(Connection(), options: new Automatic1111Options { ReferenceStrength = 1.5 }));
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
