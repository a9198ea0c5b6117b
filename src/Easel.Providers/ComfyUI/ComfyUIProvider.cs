using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Providers.Http;

namespace Easel.Providers.ComfyUI;

/// <summary>
/// A ComfyUI server running the user's own workflow: Easel fills the prompt, seed, size and batch
/// into the workflow (API format, with <c>{{prompt}}</c>, <c>{{negative}}</c>, <c>{{seed}}</c>,
/// <c>{{width}}</c>, <c>{{height}}</c>, <c>{{batch}}</c> placeholders), queues it with
/// <c>POST /prompt</c>, records the job id in the journal, polls <c>GET /history/{id}</c> until it is
/// done, then downloads the saved images with <c>GET /view</c>. Free; one job at a time, as ComfyUI
/// runs its queue. What it can do follows from the workflow: no <c>{{seed}}</c>, no seeds; no
/// <c>{{batch}}</c>, one image per call.
/// </summary>
/// <remarks>
/// ComfyUI itself has no authentication; when a key is configured it is sent as a bearer token, for a
/// proxy in front of the server.
/// </remarks>
public sealed class ComfyUIProvider : IImageProvider, IDisposable
{
    public const string ProviderName = "comfyui";

    /// <summary>The model name when none is configured and the workflow names no checkpoint.</summary>
    public const string WorkflowModel = "comfyui-workflow";

    private static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(5);

    /// <summary>While a job is unfinished, the queue is checked every this many polls, so a job lost to a restart is noticed.</summary>
    private const int PollsPerQueueCheck = 10;

    private readonly VendorHttp _http;
    private readonly ComfyUIWorkflow _workflow;
    private readonly ComfyUIOptions _options;
    private readonly string _clientId = Guid.NewGuid().ToString();

    /// <param name="workflow">The workflow's JSON text in the API format (Workflow &gt; Export (API)), with at least <c>{{prompt}}</c>.</param>
    /// <param name="model">The name recorded with each image; by default the checkpoint the workflow loads.</param>
    /// <exception cref="ComfyUIWorkflowException">The workflow cannot be used: the message says why and where.</exception>
    public ComfyUIProvider(ProviderConnection connection, string workflow, string? model = null, ComfyUIOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(workflow);
        _options = options ?? new ComfyUIOptions();
        _options.Validate();
        _workflow = ComfyUIWorkflow.Parse(workflow);
        // A queued prompt keeps running after a client gives up: a retried timeout would queue it again.
        _http = new VendorHttp(connection with { Retry = connection.Retry with { RetryTimeouts = false } }, new ComfyUIErrors(connection.Vendor, connection.Time));
        Capabilities = new ProviderCapabilities
        {
            Model = string.IsNullOrWhiteSpace(model) ? _workflow.Checkpoint ?? WorkflowModel : model.Trim(),
            MaxImagesPerCall = _workflow.Has(ComfyUIWorkflow.Batch) ? _options.MaxImagesPerCall : 1,
            MaxConcurrency = 1,
            ImagesPerMinute = null,
            SupportsNegativePrompt = _workflow.Has(ComfyUIWorkflow.Negative),
            SupportsSeed = _workflow.Has(ComfyUIWorkflow.Seed),
            SupportsTransparentBackground = false,
            Sizes = _workflow.FixedSize is { } fixedSize ? [fixedSize] : null,
            MaxReferences = 0,
            SupportsVariations = false,
            PricePerImage = 0m,
            Formats = [ImageFormat.Png],
            Timeout = _options.JobTimeout,
        };
    }

    public string Name => ProviderName;

    public ProviderCapabilities Capabilities { get; }

    private string Vendor => _http.Connection.Vendor;

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count < 1 || request.Count > Capabilities.MaxImagesPerCall)
            throw new ArgumentException(Capabilities.MaxImagesPerCall == 1
                ? $"This {Vendor} workflow makes one image per call (it has no {{{{batch}}}} placeholder); {request.Count} were asked for."
                : $"{Vendor} makes 1 to {Capabilities.MaxImagesPerCall} images per call here; {request.Count} were asked for.", nameof(request));
        if (request.References.Count > 0 || request.VariationOf is not null)
            throw new ArgumentException($"The {Vendor} workflow takes no input image, so it cannot use reference images or make variations.", nameof(request));

        var values = new WorkflowValues(
            WithStyle(request.Prompt, request.Style),
            request.NegativePrompt ?? "",
            request.Seeds[0],
            request.Size.Width,
            request.Size.Height,
            request.Count);
        var graph = _workflow.Fill(values);

        IReadOnlyList<ImageRef>? outputs = null;
        var id = request.Journal?.ExistingJobId;
        if (id is { Length: > 0 })
            outputs = await WaitAsync(id, resumed: true, cancellationToken);
        if (outputs is null)
        {
            // A new job, or one the server no longer has (it restarted): ComfyUI is free, so queue it again.
            id = await SubmitAsync(graph, cancellationToken);
            if (request.Journal is { } journal)
                await journal.RecordAsync(id, cancellationToken);
            outputs = await WaitAsync(id, resumed: false, cancellationToken)
                ?? throw new ProviderException(Vendor, ProviderErrorKind.Unavailable,
                    $"{Vendor} lost job {id} (it is neither queued nor finished; was the server restarted?).", id);
        }

        if (outputs.Count == 0)
            throw new ProviderException(Vendor, ProviderErrorKind.Failed,
                $"{Vendor} finished job {id} but the workflow saved no images: it needs a Save Image node.", id);
        var images = new List<GeneratedImage>();
        foreach (var (image, k) in outputs.Take(request.Count).Select((o, k) => (o, k)))
        {
            var bytes = await DownloadAsync(image, cancellationToken);
            if (ImageHeader.Sniff(bytes) is not { } format)
                throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor} sent {image.Filename} as something that is not a PNG, JPEG, WebP or GIF image.", id);
            // One seed drives the whole batch: only the first image can be remade from the seed alone.
            var seed = k == 0 && Capabilities.SupportsSeed ? values.Seed : (long?)null;
            images.Add(new GeneratedImage(bytes, ImageHeader.MediaTypeOf(format), seed, Capabilities.Model));
        }
        return images;
    }

    private async Task<string> SubmitAsync(JsonObject graph, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["prompt"] = graph, ["client_id"] = _clientId }.ToJsonString());
        var response = await _http.SendJsonAsync(() =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Request(HttpMethod.Post, "prompt", content);
        }, ComfyUIJsonContext.Default.PromptResponse, cancellationToken);
        return response.PromptId is { Length: > 0 } id
            ? id
            : throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor} queued the workflow but sent no prompt_id.");
    }

    /// <summary>
    /// Polls the job's history with growing pauses until it is done: its saved images, or null when the
    /// server no longer knows the job (looked for in the queue at once for a resumed job, then now and then).
    /// </summary>
    private async Task<IReadOnlyList<ImageRef>?> WaitAsync(string id, bool resumed, CancellationToken cancellationToken)
    {
        var time = _http.Connection.Time;
        var started = time.GetTimestamp();
        var waited = TimeSpan.Zero;
        var delay = FirstPoll;
        for (var poll = 1; ; poll++)
        {
            if (await HistoryAsync(id, cancellationToken) is { } done)
                return done;
            // Not queued: it finished between the two looks, or it is gone (null).
            if (((resumed && poll == 1) || poll % PollsPerQueueCheck == 0) && !await QueuedAsync(id, cancellationToken))
                return await HistoryAsync(id, cancellationToken);
            var elapsed = time.GetElapsedTime(started);
            if ((elapsed > waited ? elapsed : waited) >= _options.JobTimeout)
                throw new ProviderException(Vendor, ProviderErrorKind.Timeout,
                    $"{Vendor} did not finish job {id} within {Duration(_options.JobTimeout)}; it may still be queued or running.", id);
            await Task.Delay(delay, time, cancellationToken);
            waited += delay;
            delay = TimeSpan.FromTicks(Math.Min(LongestPoll.Ticks, (long)(delay.Ticks * 1.5)));
        }
    }

    /// <summary>The job's saved images when it has finished, null while it has not; throws when it failed.</summary>
    private async Task<IReadOnlyList<ImageRef>?> HistoryAsync(string id, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(() => Request(HttpMethod.Get, $"history/{Uri.EscapeDataString(id)}"), cancellationToken);
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(id, out var entry) || entry.ValueKind != JsonValueKind.Object)
                return null;
            if (entry.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object && Text(status, "status_str") == "error")
                throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor} failed running the workflow (prompt id {id}): {Failure(status)}.", id);
            return Outputs(entry);
        }
        catch (JsonException ex)
        {
            throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor} answered the history of job {id} with something Easel cannot read ({VendorHttp.Short(ex.Message)}).", id);
        }
    }

    /// <summary>Images the output nodes saved, in node order; previews (type "temp") only when nothing was saved.</summary>
    private static List<ImageRef> Outputs(JsonElement entry)
    {
        var all = new List<ImageRef>();
        if (entry.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Object)
        {
            foreach (var node in outputs.EnumerateObject())
            {
                if (node.Value.ValueKind != JsonValueKind.Object || !node.Value.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var image in images.EnumerateArray())
                {
                    if (image.ValueKind == JsonValueKind.Object && Text(image, "filename") is { Length: > 0 } file)
                        all.Add(new ImageRef(file, Text(image, "subfolder") ?? "", Text(image, "type") ?? "output"));
                }
            }
        }
        var saved = all.Where(i => i.Type == "output").ToList();
        return saved.Count > 0 ? saved : all;
    }

    /// <summary>"node 3 (KSampler) raised RuntimeError: …", from the status messages ComfyUI keeps with the job.</summary>
    private static string Failure(JsonElement status)
    {
        if (status.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Array || message.GetArrayLength() < 2 || message[0].ValueKind != JsonValueKind.String)
                    continue;
                var data = message[1];
                switch (message[0].GetString())
                {
                    case "execution_error" when data.ValueKind == JsonValueKind.Object:
                        var node = Text(data, "node_id") ?? (data.TryGetProperty("node_id", out var n) ? n.GetRawText() : "?");
                        var type = Text(data, "node_type");
                        var exception = Text(data, "exception_type");
                        var text = Text(data, "exception_message")?.Trim();
                        return VendorHttp.Short($"node {node}{(type is null ? "" : $" ({type})")} raised {exception ?? "an error"}{(string.IsNullOrEmpty(text) ? "" : ": " + text)}").TrimEnd('.');
                    case "execution_interrupted":
                        return "the job was interrupted (cancelled in ComfyUI)";
                }
            }
        }
        return "it reported an error without details";
    }

    private async Task<bool> QueuedAsync(string id, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(() => Request(HttpMethod.Get, "queue"), cancellationToken);
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            foreach (var list in new[] { "queue_running", "queue_pending" })
            {
                if (!doc.RootElement.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array)
                    continue;
                // Each item is [number, prompt_id, prompt, extra_data, outputs_to_execute].
                if (items.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.Array && i.GetArrayLength() > 1 && i[1].ValueKind == JsonValueKind.String && i[1].GetString() == id))
                    return true;
            }
            return false;
        }
        catch (JsonException)
        {
            // Unreadable: assume it is still there rather than queue it twice.
            return true;
        }
    }

    private async Task<byte[]> DownloadAsync(ImageRef image, CancellationToken cancellationToken)
    {
        var query = $"view?filename={Uri.EscapeDataString(image.Filename)}&subfolder={Uri.EscapeDataString(image.Subfolder)}&type={Uri.EscapeDataString(image.Type)}";
        var response = await _http.SendAsync(() => Request(HttpMethod.Get, query), cancellationToken);
        return response.Body;
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null)
    {
        var message = new HttpRequestMessage(method, _http.Connection.Url(path)) { Content = content };
        _http.Bearer(message);
        return message;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Duration(TimeSpan t) =>
        t < TimeSpan.FromMinutes(1)
            ? t.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s"
            : t.TotalMinutes.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " min";

    /// <summary>Diffusion models take style as words in the prompt ("watercolor style").</summary>
    private static string WithStyle(string prompt, string? style) =>
        string.IsNullOrWhiteSpace(style) ? prompt : $"{prompt}, {style.Trim().Replace('-', ' ')} style";

    public void Dispose() => _http.Dispose();

    /// <summary>An image a job saved, as <c>/view</c> finds it.</summary>
    private sealed record ImageRef(string Filename, string Subfolder, string Type);
}
