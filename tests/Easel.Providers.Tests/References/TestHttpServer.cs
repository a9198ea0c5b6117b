using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Easel.Providers.Tests.References;

/// <summary>What the test server answers to one request.</summary>
internal sealed record HttpReply(int Status, byte[] Body)
{
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    /// <summary>Content-Length to send; null sends none (the body then ends when the connection closes).</summary>
    public long? ContentLength { get; init; } = -1;

    /// <summary>When above 0, this many filler bytes are streamed instead of <see cref="Body"/>.</summary>
    public long StreamBytes { get; init; }

    /// <summary>Never answer: the connection stays open until the server stops.</summary>
    public bool Hang { get; init; }

    public static HttpReply Ok(byte[] body, string contentType = "image/png") =>
        new(200, body) { Headers = [("Content-Type", contentType)] };

    public static HttpReply Redirect(string location, int status = 302) =>
        new(status, []) { Headers = [("Location", location)] };
}

/// <summary>One request as the server saw it; ServerName is the TLS SNI, if any.</summary>
internal sealed record RecordedRequest(string Path, string? Host, string? ServerName);

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1, optionally behind TLS with a self-signed certificate.
/// Every answer closes the connection, so each request of a load opens a new one (and so passes
/// through the loader's connect hook again).
/// </summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RecordedRequest, HttpReply> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;

    public TestHttpServer(Func<RecordedRequest, HttpReply> handler, X509Certificate2? certificate = null)
    {
        _handler = handler;
        Certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public X509Certificate2? Certificate { get; }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>A self-signed certificate for the given DNS name.</summary>
    public static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            string? serverName = null;
            if (Certificate is not null)
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificateSelectionCallback = (_, name) =>
                        {
                            serverName = name;
                            return Certificate;
                        },
                    },
                    _stop.Token);
                stream = ssl;
            }

            await using (stream)
            {
                var head = await ReadHeadAsync(stream);
                if (head is null)
                    return;
                var lines = head.Split("\r\n");
                var target = lines[0].Split(' ')[1];
                var host = lines.Skip(1)
                    .Select(l => l.Split(':', 2))
                    .Where(p => p.Length == 2 && p[0].Trim().Equals("Host", StringComparison.OrdinalIgnoreCase))
                    .Select(p => p[1].Trim())
                    .FirstOrDefault();
                var request = new RecordedRequest(target, host, serverName);
                Requests.Enqueue(request);
                var reply = _handler(request);
                if (reply.Hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                await WriteAsync(stream, reply);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException
            or System.Security.Authentication.AuthenticationException)
        {
            // The client went away (for instance after refusing an oversized body).
        }
    }

    private async Task<string?> ReadHeadAsync(Stream stream)
    {
        var buffer = new byte[32 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), _stop.Token);
            if (read == 0)
                return null;
            length += read;
            var text = Encoding.Latin1.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
                return text[..end];
        }

        return null;
    }

    private async Task WriteAsync(Stream stream, HttpReply reply)
    {
        var head = new StringBuilder($"HTTP/1.1 {reply.Status} Status\r\n");
        foreach (var (name, value) in reply.Headers)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        var length = reply.ContentLength == -1 ? (reply.StreamBytes > 0 ? reply.StreamBytes : reply.Body.Length) : reply.ContentLength;
        if (length is not null)
            head.Append("Content-Length: ").Append(length).Append("\r\n");
        head.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), _stop.Token);
        if (reply.StreamBytes > 0)
        {
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < reply.StreamBytes; sent += chunk.Length)
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, reply.StreamBytes - sent)), _stop.Token);
        }
        else
        {
            await stream.WriteAsync(reply.Body, _stop.Token);
        }

        await stream.FlushAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_connections);
        Certificate?.Dispose();
        _stop.Dispose();
    }
}
