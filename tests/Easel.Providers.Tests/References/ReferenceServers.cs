using System.Collections.Concurrent;

namespace Easel.Providers.Tests.References;

/// <summary>An HTTP server and an HTTPS server with the routes the URL tests use, shared by a test class.</summary>
public sealed class ReferenceServers : IAsyncLifetime
{
    public const long TwentyOneMegabytes = 21L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _arrivals = new();

    internal TestHttpServer Http { get; private set; } = null!;

    internal TestHttpServer Https { get; private set; } = null!;

    /// <summary>A fresh pretend network (own lookup and connection records) over these servers.</summary>
    internal TestNetwork Network() => new(Http.EndPoint, Https.EndPoint);

    /// <summary>Completes when a request for <paramref name="path"/> has reached a server.</summary>
    internal Task Arrived(string path) => _arrivals.GetOrAdd(path, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public ValueTask InitializeAsync()
    {
        Http = new TestHttpServer(Route);
        Https = new TestHttpServer(RouteSecure, TestHttpServer.SelfSigned("secure.example.test"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Http.DisposeAsync();
        await Https.DisposeAsync();
    }

    private HttpReply Route(RecordedRequest request)
    {
        _arrivals.GetOrAdd(request.Path, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        var path = request.Path;
        if (path.StartsWith("/chain/", StringComparison.Ordinal))
        {
            var step = int.Parse(path["/chain/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            return step < 6 ? HttpReply.Redirect($"/chain/{step + 1}") : HttpReply.Ok(SampleImages.Png);
        }

        if (path.StartsWith("/slow/", StringComparison.Ordinal))
            return new HttpReply(200, []) { Hang = true };

        return path switch
        {
            "/cat.png" => HttpReply.Ok(SampleImages.Png),
            "/photo.jpg" => HttpReply.Ok(SampleImages.Jpeg, "image/jpeg"),
            "/png-as-html" => HttpReply.Ok(SampleImages.Png, "text/html"),
            "/redirect-once" => HttpReply.Redirect("/cat.png"),
            "/redirect-cdn" => HttpReply.Redirect("http://cdn.example.test/cat.png", 301),
            "/redirect-loopback" => HttpReply.Redirect("http://127.0.0.1/cat.png"),
            "/redirect-loopback-hex" => HttpReply.Redirect("http://0x7f000001/cat.png", 307),
            "/redirect-localhost" => HttpReply.Redirect("http://localhost:8080/admin", 308),
            "/redirect-metadata" => HttpReply.Redirect("http://169.254.169.254/latest/meta-data/iam/", 303),
            "/redirect-private-name" => HttpReply.Redirect("http://private.example.test/cat.png"),
            "/redirect-file" => HttpReply.Redirect("file:///etc/passwd"),
            "/redirect-gopher" => HttpReply.Redirect("gopher://images.example.test:70/_stats"),
            "/redirect-userinfo" => HttpReply.Redirect("http://admin:hunter2@cdn.example.test/cat.png"),
            "/redirect-no-location" => new HttpReply(302, []),
            "/rebind-hop" => HttpReply.Redirect("/cat.png"),
            "/big-with-length" => new HttpReply(200, SampleImages.Png) { ContentLength = 25L * 1024 * 1024 },
            "/big-without-length" => new HttpReply(200, []) { StreamBytes = TwentyOneMegabytes, ContentLength = null },
            "/html" => HttpReply.Ok(SampleImages.Html),
            "/huge.png" => HttpReply.Ok(SampleImages.PngHeader(10_000, 6_000)),
            "/truncated.jpg" => HttpReply.Ok(SampleImages.TruncatedJpeg, "image/jpeg"),
            "/zero.gif" => HttpReply.Ok(SampleImages.ZeroSizeGif, "image/gif"),
            "/empty" => HttpReply.Ok([]),
            "/server-error" => new HttpReply(500, "boom"u8.ToArray()),
            _ => new HttpReply(404, "not found"u8.ToArray()),
        };
    }

    private static HttpReply RouteSecure(RecordedRequest request) => request.Path switch
    {
        "/cat.png" => HttpReply.Ok(SampleImages.Png),
        "/downgrade" => HttpReply.Redirect("http://images.example.test/cat.png"),
        _ => new HttpReply(404, []),
    };
}
