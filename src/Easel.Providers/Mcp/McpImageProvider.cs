using System.ComponentModel;
using System.Text.RegularExpressions;
using System.Text.Json;
using Easel.Core;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Providers.Http;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Easel.Providers.Mcp;

/// <summary>
/// An image tool of another MCP server (a Flux or Stable Diffusion server an agent would use) as an
/// Easel provider. The server runs as a child process speaking MCP over stdio: started on first
/// use, shared by every call in flight, started again when it has died, and ended on dispose.
/// What the tool can take follows from its argument templates: a negative prompt or a seed only
/// when a template passes one, so orders the tool cannot honour are refused before anything is spent.
/// </summary>
public sealed partial class McpImageProvider : IImageProvider, IAsyncDisposable, IDisposable
{
    /// <summary>The vendor name of every MCP provider, as <c>easel providers</c> shows it.</summary>
    public const string Vendor = "MCP";

    /// <summary>Calls at the same time when <c>Providers:NAME:Concurrency</c> does not say.</summary>
    public const int DefaultConcurrency = 2;

    /// <summary>The ratios offered when the tool takes <c>{aspect_ratio}</c> but no pixel size: Flux's.</summary>
    public static readonly IReadOnlyList<string> CommonAspectRatios = ["1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21"];

    /// <summary>Environment values shorter than this are not masked: "1" or "true" are no secrets, and masking them garbles text.</summary>
    private const int MinSecretLength = 6;

    private readonly McpProviderOptions _options;
    private readonly McpToolArguments _arguments;
    private readonly TimeProvider _time;
    private readonly string[] _secrets;
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private Server? _server;
    private int _disposed;

    /// <exception cref="ArgumentException">The options are incomplete or a template uses an unknown placeholder.</exception>
    public McpImageProvider(McpProviderOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
            throw new ArgumentException(problem, nameof(options));
        _options = options;
        _arguments = new McpToolArguments(options.ToolArguments);
        _time = time ?? TimeProvider.System;
        _secrets = [.. options.Environment.Values.Where(v => v.Length >= MinSecretLength).Distinct().OrderByDescending(v => v.Length)];
        var takesSize = _arguments.Uses("width") || _arguments.Uses("height");
        Capabilities = new ProviderCapabilities
        {
            Model = options.Tool,
            MaxImagesPerCall = options.ImagesPerCall,
            MaxConcurrency = DefaultConcurrency,
            ImagesPerMinute = null,
            SupportsNegativePrompt = _arguments.Uses("negative_prompt"),
            SupportsSeed = _arguments.Uses("seed"),
            SupportsTransparentBackground = false,
            // A tool asked for a ratio only gets one of the usual ones; any size is fine otherwise (it is the tool's to honour).
            AspectRatios = _arguments.Uses("aspect_ratio") && !takesSize ? CommonAspectRatios : null,
            Formats = _arguments.Uses("format") ? [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp] : [ImageFormat.Png],
            PricePerImage = options.CostPerImage,
            Timeout = options.Timeout,
        };
    }

    public string Name => _options.Name;

    /// <summary>The program that starts the server; shown in messages (its arguments and environment are not: they may hold keys).</summary>
    public string Command => _options.Command;

    public string Tool => _options.Tool;

    public ProviderCapabilities Capabilities { get; }

    /// <summary>
    /// Makes <c>request.Count</c> images with as few tool calls as the tool allows: one call asks for
    /// all of them (<c>{count}</c>), and when a call returns fewer, the next asks for the rest.
    /// </summary>
    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (request.Count < 1 || request.Count > Capabilities.MaxImagesPerCall)
            throw new ArgumentException($"{Name} makes 1 to {Capabilities.MaxImagesPerCall} images per call; {request.Count} were asked for.", nameof(request));

        var ratio = Capabilities.Fit(request.Size).AspectRatio ?? McpToolArguments.RatioOf(request.Size.Width, request.Size.Height);
        // A tool without a style argument gets the style as words in the prompt, as diffusion models take it.
        var prompt = _arguments.Uses("style") ? request.Prompt : WithStyle(request.Prompt, request.Style);
        var images = new List<GeneratedImage>(request.Count);
        while (images.Count < request.Count)
        {
            var wanted = request.Count - images.Count;
            var seed = request.Seeds[images.Count];
            var values = new McpToolValues(
                prompt, Blank(request.NegativePrompt), request.Size.Width, request.Size.Height, ratio, seed, wanted, Blank(request.Style), request.Format.ToText());
            var made = await RunAsync(
                async (server, token) => Images(await server.Client.CallToolAsync(
                    new CallToolRequestParams { Name = _options.Tool, Arguments = _arguments.Build(values) }, token)),
                cancellationToken);
            // Only the first image of a call is known to come from the seed it was given.
            for (var k = 0; k < made.Count && k < wanted; k++)
                images.Add(new GeneratedImage(made[k].Bytes, made[k].MediaType, k == 0 && Capabilities.SupportsSeed ? seed : null, Capabilities.Model));
        }
        return images;
    }

    /// <summary>
    /// Starts the server when it is not running and checks that it offers the tool, without calling
    /// it (`easel doctor`): null when all is well, else the problem in one sentence.
    /// </summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            await RunAsync((_, _) => Task.FromResult(true), cancellationToken);
            return null;
        }
        catch (ProviderException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> against a running server that offers the tool, within the timeout,
    /// turning every failure into a <see cref="ProviderException"/> that says what happened.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<Server, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Server? server = null;
        try
        {
            server = await ServerAsync(linked.Token);
            await EnsureToolAsync(server, linked.Token);
            return await work(server, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(Name, ProviderErrorKind.Timeout, server is null
                ? $"The MCP server for {Name} ('{Command}') did not start within {Durations.Format(_options.Timeout)}."
                : $"The MCP tool '{Tool}' on {Name} did not answer within {Durations.Format(_options.Timeout)}.");
        }
        catch (OperationCanceledException) when (_disposed != 0 && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(Name, ProviderErrorKind.Unavailable, $"The MCP provider {Name} was shut down during the call.");
        }
        catch (McpProtocolException ex) when (server is not null && server.Alive)
        {
            throw Protocol(ex);
        }
        catch (Exception ex) when (server is not null && ex is not (OperationCanceledException or ProviderException))
        {
            if (await StoppedAsync(server, ex) is { } stopped)
                throw stopped;
            throw new ProviderException(Name, ProviderErrorKind.Failed, $"The MCP tool '{Tool}' on {Name} failed: {Said(ex.Message).TrimEnd('.')}.", inner: ex);
        }
    }

    /// <summary>The running server, started (again) when there is none or it has died.</summary>
    private async Task<Server> ServerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _server) is { Alive: true } running)
            return running;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        await _starting.WaitAsync(linked.Token);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_server is { Alive: true } started)
                return started;
            if (_server is { } dead)
            {
                _server = null;
                await dead.DisposeAsync();
            }
            var server = await StartAsync(linked.Token);
            Volatile.Write(ref _server, server);
            return server;
        }
        finally
        {
            _starting.Release();
        }
    }

    private async Task<Server> StartAsync(CancellationToken cancellationToken)
    {
        var stderr = new StderrTail();
        // Only what every process needs, plus the configured variables: Easel's own keys stay with Easel.
        var environment = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        foreach (var (name, value) in _options.Environment)
            environment[name] = value;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = _options.Command,
            Arguments = [.. _options.Arguments],
            WorkingDirectory = _options.WorkingDirectory,
            InheritEnvironmentVariables = false,
            EnvironmentVariables = environment,
            Name = $"easel-mcp-{Name}",
            StandardErrorLines = stderr.Add,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        });
        try
        {
            var client = await McpClient.CreateAsync(transport, new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "easel", Version = typeof(McpImageProvider).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" },
                InitializationTimeout = _options.Timeout,
            }, loggerFactory: null, cancellationToken);
            return new Server(client, stderr);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw StartFailed(ex, stderr);
        }
    }

    /// <summary>Checks the server offers the tool, listing its tools again only when the last list lacked it.</summary>
    private async Task EnsureToolAsync(Server server, CancellationToken cancellationToken)
    {
        if (server.Tools is { } known && known.Contains(_options.Tool))
            return;
        var tools = await server.Client.ListToolsAsync(cancellationToken: cancellationToken);
        var names = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        server.Tools = names;
        if (names.Contains(_options.Tool))
            return;
        var list = names.Order(StringComparer.Ordinal).ToList();
        var shown = list.Count <= 30 ? string.Join(", ", list) : string.Join(", ", list.Take(30)) + $" and {list.Count - 30} more";
        throw new ProviderException(Name, ProviderErrorKind.NotFound, list.Count == 0
            ? $"The MCP server for {Name} has no tool '{Tool}': it offers no tools at all."
            : $"The MCP server for {Name} has no tool '{Tool}'; its tools are {Said(shown)}. Set McpProviders:{Name}:Tool to one of them.");
    }

    /// <summary>The images of a tool's result, each checked to be a PNG, JPEG, WebP or GIF; the tool's own words when it made none.</summary>
    private List<(byte[] Bytes, string MediaType)> Images(CallToolResult result)
    {
        var texts = new List<string>();
        var images = new List<(byte[], string)>();
        foreach (var block in result.Content)
        {
            switch (block)
            {
                case TextContentBlock text when !string.IsNullOrWhiteSpace(text.Text):
                    texts.Add(text.Text);
                    break;
                case ImageContentBlock image:
                    images.Add(Decode(() => image.DecodedData));
                    break;
                case EmbeddedResourceBlock { Resource: BlobResourceContents blob } when blob.MimeType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true:
                    images.Add(Decode(() => blob.DecodedData));
                    break;
            }
        }
        var said = texts.Count == 0 ? null : Said(string.Join(" ", texts)).TrimEnd('.');
        // Servers built on the TypeScript SDK report arguments that fail the tool's schema as a tool error with this code.
        if (result.IsError == true && said?.StartsWith("MCP error -32602", StringComparison.Ordinal) == true)
            throw new ProviderException(Name, ProviderErrorKind.Invalid,
                $"The MCP tool '{Tool}' on {Name} rejected its arguments ({said}); check McpProviders:{Name}:ToolArguments.");
        if (result.IsError == true)
            throw new ProviderException(Name, ProviderErrorKind.Failed, said is null
                ? $"The MCP tool '{Tool}' on {Name} failed without saying why."
                : $"The MCP tool '{Tool}' on {Name} failed: {said}.");
        if (images.Count == 0)
            throw new ProviderException(Name, ProviderErrorKind.Failed, said is null
                ? $"The MCP tool '{Tool}' on {Name} returned no image and no text."
                : $"The MCP tool '{Tool}' on {Name} returned no image (it said: {said}).");
        return images;
    }

    private (byte[] Bytes, string MediaType) Decode(Func<ReadOnlyMemory<byte>> data)
    {
        byte[] bytes;
        try
        {
            bytes = data().ToArray();
        }
        catch (FormatException)
        {
            throw new ProviderException(Name, ProviderErrorKind.Failed, $"The MCP tool '{Tool}' on {Name} returned an image that is not valid base64.");
        }
        try
        {
            // The declared MIME type is not trusted: the bytes say what they are.
            return McpImages.Readable(bytes);
        }
        catch (ImageFormatException ex)
        {
            throw new ProviderException(Name, ProviderErrorKind.Failed, $"The MCP tool '{Tool}' on {Name} returned an image Easel cannot read: {ex.Message.TrimEnd('.')}.", inner: ex);
        }
    }

    private ProviderException StartFailed(Exception ex, StderrTail stderr)
    {
        if (Find<Win32Exception>(ex) is { } notRun)
            return new ProviderException(Name, ProviderErrorKind.Failed,
                $"Cannot start the MCP server for {Name}: the command '{Command}' could not be run ({new Win32Exception(notRun.NativeErrorCode).Message}); check McpProviders:{Name}:Command and that it is on PATH.", inner: ex);
        if (Find<ClientTransportClosedException>(ex) is { } closed)
        {
            var code = (closed.Details as StdioClientCompletionDetails)?.ExitCode;
            return new ProviderException(Name, ProviderErrorKind.Failed,
                $"The MCP server for {Name} ('{Command}') exited{(code is { } c ? $" with code {c}" : "")} before it was ready{StderrText(stderr)}.", inner: ex);
        }
        if (ex is McpException)
            return new ProviderException(Name, ProviderErrorKind.Failed,
                $"The MCP server for {Name} ('{Command}') did not start a session: {Said(ex.Message).TrimEnd('.')}{StderrText(stderr)}.", inner: ex);
        return new ProviderException(Name, ProviderErrorKind.Failed,
            $"The MCP server for {Name} ('{Command}') could not be started: {Said(ex.Message).TrimEnd('.')}{StderrText(stderr)}.", inner: ex);
    }

    /// <summary>The error to report when the server died during a call; null when it is still running.</summary>
    private async Task<ProviderException?> StoppedAsync(Server server, Exception failure)
    {
        ClientCompletionDetails details;
        if (failure is IOException)
        {
            try
            {
                // A request fails as the pipe closes, a moment before the session's end is recorded. The grace is
                // real time, not the provider's clock: it waits for the process, which a test clock does not move.
                details = await server.Client.Completion.WaitAsync(TimeSpan.FromSeconds(2), TimeProvider.System);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
        else if (server.Alive)
        {
            return null;
        }
        else
        {
            details = await server.Client.Completion;
        }
        if (_disposed != 0)
            return new ProviderException(Name, ProviderErrorKind.Unavailable, $"The MCP provider {Name} was shut down during the call.");
        var code = (details as StdioClientCompletionDetails)?.ExitCode;
        return new ProviderException(Name, ProviderErrorKind.Unavailable,
            $"The MCP server for {Name} ('{Command}') stopped during the call{(code is { } c ? $" (exit code {c})" : "")}{StderrText(server.Stderr)}; the next call starts it again.",
            inner: failure);
    }

    private ProviderException Protocol(McpProtocolException ex)
    {
        var said = Said(ex.Message).TrimEnd('.');
        return ex.ErrorCode switch
        {
            McpErrorCode.InvalidParams => new ProviderException(Name, ProviderErrorKind.Invalid,
                $"The MCP server for {Name} rejected the arguments of '{Tool}': {said}; check McpProviders:{Name}:ToolArguments.", inner: ex),
            McpErrorCode.MethodNotFound => new ProviderException(Name, ProviderErrorKind.NotFound,
                $"The MCP server for {Name} does not offer tools ({said}).", inner: ex),
            _ => new ProviderException(Name, ProviderErrorKind.Failed,
                $"The MCP server for {Name} failed the call to '{Tool}' (error {(int)ex.ErrorCode}): {said}.", inner: ex),
        };
    }

    private string StderrText(StderrTail stderr) => stderr.Text() is { Length: > 0 } text ? $"; it wrote: {Said(text).TrimEnd('.')}" : "";

    /// <summary>Text from the server on one line, at most 300 characters, with every configured environment value masked.</summary>
    private string Said(string text)
    {
        foreach (var secret in _secrets)
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        return VendorHttp.Short(text);
    }

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
                return found;
        }
        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string WithStyle(string prompt, string? style) =>
        string.IsNullOrWhiteSpace(style) ? prompt : $"{prompt}, {style.Trim().Replace('-', ' ')} style";

    /// <summary>Ends the server process (and its children).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        // A start under way stops at once instead of finishing first.
        await _lifetime.CancelAsync();
        await _starting.WaitAsync();
        Server? server;
        try
        {
            server = _server;
            _server = null;
        }
        finally
        {
            _starting.Release();
        }
        if (server is not null)
            await server.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>One run of the server process and the session with it.</summary>
    private sealed class Server(McpClient client, StderrTail stderr) : IAsyncDisposable
    {
        public McpClient Client => client;

        public StderrTail Stderr => stderr;

        /// <summary>The tools it offered when last asked; null until asked.</summary>
        public HashSet<string>? Tools { get; set; }

        public bool Alive => !client.Completion.IsCompleted;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await client.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or McpException or ObjectDisposedException)
            {
                // It was dying anyway.
            }
        }
    }

    /// <summary>
    /// What the server last wrote to stderr, for messages when it fails: the last lines that read
    /// like an error ("Error: Cannot find module …", Python's "ModuleNotFoundError: …") rather than
    /// a stack trace's frames, else simply the last lines.
    /// </summary>
    private sealed partial class StderrTail
    {
        private const int Kept = 40;
        private const int Shown = 3;
        private const int LineLength = 200;
        private readonly Queue<string> _lines = new();
        private readonly Lock _lock = new();

        public void Add(string line)
        {
            if (string.IsNullOrWhiteSpace(line))
                return;
            lock (_lock)
            {
                if (_lines.Count == Kept)
                    _lines.Dequeue();
                _lines.Enqueue(line.Length <= LineLength ? line.Trim() : line[..LineLength].Trim() + "…");
            }
        }

        public string Text()
        {
            List<string> lines;
            lock (_lock)
                lines = [.. _lines];
            var errors = lines.Where(l => ErrorWords().IsMatch(l)).Distinct().ToList();
            return string.Join(" | ", (errors.Count > 0 ? errors : lines).TakeLast(Shown));
        }

        [GeneratedRegex(@"error|exception|fatal|cannot|can't|unable|denied|missing|invalid|not found|not set", RegexOptions.IgnoreCase)]
        private static partial Regex ErrorWords();
    }
}
