using System.Net;
using System.Text;
using System.Text.Json;
using Easel.Imaging.Png;

namespace Easel.Server.Tests.Api;

public sealed class ImagesApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_pages_through_matching_images_newest_first_with_a_cursor()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        await client.WaitForOrderAsync((await client.PlaceAsync(ApiTestClient.SmallOrder("a red fox in the snow", count: 3))).Id());
        await client.WaitForOrderAsync((await client.PlaceAsync(ApiTestClient.SmallOrder("a lighthouse at night", count: 2))).Id());

        var first = await client.GetJsonAsync("/api/v1/images?q=fox&limit=2");
        var firstItems = first.GetProperty("items").EnumerateArray().ToList();
        firstItems.Count.ShouldBe(2);
        firstItems.ShouldAllBe(i => i.GetProperty("prompt").GetString()!.Contains("fox"));
        var next = first.Text("next");

        var second = await client.GetJsonAsync($"/api/v1/images?q=fox&limit=2&cursor={Uri.EscapeDataString(next)}");
        var secondItems = second.GetProperty("items").EnumerateArray().ToList();
        secondItems.Count.ShouldBe(1);
        second.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);

        var all = firstItems.Concat(secondItems).ToList();
        all.Select(i => i.Id()).Distinct().Count().ShouldBe(3);
        var keys = all.Select(i => (i.GetProperty("createdAt").GetDateTimeOffset(), i.Id())).ToList();
        keys.ShouldBe(keys.OrderByDescending(k => k.Item1).ThenByDescending(k => k.Item2, StringComparer.Ordinal).ToList());

        (await client.GetJsonAsync("/api/v1/images")).GetProperty("items").GetArrayLength().ShouldBe(5);
        (await client.GetJsonAsync("/api/v1/images?provider=sketch&q=lighthouse")).GetProperty("items").GetArrayLength().ShouldBe(2);
        (await client.GetJsonAsync("/api/v1/images?provider=openai")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await client.GetJsonAsync("/api/v1/images?minScore=0&maxScore=100")).GetProperty("items").GetArrayLength().ShouldBe(5);
        (await client.GetJsonAsync("/api/v1/images?review=approved")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await client.GetJsonAsync("/api/v1/images?review=unreviewed")).GetProperty("items").GetArrayLength().ShouldBe(5);
        (await client.GetJsonAsync("/api/v1/images?until=2000-01-01")).GetProperty("items").GetArrayLength().ShouldBe(0);
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        (await client.GetJsonAsync($"/api/v1/images?since={since}")).GetProperty("items").GetArrayLength().ShouldBe(5);
    }

    [Theory]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("minScore=high", "minScore")]
    [InlineData("maxScore=101", "maxScore")]
    [InlineData("minScore=90&maxScore=10", "minScore")]
    [InlineData("review=maybe", "review")]
    [InlineData("since=yesterday-ish", "since")]
    [InlineData("limit=101", "limit")]
    public async Task A_bad_search_parameter_is_named(string query, string parameter)
    {
        await using var server = await ServerHarness.StartAsync();
        var response = await server.Client.GetAsync($"/api/v1/images?{query}", Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty(parameter).GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [InlineData("\"fox")]
    [InlineData("fox OR NEAR(a b) *")]
    [InlineData("prompt:fox -snow ^")]
    [InlineData("renard d\u00e9j\u00e0 vu \u72d0")]
    public async Task Search_text_is_words_to_find_never_query_syntax(string text)
    {
        await using var server = await ServerHarness.StartAsync();
        var page = await server.Client.GetJsonAsync($"/api/v1/images?q={Uri.EscapeDataString(text)}");
        page.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task The_filters_name_the_providers_that_made_images_and_the_review_statuses()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        (await client.GetJsonAsync("/api/v1/images/filters")).GetProperty("providers").GetArrayLength().ShouldBe(0);
        await client.WaitForOrderAsync((await client.PlaceAsync(ApiTestClient.SmallOrder("a deer"))).Id());

        var filters = await client.GetJsonAsync("/api/v1/images/filters");
        filters.GetProperty("providers").EnumerateArray().Select(p => p.GetString()).ShouldBe(["sketch"]);
        filters.GetProperty("reviews").EnumerateArray().Select(p => p.GetString()).ShouldBe(["unreviewed", "approved", "regenerated"]);
        filters.GetProperty("maxScore").GetInt32().ShouldBe(100);
    }

    [Fact]
    public async Task Image_metadata_has_the_evaluation_and_never_a_path_on_the_server()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var order = await client.WaitForOrderAsync((await client.PlaceAsync(ApiTestClient.SmallOrder("a red fox in the snow"))).Id());
        var id = order.FinalImages()[0].Id();

        var response = await client.GetAsync($"/api/v1/images/{id[..12]}", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldNotContain(server.Home);
        text.ShouldNotContain("\"path\"");
        var image = OrdersApiTests.Parse(text);
        image.Id().ShouldBe(id);
        image.Text("provider").ShouldBe("sketch");
        image.GetProperty("width").GetInt32().ShouldBe(256);
        image.GetProperty("sha256").GetString()!.Length.ShouldBe(64);
        var evaluation = image.GetProperty("evaluation");
        evaluation.GetProperty("score").GetInt32().ShouldBe(image.GetProperty("score").GetInt32());
        evaluation.GetProperty("criteria").GetArrayLength().ShouldBeGreaterThan(0);
        evaluation.Text("feedback").ShouldNotBeNullOrWhiteSpace();
        image.GetProperty("lineage").EnumerateArray().ShouldHaveSingleItem().Id().ShouldBe(id);
        image.Text("review").ShouldBe("unreviewed");
    }

    [Theory]
    [InlineData("/api/v1/images/img_00000000000000000000000000/file", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/images/img_00000000000000000000000000/thumbnail", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/images/..%2F..%2Feasel.db/file", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/images/%2E%2E/file", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/images/img/file", HttpStatusCode.BadRequest)]
    public async Task Files_are_found_by_image_id_only(string url, HttpStatusCode status)
    {
        await using var server = await ServerHarness.StartAsync();
        var response = await server.Client.GetAsync(url, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Encoding.ASCII.GetString(body).ShouldNotContain("SQLite format");
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Approving_and_regenerating_an_image_are_recorded_and_the_new_image_names_its_parent()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var order = await client.WaitForOrderAsync((await client.PlaceAsync(ApiTestClient.SmallOrder("two paper boats", count: 2))).Id());
        var (keep, replace) = (order.FinalImages()[0].Id(), order.FinalImages()[1].Id());

        var approved = await client.PostJsonAsync($"/api/v1/images/{keep}/review", new { action = "approve" });
        approved.StatusCode.ShouldBe(HttpStatusCode.OK);
        var image = await approved.JsonAsync();
        image.Text("review").ShouldBe("approved");
        image.Text("reviewedBy").ShouldBe("tester");
        (await client.GetJsonAsync("/api/v1/images?review=approved")).GetProperty("items").EnumerateArray().ShouldHaveSingleItem().Id().ShouldBe(keep);

        var regenerated = await client.PostJsonAsync($"/api/v1/images/{replace}/review", new { action = "regenerate" });
        regenerated.StatusCode.ShouldBe(HttpStatusCode.Created, await regenerated.Content.ReadAsStringAsync(Ct));
        var newOrder = await regenerated.JsonAsync();
        newOrder.GetProperty("source").Text("imageId").ShouldBe(replace);
        newOrder.GetProperty("source").Text("kind").ShouldBe("regenerate");
        var done = await client.WaitForOrderAsync(newOrder.Id());
        var replacement = done.FinalImages().ShouldHaveSingleItem();
        replacement.Text("parentId").ShouldBe(replace);
        replacement.Text("derivation").ShouldBe("regenerate");

        (await client.GetJsonAsync($"/api/v1/images/{replace}")).Text("review").ShouldBe("regenerated");
        var slots = (await client.GetJsonAsync($"/api/v1/orders/{order.Id()}")).GetProperty("slots").EnumerateArray().ToList();
        slots.Single(s => s.Text("bestImageId") == replace).Text("currentImageId").ShouldBe(replacement.Id());
        var children = (await client.GetJsonAsync($"/api/v1/images/{replace}")).GetProperty("children");
        children.EnumerateArray().ShouldHaveSingleItem().Id().ShouldBe(replacement.Id());

        var stale = await client.PostJsonAsync($"/api/v1/images/{replace}/review", new { action = "approve" });
        (await stale.ProblemAsync(HttpStatusCode.Conflict)).Text("detail").ShouldContain(replacement.Id());
        var unknown = await client.PostJsonAsync($"/api/v1/images/{keep}/review", new { action = "love" });
        (await unknown.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("action").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Variations_and_upscales_are_orders_whose_images_name_their_parent()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var order = await client.WaitForOrderAsync((await client.PlaceAsync(ApiTestClient.SmallOrder("a hot air balloon over hills"))).Id());
        var parent = order.FinalImages()[0].Id();

        var vary = await client.PostJsonAsync($"/api/v1/images/{parent}/vary", new { count = 2, strength = "strong" });
        vary.StatusCode.ShouldBe(HttpStatusCode.Created, await vary.Content.ReadAsStringAsync(Ct));
        var variations = await client.WaitForOrderAsync((await vary.JsonAsync()).Id());
        variations.Text("status").ShouldBe("completed");
        variations.GetProperty("source").Text("strength").ShouldBe("strong");
        variations.FinalImages().Count.ShouldBe(2);
        variations.FinalImages().ShouldAllBe(i => i.GetProperty("parentId").GetString() == parent && i.GetProperty("derivation").GetString() == "variation");

        var upscale = await client.PostAsync($"/api/v1/images/{parent}/upscale", null, Ct);
        upscale.StatusCode.ShouldBe(HttpStatusCode.Created, await upscale.Content.ReadAsStringAsync(Ct));
        var upscaled = await client.WaitForOrderAsync((await upscale.JsonAsync()).Id());
        var big = upscaled.FinalImages().ShouldHaveSingleItem();
        big.Text("parentId").ShouldBe(parent);
        big.GetProperty("width").GetInt32().ShouldBe(512);
        var bytes = await client.GetByteArrayAsync(big.Text("fileUrl"), Ct);
        PngDecoder.ReadInfo(bytes).Width.ShouldBe(512);
        var lineage = (await client.GetJsonAsync(big.Text("url"))).GetProperty("lineage").EnumerateArray().Select(i => i.Id()).ToList();
        lineage.ShouldBe([parent, big.Id()]);
    }

    [Fact]
    public async Task Bad_variation_and_upscale_requests_name_the_field()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var order = await client.WaitForOrderAsync((await client.PlaceAsync(ApiTestClient.SmallOrder("a deer"))).Id());
        var id = order.FinalImages()[0].Id();

        var vary = await client.PostJsonAsync($"/api/v1/images/{id}/vary", new { count = 17, strength = "wild" });
        var errors = (await vary.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.GetProperty("count")[0].GetString()!.ShouldContain("between 1 and 16");
        errors.GetProperty("strength")[0].GetString()!.ShouldContain("subtle or strong");

        var upscale = await client.PostJsonAsync($"/api/v1/images/{id}/upscale", new { scale = 3, upscaler = "magic" });
        errors = (await upscale.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.GetProperty("scale")[0].GetString()!.ShouldContain("2 or 4");
        errors.GetProperty("upscaler")[0].GetString()!.ShouldContain("Unknown upscaler 'magic'");

        var unknown = await client.PostJsonAsync("/api/v1/images/img_00000000000000000000000000/vary", new { count = 1 });
        await unknown.ProblemAsync(HttpStatusCode.NotFound);
        (await client.GetJsonAsync("/api/v1/orders")).GetProperty("items").GetArrayLength().ShouldBe(1);
    }
}
