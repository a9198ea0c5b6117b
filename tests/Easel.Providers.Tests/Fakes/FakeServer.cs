using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Easel.Providers.Tests.Fakes;

/// <summary>A request as the fake received it, for tests to assert exactly what a client sent.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body, string? ContentType)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A vendor's API on a loopback port, speaking its wire protocol: each fake maps the vendor's
/// routes; this records every request and lets a test put canned failures in front of them.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _interruptions = new();

    private FakeServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<FakeServer> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = 64 << 20);
        var app = builder.Build();
        var server = new FakeServer(app);
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy);
            context.Request.Body.Position = 0;
            server.Requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                copy.ToArray(),
                context.Request.ContentType));
            if (server._interruptions.TryDequeue(out var interruption))
                await interruption(context);
            else
                await next(context);
        });
        map(app);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First() + "/");
        return server;
    }

    /// <summary>The next request is answered with this instead of reaching the vendor's route.</summary>
    public void Interrupt(int status, string body, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null) =>
        _interruptions.Enqueue(async context =>
        {
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
                context.Response.Headers[name] = value;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    public RecordedRequest Last => Requests.Last();

    /// <summary>A route handler from a function returning a result (a bare <c>HttpContext</c> lambda's result would be ignored).</summary>
    public static RequestDelegate Handle(Func<HttpContext, Task<IResult>> handler) =>
        async context => await (await handler(context)).ExecuteAsync(context);

    /// <summary>A JSON answer written as the vendor writes it (the slim host has no reflection-based serializer).</summary>
    public static IResult Json(System.Text.Json.Nodes.JsonNode body, int status = 200) =>
        Results.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8, status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
