using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Providers.Tests.Conformance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests.Fakes;

/// <summary>
/// ComfyUI's HTTP API as PROVIDERS.md describes it (and its server shows): <c>POST /prompt</c> validates
/// the workflow node by node (400 <c>{"error":{"type","message","details","extra_info"},"node_errors":{…}}</c>)
/// and queues it; <c>GET /history/{id}</c> answers <c>{}</c> until the job is done (here: after
/// <see cref="PollsBeforeDone"/> looks), then its outputs and status; <c>GET /queue</c> lists running and
/// pending jobs; <c>GET /view</c> serves the saved files. ComfyUI has no auth and no content filter;
/// with a token set the fake plays a proxy in front of it that wants <c>Authorization: Bearer</c>.
/// </summary>
internal sealed class ComfyUIFake : IFakeVendor
{
    public const string Checkpoint = "sd_xl_base_1.0.safetensors";

    /// <summary>ComfyUI's default text-to-image workflow, exported in the API format, with Easel's placeholders.</summary>
    public const string Workflow = """
        {
          "3": {"inputs": {"seed": "{{seed}}", "steps": 20, "cfg": 8, "sampler_name": "euler", "scheduler": "normal", "denoise": 1,
                           "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]},
                "class_type": "KSampler", "_meta": {"title": "KSampler"}},
          "4": {"inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}, "class_type": "CheckpointLoaderSimple", "_meta": {"title": "Load Checkpoint"}},
          "5": {"inputs": {"width": "{{width}}", "height": "{{height}}", "batch_size": "{{batch}}"}, "class_type": "EmptyLatentImage", "_meta": {"title": "Empty Latent Image"}},
          "6": {"inputs": {"text": "{{prompt}}", "clip": ["4", 1]}, "class_type": "CLIPTextEncode", "_meta": {"title": "CLIP Text Encode (Prompt)"}},
          "7": {"inputs": {"text": "{{negative}}", "clip": ["4", 1]}, "class_type": "CLIPTextEncode", "_meta": {"title": "CLIP Text Encode (Prompt)"}},
          "8": {"inputs": {"samples": ["3", 0], "vae": ["4", 2]}, "class_type": "VAEDecode", "_meta": {"title": "VAE Decode"}},
          "9": {"inputs": {"filename_prefix": "easel_{{seed}}", "images": ["8", 0]}, "class_type": "SaveImage", "_meta": {"title": "Save Image"}}
        }
        """;

    private static readonly string[] Checkpoints = [Checkpoint, "v1-5-pruned-emaonly.safetensors"];

    /// <summary>The inputs each known node takes: INT (min, max), FLOAT, STRING, a list, or a link.</summary>
    private static readonly Dictionary<string, Dictionary<string, Input>> Nodes = new()
    {
        ["CheckpointLoaderSimple"] = new() { ["ckpt_name"] = Input.Choice(Checkpoints) },
        ["CLIPTextEncode"] = new() { ["text"] = Input.Text, ["clip"] = Input.Link },
        ["EmptyLatentImage"] = new() { ["width"] = Input.Int(16, 16384), ["height"] = Input.Int(16, 16384), ["batch_size"] = Input.Int(1, 4096) },
        ["KSampler"] = new()
        {
            ["model"] = Input.Link, ["seed"] = Input.Int(0, long.MaxValue), ["steps"] = Input.Int(1, 10000), ["cfg"] = Input.Float,
            ["sampler_name"] = Input.Choice(["euler", "euler_ancestral", "dpmpp_2m", "dpmpp_sde"]),
            ["scheduler"] = Input.Choice(["normal", "karras", "exponential", "simple"]),
            ["positive"] = Input.Link, ["negative"] = Input.Link, ["latent_image"] = Input.Link, ["denoise"] = Input.Float,
        },
        ["VAEDecode"] = new() { ["samples"] = Input.Link, ["vae"] = Input.Link },
        ["SaveImage"] = new() { ["images"] = Input.Link, ["filename_prefix"] = Input.Text },
        ["PreviewImage"] = new() { ["images"] = Input.Link },
    };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Job> _jobs = [];
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly ConcurrentQueue<FakeScenario> _next = new();
    private readonly string? _token;
    private int _number;
    private int _counter;

    private ComfyUIFake(FakeServer server, string? token)
    {
        Server = server;
        _token = token;
    }

    public FakeServer Server { get; }

    public string KeyHeader => "authorization";

    public string? RequestId => null;

    /// <summary>How many looks at a job's history answer <c>{}</c> before it is done.</summary>
    public int PollsBeforeDone { get; set; } = 2;

    /// <summary>The next job queued fails while running, with this exception message from its KSampler.</summary>
    public string? FailNextJob { get; set; }

    /// <summary>The ids of every job queued, in order.</summary>
    public IReadOnlyList<string> Queued
    {
        get
        {
            lock (_lock)
                return _jobs.Values.OrderBy(j => j.Number).Select(j => j.Id).ToList();
        }
    }

    public void Next(FakeScenario scenario)
    {
        if (scenario is FakeScenario.Refused)
            throw new NotSupportedException("ComfyUI has no content policy, so it never refuses a prompt.");
        _next.Enqueue(scenario);
    }

    /// <summary>What a restart does: the queue and the history live in memory and are gone.</summary>
    public void Restart()
    {
        lock (_lock)
            _jobs.Clear();
    }

    /// <param name="token">When set, a proxy in front of ComfyUI wants <c>Authorization: Bearer TOKEN</c>.</param>
    public static async Task<ComfyUIFake> StartAsync(string? token = null)
    {
        ComfyUIFake? fake = null;
        var server = await FakeServer.StartAsync(app =>
        {
            app.MapPost("/prompt", FakeServer.Handle(context => fake!.PromptAsync(context)));
            app.MapGet("/history/{id}", FakeServer.Handle(context => Task.FromResult(fake!.History(context, (string)context.Request.RouteValues["id"]!))));
            app.MapGet("/queue", FakeServer.Handle(context => Task.FromResult(fake!.Queue(context))));
            app.MapGet("/view", FakeServer.Handle(context => Task.FromResult(fake!.View(context))));
        });
        fake = new ComfyUIFake(server, token);
        return fake;
    }

    private async Task<IResult> PromptAsync(HttpContext context)
    {
        if (Authenticate(context) is { } denied)
            return denied;
        var filtered = false;
        if (_next.TryDequeue(out var scenario))
        {
            switch (scenario)
            {
                case FakeScenario.RateLimited:
                    // ComfyUI sets no rate limit: this is a proxy in front of a shared server.
                    context.Response.Headers.RetryAfter = "7";
                    return Results.Text("<html><body><h1>429 Too Many Requests</h1></body></html>", "text/html", Encoding.UTF8, 429);
                case FakeScenario.ServerError:
                    // aiohttp's answer to an unhandled exception.
                    return Results.Text("500 Internal Server Error\n\nServer got itself in trouble", "text/plain", Encoding.UTF8, 500);
                case FakeScenario.Invalid:
                    return ValidationFailed(new JsonObject
                    {
                        ["3"] = NodeError("KSampler", "value_bigger_than_max", "Value 20000 bigger than max of 10000", "steps"),
                    });
                case FakeScenario.PartiallyFiltered:
                    // A workflow with a safety-checker node passes on only the images it allows.
                    filtered = true;
                    break;
            }
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body);
        }
        catch (JsonException)
        {
            // aiohttp's request.json() raising: an unhandled error.
            return Results.Text("500 Internal Server Error\n\nServer got itself in trouble", "text/plain", Encoding.UTF8, 500);
        }
        if (body?["prompt"] is not JsonObject prompt)
            return Error("no_prompt", "No prompt provided", "No prompt provided", new JsonObject());

        var errors = new JsonObject();
        var outputs = new List<string>();
        foreach (var (id, node) in prompt)
        {
            var type = node?["class_type"]?.GetValue<string>();
            if (type is null || !Nodes.TryGetValue(type, out var inputs))
                return Error("invalid_prompt", $"Cannot execute because node {type} does not exist.", $"Node ID '#{id}'", new JsonObject());
            if (type is "SaveImage" or "PreviewImage")
                outputs.Add(id);
            foreach (var (name, input) in inputs)
            {
                if (Check(prompt, node!["inputs"]?[name], name, input) is { } problem)
                {
                    errors[id] = NodeError(type, problem.Type, problem.Message, problem.Details);
                    break;
                }
            }
        }
        if (outputs.Count == 0)
            return Error("prompt_no_outputs", "Prompt has no outputs", "", new JsonObject());
        if (errors.Count > 0)
            return ValidationFailed(errors);

        var latent = prompt.Select(p => p.Value).First(n => n?["class_type"]?.GetValue<string>() == "EmptyLatentImage")!["inputs"]!;
        var sampler = prompt.Select(p => p.Value).First(n => n?["class_type"]?.GetValue<string>() == "KSampler")!["inputs"]!;
        var batch = (int)Number(latent["batch_size"]!);
        var seed = Number(sampler["seed"]!);
        var job = new Job(Guid.NewGuid().ToString(), Interlocked.Increment(ref _number), prompt.DeepClone().AsObject(), body["client_id"]?.GetValue<string>() ?? "", outputs);
        var saved = new JsonObject();
        lock (_lock)
        {
            foreach (var id in outputs)
            {
                var save = prompt[id]!["class_type"]!.GetValue<string>() == "SaveImage";
                var prefix = save ? prompt[id]!["inputs"]?["filename_prefix"]?.GetValue<string>() ?? "ComfyUI" : "ComfyUI_temp_qzxvb";
                var images = new JsonArray();
                var made = save && filtered ? batch - 1 : batch;
                for (var i = 0; i < made; i++)
                {
                    var file = $"{prefix}_{++_counter:00000}_.png";
                    var kind = save ? "output" : "temp";
                    _files[$"{kind}//{file}"] = FakeImages.Png(16, 16, seed + i);
                    images.Add(new JsonObject { ["filename"] = file, ["subfolder"] = "", ["type"] = kind });
                }
                saved[id] = new JsonObject { ["images"] = images };
            }
            job.Outputs = saved;
            job.Failure = FailNextJob;
            FailNextJob = null;
            _jobs[job.Id] = job;
        }
        return FakeServer.Json(new JsonObject { ["prompt_id"] = job.Id, ["number"] = job.Number, ["node_errors"] = new JsonObject() });
    }

    private IResult History(HttpContext context, string id)
    {
        if (Authenticate(context) is { } denied)
            return denied;
        lock (_lock)
        {
            if (!_jobs.TryGetValue(id, out var job) || ++job.Looks <= PollsBeforeDone)
                return FakeServer.Json(new JsonObject());
            var start = new JsonArray("execution_start", new JsonObject { ["prompt_id"] = id, ["timestamp"] = 1_763_700_000_000 });
            JsonObject status;
            JsonObject outputs;
            if (job.Failure is { } failure)
            {
                outputs = new JsonObject();
                status = new JsonObject
                {
                    ["status_str"] = "error",
                    ["completed"] = false,
                    ["messages"] = new JsonArray(start, new JsonArray("execution_error", new JsonObject
                    {
                        ["prompt_id"] = id, ["node_id"] = "3", ["node_type"] = "KSampler", ["executed"] = new JsonArray("4", "5", "6", "7"),
                        ["exception_message"] = failure, ["exception_type"] = "torch.OutOfMemoryError",
                        ["traceback"] = new JsonArray("Traceback (most recent call last):\n", "  File \"execution.py\", line 327, in execute\n"),
                        ["current_inputs"] = new JsonObject(), ["current_outputs"] = new JsonObject(), ["timestamp"] = 1_763_700_001_000,
                    })),
                };
            }
            else
            {
                outputs = job.Outputs!.DeepClone().AsObject();
                status = new JsonObject
                {
                    ["status_str"] = "success",
                    ["completed"] = true,
                    ["messages"] = new JsonArray(start, new JsonArray("execution_success", new JsonObject { ["prompt_id"] = id, ["timestamp"] = 1_763_700_009_000 })),
                };
            }
            return FakeServer.Json(new JsonObject
            {
                [id] = new JsonObject
                {
                    ["prompt"] = job.QueueItem(),
                    ["outputs"] = outputs,
                    ["status"] = status,
                    ["meta"] = new JsonObject(),
                },
            });
        }
    }

    private IResult Queue(HttpContext context)
    {
        if (Authenticate(context) is { } denied)
            return denied;
        lock (_lock)
        {
            var waiting = _jobs.Values.Where(j => j.Looks <= PollsBeforeDone).OrderBy(j => j.Number).ToList();
            return FakeServer.Json(new JsonObject
            {
                ["queue_running"] = new JsonArray(waiting.Take(1).Select(j => (JsonNode?)j.QueueItem()).ToArray()),
                ["queue_pending"] = new JsonArray(waiting.Skip(1).Select(j => (JsonNode?)j.QueueItem()).ToArray()),
            });
        }
    }

    private IResult View(HttpContext context)
    {
        if (Authenticate(context) is { } denied)
            return denied;
        var q = context.Request.Query;
        lock (_lock)
        {
            return _files.TryGetValue($"{q["type"]}/{q["subfolder"]}/{q["filename"]}", out var bytes)
                ? Results.Bytes(bytes, "image/png")
                : Results.Text("404: Not Found", "text/plain", Encoding.UTF8, 404);
        }
    }

    private IResult? Authenticate(HttpContext context) =>
        _token is null || context.Request.Headers.Authorization.ToString() == $"Bearer {_token}"
            ? null
            : Results.Text("<html><body><h1>401 Authorization Required</h1></body></html>", "text/html", Encoding.UTF8, 401);

    /// <summary>ComfyUI's own conversion and range checks for one input (validate_inputs in execution.py).</summary>
    private static (string Type, string Message, string Details)? Check(JsonObject prompt, JsonNode? value, string name, Input input)
    {
        if (value is null)
            return ("required_input_missing", "Required input is missing", name);
        if (value is JsonArray link)
        {
            if (link.Count != 2 || link[0]?.GetValueKind() != JsonValueKind.String || link[1]?.GetValueKind() != JsonValueKind.Number)
                return ("bad_linked_input", "Bad linked input, must be a length-2 list of [string, int]", $"{name}, {link.ToJsonString()}");
            if (!prompt.ContainsKey(link[0]!.GetValue<string>()))
                return ("required_input_missing", "Required input is missing", name);
            return null;
        }
        switch (input.Kind)
        {
            case "INT":
                if (value.GetValueKind() == JsonValueKind.Number ? !value.AsValue().TryGetValue<long>(out var n)
                    : !long.TryParse(value.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
                    return ("invalid_input_type", "Failed to convert an input value to a INT value", $"{name}, {Raw(value)}, invalid literal for int() with base 10: '{Raw(value)}'");
                if (n < input.Min)
                    return ("value_smaller_than_min", $"Value {n} smaller than min of {input.Min}", name);
                if (n > input.Max)
                    return ("value_bigger_than_max", $"Value {n} bigger than max of {input.Max}", name);
                return null;
            case "FLOAT":
                return value.GetValueKind() == JsonValueKind.Number ? null
                    : ("invalid_input_type", "Failed to convert an input value to a FLOAT value", $"{name}, {Raw(value)}, could not convert string to float: '{Raw(value)}'");
            case "STRING":
                return value.GetValueKind() == JsonValueKind.String ? null
                    : ("invalid_input_type", "Failed to convert an input value to a STRING value", $"{name}, {Raw(value)}");
            case "LIST":
                var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : Raw(value);
                return input.Choices!.Contains(text) ? null
                    : ("value_not_in_list", "Value not in list", $"{name}: '{text}' not in [{string.Join(", ", input.Choices!.Select(c => $"'{c}'"))}]");
            default:
                return ("required_input_missing", "Required input is missing", name);
        }
    }

    private static string Raw(JsonNode value) => value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    private static long Number(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number ? value.GetValue<long>() : long.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture);

    private static JsonObject NodeError(string classType, string type, string message, string details) => new()
    {
        ["errors"] = new JsonArray(new JsonObject { ["type"] = type, ["message"] = message, ["details"] = details, ["extra_info"] = new JsonObject { ["input_name"] = details } }),
        ["dependent_outputs"] = new JsonArray("9"),
        ["class_type"] = classType,
    };

    private static IResult ValidationFailed(JsonObject nodeErrors) =>
        Error("prompt_outputs_failed_validation", "Prompt outputs failed validation", "", nodeErrors);

    private static IResult Error(string type, string message, string details, JsonObject nodeErrors) =>
        FakeServer.Json(new JsonObject
        {
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message, ["details"] = details, ["extra_info"] = new JsonObject() },
            ["node_errors"] = nodeErrors,
        }, 400);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private sealed record Input(string Kind, long Min = long.MinValue, long Max = long.MaxValue, string[]? Choices = null)
    {
        public static Input Int(long min, long max) => new("INT", min, max);

        public static Input Choice(string[] choices) => new("LIST", Choices: choices);

        public static readonly Input Float = new("FLOAT");
        public static readonly Input Text = new("STRING");
        public static readonly Input Link = new("LINK");
    }

    private sealed class Job(string id, int number, JsonObject prompt, string clientId, IReadOnlyList<string> outputNodes)
    {
        public string Id { get; } = id;
        public int Number { get; } = number;
        public int Looks { get; set; }
        public JsonObject? Outputs { get; set; }
        public string? Failure { get; set; }

        /// <summary>[number, prompt_id, prompt, extra_data, outputs_to_execute], as the queue and history show a job.</summary>
        public JsonArray QueueItem() => new(
            Number, Id, prompt.DeepClone(), new JsonObject { ["client_id"] = clientId }, new JsonArray(outputNodes.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray()));
    }
}
