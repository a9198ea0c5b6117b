using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Easel.Workflows.Tests.Notifications;

/// <summary>A POST as the listener received it.</summary>
internal sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string Type => Header("Easel-Event") ?? "";

    public string DeliveryId => Header("Easel-Delivery") ?? "";
}

/// <summary>
/// A webhook receiver on a loopback port: records every request and answers 200 unless a test
/// has queued other answers (a status and body, or no answer at all until the sender gives up).
/// </summary>
internal sealed class WebhookListener : IAsyncDisposable
{
    public const string HookPath = "/hooks/easel";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _answers = new();
    private readonly SemaphoreSlim _received = new(0);

    private WebhookListener(WebApplication app) => _app = app;

    /// <summary>Where hooks post: <c>http://127.0.0.1:PORT/hooks/easel</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<ReceivedWebhook> Requests { get; } = new();

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var listener = new WebhookListener(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            listener.Requests.Enqueue(new ReceivedWebhook(
                context.Request.Path.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body.ToArray()));
            listener._received.Release();
            if (listener._answers.TryDequeue(out var answer))
                await answer(context);
            else
                await context.Response.WriteAsync("ok", context.RequestAborted);
        });
        await app.StartAsync();
        listener.Url = new Uri(app.Urls.First() + HookPath);
        return listener;
    }

    /// <summary>The next request gets this answer instead of 200.</summary>
    public void Answer(int status, string body = "", IReadOnlyDictionary<string, string>? headers = null) =>
        _answers.Enqueue(async context =>
        {
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
                context.Response.Headers[name] = value;
            await context.Response.WriteAsync(body, context.RequestAborted);
        });

    /// <summary>The next request gets no answer until the sender hangs up.</summary>
    public void Hang() =>
        _answers.Enqueue(async context =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });

    /// <summary>Waits (at most 30 s) until the listener has received <paramref name="count"/> requests in all.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (Requests.Count < count)
            await _received.WaitAsync(deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
