using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Providers;
using Easel.Providers.References;

namespace Easel.Workflows;

/// <summary>
/// An order as typed into the studio's Create form or sent to <c>POST /api/v1/orders</c>: every
/// field optional text or number, checked field by field with the same rules as <c>easel generate</c>.
/// </summary>
public sealed class OrderInput
{
    /// <summary>Most references one order may carry (files and URLs together).</summary>
    public const int MaxReferences = 8;

    public string? Prompt { get; set; }
    public int? Count { get; set; }

    /// <summary>WIDTHxHEIGHT, e.g. 1024x1024.</summary>
    public string? Size { get; set; }

    /// <summary>W:H, e.g. 16:9; about one megapixel. Give this or <see cref="Size"/>, not both.</summary>
    public string? AspectRatio { get; set; }

    public string? Style { get; set; }
    public string? NegativePrompt { get; set; }
    public long? Seed { get; set; }

    /// <summary>opaque or transparent.</summary>
    public string? Background { get; set; }

    public string? Provider { get; set; }

    /// <summary>auto, low, medium or high.</summary>
    public string? Quality { get; set; }

    /// <summary>png, jpeg or webp.</summary>
    public string? Format { get; set; }

    public int? MaxIterations { get; set; }
    public int? Threshold { get; set; }
    public int? Candidates { get; set; }
    public string? Preset { get; set; }

    /// <summary>Reference images by public http(s) URL (or, when the server allows it, a path inside its reference folders).</summary>
    public List<string>? References { get; set; }

    /// <summary>Pixels of the default 1024x1024 image, kept when only an aspect ratio is given.</summary>
    private const long DefaultPixels = 1024 * 1024;

    /// <summary>
    /// Checks every field and loads the references (URLs and <paramref name="uploads"/>, through
    /// the same checks as <c>--refs</c>). Nothing is stored or spent.
    /// </summary>
    /// <exception cref="OrderInputException">One or more fields are wrong; each is named with what is wrong.</exception>
    public async Task<OrderSpec> ToSpecAsync(EaselServices services, IReadOnlyList<ReferenceImage> uploads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(uploads);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Error(string field, string message) => errors[field] = [message];

        var prompt = Prompt?.Trim() ?? "";
        if (prompt.Length == 0)
            Error("prompt", "The prompt is empty: say what to draw, e.g. \"a red fox in the snow\".");
        else if (prompt.Length > OrderSpec.MaxPromptLength)
            Error("prompt", $"The prompt is {prompt.Length} characters long; the limit is {OrderSpec.MaxPromptLength}.");

        var count = Count ?? 1;
        if (count < 1 || count > OrderSpec.MaxCount)
            Error("count", $"Count must be between 1 and {OrderSpec.MaxCount}; got {count}.");

        var size = new ImageSize(1024, 1024);
        var sizeText = Blank(Size);
        var ratioText = Blank(AspectRatio);
        if (sizeText is not null && ratioText is not null)
            Error("size", "Give either a size or an aspect ratio, not both.");
        else if (sizeText is not null)
        {
            if (ImageSize.TryParse(sizeText, out var parsed, out var error))
                size = parsed;
            else
                Error("size", error);
        }
        else if (ratioText is not null)
        {
            if (ImageSize.TryFromAspectRatio(ratioText, DefaultPixels, out var parsed, out var error))
                size = parsed;
            else
                Error("aspectRatio", error);
        }

        string? style = null;
        if (Blank(Style) is { } styleText && (style = ImageStyles.Normalize(styleText)) is null)
            Error("style", $"Unknown style '{styleText}'. Known styles: {string.Join(", ", ImageStyles.Known)}.");

        if (Seed is < 0 or > uint.MaxValue)
            Error("seed", $"The seed must be between 0 and {uint.MaxValue}; got {Seed}.");

        var background = Core.Generation.Background.Opaque;
        switch (Blank(Background)?.ToLowerInvariant())
        {
            case null or "opaque":
                break;
            case "transparent":
                background = Core.Generation.Background.Transparent;
                break;
            default:
                Error("background", $"Background must be opaque or transparent; got '{Background}'.");
                break;
        }

        var provider = Blank(Provider) ?? ProviderRegistry.DefaultProvider;
        if (services.ProviderProblem(provider, ProviderKind.Image) is { } providerProblem)
            Error("provider", providerProblem);

        var quality = ImageQuality.Auto;
        if (Blank(Quality) is { } qualityText && !ImageOptionsText.TryParseQuality(qualityText, out quality))
            Error("quality", $"Quality must be auto, low, medium or high; got '{qualityText}'.");
        var format = ImageFormat.Png;
        if (Blank(Format) is { } formatText && !ImageOptionsText.TryParseFormat(formatText, out format))
            Error("format", $"Format must be png, jpeg or webp; got '{formatText}'.");

        var loop = new LoopSettings
        {
            MaxIterations = MaxIterations ?? LoopSettings.DefaultMaxIterations,
            Threshold = Threshold ?? LoopSettings.DefaultThreshold,
            Candidates = Candidates ?? 1,
        };
        if (new LoopSettings { MaxIterations = loop.MaxIterations }.Validate() is { } iterationsProblem)
            Error("maxIterations", iterationsProblem);
        if (new LoopSettings { Threshold = loop.Threshold }.Validate() is { } thresholdProblem)
            Error("threshold", thresholdProblem);
        if (new LoopSettings { Candidates = loop.Candidates }.Validate() is { } candidatesProblem)
            Error("candidates", candidatesProblem);
        if (Blank(Preset) is { } presetName)
        {
            try
            {
                loop = loop with { Preset = services.Presets.Get(presetName).Name };
            }
            catch (PresetException ex)
            {
                Error("preset", ex.Message);
            }
        }

        var sources = (References ?? []).Select(r => r?.Trim() ?? "").Where(r => r.Length > 0).ToList();
        var references = new List<ReferenceImage>(uploads);
        if (sources.Count + uploads.Count > MaxReferences)
            Error("references", $"At most {MaxReferences} reference images per order; got {sources.Count + uploads.Count}.");
        else if (errors.Count == 0)
        {
            // Loaded last: only a request that is otherwise right is worth a download.
            var loader = services.References;
            foreach (var source in sources)
            {
                try
                {
                    references.Add(await loader.LoadAsync(source, cancellationToken));
                }
                catch (ReferenceException ex)
                {
                    Error("references", ex.Message);
                    break;
                }
            }
        }

        if (errors.Count > 0)
            throw new OrderInputException(errors);
        return new OrderSpec
        {
            Prompt = prompt,
            NegativePrompt = Blank(NegativePrompt),
            Count = count,
            Size = size,
            AspectRatio = sizeText is null ? ratioText : null,
            Style = style,
            Background = background,
            Seed = Seed,
            Provider = provider,
            Quality = quality,
            Format = format,
            Loop = loop,
            References = references,
        };
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>Fields of an order that cannot be used, each with what is wrong (camelCase field names, as in the API).</summary>
public sealed class OrderInputException(IReadOnlyDictionary<string, string[]> errors)
    : Exception(string.Join(" ", errors.Values.SelectMany(v => v)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
