using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Imaging.Formats;
using Easel.Providers.Tests.Conformance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests.Fakes;

/// <summary>
/// AUTOMATIC1111's web UI API as PROVIDERS.md describes it (and its source shows): txt2img, img2img
/// and extra-single-image; optional HTTP Basic auth (<c>--api-auth user:password</c>); FastAPI's 422
/// <c>{"detail":[{"loc","msg","type"}]}</c> for bad types; its own <c>{"error","detail","body","errors"}</c>
/// for everything else (404 for an unknown sampler, 500 for a crash); <c>info</c> as a JSON string with
/// <c>all_seeds</c> (seed, seed+1, … for a batch). It has no request ids and no content filter.
/// </summary>
internal sealed class Automatic1111Fake : IFakeVendor
{
    public const string User = "easel";
    public const string LoadedModel = "sd_xl_base_1.0";
    public const long RandomSeed = 1_234_567_890;

    public static readonly string[] Samplers = ["DPM++ 2M", "DPM++ 2M Karras", "Euler a", "Euler", "DDIM", "UniPC"];
    public static readonly string[] Upscalers = ["None", "Lanczos", "R-ESRGAN 4x+", "R-ESRGAN 4x+ Anime6B", "4x-UltraSharp"];

    private readonly ConcurrentQueue<FakeScenario> _next = new();
    private readonly string? _password;

    private Automatic1111Fake(FakeServer server, string? password)
    {
        Server = server;
        _password = password;
    }

    public FakeServer Server { get; }

    public string KeyHeader => "authorization";

    public string? RequestId => null;

    /// <summary>Extra images an extension (ControlNet's detected maps) appends after the batch.</summary>
    public int ExtensionImages { get; set; }

    public void Next(FakeScenario scenario)
    {
        if (scenario is FakeScenario.Refused or FakeScenario.PartiallyFiltered)
            throw new NotSupportedException($"AUTOMATIC1111 has no equivalent of {scenario}: it runs no content filter and always returns the whole batch.");
        _next.Enqueue(scenario);
    }

    /// <param name="password">When set, the server was started with <c>--api-auth easel:PASSWORD</c>.</param>
    public static async Task<Automatic1111Fake> StartAsync(string? password = null)
    {
        Automatic1111Fake? fake = null;
        var server = await FakeServer.StartAsync(app =>
        {
            app.MapPost("/sdapi/v1/txt2img", FakeServer.Handle(context => fake!.GenerateAsync(context, img2img: false)));
            app.MapPost("/sdapi/v1/img2img", FakeServer.Handle(context => fake!.GenerateAsync(context, img2img: true)));
            app.MapPost("/sdapi/v1/extra-single-image", FakeServer.Handle(context => fake!.UpscaleAsync(context)));
        });
        fake = new Automatic1111Fake(server, password);
        return fake;
    }

    private async Task<IResult> GenerateAsync(HttpContext context, bool img2img)
    {
        if (Authenticate(context) is { } denied)
            return denied;
        if (_next.TryDequeue(out var scenario) && Scripted(scenario) is { } scripted)
            return scripted;
        if (await ReadBody(context) is not (JsonObject body, null))
            return ValidationError(["body"], "value is not a valid dict", "type_error.dict");

        foreach (var field in new[] { "width", "height", "batch_size", "n_iter", "steps", "seed" })
        {
            if (body[field] is { } v && !IsInteger(v))
                return ValidationError(["body", field], "value is not a valid integer", "type_error.integer");
        }
        if (body["cfg_scale"] is { } cfg && cfg.GetValueKind() != JsonValueKind.Number)
            return ValidationError(["body", "cfg_scale"], "value is not a valid float", "type_error.float");
        if (body["prompt"] is { } p && p.GetValueKind() != JsonValueKind.String)
            return ValidationError(["body", "prompt"], "str type expected", "type_error.str");
        var sampler = body["sampler_name"]?.GetValue<string>() ?? "Euler";
        if (!Samplers.Contains(sampler))
            return AppError(404, "HTTPException", "Sampler not found", "404: Sampler not found");

        var width = body["width"]?.GetValue<int>() ?? 512;
        var height = body["height"]?.GetValue<int>() ?? 512;
        var batch = body["batch_size"]?.GetValue<int>() ?? 1;
        var iterations = body["n_iter"]?.GetValue<int>() ?? 1;
        var seed = body["seed"]?.GetValue<long>() ?? -1;
        if (seed == -1)
            seed = RandomSeed;
        if (img2img)
        {
            if (body["init_images"] is not JsonArray { Count: > 0 } inits)
                return AppError(404, "HTTPException", "Init image not found", "404: Init image not found");
            foreach (var init in inits)
            {
                if (!IsImage(init?.GetValue<string>()))
                    return AppError(500, "HTTPException", "Invalid encoded image", "500: Invalid encoded image");
            }
        }

        var count = batch * iterations;
        var seeds = Enumerable.Range(0, count).Select(i => seed + i).ToArray();
        var images = new JsonArray();
        foreach (var s in seeds)
            images.Add(FakeImages.Base64Png(16, 16, s));
        for (var i = 0; i < ExtensionImages; i++)
            images.Add(FakeImages.Base64Png(8, 8, 9999));
        var model = body["override_settings"]?["sd_model_checkpoint"]?.GetValue<string>() ?? LoadedModel;
        var info = new JsonObject
        {
            ["prompt"] = body["prompt"]?.DeepClone(),
            ["all_prompts"] = new JsonArray(seeds.Select(_ => (JsonNode?)JsonValue.Create(body["prompt"]?.GetValue<string>() ?? "")).ToArray()),
            ["negative_prompt"] = body["negative_prompt"]?.DeepClone() ?? "",
            ["seed"] = seed,
            ["all_seeds"] = new JsonArray(seeds.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            ["subseed"] = 987654321,
            ["all_subseeds"] = new JsonArray(seeds.Select((_, i) => (JsonNode?)JsonValue.Create(987654321 + i)).ToArray()),
            ["subseed_strength"] = 0,
            ["width"] = width,
            ["height"] = height,
            ["sampler_name"] = sampler,
            ["cfg_scale"] = body["cfg_scale"]?.GetValue<double>() ?? 7.0,
            ["steps"] = body["steps"]?.GetValue<int>() ?? 20,
            ["batch_size"] = batch,
            ["restore_faces"] = false,
            ["sd_model_name"] = model,
            ["sd_model_hash"] = "31e35c80fc",
            ["denoising_strength"] = body["denoising_strength"]?.GetValue<double>(),
            ["extra_generation_params"] = new JsonObject(),
            ["index_of_first_image"] = 0,
            ["infotexts"] = new JsonArray(seeds.Select(s => (JsonNode?)JsonValue.Create($"{body["prompt"]}\nSteps: 20, Seed: {s}")).ToArray()),
            ["styles"] = new JsonArray(),
            ["job_timestamp"] = "20261121120000",
            ["clip_skip"] = 1,
            ["is_using_inpainting_conditioning"] = false,
            ["version"] = "v1.10.1",
        };
        var parameters = body.DeepClone().AsObject();
        if (img2img)
            parameters["init_images"] = null; // include_init_images is false by default
        return FakeServer.Json(new JsonObject { ["images"] = images, ["parameters"] = parameters, ["info"] = info.ToJsonString() });
    }

    private async Task<IResult> UpscaleAsync(HttpContext context)
    {
        if (Authenticate(context) is { } denied)
            return denied;
        if (_next.TryDequeue(out var scenario) && Scripted(scenario) is { } scripted)
            return scripted;
        if (await ReadBody(context) is not (JsonObject body, null))
            return ValidationError(["body"], "value is not a valid dict", "type_error.dict");
        if (body["upscaling_resize"] is { } r && (!IsInteger(r) && r.GetValueKind() != JsonValueKind.Number))
            return ValidationError(["body", "upscaling_resize"], "value is not a valid float", "type_error.float");
        var resize = body["upscaling_resize"]?.GetValue<double>() ?? 2;
        if (resize is < 1 or > 8)
            return ValidationError(["body", "upscaling_resize"], "ensure this value is less than or equal to 8", "value_error.number.not_le");
        var upscaler = body["upscaler_1"]?.GetValue<string>() ?? "None";
        if (!Upscalers.Contains(upscaler))
            return AppError(500, "AssertionError", "", $"could not find upscaler named {upscaler}");
        var image = body["image"]?.GetValue<string>();
        if (!IsImage(image))
            return AppError(500, "HTTPException", "Invalid encoded image", "500: Invalid encoded image");
        var source = ImageHeader.Read(Convert.FromBase64String(image!));
        var larger = FakeImages.Base64Png((int)(source.Width * resize), (int)(source.Height * resize), seed: 4);
        return FakeServer.Json(new JsonObject { ["image"] = larger, ["html_info"] = $"<p>Postprocess upscale by: {resize}, Postprocess upscaler: {upscaler}</p>" });
    }

    private IResult? Scripted(FakeScenario scenario) => scenario switch
    {
        // The web UI sets no rate limit: this is a proxy in front of a shared installation.
        FakeScenario.RateLimited => new WithHeader(Results.Text("<html><body><h1>429 Too Many Requests</h1></body></html>", "text/html", Encoding.UTF8, 429), "Retry-After", "7"),
        FakeScenario.ServerError => AppError(500, "OutOfMemoryError", "", "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 8.00 GiB total capacity)"),
        FakeScenario.Invalid => ValidationError(["body", "steps"], "value is not a valid integer", "type_error.integer"),
        _ => null,
    };

    /// <summary>What FastAPI's HTTPBasic and the web UI's auth check answer.</summary>
    private IResult? Authenticate(HttpContext context)
    {
        if (_password is null)
            return null;
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
            return new WithHeader(AppError(401, "HTTPException", "Not authenticated", "401: Not authenticated"), "WWW-Authenticate", "Basic");
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        }
        catch (FormatException)
        {
            return new WithHeader(AppError(401, "HTTPException", "Invalid authentication credentials", "401: Invalid authentication credentials"), "WWW-Authenticate", "Basic");
        }
        return decoded == $"{User}:{_password}"
            ? null
            : new WithHeader(AppError(401, "HTTPException", "Incorrect username or password", "401: Incorrect username or password"), "WWW-Authenticate", "Basic");
    }

    private static async Task<(JsonNode? Body, string? Error)> ReadBody(HttpContext context)
    {
        try
        {
            return (await JsonNode.ParseAsync(context.Request.Body), null);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message);
        }
    }

    private static bool IsInteger(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out _);

    private static bool IsImage(string? base64)
    {
        if (base64 is null)
            return false;
        try
        {
            return ImageHeader.Sniff(Convert.FromBase64String(base64)) is not null;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static IResult ValidationError(string[] loc, string msg, string type) =>
        FakeServer.Json(new JsonObject
        {
            ["detail"] = new JsonArray(new JsonObject
            {
                ["loc"] = new JsonArray(loc.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
                ["msg"] = msg,
                ["type"] = type,
            }),
        }, 422);

    private static IResult AppError(int status, string error, string detail, string errors) =>
        FakeServer.Json(new JsonObject { ["error"] = error, ["detail"] = detail, ["body"] = "", ["errors"] = errors }, status);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>A result with one more response header.</summary>
    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers[name] = value;
            return inner.ExecuteAsync(context);
        }
    }
}
