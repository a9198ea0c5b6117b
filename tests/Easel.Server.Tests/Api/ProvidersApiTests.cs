using System.Net;

namespace Easel.Server.Tests.Api;

public sealed class ProvidersApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Providers_show_what_each_can_do_and_what_it_needs_but_never_a_key()
    {
        const string key = "sk-test-secret-key-0123456789";
        await using var server = await ServerHarness.StartAsync(environment: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = key });
        var response = await server.Client.GetAsync("/api/v1/providers", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldNotContain(key);

        var providers = OrdersApiTests.Parse(text).GetProperty("items").EnumerateArray().ToList();
        var sketch = providers.Single(p => p.Text("name") == "sketch");
        sketch.Text("kind").ShouldBe("image");
        sketch.GetProperty("configured").GetBoolean().ShouldBeTrue();
        var caps = sketch.GetProperty("capabilities");
        caps.GetProperty("maxImagesPerCall").GetInt32().ShouldBe(4);
        caps.GetProperty("supportsSeed").GetBoolean().ShouldBeTrue();
        caps.GetProperty("formats").EnumerateArray().Select(f => f.GetString()).ShouldContain("png");
        caps.GetProperty("pricePerImage").GetDecimal().ShouldBe(0m);

        providers.Single(p => p.Text("name") == "openai" && p.Text("kind") == "image").GetProperty("configured").GetBoolean().ShouldBeTrue();
        var stability = providers.First(p => p.Text("name") == "stability" && p.Text("kind") == "image");
        stability.GetProperty("configured").GetBoolean().ShouldBeFalse();
        stability.Text("problem").ShouldContain("STABILITY_API_KEY");
        providers.Single(p => p.Text("name") == "builtin").GetProperty("capabilities").GetProperty("scales").EnumerateArray()
            .Select(s => s.GetInt32()).ShouldBe([2, 4]);
    }

    [Fact]
    public async Task Presets_are_listed_with_their_criteria()
    {
        await using var server = await ServerHarness.StartAsync();
        var presets = (await server.Client.GetJsonAsync("/api/v1/presets")).GetProperty("items").EnumerateArray().ToList();
        var jewelry = presets.Single(p => p.Text("name") == "jewelry");
        jewelry.GetProperty("builtIn").GetBoolean().ShouldBeTrue();
        jewelry.GetProperty("criteria").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        await using var server = await ServerHarness.StartAsync();
        var document = await server.Client.GetJsonAsync("/api/v1/openapi.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == System.Text.Json.JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _))
            .ToDictionary(o => o.Value.Text("operationId"), o => o.Value);
        operations.Keys.ShouldBe(
            [
                "ListOrders", "CreateOrder", "QuoteOrder", "GetOrder", "CancelOrder", "GetOrderEvents", "FollowEvents",
                "ListApprovals", "GetApproval", "DecideApproval",
                "SearchImages", "GetImageFilters", "GetImage", "GetImageFile", "GetImageThumbnail", "ReviewImage", "VaryImage", "UpscaleImage",
                "ListProviders", "ListPresets",
            ],
            ignoreOrder: true);
        foreach (var (name, operation) in operations)
        {
            operation.TryGetProperty("summary", out _).ShouldBeTrue(name);
            operation.GetProperty("responses").EnumerateObject().ShouldNotBeEmpty(name);
        }
        operations["CreateOrder"].GetProperty("responses").TryGetProperty("201", out _).ShouldBeTrue();
        operations["DecideApproval"].GetProperty("responses").TryGetProperty("409", out _).ShouldBeTrue();
    }
}
