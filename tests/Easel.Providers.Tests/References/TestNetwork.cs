using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Easel.Providers.References;

namespace Easel.Providers.Tests.References;

/// <summary>
/// A pretend internet for the loader: a resolver that maps test names to public-looking
/// addresses, and a connector that carries connections to those addresses to local servers.
/// Records every lookup and connection so tests can see what the loader did.
/// </summary>
internal sealed class TestNetwork
{
    public static readonly IPAddress Images = IPAddress.Parse("93.184.216.34");
    public static readonly IPAddress Cdn = IPAddress.Parse("151.101.1.69");
    public static readonly IPAddress Secure = IPAddress.Parse("93.184.216.35");
    public static readonly IPAddress ImagesV6 = IPAddress.Parse("2606:2800:220:1:248:1893:25c8:1946");

    private readonly Dictionary<IPEndPoint, IPEndPoint> _routes = [];
    private readonly Dictionary<string, Func<int, IPAddress[]>> _names = new(StringComparer.OrdinalIgnoreCase);

    public TestNetwork(IPEndPoint http, IPEndPoint https)
    {
        _routes[new IPEndPoint(Images, 80)] = http;
        _routes[new IPEndPoint(Cdn, 80)] = http;
        _routes[new IPEndPoint(ImagesV6, 80)] = http;
        _routes[new IPEndPoint(Secure, 443)] = https;

        Name("images.example.test", Images);
        Name("cdn.example.test", Cdn);
        Name("secure.example.test", Secure);
        Name("v6.example.test", ImagesV6);
        Name("private.example.test", IPAddress.Parse("10.0.0.7"));
        Name("mixed.example.test", Images, IPAddress.Parse("192.168.0.10"));
        Name("mapped.example.test", IPAddress.Parse("::ffff:127.0.0.1"));
        Name("ula.example.test", IPAddress.Parse("fd12:3456::1"));
        Name("metadata-alias.example.test", IPAddress.Parse("169.254.169.254"));
        Name("nowhere.example.test", IPAddress.Parse("198.51.99.1")); // public, but nothing listens
        Name("empty.example.test");
        // DNS rebinding: public on the first lookup, loopback on every later one.
        _names["rebind.example.test"] = call => call == 1 ? [Images] : [IPAddress.Loopback];
    }

    public ConcurrentDictionary<string, int> Lookups { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<IPEndPoint> Connections { get; } = new();

    public void Name(string name, params IPAddress[] addresses) => _names[name] = _ => addresses;

    public ReferenceLoader Loader(ReferenceOptions? options = null, TimeProvider? time = null, TestHttpServer? tls = null) =>
        new(options ?? new ReferenceOptions(), ResolveAsync, ConnectAsync, time)
        {
            CertificateValidation = tls?.Certificate is { } certificate
                ? (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString()
                : null,
        };

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var call = Lookups.AddOrUpdate(host, 1, (_, n) => n + 1);
        if (!_names.TryGetValue(host, out var answer))
            throw new SocketException((int)SocketError.HostNotFound);
        return Task.FromResult(answer(call));
    }

    public async ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        Connections.Enqueue(endPoint);
        if (!_routes.TryGetValue(endPoint, out var local))
            throw new SocketException((int)SocketError.ConnectionRefused);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(local, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
