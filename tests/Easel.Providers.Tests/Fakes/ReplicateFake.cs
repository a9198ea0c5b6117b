using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Providers.Tests.Conformance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests.Fakes;

/// <summary>How a scripted prediction ends.</summary>
internal enum ReplicateOutcome
{
    Succeeded,

    /// <summary>Fails with flux's "All generated images contained NSFW content" error.</summary>
    Nsfw,

    /// <summary>Succeeds with one output fewer than asked (the others flagged).</summary>
    PartlyFiltered,

    /// <summary>Fails with a model error.</summary>
    Failed,

    Canceled,

    /// <summary>Stays "processing" for ever.</summary>
    NeverFinishes,
}

/// <summary>
/// Replicate's predictions API as PROVIDERS.md describes it: the model and version create routes
/// (honouring <c>Prefer: wait</c> when the prediction can finish at once), predictions that go
/// starting → processing → succeeded over successive polls, flux-schnell's input validation, the
/// problem bodies of its errors, and outputs on a separate file host (like replicate.delivery) that
/// can expire.
/// </summary>
internal sealed class ReplicateFake : IFakeVendor
{
    public const string Key = ImageProviderConformance.Key;

    private static readonly string[] AspectRatios = ["1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21"];

    private readonly ConcurrentQueue<FakeScenario> _next = new();
    private readonly ConcurrentQueue<(ReplicateOutcome Outcome, int? Polls)> _scripted = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private int _number;

    private ReplicateFake(FakeServer server, FakeServer delivery)
    {
        Server = server;
        Delivery = delivery;
    }

    /// <summary>The API host (api.replicate.com).</summary>
    public FakeServer Server { get; }

    /// <summary>The file host outputs are served from (replicate.delivery): another origin.</summary>
    public FakeServer Delivery { get; }

    public string KeyHeader => "authorization";

    /// <summary>Replicate documents no request id header.</summary>
    public string? RequestId => null;

    /// <summary>Polls a prediction answers "starting"/"processing" to before it ends; 0 lets <c>Prefer: wait</c> return it finished.</summary>
    public int PollsBeforeDone { get; set; } = 2;

    /// <summary>Serves outputs from the API host (behind the token, like Replicate's files API) instead of the file host.</summary>
    public bool OutputsOnApiHost { get; set; }

    /// <summary>Outputs are deleted already (the hour has passed).</summary>
    public bool OutputsExpired { get; set; }

    public ConcurrentDictionary<string, FakePrediction> Predictions { get; } = new();

    public void Next(FakeScenario scenario) => _next.Enqueue(scenario);

    /// <summary>Scripts how the next created prediction ends, and after how many polls (default <see cref="PollsBeforeDone"/>).</summary>
    public void NextPrediction(ReplicateOutcome outcome, int? polls = null) => _scripted.Enqueue((outcome, polls));

    /// <summary>A prediction an earlier attempt started, as it stands on the server.</summary>
    public string AddExisting(ReplicateOutcome outcome, int polls, int outputs = 1, long seed = 7)
    {
        var input = new JsonObject { ["prompt"] = "an earlier prompt", ["num_outputs"] = outputs, ["seed"] = seed };
        var prediction = NewPrediction("black-forest-labs/flux-schnell", null, input, outputs, seed, outcome, polls);
        if (polls == 0)
            Finish(prediction);
        return prediction.Id;
    }

    public static async Task<ReplicateFake> StartAsync()
    {
        ReplicateFake? fake = null;
        var server = await FakeServer.StartAsync(app =>
        {
            app.MapPost("/v1/models/{owner}/{name}/predictions", FakeServer.Handle(context =>
                fake!.CreateAsync(context, $"{context.Request.RouteValues["owner"]}/{context.Request.RouteValues["name"]}")));
            app.MapPost("/v1/predictions", FakeServer.Handle(context => fake!.CreateAsync(context, model: null)));
            app.MapGet("/v1/predictions/{id}", FakeServer.Handle(context => Task.FromResult(fake!.Get(context))));
            app.MapPost("/v1/predictions/{id}/cancel", FakeServer.Handle(context => Task.FromResult(fake!.Cancel(context))));
            app.MapGet("/files/{id}/{file}", FakeServer.Handle(context => Task.FromResult(fake!.File(context, needsKey: true))));
        });
        var delivery = await FakeServer.StartAsync(app =>
            app.MapGet("/files/{id}/{file}", FakeServer.Handle(context => Task.FromResult(fake!.File(context, needsKey: false)))));
        fake = new ReplicateFake(server, delivery);
        return fake;
    }

    private async Task<IResult> CreateAsync(HttpContext context, string? model)
    {
        if (!Authorized(context))
            return Unauthenticated();
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return Problem(400, "Bad request", "The request body is not valid JSON.");
        }
        string? version = null;
        if (model is null)
        {
            version = Text(body?["version"]);
            if (version is null)
                return Invalid("version", "required", "version is required");
        }
        if (body?["input"] is not JsonObject input)
            return Invalid("input", "required", "input is required");

        if (_next.TryDequeue(out var scenario))
        {
            switch (scenario)
            {
                case FakeScenario.RateLimited:
                    return Problem(429, null, "Request was throttled. Your rate limit resets in ~7s.");
                case FakeScenario.ServerError:
                    return Problem(500, "Internal Server Error", "An unexpected error occurred. Please try again.");
                case FakeScenario.Invalid:
                    return Invalid("input.aspect_ratio", "enum", "aspect_ratio must be one of the following: \"1:1\", \"16:9\", \"21:9\", \"3:2\", \"2:3\", \"4:5\", \"5:4\", \"3:4\", \"4:3\", \"9:16\", \"9:21\"");
                case FakeScenario.Refused:
                    // flux's safety checker answers quickly: the call held open by Prefer: wait sees the end.
                    _scripted.Enqueue((ReplicateOutcome.Nsfw, 0));
                    break;
                case FakeScenario.PartiallyFiltered:
                    _scripted.Enqueue((ReplicateOutcome.PartlyFiltered, null));
                    break;
            }
        }

        if (Text(input["prompt"]) is not { Length: > 0 })
            return Invalid("input.prompt", "required", "prompt is required");
        var n = 1;
        if (input["num_outputs"] is { } outputs)
        {
            if (outputs.GetValueKind() != JsonValueKind.Number || !outputs.AsValue().TryGetValue<int>(out n))
                return Invalid("input.num_outputs", "type", "Invalid type. Expected: integer");
            if (n < 1)
                return Invalid("input.num_outputs", "number_gte", "Must be greater than or equal to 1");
            if (n > 4)
                return Invalid("input.num_outputs", "number_lte", "Must be less than or equal to 4");
        }
        if (Text(input["aspect_ratio"]) is { } ratio && !AspectRatios.Contains(ratio))
            return Invalid("input.aspect_ratio", "enum", "aspect_ratio must be one of the following: " + string.Join(", ", AspectRatios.Select(r => $"\"{r}\"")));
        if (Text(input["output_format"]) is { } format && format is not ("webp" or "jpg" or "png"))
            return Invalid("input.output_format", "enum", "output_format must be one of the following: \"webp\", \"jpg\", \"png\"");
        if (Text(input["megapixels"]) is { } megapixels && megapixels is not ("1" or "0.25"))
            return Invalid("input.megapixels", "enum", "megapixels must be one of the following: \"1\", \"0.25\"");
        if (input["go_fast"] is { } goFast && goFast.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            return Invalid("input.go_fast", "type", "Invalid type. Expected: boolean");
        long seed = 1234;
        if (input["seed"] is { } s && (s.GetValueKind() != JsonValueKind.Number || !s.AsValue().TryGetValue(out seed)))
            return Invalid("input.seed", "type", "Invalid type. Expected: integer");

        var (outcome, polls) = _scripted.TryDequeue(out var scripted) ? (scripted.Outcome, scripted.Polls ?? PollsBeforeDone) : (ReplicateOutcome.Succeeded, PollsBeforeDone);
        var prediction = NewPrediction(model ?? "owner/some-model", version, input, n, seed, outcome, polls);
        var wait = context.Request.Headers["Prefer"].ToString();
        if (prediction.PollsLeft <= 0 && wait.StartsWith("wait", StringComparison.Ordinal))
            Finish(prediction);
        return FakeServer.Json(Render(prediction), 201);
    }

    private FakePrediction NewPrediction(string model, string? version, JsonObject input, int n, long seed, ReplicateOutcome outcome, int polls)
    {
        var number = Interlocked.Increment(ref _number);
        var prediction = new FakePrediction($"rp{number:D4}q3vhmx9rgc0cj5k2yzt7f", model, version ?? "5599ed30703defd1d160a25a63321b4dec97101d98b4674bcc56e41f62f35637",
            input.DeepClone().AsObject(), n, seed, outcome, polls);
        Predictions[prediction.Id] = prediction;
        return prediction;
    }

    private IResult Get(HttpContext context)
    {
        if (!Authorized(context))
            return Unauthenticated();
        if (!Predictions.TryGetValue((string)context.Request.RouteValues["id"]!, out var prediction))
            return Problem(404, "Not found", "The requested resource could not be found.");
        lock (prediction)
        {
            if (prediction.Status is "starting" or "processing" && prediction.Outcome != ReplicateOutcome.NeverFinishes)
            {
                prediction.PollsLeft--;
                if (prediction.PollsLeft <= 0)
                    Finish(prediction);
                else
                    prediction.Status = "processing";
            }
            else if (prediction.Status == "starting")
            {
                prediction.Status = "processing";
            }
        }
        return FakeServer.Json(Render(prediction));
    }

    private IResult Cancel(HttpContext context)
    {
        if (!Authorized(context))
            return Unauthenticated();
        if (!Predictions.TryGetValue((string)context.Request.RouteValues["id"]!, out var prediction))
            return Problem(404, "Not found", "The requested resource could not be found.");
        lock (prediction)
        {
            if (prediction.Status is "starting" or "processing")
                prediction.Status = "canceled";
        }
        return FakeServer.Json(Render(prediction));
    }

    private IResult File(HttpContext context, bool needsKey)
    {
        if (needsKey && !Authorized(context))
            return Unauthenticated();
        var path = $"{context.Request.RouteValues["id"]}/{context.Request.RouteValues["file"]}";
        if (OutputsExpired || !_files.TryGetValue(path, out var bytes))
            return Results.Text("Not Found", "text/plain", statusCode: 404);
        return Results.Bytes(bytes, "image/png");
    }

    private void Finish(FakePrediction prediction)
    {
        switch (prediction.Outcome)
        {
            case ReplicateOutcome.Nsfw:
                prediction.Status = "failed";
                prediction.Error = "All generated images contained NSFW content. Try running it again with a different prompt.";
                break;
            case ReplicateOutcome.Failed:
                prediction.Status = "failed";
                prediction.Error = "CUDA error: out of memory";
                break;
            case ReplicateOutcome.Canceled:
                prediction.Status = "canceled";
                break;
            default:
                var count = prediction.Outcome == ReplicateOutcome.PartlyFiltered ? prediction.Count - 1 : prediction.Count;
                var host = OutputsOnApiHost ? Server.BaseUrl : Delivery.BaseUrl;
                var format = Text(prediction.Input["output_format"]) ?? "webp";
                for (var i = 0; i < count; i++)
                {
                    var path = $"{prediction.Id}/out-{i}.{format}";
                    _files[path] = FakeImages.Png(seed: prediction.Seed + i);
                    prediction.Outputs.Add(new Uri(host, $"files/{path}").AbsoluteUri);
                }
                prediction.Status = "succeeded";
                break;
        }
    }

    private JsonObject Render(FakePrediction p)
    {
        var done = p.Status is "succeeded" or "failed" or "canceled";
        JsonNode? output = p.Status == "succeeded" ? new JsonArray(p.Outputs.Select(o => (JsonNode)JsonValue.Create(o)).ToArray()) : null;
        var api = new Uri(Server.BaseUrl, $"v1/predictions/{p.Id}").AbsoluteUri;
        return new JsonObject
        {
            ["id"] = p.Id,
            ["model"] = p.Model,
            ["version"] = p.Version,
            ["input"] = p.Input.DeepClone(),
            ["logs"] = p.Status == "starting" ? "" : $"Using seed: {p.Seed}\n",
            ["output"] = output,
            ["data_removed"] = false,
            ["error"] = p.Error,
            ["status"] = p.Status,
            ["created_at"] = "2026-01-01T00:00:00.000Z",
            ["started_at"] = p.Status == "starting" ? null : "2026-01-01T00:00:00.200Z",
            ["completed_at"] = done ? "2026-01-01T00:00:01.100Z" : null,
            ["urls"] = new JsonObject { ["get"] = api, ["cancel"] = api + "/cancel", ["web"] = $"https://replicate.com/p/{p.Id}" },
            ["metrics"] = done ? new JsonObject { ["predict_time"] = 0.9 } : new JsonObject(),
        };
    }

    private static bool Authorized(HttpContext context) => context.Request.Headers.Authorization.ToString() == $"Bearer {Key}";

    private static IResult Unauthenticated() => Problem(401, "Unauthenticated", "You did not pass a valid authentication token");

    private static IResult Invalid(string field, string type, string description) =>
        FakeServer.Json(new JsonObject
        {
            ["title"] = "Input validation failed",
            ["detail"] = $"- {field}: {description}",
            ["status"] = 422,
            ["invalid_fields"] = new JsonArray(new JsonObject { ["type"] = type, ["field"] = field, ["description"] = description }),
        }, 422);

    private static IResult Problem(int status, string? title, string detail)
    {
        var body = new JsonObject();
        if (title is not null)
            body["title"] = title;
        body["detail"] = detail;
        body["status"] = status;
        return FakeServer.Json(body, status);
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Delivery.DisposeAsync();
    }
}

/// <summary>A prediction as the fake keeps it.</summary>
internal sealed class FakePrediction(string id, string model, string version, JsonObject input, int count, long seed, ReplicateOutcome outcome, int polls)
{
    public string Id { get; } = id;
    public string Model { get; } = model;
    public string Version { get; } = version;
    public JsonObject Input { get; } = input;
    public int Count { get; } = count;
    public long Seed { get; } = seed;
    public ReplicateOutcome Outcome { get; } = outcome;
    public int PollsLeft { get; set; } = polls;
    public string Status { get; set; } = "starting";
    public string? Error { get; set; }
    public List<string> Outputs { get; } = [];
}
