using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Formats;
using Easel.Providers.Http;

namespace Easel.Providers.Replicate;

/// <summary>
/// Settings that depend on the model run. The defaults are flux-schnell's; another model may need
/// other values (a model that makes one image takes <c>MaxImagesPerCall = 1</c>, which also leaves
/// <c>num_outputs</c> out of the input).
/// </summary>
public sealed record ReplicateOptions
{
    /// <summary>flux-schnell's <c>aspect_ratio</c> values.</summary>
    public static readonly IReadOnlyList<string> FluxAspectRatios = ["1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21"];

    /// <summary>Most images one prediction makes (<c>num_outputs</c>, 1-4 for flux-schnell).</summary>
    public int MaxImagesPerCall { get; init; } = 4;

    /// <summary>Predictions run at the same time.</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>
    /// Replicate allows 600 prediction creates a minute; counting images instead keeps within that
    /// even when every call asks for one image.
    /// </summary>
    public int ImagesPerMinute { get; init; } = 600;

    /// <summary>flux-schnell costs about $0.003 an image.</summary>
    public decimal PricePerImage { get; init; } = 0.003m;

    public IReadOnlyList<string> AspectRatios { get; init; } = FluxAspectRatios;

    /// <summary>flux-schnell's <c>megapixels</c> ("1" or "0.25"); null leaves it out, for models without it.</summary>
    public string? Megapixels { get; init; } = "1";

    /// <summary>
    /// Sends <c>go_fast: false</c>: flux's fast path is not deterministic even with a seed. Turn off
    /// for models without that input.
    /// </summary>
    public bool DeterministicSeeds { get; init; } = true;
}

/// <summary>
/// Replicate's predictions API: creates a prediction (holding the call open with <c>Prefer: wait</c>),
/// records its id in the batch's journal before anything else, polls it until it ends, and downloads
/// every output at once (Replicate deletes them after about an hour).
/// </summary>
/// <remarks>
/// A call resumed after a crash polls the prediction its journal names instead of paying for a new
/// one; only when that prediction failed, was canceled or is unknown does it start another. A call
/// that gives up waiting leaves the prediction running, so the next attempt can collect it. One
/// seed is sent per prediction, so only a one-image call can say which seed made its image.
/// </remarks>
public sealed partial class ReplicateProvider : IImageProvider, IDisposable
{
    public const string ProviderName = "replicate";
    public const string DefaultModel = "black-forest-labs/flux-schnell";

    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestPollDelay = TimeSpan.FromSeconds(5);

    private readonly VendorHttp _http;
    private readonly ReplicateOptions _options;
    private readonly string _model;
    private readonly string? _createPath;
    private readonly string? _version;

    public ReplicateProvider(ProviderConnection connection, string? model = null, ReplicateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _options = options ?? new ReplicateOptions();
        if (_options.MaxImagesPerCall < 1)
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxImagesPerCall, "Replicate's MaxImagesPerCall must be at least 1.");
        if (_options.AspectRatios.Count == 0)
            throw new ArgumentException("Replicate needs at least one aspect ratio the model takes.", nameof(options));
        _model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        (_createPath, _version) = Route(_model);
        _http = new VendorHttp(connection, new ReplicateErrors(connection.Vendor, connection.Time));
        Capabilities = new ProviderCapabilities
        {
            Model = _model,
            MaxImagesPerCall = _options.MaxImagesPerCall,
            MaxConcurrency = Math.Max(1, _options.MaxConcurrency),
            ImagesPerMinute = _options.ImagesPerMinute > 0 ? _options.ImagesPerMinute : null,
            SupportsNegativePrompt = false,
            SupportsSeed = true,
            SupportsTransparentBackground = false,
            AspectRatios = _options.AspectRatios,
            Formats = [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp],
            PricePerImage = _options.PricePerImage,
            Timeout = connection.Timeout,
        };
    }

    public string Name => ProviderName;

    public ProviderCapabilities Capabilities { get; }

    private string Vendor => _http.Connection.Vendor;

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count < 1 || request.Count > Capabilities.MaxImagesPerCall)
            throw new ArgumentException($"{Vendor} makes 1 to {Capabilities.MaxImagesPerCall} images per prediction with {_model}; {request.Count} were asked for.", nameof(request));
        if (request.References.Count > 0 || request.VariationOf is not null)
            throw new ArgumentException($"{Vendor} with {_model} makes images from a prompt only; it takes no reference or source image.", nameof(request));

        var started = _http.Connection.Time.GetTimestamp();
        Prediction? prediction = null;
        if (request.Journal?.ExistingJobId is { Length: > 0 } existing)
            prediction = await ResumeAsync(existing, cancellationToken);
        prediction ??= await CreateAsync(request, cancellationToken);
        prediction = await WaitAsync(prediction, started, cancellationToken);
        return await CollectAsync(prediction, request, cancellationToken);
    }

    /// <summary>The prediction an earlier attempt started, or null when there is nothing to collect from it.</summary>
    private async Task<Prediction?> ResumeAsync(string id, CancellationToken cancellationToken)
    {
        Prediction prediction;
        try
        {
            prediction = await GetAsync(id, cancellationToken);
        }
        catch (ProviderException ex) when (ex.Kind == ProviderErrorKind.NotFound)
        {
            return null;
        }
        // A failed or canceled prediction made nothing and cost nothing; a refusal would be refused again.
        if ((prediction.Status is "failed" && !IsSafetyFailure(prediction)) || prediction.Status is "canceled")
            return null;
        return prediction;
    }

    private async Task<Prediction> CreateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var body = new CreatePrediction(_version, Input(request));
        var response = await _http.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url(_createPath ?? "v1/predictions"))
            {
                Content = JsonContent.Create(body, ReplicateJsonContext.Default.CreatePrediction),
            };
            _http.Bearer(message);
            message.Headers.TryAddWithoutValidation("Prefer", PreferWait(_http.Connection.Timeout));
            return message;
        }, cancellationToken);
        var prediction = _http.ReadJson(response, ReplicateJsonContext.Default.Prediction);
        if (prediction.Id is not { Length: > 0 } id)
            throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor} answered the create call without a prediction id.", status: (int)response.Status);
        // Paid for from here on: the id is stored before anything else can fail, and a cancelled
        // caller must not skip storing it.
        if (request.Journal is { } journal)
            await journal.RecordAsync(id, CancellationToken.None);
        return prediction;
    }

    private ReplicateInput Input(GenerationRequest request)
    {
        var (_, ratio) = Capabilities.Fit(request.Size);
        return new ReplicateInput
        {
            Prompt = WithStyle(request.Prompt, request.Style),
            AspectRatio = ratio,
            NumOutputs = Capabilities.MaxImagesPerCall > 1 ? request.Count : null,
            Seed = request.Seeds[0],
            OutputFormat = request.Format == ImageFormat.Jpeg ? "jpg" : request.Format.ToText(),
            GoFast = _options.DeterministicSeeds ? false : null,
            Megapixels = _options.Megapixels,
        };
    }

    /// <summary>Flux has no style input: the style goes into the prompt.</summary>
    internal static string WithStyle(string prompt, string? style) =>
        string.IsNullOrWhiteSpace(style) ? prompt : $"{prompt}, {style.Trim().Replace('-', ' ')} style";

    /// <summary>Holds the create call open up to 60 s, but never past the call's own timeout.</summary>
    private static string PreferWait(TimeSpan timeout) =>
        timeout > TimeSpan.FromSeconds(65) ? "wait" : $"wait={Math.Clamp((int)timeout.TotalSeconds - 5, 1, 60).ToString(CultureInfo.InvariantCulture)}";

    private async Task<Prediction> GetAsync(string id, CancellationToken cancellationToken)
    {
        var prediction = await _http.SendJsonAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Get, _http.Connection.Url($"v1/predictions/{Uri.EscapeDataString(id)}"));
            _http.Bearer(message);
            return message;
        }, ReplicateJsonContext.Default.Prediction, cancellationToken);
        return prediction with { Id = prediction.Id ?? id };
    }

    /// <summary>Polls with backoff until the prediction ends, within the connection's timeout.</summary>
    private async Task<Prediction> WaitAsync(Prediction prediction, long started, CancellationToken cancellationToken)
    {
        var time = _http.Connection.Time;
        var budget = _http.Connection.Timeout;
        var delay = FirstPollDelay;
        var waited = TimeSpan.Zero;
        while (IsRunning(prediction.Status))
        {
            // Waits count even under a clock that does not move (tests), so polling always ends.
            var spent = time.GetElapsedTime(started) is var elapsed && elapsed > waited ? elapsed : waited;
            if (spent + delay > budget)
            {
                // A failed batch is not tried again, so nothing would collect it: stop it rather than pay for it.
                await CancelQuietlyAsync(prediction.Id!);
                throw new ProviderException(Vendor, ProviderErrorKind.Timeout,
                    $"{Vendor}'s prediction {prediction.Id} did not finish within {Seconds(budget)} (still {prediction.Status}); it was cancelled.",
                    prediction.Id);
            }
            await Task.Delay(delay, time, cancellationToken);
            waited += delay;
            delay = delay * 2 < LongestPollDelay ? delay * 2 : LongestPollDelay;
            prediction = await GetAsync(prediction.Id!, cancellationToken);
        }
        return prediction;
    }

    private static bool IsRunning(string? status) => status is null or "starting" or "processing";

    private async Task<IReadOnlyList<GeneratedImage>> CollectAsync(Prediction prediction, GenerationRequest request, CancellationToken cancellationToken)
    {
        var id = prediction.Id!;
        switch (prediction.Status)
        {
            case "succeeded":
                break;
            case "failed" when IsSafetyFailure(prediction):
                throw new ProviderException(Vendor, ProviderErrorKind.Refused,
                    $"{Vendor} refused the prompt (NSFW, prediction {id}): {VendorHttp.Short(ErrorText(prediction) ?? "the safety checker flagged every image").TrimEnd('.')}.", id);
            case "failed":
                throw new ProviderException(Vendor, ProviderErrorKind.Failed,
                    $"{Vendor}'s prediction {id} failed: {VendorHttp.Short(ErrorText(prediction) ?? "no reason given").TrimEnd('.')}.", id);
            case "canceled":
                throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor}'s prediction {id} was canceled before it finished.", id);
            default:
                throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor}'s prediction {id} ended as '{prediction.Status}', which Easel does not know.", id);
        }

        var outputs = Outputs(prediction.Output).Take(request.Count).ToList();
        if (outputs.Count == 0)
            throw new ProviderException(Vendor, ProviderErrorKind.Refused, $"{Vendor} refused the prompt (no image came back, prediction {id}).", id);
        // All at once: the files are deleted about an hour after the prediction.
        var bytes = await Task.WhenAll(outputs.Select((url, i) => DownloadAsync(url, i, id, cancellationToken)));
        // One seed drives the whole batch, so it names an image only when there is one.
        long? seed = bytes.Length == 1 && request.Count == 1 ? request.Seeds[0] : null;
        return bytes.Select(b => new GeneratedImage(b.Bytes, b.MediaType, seed, _model)).ToList();
    }

    private static IEnumerable<string> Outputs(JsonElement? output)
    {
        switch (output?.ValueKind)
        {
            case JsonValueKind.String when output.Value.GetString() is { Length: > 0 } one:
                yield return one;
                break;
            case JsonValueKind.Array:
                foreach (var item in output.Value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } url)
                        yield return url;
                }
                break;
        }
    }

    /// <summary>Best effort: <c>POST /v1/predictions/{id}/cancel</c>; a failure to cancel changes nothing for the caller.</summary>
    private async Task CancelQuietlyAsync(string id)
    {
        try
        {
            await _http.SendAsync(() =>
            {
                var cancel = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url($"v1/predictions/{Uri.EscapeDataString(id)}/cancel"));
                _http.Bearer(cancel);
                return cancel;
            }, CancellationToken.None);
        }
        catch (ProviderException)
        {
            // The prediction may have ended meanwhile, or Replicate is unreachable: nothing more to do.
        }
    }

    private async Task<(byte[] Bytes, string MediaType)> DownloadAsync(string url, int index, string id, CancellationToken cancellationToken)
    {
        var which = $"output {index + 1} of prediction {id}";
        byte[] bytes;
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            bytes = DataUrl(url) ?? throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor}'s {which} is a data URL Easel cannot read.", id);
        }
        else
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor}'s {which} is not a web address.", id);
            // The token is for Replicate's API; a file host elsewhere never sees it.
            var sameOrigin = SameOrigin(uri, _http.Connection.BaseUrl);
            // A model's output must come from a public https file host (or Replicate's own address), never from inside this network.
            if (!sameOrigin && !uri.Host.Equals(_http.Connection.BaseUrl.Host, StringComparison.OrdinalIgnoreCase)
                && (uri.Scheme != "https" || uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && References.AddressPolicy.Refusal(ip) is not null)))
            {
                throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor}'s {which} points at {uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)}, which is not a public https address; it was not fetched.", id);
            }
            try
            {
                var response = await _http.SendAsync(() =>
                {
                    var message = new HttpRequestMessage(HttpMethod.Get, uri);
                    if (sameOrigin)
                        _http.Bearer(message);
                    return message;
                }, cancellationToken);
                bytes = response.Body;
            }
            catch (ProviderException ex)
            {
                var why = ex.Status == 404 ? "it is gone; Replicate deletes outputs about an hour after the prediction" : ex.Message.TrimEnd('.');
                throw new ProviderException(Vendor, ex.Kind, $"{Vendor} made {which}, but it could not be downloaded ({why}).", id, ex.RetryAfter, ex.Status, ex);
            }
        }
        try
        {
            return (bytes, ImageHeader.Read(bytes).MediaType);
        }
        catch (ImageFormatException ex)
        {
            throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor}'s {which} is not an image: {ex.Message.TrimEnd('.')}.", id, inner: ex);
        }
    }

    /// <summary>Scheme, host and port all match: the same service, which may see the token.</summary>
    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static byte[]? DataUrl(string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !url.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            return Convert.FromBase64String(url[(comma + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsSafetyFailure(Prediction prediction) =>
        ErrorText(prediction) is { } error && SafetyPattern().IsMatch(error);

    /// <summary>flux models say "NSFW"; Replicate's own filter says "flagged as sensitive (E005)".</summary>
    [GeneratedRegex(@"\bNSFW\b|flagged as sensitive|\bE005\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SafetyPattern();

    private static string? ErrorText(Prediction prediction) => prediction.Error switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } e => e.GetRawText(),
        null => null,
    };

    /// <summary>"owner/name" uses the model's route; a version id (alone or after "owner/name:") the generic one.</summary>
    private static (string? CreatePath, string? Version) Route(string model)
    {
        var colon = model.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && ModelPattern().IsMatch(model[..colon]) && VersionPattern().IsMatch(model[(colon + 1)..]))
            return (null, model[(colon + 1)..]);
        if (colon < 0 && VersionPattern().IsMatch(model) && !model.Contains('/', StringComparison.Ordinal))
            return (null, model);
        if (colon < 0 && ModelPattern().IsMatch(model))
        {
            var parts = model.Split('/');
            return ($"v1/models/{Uri.EscapeDataString(parts[0])}/{Uri.EscapeDataString(parts[1])}/predictions", null);
        }
        throw new ArgumentException($"'{model}' is not a Replicate model: use owner/name (like {DefaultModel}), owner/name:version, or a 64-character version id.", nameof(model));
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ModelPattern();

    [GeneratedRegex(@"^[0-9a-f]{64}$")]
    private static partial Regex VersionPattern();

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    public void Dispose() => _http.Dispose();
}
