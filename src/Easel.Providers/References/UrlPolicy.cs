using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Easel.Providers.References;

/// <summary>
/// The rules a reference URL (and every redirect target) must pass before any connection:
/// http or https, no credentials, and a host that is neither an IP literal of a non-public
/// address (in any spelling) nor a name that only means something on a local network.
/// </summary>
internal static partial class UrlPolicy
{
    private static readonly HashSet<string> _localhostNames = new(StringComparer.Ordinal)
    {
        "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
    };

    private static readonly HashSet<string> _metadataNames = new(StringComparer.Ordinal)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
        "metadata.tencentyun.com", "metadata.platformequinix.com",
    };

    private static readonly string[] _localSuffixes =
        [".local", ".localdomain", ".internal", ".intranet", ".lan", ".home", ".corp", ".home.arpa", ".private"];

    /// <summary>
    /// A URL-like input: "scheme://..." or a scheme that never names a file (data:, javascript:, ...).
    /// Anything else is a local path; a file literally named "data:x.png" can be given as "./data:x.png".
    /// </summary>
    public static bool LooksLikeUrl(string input) => UrlStart().IsMatch(input);

    /// <summary>The scheme of a URL-like input, lower case.</summary>
    public static string SchemeOf(string input) => input[..input.IndexOf(':')].ToLowerInvariant();

    [GeneratedRegex(@"^(?:[A-Za-z][A-Za-z0-9+.\-]*:[/\\]{2}|(?:data|javascript|vbscript|about|blob|mailto|file|ftp|http|https|gopher|dict|ldap|tftp|jar|ws|wss|smb|telnet|ssh|sftp):)", RegexOptions.CultureInvariant)]
    private static partial Regex UrlStart();

    /// <summary>
    /// The host as written in the URL text, before any URI parser normalised it (null when the
    /// text has no authority). Checked as well as the parsed host, so a spelling one parser reads
    /// differently from another cannot slip through.
    /// </summary>
    public static string? RawHost(string url)
    {
        var colon = url.IndexOf(':');
        if (colon < 0)
            return null;
        var rest = url.AsSpan(colon + 1).TrimStart("/\\");
        var end = rest.IndexOfAny("/\\?#");
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
            authority = authority[(at + 1)..];
        if (authority.StartsWith("["))
        {
            var close = authority.IndexOf(']');
            return (close < 0 ? authority : authority[..(close + 1)]).ToString();
        }

        var port = authority.IndexOf(':');
        return (port < 0 ? authority : authority[..port]).ToString();
    }

    /// <summary>True when the URL text carries a user name or password.</summary>
    public static bool HasUserInfo(string url, Uri uri)
    {
        if (uri.UserInfo.Length > 0)
            return true;
        var colon = url.IndexOf(':');
        var rest = url.AsSpan(colon + 1).TrimStart("/\\");
        var end = rest.IndexOfAny("/\\?#");
        return (end < 0 ? rest : rest[..end]).Contains('@');
    }

    /// <summary>The key a host is pinned under: what the HTTP handler later asks to connect to.</summary>
    public static string HostKey(string host) => host.Trim('[', ']').ToLowerInvariant();

    /// <summary>
    /// Why the host may not be fetched from, or null. <paramref name="literal"/> is set when the
    /// host is an IP literal (then no name is resolved: the connection goes to that address).
    /// </summary>
    public static string? HostRefusal(string host, out IPAddress? literal)
    {
        literal = null;
        var h = host;
        if (h.Length == 0)
            return "an empty host";
        if (h.StartsWith('['))
        {
            if (!h.EndsWith(']'))
                return "not a valid IPv6 address";
            h = h[1..^1];
        }

        if (h.Contains('%'))
        {
            return h.Contains(':')
                ? "an IPv6 address with a zone id (scoped to a local network interface)"
                : "a host name with percent-encoded characters";
        }

        if (h.Contains(':'))
        {
            if (!IPAddress.TryParse(h, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                return "not a valid IPv6 address";
            literal = v6;
            return AddressPolicy.Refusal(v6);
        }

        if (AddressPolicy.TryParseIPv4(h, out var v4))
        {
            literal = v4;
            return AddressPolicy.Refusal(v4);
        }

        var name = h.ToLowerInvariant();
        if (name.EndsWith('.'))
            name = name[..^1];
        if (name.Length == 0 || name.EndsWith('.') || name.StartsWith('.') || name.Contains(".."))
            return "not a valid host name";
        var lastLabel = name[(name.LastIndexOf('.') + 1)..];
        // No top-level domain starts with a digit: such a host is a malformed IP address that some
        // resolver might still read as one.
        if (char.IsAsciiDigit(lastLabel[0]))
            return "neither a valid IP address nor a valid host name";
        if (_localhostNames.Contains(name) || name.EndsWith(".localhost", StringComparison.Ordinal))
            return "a name for this machine (localhost)";
        if (_metadataNames.Contains(name))
            return "a cloud metadata service name";
        if (!name.Contains('.'))
            return "a single-label name, which can only mean a machine on the local network";
        foreach (var suffix in _localSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
                return "a local network name";
        }

        return null;
    }

    /// <summary>
    /// The URL as it may appear in a message or log: no user name or password, no query (signed
    /// URLs carry tokens there), no fragment, no control characters, at most 200 characters.
    /// </summary>
    public static string Display(string url)
    {
        var colon = url.IndexOf(':');
        var text = url;
        if (colon > 0)
        {
            var start = colon + 1;
            while (start < url.Length && url[start] is '/' or '\\')
                start++;
            var end = url.IndexOfAny(['/', '\\', '?', '#'], start);
            var authorityEnd = end < 0 ? url.Length : end;
            var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
            var builder = new StringBuilder(url.Length);
            builder.Append(url, 0, start);
            var hostStart = at >= 0 ? at + 1 : start;
            builder.Append(url, hostStart, url.Length - hostStart);
            text = builder.ToString();
            var cut = text.IndexOfAny(['?', '#'], start);
            if (cut >= 0)
                text = text[..cut] + (text[cut] == '?' ? "?…" : "");
        }

        return Clean(text);
    }

    /// <summary>Control characters replaced (no forged log lines) and long text shortened.</summary>
    public static string Clean(string text)
    {
        const int max = 200;
        var builder = new StringBuilder(Math.Min(text.Length, max + 1));
        foreach (var c in text)
        {
            if (builder.Length == max)
                return builder.Append('…').ToString();
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c);
        }

        return builder.ToString();
    }
}
