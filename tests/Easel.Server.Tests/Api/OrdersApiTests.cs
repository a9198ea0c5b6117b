using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Easel.Imaging;
using Easel.Imaging.Png;

namespace Easel.Server.Tests.Api;

public sealed class OrdersApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_order_placed_through_the_api_runs_and_its_file_and_thumbnail_can_be_fetched()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;

        var placed = await client.PlaceAsync(ApiTestClient.SmallOrder("a red fox in the snow", count: 2, size: "512x384"));
        placed.Text("status").ShouldBeOneOf("queued", "running", "completed");
        placed.GetProperty("count").GetInt32().ShouldBe(2);
        placed.TryGetProperty("approval", out _).ShouldBeFalse();

        var order = await client.WaitForOrderAsync(placed.Id());
        order.Text("status").ShouldBe("completed");
        order.GetProperty("progress").GetProperty("slotsDone").GetInt32().ShouldBe(2);
        var finals = order.FinalImages();
        finals.Count.ShouldBe(2);
        order.GetProperty("slots").EnumerateArray().Select(s => s.Text("currentImageId")).ShouldBe(finals.Select(f => f.Id()), ignoreOrder: true);

        var image = finals[0];
        var file = await client.GetAsync(image.Text("fileUrl"), Ct);
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        file.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        var bytes = await file.Content.ReadAsByteArrayAsync(Ct);
        ApiTestClient.IsPng(bytes).ShouldBeTrue();
        var info = PngDecoder.ReadInfo(bytes);
        (info.Width, info.Height).ShouldBe((512, 384));
        var detail = await client.GetJsonAsync(image.Text("url"));
        file.Headers.ETag!.Tag.ShouldBe($"\"{detail.Text("sha256")}\"");
        file.Headers.CacheControl!.ToString().ShouldContain("immutable");

        var thumbnail = await client.GetAsync(image.Text("thumbnailUrl"), Ct);
        thumbnail.StatusCode.ShouldBe(HttpStatusCode.OK);
        var thumbBytes = await thumbnail.Content.ReadAsByteArrayAsync(Ct);
        ApiTestClient.IsPng(thumbBytes).ShouldBeTrue();
        var thumb = PngDecoder.ReadInfo(thumbBytes);
        (thumb.Width, thumb.Height).ShouldBe((320, 240));
        File.Exists(Path.Combine(server.Services.Data.ThumbsPath, image.Id() + ".png")).ShouldBeTrue();
        (await client.GetByteArrayAsync(image.Text("thumbnailUrl"), Ct)).ShouldBe(thumbBytes);
    }

    [Fact]
    public async Task A_download_is_named_after_the_prompt_and_an_unchanged_file_is_not_sent_again()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var order = await client.WaitForOrderAsync((await client.PlaceAsync(ApiTestClient.SmallOrder("A lighthouse at night!"))).Id());
        var image = order.FinalImages()[0];

        var download = await client.GetAsync(image.Text("downloadUrl"), Ct);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentDisposition!.ToString().ShouldBe($"attachment; filename=\"a-lighthouse-at-night-{image.Id()}.png\"");

        using var again = new HttpRequestMessage(HttpMethod.Get, image.Text("fileUrl"));
        again.Headers.IfNoneMatch.Add(download.Headers.ETag!);
        (await client.SendAsync(again, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task Bad_fields_are_each_named_in_a_validation_problem()
    {
        await using var server = await ServerHarness.StartAsync();
        var response = await server.Client.PostJsonAsync("/api/v1/orders",
            new { prompt = "  ", count = 0, size = "512x512", aspectRatio = "16:9", provider = "nope", style = "baroque-ish" });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.GetProperty("prompt")[0].GetString()!.ShouldContain("empty");
        errors.GetProperty("count")[0].GetString()!.ShouldContain("between 1 and");
        errors.GetProperty("size")[0].GetString()!.ShouldContain("not both");
        errors.GetProperty("provider")[0].GetString()!.ShouldContain("Unknown provider 'nope'");
        errors.GetProperty("style")[0].GetString()!.ShouldContain("Unknown style 'baroque-ish'");
        (await server.Client.GetJsonAsync("/api/v1/orders")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Bodies_that_are_not_json_or_of_the_wrong_type_are_refused_with_what_to_fix()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;

        var broken = await client.PostRawJsonAsync("/api/v1/orders", "{\"prompt\": \"a fox\",");
        (await broken.ProblemAsync(HttpStatusCode.BadRequest)).Text("detail").ShouldContain("not a valid JSON object");

        var wrongType = await client.PostRawJsonAsync("/api/v1/orders", "{\"prompt\": \"a fox\", \"count\": \"six\"}");
        var problem = await wrongType.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("count")[0].GetString()!.ShouldContain("whole number");

        var text = await client.PostAsync("/api/v1/orders", new StringContent("prompt=a fox", Encoding.UTF8, "text/plain"), Ct);
        await text.ProblemAsync(HttpStatusCode.UnsupportedMediaType);

        var empty = await client.PostAsync("/api/v1/orders", null, Ct);
        (await empty.ProblemAsync(HttpStatusCode.BadRequest)).Text("detail").ShouldContain("JSON");
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused_as_too_large()
    {
        await using var server = await ServerHarness.StartAsync();
        var json = "{\"prompt\": \"" + new string('a', 1100 * 1024) + "\"}";
        var response = await server.Client.PostRawJsonAsync("/api/v1/orders", json);
        (await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge)).Text("detail").ShouldContain("1 MB");

        // Without a declared length the limit still holds while reading.
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders/quote") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var chunked = await server.Client.SendAsync(request, Ct);
        await chunked.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_quote_shows_the_plan_and_cost_without_placing_anything()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var response = await client.PostJsonAsync("/api/v1/orders/quote", new { prompt = "six watercolor cats", count = 6, aspectRatio = "16:9", style = "watercolor" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var quote = await response.JsonAsync();
        quote.Text("provider").ShouldBe("sketch");
        quote.Text("size").ShouldBe("1344x768");
        quote.GetProperty("calls").GetInt32().ShouldBe(2);
        quote.GetProperty("needsApproval").GetBoolean().ShouldBeTrue();
        quote.GetProperty("approvalReasons")[0].GetString()!.ShouldContain("6 images");
        quote.GetProperty("minCost").GetDecimal().ShouldBe(0m);
        quote.GetProperty("estimatedCost").GetDecimal().ShouldBe(0m);

        var dryRun = await client.PostJsonAsync("/api/v1/orders?dryRun=true", new { prompt = "one cat" });
        dryRun.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await dryRun.JsonAsync()).GetProperty("needsApproval").GetBoolean().ShouldBeFalse();

        (await client.GetJsonAsync("/api/v1/orders")).GetProperty("items").GetArrayLength().ShouldBe(0);
        var bad = await client.PostJsonAsync("/api/v1/orders/quote", new { prompt = "a cat", preset = "no-such-preset" });
        (await bad.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("preset").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Orders_are_listed_newest_first_and_filtered_by_status()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var waiting = await client.PlaceAsync(ApiTestClient.SmallOrder("six owls", count: 6));
        var small = await client.PlaceAsync(ApiTestClient.SmallOrder("one owl"));

        var all = (await client.GetJsonAsync("/api/v1/orders")).GetProperty("items").EnumerateArray().Select(o => o.Id()).ToList();
        all.ShouldBe([small.Id(), waiting.Id()]);

        var awaiting = (await client.GetJsonAsync("/api/v1/orders?status=awaiting_approval")).GetProperty("items");
        awaiting.GetArrayLength().ShouldBe(1);
        awaiting[0].Id().ShouldBe(waiting.Id());
        awaiting[0].Text("approvalId").ShouldBe(waiting.GetProperty("approval").Id());

        var bad = await client.GetAsync("/api/v1/orders?status=sleeping", Ct);
        (await bad.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("status")[0].GetString()!.ShouldContain("awaiting_approval");
        var badLimit = await client.GetAsync("/api/v1/orders?limit=0", Ct);
        (await badLimit.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("limit").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task An_order_can_be_cancelled_once_and_by_unique_prefix()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var placed = await client.PlaceAsync(ApiTestClient.SmallOrder("six owls", count: 6));
        var prefix = placed.Id()[..20];

        var cancelled = await client.PostJsonAsync($"/api/v1/orders/{prefix}/cancel", new { note = "changed my mind" });
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        var order = await cancelled.JsonAsync();
        order.Text("status").ShouldBe("cancelled");
        order.Id().ShouldBe(placed.Id());

        var again = await client.PostAsync($"/api/v1/orders/{placed.Id()}/cancel", null, Ct);
        (await again.ProblemAsync(HttpStatusCode.Conflict)).Text("detail").ShouldContain("already");

        var events = await client.GetJsonAsync($"/api/v1/orders/{placed.Id()}/events");
        var last = events.EnumerateArray().Last();
        last.Text("kind").ShouldBe("cancelled");
        last.Text("note").ShouldBe("changed my mind");
        last.Text("actor").ShouldBe("tester");
    }

    [Theory]
    [InlineData("/api/v1/orders/ord_0000000000000000000000000", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/orders/ord", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/orders/ord_a%20b", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/orders/..%2F..%2Feasel.db", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/ordres", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/images/img_0000/file/extra.png", HttpStatusCode.NotFound)]
    public async Task Unknown_or_malformed_order_ids_get_a_problem(string url, HttpStatusCode status)
    {
        await using var server = await ServerHarness.StartAsync();
        var response = await server.Client.GetAsync(url, Ct);
        await response.ProblemAsync(status);
    }

    [Fact]
    public async Task A_reference_upload_that_is_not_an_image_is_refused_by_name()
    {
        await using var server = await ServerHarness.StartAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("a fox"), "prompt" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("#!/bin/sh\necho hello\n")), "references", "notes.txt" },
        };
        var response = await server.Client.PostAsync("/api/v1/orders", form, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("references")[0].GetString()!.ShouldContain("notes.txt");
        (await server.Client.GetJsonAsync("/api/v1/orders")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task An_uploaded_png_reference_is_kept_with_the_order()
    {
        await using var server = await ServerHarness.StartAsync();
        var png = SolidPng(32, 16, 200, 30, 30);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("a red fox"), "prompt" },
            { new StringContent("256x256"), "size" },
            { new StringContent("1"), "max_iterations" },
            { new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "references", "../../palette.png" },
        };
        var response = await server.Client.PostAsync("/api/v1/orders", form, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var order = await response.JsonAsync();
        var reference = order.GetProperty("references").EnumerateArray().ShouldHaveSingleItem();
        reference.Text("name").ShouldBe("palette.png");
        reference.Text("mediaType").ShouldBe("image/png");
        reference.GetProperty("width").GetInt32().ShouldBe(32);
        order.GetProperty("loop").GetProperty("maxIterations").GetInt32().ShouldBe(1);
        (await server.Client.WaitForOrderAsync(order.Id())).Text("status").ShouldBe("completed");
    }

    [Fact]
    public async Task A_multipart_field_that_is_not_a_number_is_named()
    {
        await using var server = await ServerHarness.StartAsync();
        using var form = new MultipartFormDataContent { { new StringContent("a fox"), "prompt" }, { new StringContent("lots"), "count" } };
        var response = await server.Client.PostAsync("/api/v1/orders", form, Ct);
        (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("count")[0].GetString()!.ShouldContain("'lots'");
    }

    [Fact]
    public async Task Uploads_larger_than_the_json_limit_pass_through_a_real_server()
    {
        // Kestrel enforces the 1 MB default; the order endpoint raises it for reference files.
        await using var server = await ServerHarness.StartKestrelAsync();
        var png = NoisePng(700, 700);
        png.Length.ShouldBeGreaterThan(1024 * 1024);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("a red fox"), "prompt" },
            { new StringContent("256x256"), "size" },
            { new StringContent("1"), "maxIterations" },
            { new ByteArrayContent(png), "references", "noise.png" },
        };
        var response = await server.Client.PostAsync("/api/v1/orders", form, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));

        var json = "{\"prompt\": \"" + new string('a', 1100 * 1024) + "\"}";
        var tooLarge = await server.Client.PostRawJsonAsync("/api/v1/orders/quote", json);
        await tooLarge.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    internal static byte[] SolidPng(int width, int height, byte r, byte g, byte b)
    {
        var image = new RgbaImage(width, height);
        for (var i = 0; i < image.Pixels.Length; i += 4)
        {
            image.Pixels[i] = r;
            image.Pixels[i + 1] = g;
            image.Pixels[i + 2] = b;
            image.Pixels[i + 3] = 255;
        }
        return PngEncoder.Encode(image);
    }

    private static byte[] NoisePng(int width, int height)
    {
        var image = new RgbaImage(width, height);
        new Random(7).NextBytes(image.Pixels);
        return PngEncoder.Encode(image);
    }

    internal static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
