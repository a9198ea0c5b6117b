using System.Net;
using Easel.Workflows.Configuration;

namespace Easel.Server;

/// <summary>Where <c>easel serve</c> listens and who may use it.</summary>
public sealed class ServerOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public ServerOptions(IReadOnlyList<Uri> urls, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(settings);
        Urls = urls;
        Settings = settings;
    }

    /// <summary>Addresses Kestrel listens on (port 0 picks a free one).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    public ServerSettings Settings { get; }

    /// <summary>True when every address is on this machine only: then tokens are optional.</summary>
    public bool LoopbackOnly => Urls.All(IsLoopback);

    /// <summary>Parses <c>--urls</c>: addresses separated by ';', each http(s)://host:port.</summary>
    public static bool TryParseUrls(string text, out IReadOnlyList<Uri> urls, out string? error)
    {
        var list = new List<Uri>();
        urls = list;
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcards ("http://*:5080", "http://+:5080") are not URIs; read them as "every interface".
            var normalized = part.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                error = $"'{part}' is not an http(s) address such as {DefaultUrl}.";
                return false;
            }
            if (url.UserInfo.Length > 0)
            {
                // Not echoed: the part before '@' may be a password.
                error = $"an address must not carry a user name or password; give only scheme, host and port, such as {DefaultUrl}.";
                return false;
            }
            if (url.AbsolutePath != "/" || url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                error = $"'{part}' must be only scheme, host and port, such as {DefaultUrl}.";
                return false;
            }
            if (url.Scheme == "https")
            {
                error = $"'{part}': easel serve speaks plain http; put a TLS-terminating proxy in front for https.";
                return false;
            }
            list.Add(url);
        }
        if (list.Count == 0)
        {
            error = $"no address given; use one such as {DefaultUrl}.";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Why the server must not start as configured, or null when it may.</summary>
    public string? Problem()
    {
        if (LoopbackOnly || Settings.HasTokens)
            return null;
        var exposed = string.Join(", ", Urls.Where(u => !IsLoopback(u)).Select(u => u.Authority));
        return $"Listening on {exposed} lets other machines in, so Easel needs two tokens first: " +
            $"set {ServerSettings.Section}:RequesterToken and {ServerSettings.Section}:ApproverToken (different values, at least {ServerSettings.MinTokenLength} characters) " +
            "in config.json or as EASEL_Server__RequesterToken and EASEL_Server__ApproverToken. Or listen on 127.0.0.1 only.";
    }

    internal static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
