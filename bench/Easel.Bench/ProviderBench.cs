using System.Diagnostics;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Providers.Http;
using Easel.Providers.OpenAI;
using Easel.Providers.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Bench;

internal sealed record ProviderResults(
    DateTimeOffset Started,
    TimeSpan Duration,
    Samples CallMilliseconds,
    int RateImages,
    int RateLimitPerMinute,
    int Requests,
    int RateLimited,
    TimeSpan OrderWall,
    TimeSpan RateBound);

/// <summary>
/// Section 7: the vendor clients against a local fake of OpenAI's Images API. First the client's
/// own cost: calls against a fake that answers at once. Then an order against a fake that enforces
/// a rate limit, as OpenAI does per organisation: how many calls were turned away with 429, and
/// the order's wall time against the bound the limit sets.
/// </summary>
internal sealed class ProviderBench(bool quick, TextWriter log)
{
    private const string Key = "sk-bench-0000";

    public async Task<ProviderResults> RunAsync()
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var calls = await CallOverheadAsync(quick ? 200 : 1000);
        log.WriteLine($"  provider call against a zero-latency fake: p50 {calls.Median:0.00} ms, p90 {calls.P90:0.00} ms");

        const int limit = 20;
        var images = quick ? 40 : 100;
        var (requests, limited, wall) = await RateLimitedOrderAsync(images, limit);
        // The first minute's images start at once; each further minute lets another `limit` start.
        var bound = TimeSpan.FromMinutes(Math.Ceiling((double)images / limit) - 1);
        log.WriteLine($"  {images} images at {limit}/min: {wall.TotalSeconds:0.0} s, {limited} of {requests} calls answered 429");
        return new ProviderResults(started, clock.Elapsed, calls, images, limit, requests, limited, wall, bound);
    }

    private static async Task<Samples> CallOverheadAsync(int calls)
    {
        var body = new JsonObject { ["created"] = 1, ["data"] = new JsonArray(new JsonObject { ["b64_json"] = FakeImages.Base64Png(64, 64) }) }.ToJsonString();
        await using var server = await FakeServer.StartAsync(app =>
            app.MapPost("/v1/images/generations", () => Results.Text(body, "application/json")));
        using var provider = new OpenAIImageProvider(new ProviderConnection { Vendor = "OpenAI", BaseUrl = server.BaseUrl, ApiKey = Key });
        var request = new GenerationRequest("a red fox", null, new ImageSize(1024, 1024), null, Background.Opaque, [1]);
        for (var i = 0; i < 50; i++)
            await provider.GenerateAsync(request, CancellationToken.None);
        var times = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await provider.GenerateAsync(request, CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return new Samples(times);
    }

    private async Task<(int Requests, int Limited, TimeSpan Wall)> RateLimitedOrderAsync(int images, int limit)
    {
        var window = new Queue<(DateTimeOffset At, int Images)>();
        var gate = new Lock();
        int requests = 0, limited = 0;
        await using var server = await FakeServer.StartAsync(app => app.MapPost("/v1/images/generations", async (HttpContext context) =>
        {
            var json = await JsonNode.ParseAsync(context.Request.Body);
            var n = json?["n"]?.GetValue<int>() ?? 1;
            var now = DateTimeOffset.UtcNow;
            lock (gate)
            {
                requests++;
                while (window.Count > 0 && now - window.Peek().At >= TimeSpan.FromMinutes(1))
                    window.Dequeue();
                if (window.Sum(w => w.Images) + n > limit)
                {
                    limited++;
                    var wait = window.Peek().At + TimeSpan.FromMinutes(1) - now;
                    context.Response.StatusCode = 429;
                    context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Text("""{"error":{"message":"Rate limit reached for images per minute.","type":"requests","param":null,"code":"rate_limit_exceeded"}}""", "application/json", statusCode: 429);
                }
                window.Enqueue((now, n));
            }
            var data = new JsonArray();
            for (var i = 0; i < n; i++)
                data.Add(new JsonObject { ["b64_json"] = FakeImages.Base64Png(64, 64, i) });
            return Results.Text(new JsonObject { ["created"] = 1, ["data"] = data }.ToJsonString(), "application/json");
        }));

        // The product's defaults: OpenAI's images-per-minute limit and concurrency from its capabilities.
        var provider = new OpenAIImageProvider(new ProviderConnection { Vendor = "OpenAI", BaseUrl = server.BaseUrl, ApiKey = Key });
        await using var bench = await BenchWorker.StartAsync([provider]);
        var timing = await bench.PlaceAndWaitAsync(OpenAIImageProvider.ProviderName, images);
        var completed = timing.Events.Last(e => e.Kind == OrderEventKind.Completed).At;
        return (requests, limited, completed - timing.PlacedAt);
    }
}
