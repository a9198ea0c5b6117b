using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Providers.Tests.Conformance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests.Fakes;

/// <summary>
/// OpenAI's Images API as PROVIDERS.md describes it: generations (JSON) and edits (multipart),
/// bearer auth, <c>x-request-id</c> on every answer, and its error bodies.
/// </summary>
internal sealed class OpenAIFake : IFakeVendor
{
    public const string Key = "sk-conformance-5eCr3t-0123456789abcdef";
    private readonly ConcurrentQueue<FakeScenario> _next = new();
    private int _requestNumber;

    private OpenAIFake(FakeServer server) => Server = server;

    public FakeServer Server { get; }

    public string KeyHeader => "authorization";

    public string? RequestId => "req_fake_0001";

    public void Next(FakeScenario scenario) => _next.Enqueue(scenario);

    /// <summary>While set, every call waits for it before answering: a slow vendor, for stopping a server mid-call.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Completes when a call starts waiting on <see cref="Hold"/>.</summary>
    public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<OpenAIFake> StartAsync()
    {
        OpenAIFake? fake = null;
        var server = await FakeServer.StartAsync(app =>
        {
            app.MapPost("/v1/images/generations", FakeServer.Handle(context => fake!.HandleAsync(context, multipart: false)));
            app.MapPost("/v1/images/edits", FakeServer.Handle(context => fake!.HandleAsync(context, multipart: true)));
        });
        fake = new OpenAIFake(server);
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext context, bool multipart)
    {
        Interlocked.Increment(ref _requestNumber);
        context.Response.Headers["x-request-id"] = RequestId;
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
            return Error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
        if (Hold is { } hold)
        {
            Holding.TrySetResult();
            await hold.Task.WaitAsync(context.RequestAborted);
        }

        int n;
        string? size;
        if (multipart)
        {
            var form = await context.Request.ReadFormAsync();
            if (form.Files.GetFiles("image[]").Count == 0)
                return Error(400, "Missing required parameter: 'image'.", "invalid_request_error", "missing_required_parameter", "image");
            n = int.TryParse(form["n"], out var k) ? k : 1;
            size = form["size"];
        }
        else
        {
            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(context.Request.Body);
            }
            catch (JsonException)
            {
                return Error(400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
            }
            if (body?["prompt"]?.GetValue<string>() is not { Length: > 0 })
                return Error(400, "Missing required parameter: 'prompt'.", "invalid_request_error", "missing_required_parameter", "prompt");
            n = body["n"]?.GetValue<int>() ?? 1;
            size = body["size"]?.GetValue<string>();
        }
        if (n is < 1 or > 10)
            return Error(400, $"Invalid 'n': integer above maximum value. Expected a value <= 10, but got {n} instead.", "invalid_request_error", "integer_above_max_value", "n");
        if (size is not (null or "auto" or "1024x1024" or "1536x1024" or "1024x1536"))
            return Error(400, $"Invalid value: '{size}'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.", "invalid_request_error", "invalid_value", "size");

        if (_next.TryDequeue(out var scenario))
        {
            switch (scenario)
            {
                case FakeScenario.RateLimited:
                    context.Response.Headers.RetryAfter = "7";
                    return Error(429, "Rate limit reached for images per minute.", "requests", "rate_limit_exceeded");
                case FakeScenario.ServerError:
                    return Error(500, "The server had an error while processing your request. Sorry about that!", "server_error", null);
                case FakeScenario.Refused:
                    return Error(400, "Your request was rejected as a result of our safety system.", "image_generation_user_error", "moderation_blocked");
                case FakeScenario.Invalid:
                    return Error(400, "Invalid value: 'ultra'. Supported values are: 'low', 'medium', 'high', and 'auto'.", "invalid_request_error", "invalid_value", "quality");
                case FakeScenario.PartiallyFiltered:
                    n--;
                    break;
            }
        }
        var data = new JsonArray();
        for (var i = 0; i < n; i++)
            data.Add(new JsonObject { ["b64_json"] = FakeImages.Base64Png(seed: i) });
        return FakeServer.Json(new JsonObject
        {
            ["created"] = 1_763_700_000,
            ["data"] = data,
            ["usage"] = new JsonObject { ["input_tokens"] = 50, ["output_tokens"] = 4160 * n, ["total_tokens"] = 50 + 4160 * n },
        });
    }

    private static IResult Error(int status, string message, string type, string? code, string? param = null) =>
        FakeServer.Json(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        }, status);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
