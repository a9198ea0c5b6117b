using System.Diagnostics;
using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Imaging.Png;
using Easel.Providers.Mcp;
using Easel.Providers.Tests.Fakes;
using Easel.Testing;

namespace Easel.Providers.Tests.Mcp;

/// <summary>
/// The MCP image provider against real MCP servers over stdio: the reference server-everything
/// from npm and a peer built on the official TypeScript SDK. Images come back and are checked,
/// the argument mapping reaches the tool with its types, and every way a server can fail reads
/// as one sentence that names the provider, the tool or the command, and never a configured secret.
/// </summary>
public sealed class McpImageProviderTests : IAsyncLifetime
{
    private const string Secret = "flux-key-5eCr3t-0123456789";

    private readonly List<McpImageProvider> _providers = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("easel-mcp-test-").FullName;
    private readonly byte[] _image = FakeImages.Png(24, 16, seed: 7);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
            await provider.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private McpImageProvider Provider(McpProviderOptions options, TimeProvider? time = null)
    {
        var provider = new McpImageProvider(options, time);
        _providers.Add(provider);
        return provider;
    }

    private McpImageProvider Peer(string tool, string arguments = """{"prompt":"{prompt}"}""", int imagesPerCall = 1, TimeProvider? time = null) =>
        Provider(McpPeers.PeerTool(tool, arguments, _image, _folder, new Dictionary<string, string> { ["PEER_TOKEN"] = Secret }) with { ImagesPerCall = imagesPerCall }, time);

    private static GenerationRequest Request(int count = 1, string prompt = "a red fox", ImageSize? size = null) =>
        new(prompt, null, size ?? new ImageSize(1024, 1024), null, Background.Opaque, Enumerable.Range(0, count).Select(i => 42L + i).ToArray());

    private static async Task<ProviderException> Fails(McpImageProvider provider, GenerationRequest? request = null) =>
        await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(request ?? Request(), Ct));

    [Fact]
    public async Task The_reference_servers_image_comes_back_as_a_real_png()
    {
        var provider = Provider(McpPeers.EverythingTool("get-tiny-image"));
        var image = (await provider.GenerateAsync(Request(), Ct)).ShouldHaveSingleItem();

        image.MediaType.ShouldBe("image/png");
        image.Model.ShouldBe("get-tiny-image");
        image.Seed.ShouldBeNull("the mapping passes no seed");
        var png = PngDecoder.Decode(image.Bytes);
        (png.Image.Width, png.Image.Height).ShouldBe((20, 20));
    }

    [Fact]
    public async Task A_tool_that_makes_one_image_a_call_is_called_until_there_are_enough()
    {
        var provider = Provider(McpPeers.EverythingTool("get-tiny-image") with { ImagesPerCall = 3 });
        provider.Capabilities.MaxImagesPerCall.ShouldBe(3);

        var images = await provider.GenerateAsync(Request(3), Ct);

        images.Count.ShouldBe(3);
        images.ShouldAllBe(i => ImageHeader.Read(i.Bytes).Width == 20);
    }

    [Fact]
    public async Task A_tool_told_the_count_makes_them_in_one_call_and_only_the_first_has_the_seed()
    {
        var provider = Peer("images", """{"prompt":"{prompt}","count":"{count}","seed":"{seed}"}""", imagesPerCall: 4);

        var images = await provider.GenerateAsync(Request(4), Ct);

        images.Count.ShouldBe(4);
        images.ShouldAllBe(i => i.Bytes.SequenceEqual(_image));
        images.Select(i => i.Seed).ShouldBe([42L, null, null, null], "a call makes its first image from the seed it is given; the others' are not known");
        McpPeers.Starts(_folder).ShouldBe(1);
    }

    [Fact]
    public async Task The_mapping_reaches_the_tool_with_the_style_in_the_prompt_when_the_tool_takes_none()
    {
        var provider = Provider(McpPeers.EverythingTool("echo", """{"message":"{prompt}"}"""));
        var error = await Fails(provider, Request(prompt: "a red fox") with { Style = "watercolor" });

        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe("The MCP tool 'echo' on everything returned no image (it said: Echo: a red fox, watercolor style).");
    }

    [Fact]
    public async Task A_template_that_is_one_placeholder_keeps_the_values_type()
    {
        var numbers = Provider(McpPeers.EverythingTool("get-sum", """{"a":"{width}","b":"{height}"}"""));
        var sum = await Fails(numbers, Request(size: new ImageSize(640, 384)));
        sum.Message.ShouldContain("The sum of 640 and 384 is 1024", customMessage: "the numbers reached the tool as numbers");

        var text = Provider(McpPeers.EverythingTool("get-sum", """{"a":"{width}px","b":"{height}"}""", name: "everything-text"));
        var rejected = await Fails(text, Request(size: new ImageSize(640, 384)));
        rejected.Kind.ShouldBe(ProviderErrorKind.Invalid);
        rejected.Message.ShouldStartWith("The MCP tool 'get-sum' on everything-text rejected its arguments (");
        rejected.Message.ShouldContain("expected number, received string");
        rejected.Message.ShouldEndWith("; check McpProviders:everything-text:ToolArguments.");
    }

    [Fact]
    public async Task An_absent_value_leaves_its_argument_out_and_constants_pass_as_they_are()
    {
        var echo = Provider(McpPeers.EverythingTool("echo", """{"message":"{negative_prompt}"}"""));
        var missing = await Fails(echo);
        missing.Kind.ShouldBe(ProviderErrorKind.Invalid, "without a negative prompt the required argument is left out, not sent empty");
        missing.Message.ShouldContain("message");

        var constants = Provider(McpPeers.EverythingTool("get-sum", """{"a":1.5,"b":"{count}"}""", name: "constants"));
        (await Fails(constants)).Message.ShouldContain("The sum of 1.5 and 1 is 2.5");
    }

    [Fact]
    public async Task What_the_tool_can_take_follows_from_its_arguments()
    {
        // Never started: capabilities need no server.
        var bare = Provider(new McpProviderOptions { Name = "bare", Command = "/nonexistent/server", Tool = "draw", ToolArguments = McpPeers.Arguments("""{"prompt":"{prompt}"}""") });
        bare.Capabilities.SupportsNegativePrompt.ShouldBeFalse();
        bare.Capabilities.SupportsSeed.ShouldBeFalse();
        bare.Capabilities.AspectRatios.ShouldBeNull();
        bare.Capabilities.Formats.ShouldBe([ImageFormat.Png]);
        bare.Capabilities.MaxImagesPerCall.ShouldBe(1);
        bare.Capabilities.PricePerImage.ShouldBe(0m);
        bare.Capabilities.Model.ShouldBe("draw");

        var full = Provider(new McpProviderOptions
        {
            Name = "full", Command = "/nonexistent/server", Tool = "draw", ImagesPerCall = 4, CostPerImage = 0.003m, Timeout = TimeSpan.FromMinutes(2),
            ToolArguments = McpPeers.Arguments("""{"p":"{prompt}","n":"{negative_prompt}","s":"{seed}","r":"{aspect_ratio}","f":"{format}","c":"{count}"}"""),
        });
        full.Capabilities.SupportsNegativePrompt.ShouldBeTrue();
        full.Capabilities.SupportsSeed.ShouldBeTrue();
        full.Capabilities.AspectRatios.ShouldBe(McpImageProvider.CommonAspectRatios, "a tool asked for a ratio and no size gets one of the usual ratios");
        full.Capabilities.Formats.ShouldBe([ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp]);
        full.Capabilities.MaxImagesPerCall.ShouldBe(4);
        full.Capabilities.PricePerImage.ShouldBe(0.003m);
        full.Capabilities.Timeout.ShouldBe(TimeSpan.FromMinutes(2));
        full.Capabilities.Fit(new ImageSize(1920, 1080)).AspectRatio.ShouldBe("16:9");
    }

    [Fact]
    public async Task Bad_options_are_refused_when_the_provider_is_made()
    {
        var unknown = Should.Throw<ArgumentException>(() => new McpImageProvider(new McpProviderOptions
        {
            Name = "flux", Command = "npx", Tool = "generate", ToolArguments = McpPeers.Arguments("""{"prompt":"{promt}"}"""),
        }));
        unknown.Message.ShouldStartWith("The MCP provider flux's ToolArguments:prompt uses {promt}, which is not a placeholder; the placeholders are {prompt}, {negative_prompt},");
        Should.Throw<ArgumentException>(() => new McpImageProvider(new McpProviderOptions { Name = "flux", Command = "npx", Tool = "generate", ImagesPerCall = 11 }))
            .Message.ShouldStartWith("The MCP provider flux's ImagesPerCall must be between 1 and 10; it is 11.");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task An_unknown_tool_is_named_with_the_tools_the_server_has()
    {
        var error = await Fails(Provider(McpPeers.EverythingTool("make-image")));

        error.Kind.ShouldBe(ProviderErrorKind.NotFound);
        error.Message.ShouldStartWith("The MCP server for everything has no tool 'make-image'; its tools are ");
        error.Message.ShouldContain("echo");
        error.Message.ShouldContain("get-tiny-image");
        error.Message.ShouldEndWith("Set McpProviders:everything:Tool to one of them.");
    }

    [Fact]
    public async Task A_command_that_does_not_exist_is_named()
    {
        var error = await Fails(Provider(new McpProviderOptions { Name = "flux", Command = "/nonexistent/flux-mcp", Arguments = ["--api-key", Secret], Tool = "generate" }));

        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe("Cannot start the MCP server for flux: the command '/nonexistent/flux-mcp' could not be run (No such file or directory); check McpProviders:flux:Command and that it is on PATH.");
    }

    [Fact]
    public async Task A_server_that_exits_at_once_says_so_with_its_last_words_and_no_secret()
    {
        // Only the configured variables and the few every process needs reach the server: not the test's own.
        Environment.SetEnvironmentVariable("EASEL_MCP_TEST_OWN_VARIABLE", "leaked");
        var provider = Provider(new McpProviderOptions
        {
            Name = "flux",
            Command = "node",
            Arguments = ["-e", "console.error(`token ${process.env.FLUX_TOKEN}, own ${process.env.EASEL_MCP_TEST_OWN_VARIABLE}, home ${process.env.HOME !== undefined}`); process.exit(3)"],
            Environment = new Dictionary<string, string> { ["FLUX_TOKEN"] = Secret },
            Tool = "generate",
        });

        var error = await Fails(provider);

        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe("The MCP server for flux ('node') exited with code 3 before it was ready; it wrote: token ***, own undefined, home true.");
    }

    [Fact]
    public async Task A_missing_server_script_is_reported_by_its_error_line_not_its_stack_trace()
    {
        var script = Path.Combine(_folder, "flux-server.js");
        var error = await Fails(Provider(new McpProviderOptions { Name = "flux", Command = "node", Arguments = [script], Tool = "generate" }));

        error.Message.ShouldBe($"The MCP server for flux ('node') exited with code 1 before it was ready; it wrote: Error: Cannot find module '{script}'.");
    }

    [Fact]
    public async Task A_tool_error_is_the_tools_own_words_trimmed_and_masked()
    {
        var error = await Fails(Peer("refuse"));

        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe("The MCP tool 'refuse' on peer failed: The prompt was refused by the safety filter. Token used: ***.");
    }

    [Fact]
    public async Task An_image_may_come_as_an_embedded_resource()
    {
        var image = (await Peer("resource-image").GenerateAsync(Request(), Ct)).ShouldHaveSingleItem();
        image.Bytes.ShouldBe(_image);
        image.MediaType.ShouldBe("image/png");
    }

    [Fact]
    public async Task Bytes_that_are_no_image_are_refused()
    {
        var error = await Fails(Peer("not-an-image"));
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldStartWith("The MCP tool 'not-an-image' on peer returned an image Easel cannot read: Not a PNG, JPEG, WebP or GIF image");
    }

    [Fact]
    public async Task A_png_with_a_damaged_ancillary_chunk_loses_the_chunk_not_the_image()
    {
        // As the reference server's own sample image is: its colour profile's CRC is wrong.
        var damaged = WithChunk(_image, "tIME", [7, 234, 11, 21, 12, 0, 0], crcDelta: 1);
        var provider = Provider(McpPeers.PeerTool("resource-image", """{"prompt":"{prompt}"}""", damaged, _folder));

        var image = (await provider.GenerateAsync(Request(), Ct)).ShouldHaveSingleItem();

        image.Bytes.ShouldBe(_image, "the image without the damaged chunk");
        PngDecoder.Decode(image.Bytes).Image.Width.ShouldBe(24);
    }

    [Fact]
    public async Task A_png_with_damaged_image_data_is_refused()
    {
        var damaged = (byte[])_image.Clone();
        damaged[^13] ^= 0xFF; // the last byte of the IDAT chunk's CRC
        var provider = Provider(McpPeers.PeerTool("resource-image", """{"prompt":"{prompt}"}""", damaged, _folder));

        var error = await Fails(provider);

        error.Message.ShouldStartWith("The MCP tool 'resource-image' on peer returned an image Easel cannot read: CRC mismatch in the 'IDAT' chunk");
    }

    /// <summary><paramref name="png"/> with a chunk inserted after IHDR, its CRC off by <paramref name="crcDelta"/>.</summary>
    private static byte[] WithChunk(byte[] png, string type, byte[] data, uint crcDelta)
    {
        var typeAndData = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var chunk = new byte[12 + data.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        typeAndData.CopyTo(chunk, 4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), McpImages.Crc(typeAndData) + crcDelta);
        const int afterIhdr = 8 + 25;
        return [.. png[..afterIhdr], .. chunk, .. png[afterIhdr..]];
    }

    [Fact]
    public async Task A_server_that_dies_during_a_call_is_reported_and_started_again_for_the_next()
    {
        var provider = Peer("crash-once");

        var error = await Fails(provider);
        error.Kind.ShouldBe(ProviderErrorKind.Unavailable);
        error.Message.ShouldBe("The MCP server for peer ('node') stopped during the call (exit code 5); it wrote: peer: out of GPU memory; the next call starts it again.");

        (await provider.GenerateAsync(Request(), Ct)).ShouldHaveSingleItem().Bytes.ShouldBe(_image);
        McpPeers.Starts(_folder).ShouldBe(2);
    }

    [Fact]
    public async Task Calls_at_the_same_time_share_one_server()
    {
        var provider = Peer("images", """{"prompt":"{prompt}","delay_ms":300}""");

        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => provider.GenerateAsync(Request(), Ct)));

        batches.ShouldAllBe(b => b.Count == 1);
        McpPeers.Starts(_folder).ShouldBe(1);
    }

    [Fact(Timeout = 30_000)]
    public async Task Cancelling_stops_waiting_for_the_tool_and_keeps_the_server()
    {
        var provider = Peer("images", """{"prompt":"{prompt}","delay_ms":600000}""");
        (await provider.CheckAsync(Ct)).ShouldBeNull();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = provider.GenerateAsync(Request(), cancel.Token);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        (await provider.CheckAsync(Ct)).ShouldBeNull();
        McpPeers.Starts(_folder).ShouldBe(1);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_tool_that_takes_longer_than_the_timeout_is_abandoned()
    {
        var time = new ManualTimeProvider();
        var provider = Peer("images", """{"prompt":"{prompt}","delay_ms":600000}""", time: time);
        (await provider.CheckAsync(Ct)).ShouldBeNull();

        var call = provider.GenerateAsync(Request(), Ct);
        time.Advance(TimeSpan.FromMinutes(1));

        var error = await Should.ThrowAsync<ProviderException>(() => call);
        error.Kind.ShouldBe(ProviderErrorKind.Timeout);
        error.Message.ShouldBe("The MCP tool 'images' on peer did not answer within 1m.");
    }

    [Fact]
    public async Task Disposing_ends_the_server_process()
    {
        var provider = Peer("images");
        await provider.GenerateAsync(Request(), Ct);
        var pid = int.Parse(File.ReadAllLines(Path.Combine(_folder, "starts"))[0], System.Globalization.CultureInfo.InvariantCulture);

        await provider.DisposeAsync();

        Running(pid).ShouldBeFalse();
        await Should.ThrowAsync<ObjectDisposedException>(() => provider.GenerateAsync(Request(), Ct));
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
