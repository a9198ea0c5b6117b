using System.Net;
using Easel.Imaging;
using Easel.Imaging.Png;

namespace Easel.Server.Tests.Studio;

public sealed class StudioReferenceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_stores_an_uploaded_reference_with_the_order()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var response = await client.PostMultipartAsync("/", "/", [new("Prompt", "a fox in these colours"), new("Count", "1")],
            [("referenceFiles", "palette.png", Png(16, 16, noisy: false))]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await StudioClient.ReadAsync(response));
        var orderId = response.Headers.Location!.OriginalString["/orders/".Length..];
        var order = await server.Services.Store.Orders.FindAsync(orderId, Cancel);
        order!.References.Count.ShouldBe(1);
        order.References[0].Source.ShouldBe("upload:palette.png");
    }

    [Fact]
    public async Task Create_refuses_an_upload_that_is_not_an_image_next_to_the_references_field()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var response = await client.PostMultipartAsync("/", "/", [new("Prompt", "a fox"), new("Count", "1")],
            [("referenceFiles", "notes.txt", "just some words"u8.ToArray())]);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await StudioClient.ReadAsync(response);
        html.ShouldContain("<p class=\"field-error\" id=\"references-error\">Reference upload &#x27;notes.txt&#x27;");
        html.ShouldContain("please choose it again");
        html.ShouldContain(">a fox</textarea>");
        (await server.Services.Store.Orders.ListAsync(null, 10, Cancel)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_accepts_a_reference_larger_than_the_api_request_limit_on_a_real_listener()
    {
        await using var server = await ServerHarness.StartKestrelAsync();
        using var client = new StudioClient(server);
        var big = Png(800, 800, noisy: true);
        big.Length.ShouldBeGreaterThan((int)EaselServer.MaxRequestBytes);
        var response = await client.PostMultipartAsync("/", "/", [new("Prompt", "a noisy fox"), new("Count", "1")],
            [("referenceFiles", "noise.png", big)]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await StudioClient.ReadAsync(response));
    }

    private static byte[] Png(int width, int height, bool noisy)
    {
        var image = new RgbaImage(width, height);
        var random = new Random(7);
        for (var i = 0; i < image.Pixels.Length; i += 4)
        {
            image.Pixels[i] = noisy ? (byte)random.Next(256) : (byte)200;
            image.Pixels[i + 1] = noisy ? (byte)random.Next(256) : (byte)80;
            image.Pixels[i + 2] = noisy ? (byte)random.Next(256) : (byte)40;
            image.Pixels[i + 3] = 255;
        }
        return PngEncoder.Encode(image);
    }
}
