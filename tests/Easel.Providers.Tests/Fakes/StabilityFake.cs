using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Easel.Imaging.Formats;
using Easel.Providers.Tests.Conformance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests.Fakes;

/// <summary>
/// Stability AI's Stable Image API as PROVIDERS.md describes it: the core, ultra and sd3 generate
/// routes (multipart in; image bytes with <c>finish-reason</c> and <c>seed</c> headers, or JSON,
/// out), the fast and conservative upscales, the creative upscale job and its results route
/// (202 while running, 404 once gone), <c>x-request-id</c> on every answer and its
/// <c>{"id","name","errors"}</c> error bodies.
/// </summary>
internal sealed class StabilityFake : IFakeVendor
{
    public const string Key = ImageProviderConformance.Key;
    public const string Id = "5b2a6c1f0e9d4b7c8a3f2e1d0c9b8a7f";

    private static readonly string[] AspectRatios = ["16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21"];
    private static readonly string[] Formats = ["png", "jpeg", "webp"];
    private static readonly string[] Sd3Models = ["sd3.5-large", "sd3.5-large-turbo", "sd3.5-medium"];
    private static readonly string[] Presets =
    [
        "3d-model", "analog-film", "anime", "cinematic", "comic-book", "digital-art", "enhance", "fantasy-art", "isometric",
        "line-art", "low-poly", "modeling-compound", "neon-punk", "origami", "photographic", "pixel-art", "tile-texture",
    ];

    private readonly ConcurrentQueue<FakeScenario> _next = new();
    private readonly ConcurrentDictionary<string, CreativeJob> _jobs = new();
    private int _filterNext;
    private int _jobNumber;

    private StabilityFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string KeyHeader => "authorization";

    public string? RequestId => Id;

    /// <summary>Answers a creative job's result route gives with 202 before the image.</summary>
    public int ResultPolls { get; set; } = 2;

    /// <summary>Creative results are gone (404), as after they expire.</summary>
    public bool ResultsExpired { get; set; }

    /// <summary>Pixels the conservative and creative upscales make whatever the input (about 4 megapixels on the real service).</summary>
    public int UpscaleOutputPixels { get; set; } = 4_194_304;

    /// <summary>When set, the <c>seed</c> the service says it used, whatever was sent.</summary>
    public long? SeedUsed { get; set; }

    public void Next(FakeScenario scenario) => _next.Enqueue(scenario);

    /// <summary>The next image fails the output filter: 200, blurred, <c>finish-reason: CONTENT_FILTERED</c>.</summary>
    public void FilterNext() => Interlocked.Increment(ref _filterNext);

    public static async Task<StabilityFake> StartAsync()
    {
        StabilityFake? fake = null;
        var server = await FakeServer.StartAsync(app =>
        {
            app.MapPost("/v2beta/stable-image/generate/{route}", FakeServer.Handle(context => fake!.GenerateAsync(context)));
            app.MapPost("/v2beta/stable-image/upscale/{mode}", FakeServer.Handle(context => fake!.UpscaleAsync(context)));
            app.MapGet("/v2beta/results/{id}", FakeServer.Handle(context => Task.FromResult(fake!.Result(context))));
        });
        fake = new StabilityFake(server);
        return fake;
    }

    private async Task<IResult> GenerateAsync(HttpContext context)
    {
        if (Check(context) is { } refused)
            return refused;
        var route = (string)context.Request.RouteValues["route"]!;
        if (route is not ("core" or "ultra" or "sd3"))
            return Error(404, "not_found", $"Route /v2beta/stable-image/generate/{route} does not exist.");
        var form = await context.Request.ReadFormAsync();
        if (ScenarioError(context) is { } scripted)
            return scripted;

        var prompt = form["prompt"].ToString();
        if (prompt.Length is 0)
            return Error(400, "bad_request", "prompt: is required");
        if (prompt.Length > 10_000)
            return Error(400, "bad_request", "prompt: must be at most 10000 characters");
        var image = form.Files.GetFile("image");
        if (form.TryGetValue("aspect_ratio", out var ratio) && !AspectRatios.Contains(ratio.ToString()))
            return Error(400, "bad_request", $"aspect_ratio: must be one of {string.Join(", ", AspectRatios)}");
        var format = form.TryGetValue("output_format", out var f) ? f.ToString() : "png";
        if (!Formats.Contains(format))
            return Error(400, "bad_request", "output_format: must be one of png, jpeg, webp");
        long seed = 0;
        if (form.TryGetValue("seed", out var s) && (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out seed) || seed > 4_294_967_294))
            return Error(400, "bad_request", "seed: must be an integer from 0 to 4294967294");
        if (form.TryGetValue("style_preset", out var preset) && (route != "core" || !Presets.Contains(preset.ToString())))
            return Error(400, "bad_request", $"style_preset: must be one of {string.Join(", ", Presets)}");
        if (route == "sd3")
        {
            var model = form.TryGetValue("model", out var m) ? m.ToString() : "sd3.5-large";
            if (!Sd3Models.Contains(model))
                return Error(400, "bad_request", $"model: must be one of {string.Join(", ", Sd3Models)}");
            var mode = form.TryGetValue("mode", out var md) ? md.ToString() : "text-to-image";
            if (mode is not ("text-to-image" or "image-to-image"))
                return Error(400, "bad_request", "mode: must be one of text-to-image, image-to-image");
            if (mode == "image-to-image" && (image is null || !form.ContainsKey("strength")))
                return Error(400, "bad_request", "image, strength: are required for image-to-image");
            if (mode == "image-to-image" && form.ContainsKey("aspect_ratio"))
                return Error(400, "bad_request", "aspect_ratio: cannot be used with image-to-image");
        }
        if (image is not null && route == "core")
            return Error(400, "bad_request", "image: is not accepted by this route");
        if (image is not null && (!double.TryParse(form["strength"], NumberStyles.Float, CultureInfo.InvariantCulture, out var strength) || strength is < 0 or > 1))
            return Error(400, "bad_request", "strength: must be a number from 0 to 1");

        var used = SeedUsed ?? (seed == 0 ? 3_141_592_653 : seed);
        return Image(context, FakeImages.Png(seed: used), used);
    }

    private async Task<IResult> UpscaleAsync(HttpContext context)
    {
        if (Check(context) is { } refused)
            return refused;
        var mode = (string)context.Request.RouteValues["mode"]!;
        if (mode is not ("fast" or "conservative" or "creative"))
            return Error(404, "not_found", $"Route /v2beta/stable-image/upscale/{mode} does not exist.");
        var form = await context.Request.ReadFormAsync();
        if (ScenarioError(context) is { } scripted)
            return scripted;
        if (form.Files.GetFile("image") is not { } file)
            return Error(400, "bad_request", "image: is required");
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        ImageHeaderInfo input;
        try
        {
            input = ImageHeader.Read(copy.ToArray());
        }
        catch (Easel.Imaging.ImageFormatException)
        {
            return Error(400, "bad_request", "image: is not a supported image (jpeg, png, webp)");
        }
        if (form.TryGetValue("output_format", out var format) && !Formats.Contains(format.ToString()))
            return Error(400, "bad_request", "output_format: must be one of png, jpeg, webp");

        if (mode == "fast")
        {
            if (input.Width is < 32 or > 1536 || input.Height is < 32 or > 1536 || input.Pixels is < 1024 or > 1_048_576)
                return Error(400, "bad_request", "image: width and height must be between 32 and 1536 pixels and the total pixel count between 1,024 and 1,048,576");
            return Image(context, FakeImages.Png(input.Width * 4, input.Height * 4, seed: 4), 0);
        }

        if (form["prompt"].ToString().Length == 0)
            return Error(400, "bad_request", "prompt: is required");
        var (low, high) = mode == "creative" ? (0.1, 0.5) : (0.2, 0.5);
        if (form.TryGetValue("creativity", out var c) && (!double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var creativity) || creativity < low || creativity > high))
            return Error(400, "bad_request", $"creativity: must be between {low} and {high}");
        if (input.Width < 64 || input.Height < 64 || input.Pixels > 1_048_576)
            return Error(400, "bad_request", "image: must be at least 64 pixels a side and at most 1 megapixel");
        var factor = Math.Sqrt((double)UpscaleOutputPixels / input.Pixels);
        var (width, height) = ((int)Math.Round(input.Width * factor), (int)Math.Round(input.Height * factor));
        if (mode == "conservative")
            return Image(context, FakeImages.Png(width, height, seed: 5), 0);

        var id = $"{Interlocked.Increment(ref _jobNumber):x8}a51c6a3e0f2b4d8c9e1f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f";
        _jobs[id] = new CreativeJob(width, height) { PollsLeft = ResultPolls };
        return FakeServer.Json(new JsonObject { ["id"] = id });
    }

    private IResult Result(HttpContext context)
    {
        context.Response.Headers["x-request-id"] = Id;
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
            return Error(401, "unauthorized", "authorization: invalid or missing API key");
        var id = (string)context.Request.RouteValues["id"]!;
        if (ResultsExpired || !_jobs.TryGetValue(id, out var job))
            return Error(404, "not_found", $"Generation ID {id} not found or expired.");
        lock (job)
        {
            if (job.PollsLeft > 0)
            {
                job.PollsLeft--;
                return FakeServer.Json(new JsonObject { ["id"] = id, ["status"] = "in-progress" }, 202);
            }
        }
        return Image(context, FakeImages.Png(job.Width, job.Height, seed: 6), 0);
    }

    /// <summary>What every route checks first: the request id header, the key, a multipart body.</summary>
    private static IResult? Check(HttpContext context)
    {
        context.Response.Headers["x-request-id"] = Id;
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
            return Error(401, "unauthorized", "authorization: invalid or missing API key");
        if (!(context.Request.ContentType ?? "").StartsWith("multipart/form-data", StringComparison.Ordinal))
            return Error(400, "bad_request", "content-type: must be multipart/form-data");
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Length > 0 && accept is not ("image/*" or "application/json"))
            return Error(400, "bad_request", "accept: must be image/* or application/json");
        return null;
    }

    private IResult? ScenarioError(HttpContext context)
    {
        if (!_next.TryDequeue(out var scenario))
            return null;
        switch (scenario)
        {
            case FakeScenario.RateLimited:
                context.Response.Headers.RetryAfter = "7";
                return Error(429, "rate_limit_exceeded", "You have exceeded the rate limit of 150 requests within a 10 second period, and have been timed out for 60 seconds.");
            case FakeScenario.ServerError:
                return Error(500, "internal_error", "An unexpected server error has occurred, please try again later.");
            case FakeScenario.Refused:
                return Error(403, "content_moderation", "Your request was flagged by our content moderation system, as a result your request was denied and you were not charged.");
            case FakeScenario.Invalid:
                return Error(400, "bad_request", "aspect_ratio: must be one of 16:9, 1:1, 21:9, 2:3, 3:2, 4:5, 5:4, 9:16, 9:21");
            default:
                // One image per call: a filtered image is the whole answer.
                FilterNext();
                return null;
        }
    }

    private IResult Image(HttpContext context, byte[] png, long seed)
    {
        var finish = Interlocked.Exchange(ref _filterNext, 0) > 0 ? "CONTENT_FILTERED" : "SUCCESS";
        if (context.Request.Headers.Accept.ToString() == "application/json")
            return FakeServer.Json(new JsonObject { ["image"] = Convert.ToBase64String(png), ["finish_reason"] = finish, ["seed"] = seed });
        context.Response.Headers["finish-reason"] = finish;
        context.Response.Headers["seed"] = seed.ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(png, "image/png");
    }

    private static IResult Error(int status, string name, string message) =>
        FakeServer.Json(new JsonObject { ["id"] = Id, ["name"] = name, ["errors"] = new JsonArray(message) }, status);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private sealed class CreativeJob(int width, int height)
    {
        public int Width { get; } = width;
        public int Height { get; } = height;
        public int PollsLeft { get; set; }
    }
}
