using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Formats;
using Microsoft.Win32.SafeHandles;

namespace Easel.Providers.References;

/// <summary>
/// Loads the images given with <c>--refs</c>: a local path or an http(s) URL. Everything it is
/// given is treated as hostile. URLs may only reach public internet addresses: the host is
/// checked in every IP spelling, a name is resolved once and every address checked, and the
/// connection goes to exactly the checked address (no second lookup, so DNS rebinding cannot
/// redirect it); redirects are followed by hand under the same rules. Local paths are
/// canonicalised with every symbolic link resolved, must be regular files and, in server mode,
/// lie inside an allowed folder. Sizes are limited before and while reading, the type comes from
/// magic bytes, and the pixel size from the header, before anything decodes the image.
/// </summary>
public sealed class ReferenceLoader
{
    private static readonly string _userAgent =
        $"Easel/{typeof(ReferenceLoader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0"} (reference image loader)";

    private readonly ReferenceOptions _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly Func<IPEndPoint, CancellationToken, ValueTask<Stream>> _connect;
    private readonly TimeProvider _time;

    public ReferenceLoader()
        : this(new ReferenceOptions())
    {
    }

    public ReferenceLoader(ReferenceOptions options)
        : this(options, null, null)
    {
    }

    /// <param name="resolve">Name to addresses; called once per host and load. Default: <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.</param>
    /// <param name="connect">Opens a TCP stream to a checked address. Default: a plain socket connect.</param>
    /// <param name="timeProvider">Clock for <see cref="ReferenceOptions.Timeout"/>.</param>
    public ReferenceLoader(
        ReferenceOptions options,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve,
        Func<IPEndPoint, CancellationToken, ValueTask<Stream>>? connect,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBytes, 1, nameof(options.MaxBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxBytes, Array.MaxLength - 1L, nameof(options.MaxBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPixels, 1, nameof(options.MaxPixels));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRedirects, nameof(options.MaxRedirects));
        if (options.Timeout <= TimeSpan.Zero && options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "The timeout must be positive.");
        _options = options;
        _resolve = resolve ?? ((host, token) => Dns.GetHostAddressesAsync(host, token));
        _connect = connect ?? ConnectSocketAsync;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Test hook: accepts the certificate of a local TLS test server. Never set in production.</summary>
    internal RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>Loads and checks one reference image.</summary>
    /// <exception cref="ReferenceException">The input is refused, missing, not an image, too large or cannot be downloaded.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ReferenceImage> LoadAsync(string pathOrUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(pathOrUrl))
            throw new ReferenceException("A reference image was given as an empty path or URL.");
        var input = pathOrUrl.Trim();
        var isUrl = UrlPolicy.LooksLikeUrl(input);
        var display = isUrl ? $"URL {UrlPolicy.Display(input)}" : $"file {UrlPolicy.Clean(input)}";

        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return isUrl
                ? await LoadUrlAsync(input, display, linked.Token).ConfigureAwait(false)
                : await LoadFileAsync(input, display, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && ex is OperationCanceledException or IOException or HttpRequestException)
        {
            throw new ReferenceException($"Reference {display} timed out after {Seconds(_options.Timeout)}.", ex);
        }
    }

    // ---- Local files ----

    private async Task<ReferenceImage> LoadFileAsync(string input, string display, CancellationToken token)
    {
        var path = LocalFiles.Resolve(input, out var failure)
            ?? throw new ReferenceException($"Reference {display} cannot be used: {failure}.");

        if (_options.AllowedFolders is { } allowed)
        {
            var inside = false;
            foreach (var folder in allowed)
            {
                if (string.IsNullOrWhiteSpace(folder))
                    continue;
                var root = LocalFiles.Resolve(folder, out _);
                if (root is not null && LocalFiles.IsInside(path, root))
                {
                    inside = true;
                    break;
                }
            }

            // The resolved target is deliberately not named: it may be a path the caller must not learn.
            if (!inside)
                throw new ReferenceException($"Reference {display} is refused: with links resolved it lies outside the folders references may be read from.");
        }

        var before = LocalFiles.Identify(path)
            ?? throw new ReferenceException($"Reference {display} cannot be used: it does not exist.");
        CheckKind(before, display);
        if (before.Size > _options.MaxBytes)
            throw new ReferenceException($"Reference {display} is refused: it is {Bytes(before.Size)}, over the {Bytes(_options.MaxBytes)} limit.");
        if (before.Size == 0)
            throw new ReferenceException($"Reference {display} cannot be used: it is empty (or not a regular file).");

        SafeFileHandle handle;
        // Opening is a blocking call that a pipe swapped in after the check above would hang; run
        // it aside so the load's timeout still ends the wait (a handle opened too late is closed).
        var opening = Task.Run(() => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read), CancellationToken.None);
        try
        {
            handle = await opening.WaitAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReferenceException($"Reference {display} cannot be read: {UrlPolicy.Clean(ex.Message)}", ex);
        }
        catch (OperationCanceledException)
        {
            _ = opening.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        using (handle)
        {
            if (LocalFiles.Identify(handle) is { } opened)
            {
                // The same file that was checked, not something swapped in since.
                if (opened.Kind != FileKind.Regular || opened.Device != before.Device || opened.Inode != before.Inode)
                    throw new ReferenceException($"Reference {display} is refused: it changed while it was being opened.");
            }

            long offset = 0;
            var bytes = await ReadLimitedAsync(
                async memory =>
                {
                    var read = await RandomAccess.ReadAsync(handle, memory, offset, token).ConfigureAwait(false);
                    offset += read;
                    return read;
                },
                before.Size).ConfigureAwait(false)
                ?? throw new ReferenceException($"Reference {display} is refused: it grew past the {Bytes(_options.MaxBytes)} limit while being read.");
            return Check(path, bytes, display);
        }
    }

    private static void CheckKind(FileIdentity identity, string display)
    {
        var what = identity.Kind switch
        {
            FileKind.Regular => null,
            FileKind.Directory => "a folder",
            FileKind.Pipe => "a named pipe (FIFO)",
            FileKind.CharacterDevice => "a character device",
            FileKind.BlockDevice => "a block device",
            FileKind.Socket => "a socket",
            FileKind.SymbolicLink => "a symbolic link that could not be resolved",
            _ => "a special file",
        };
        if (what is not null)
            throw new ReferenceException($"Reference {display} cannot be used: it is {what}, not a regular file.");
    }

    // ---- URLs ----

    private async Task<ReferenceImage> LoadUrlAsync(string input, string display, CancellationToken token)
    {
        var scheme = UrlPolicy.SchemeOf(input);
        if (scheme == "file")
            throw new ReferenceException($"Reference {display} is refused: file: URLs are not accepted; give the file as a plain local path instead.");
        if (scheme is not ("http" or "https"))
            throw new ReferenceException($"Reference {display} is refused: the URL scheme '{UrlPolicy.Clean(scheme)}' is not supported; only http and https are.");
        if (!Uri.TryCreate(input, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ReferenceException($"Reference {display} is not a valid URL.");

        // Addresses checked for each host during this load; the connection may only go to these.
        var pinned = new Dictionary<string, IPAddress[]>(StringComparer.Ordinal);
        await CheckTargetAsync(input, uri, display, null, pinned, token).ConfigureAwait(false);

        using var handler = CreateHandler(pinned);
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var current = uri;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current)
            {
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.UserAgent.ParseAdd(_userAgent);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/jpeg"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/webp"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/gif"));

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (!token.IsCancellationRequested)
            {
                // The inner exception often says more (which TLS check failed), unless the outer message already repeats it.
                var inner = ex.InnerException is { } e && e is not ReferenceException && !ex.Message.Contains(e.Message, StringComparison.Ordinal)
                    ? " " + UrlPolicy.Clean(e.Message)
                    : "";
                throw ex.InnerException as ReferenceException
                    ?? new ReferenceException($"Reference {display} could not be downloaded: {UrlPolicy.Clean(ex.Message)}{inner}", ex);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    if (redirects >= _options.MaxRedirects)
                        throw new ReferenceException($"Reference {display} is refused: it redirects more than {_options.MaxRedirects} times.");
                    current = await FollowAsync(current, response, display, pinned, token).ConfigureAwait(false);
                    continue;
                }

                if (status != 200)
                    throw new ReferenceException($"Reference {display} could not be downloaded: the server answered HTTP {status} instead of 200.");
                if (response.Content.Headers.ContentLength is { } declared && declared > _options.MaxBytes)
                    throw new ReferenceException($"Reference {display} is refused: the server declares {Bytes(declared)}, over the {Bytes(_options.MaxBytes)} limit.");

                var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                byte[]? bytes;
                await using (body.ConfigureAwait(false))
                {
                    bytes = await ReadLimitedAsync(memory => body.ReadAsync(memory, token), response.Content.Headers.ContentLength ?? 0)
                        .ConfigureAwait(false);
                }

                return Check(input, bytes ?? throw new ReferenceException($"Reference {display} is refused: the download exceeds the {Bytes(_options.MaxBytes)} limit."), display);
            }
        }
    }

    private async Task<Uri> FollowAsync(Uri current, HttpResponseMessage response, string display, Dictionary<string, IPAddress[]> pinned, CancellationToken token)
    {
        var location = response.Headers.Location
            ?? throw new ReferenceException($"Reference {display} could not be downloaded: the server answered HTTP {(int)response.StatusCode}, a redirect without a Location.");
        var raw = location.OriginalString.Trim();
        Uri next;
        if (location.IsAbsoluteUri)
        {
            var scheme = UrlPolicy.LooksLikeUrl(raw) ? UrlPolicy.SchemeOf(raw) : location.Scheme;
            if (scheme == "file")
                throw new ReferenceException($"Reference {display} is refused: it redirects to a file: URL.");
            if (scheme is not ("http" or "https") || location.Scheme is not ("http" or "https"))
                throw new ReferenceException($"Reference {display} is refused: it redirects to a '{UrlPolicy.Clean(scheme)}' URL; only http and https are followed.");
            next = location;
        }
        else if (!Uri.TryCreate(current, location, out next!) || next.Scheme is not ("http" or "https"))
        {
            throw new ReferenceException($"Reference {display} is refused: it redirects to an invalid location ({UrlPolicy.Display(raw)}).");
        }

        if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp)
            throw new ReferenceException($"Reference {display} is refused: it redirects from https to http ({UrlPolicy.Display(next.OriginalString)}), which would drop encryption.");
        await CheckTargetAsync(location.IsAbsoluteUri ? raw : null, next, display, UrlPolicy.Display(next.AbsoluteUri), pinned, token).ConfigureAwait(false);
        return next;
    }

    /// <summary>
    /// Checks a URL's credentials and host, resolves a name once, and records the addresses the
    /// connection may use. <paramref name="redirect"/> names the redirect target, if this is one.
    /// </summary>
    private async Task CheckTargetAsync(string? raw, Uri uri, string display, string? redirect, Dictionary<string, IPAddress[]> pinned, CancellationToken token)
    {
        var where = redirect is null ? "" : $"it redirects to {redirect}, and ";
        if (UrlPolicy.HasUserInfo(raw ?? uri.OriginalString, uri))
            throw new ReferenceException($"Reference {display} is refused: {where}URLs with a user name or password are not accepted.");

        IPAddress? literal = null;
        // The parsed host (what the handler will use) first, then the host as written.
        foreach (var host in new[] { uri.IdnHost, raw is null ? null : UrlPolicy.RawHost(raw) })
        {
            if (host is null)
                continue;
            if (UrlPolicy.HostRefusal(host, out var address) is { } refusal)
                throw new ReferenceException($"Reference {display} is refused: {where}its host {UrlPolicy.Clean(host)} is {refusal}; only public internet addresses are allowed.");
            literal ??= address;
        }

        var key = UrlPolicy.HostKey(uri.IdnHost);
        if (pinned.ContainsKey(key))
            return;
        if (literal is not null)
        {
            pinned[key] = [literal];
            return;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await _resolve(uri.IdnHost, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var why = ex is SocketException socket ? socket.SocketErrorCode.ToString() : UrlPolicy.Clean(ex.Message);
            throw new ReferenceException($"Reference {display} could not be downloaded: {where}its host {UrlPolicy.Clean(uri.IdnHost)} could not be resolved ({why}).", ex);
        }

        if (addresses is null || addresses.Length == 0)
            throw new ReferenceException($"Reference {display} could not be downloaded: {where}its host {UrlPolicy.Clean(uri.IdnHost)} resolves to no address.");
        // Every address must be public: which one a connection would use is not ours to predict.
        foreach (var address in addresses)
        {
            if (AddressPolicy.Refusal(address) is { } refusal)
                throw new ReferenceException($"Reference {display} is refused: {where}its host {UrlPolicy.Clean(uri.IdnHost)} resolves to {address}, {refusal}; only public internet addresses are allowed.");
        }

        pinned[key] = addresses;
    }

    private SocketsHttpHandler CreateHandler(Dictionary<string, IPAddress[]> pinned)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PreAuthenticate = false,
            Credentials = null,
            MaxResponseHeadersLength = 64,
            MaxConnectionsPerServer = 2,
            // The handler never resolves names: it connects to the addresses checked for the host.
            ConnectCallback = async (context, token) =>
            {
                var key = UrlPolicy.HostKey(context.DnsEndPoint.Host);
                if (!pinned.TryGetValue(key, out var addresses))
                    throw new ReferenceException($"Refused to connect to {UrlPolicy.Clean(context.DnsEndPoint.Host)}: its address was not checked.");
                Exception? last = null;
                foreach (var address in addresses)
                {
                    try
                    {
                        return await _connect(new IPEndPoint(address, context.DnsEndPoint.Port), token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is SocketException or IOException)
                    {
                        last = ex;
                    }
                }

                throw new IOException($"Could not connect to {UrlPolicy.Clean(context.DnsEndPoint.Host)} port {context.DnsEndPoint.Port}: {last?.Message}", last);
            },
        };
        if (CertificateValidation is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateValidation;
        return handler;
    }

    private static async ValueTask<Stream> ConnectSocketAsync(IPEndPoint endPoint, CancellationToken token)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // ---- Uploads ----

    /// <summary>
    /// Checks an uploaded file exactly as a local <c>--refs</c> file: at most <see cref="ReferenceOptions.MaxBytes"/>,
    /// an image by its magic bytes, within <see cref="ReferenceOptions.MaxPixels"/>.
    /// </summary>
    /// <param name="fileName">The name the browser sent, for messages and the record only; never used as a path.</param>
    public async Task<ReferenceImage> LoadUploadAsync(string? fileName, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = UploadName(fileName);
        var display = $"upload '{name}'";
        var bytes = await ReadLimitedAsync(memory => content.ReadAsync(memory, cancellationToken), 64 * 1024).ConfigureAwait(false)
            ?? throw new ReferenceException($"Reference {display} is refused: it is larger than the {Bytes(_options.MaxBytes)} limit.");
        if (bytes.Length == 0)
            throw new ReferenceException($"Reference {display} is empty.");
        return Check($"upload:{name}", bytes, display);
    }

    /// <summary>The last path segment of a browser-sent name, printable and at most 100 characters.</summary>
    private static string UploadName(string? fileName)
    {
        var name = (fileName ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length > 100)
            name = name[..100];
        return name.Length == 0 ? "file" : name;
    }

    // ---- Shared ----

    /// <summary>Reads to the end, but never more than MaxBytes + 1 bytes; null when there is more than MaxBytes.</summary>
    private async Task<byte[]?> ReadLimitedAsync(Func<Memory<byte>, ValueTask<int>> read, long expected)
    {
        var limit = _options.MaxBytes;
        var buffer = new byte[(int)Math.Clamp(expected + 1, 1, limit + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                    return null;
                Array.Resize(ref buffer, (int)Math.Min(limit + 1, Math.Max(buffer.Length * 2L, 64 * 1024)));
            }

            var count = await read(buffer.AsMemory(length)).ConfigureAwait(false);
            if (count == 0)
                break;
            length += count;
        }

        if (length > limit)
            return null;
        return length == buffer.Length ? buffer : buffer[..length];
    }

    private ReferenceImage Check(string source, byte[] bytes, string display)
    {
        ImageHeaderInfo header;
        try
        {
            header = ImageHeader.Read(bytes);
        }
        catch (ImageFormatException ex)
        {
            throw new ReferenceException($"Reference {display} is not a usable image: {ex.Message}", ex);
        }

        if (header.Pixels > _options.MaxPixels)
        {
            throw new ReferenceException(
                $"Reference {display} is refused: it is {header.Width}x{header.Height} pixels ({Megapixels(header.Pixels)} megapixels), over the {Megapixels(_options.MaxPixels)} megapixel limit.");
        }

        return new ReferenceImage(source, bytes, header.MediaType, header.Width, header.Height, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static string Bytes(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : bytes >= 1024 ? (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB" : $"{bytes} bytes";

    private static string Megapixels(long pixels) => (pixels / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
