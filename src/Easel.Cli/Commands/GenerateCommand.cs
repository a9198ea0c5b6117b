using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Easel.Cli.Output;
using Easel.Core;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Core.Quality.Builtin;
using Easel.Providers;
using Easel.Providers.References;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>`easel generate PROMPT`: the main job.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var prompt = new Argument<string>("prompt") { Description = "What to draw, in plain words." };
        var count = new Option<int>("--count", "-n") { Description = $"Number of images (1-{OrderSpec.MaxCount}).", DefaultValueFactory = _ => 1 };
        var size = new Option<string?>("--size") { Description = $"Image size WIDTHxHEIGHT, each side {ImageSize.MinSide}-{ImageSize.MaxSide} (default 1024x1024).", HelpName = "WxH" };
        var aspect = new Option<string?>("--aspect-ratio") { Description = "Aspect ratio W:H (e.g. 16:9); about one megapixel.", HelpName = "W:H" };
        var style = new Option<string?>("--style") { Description = $"One of: {string.Join(", ", ImageStyles.Known)}." };
        var negative = new Option<string?>("--negative") { Description = "What the image must not contain." };
        var seed = new Option<long?>("--seed") { Description = "Seed of the first image (image i uses seed+i); random by default." };
        var background = new Option<string>("--background") { Description = "Keep or clear the background around the subject.", DefaultValueFactory = _ => "opaque" };
        var provider = new Option<string>("--provider") { Description = "Image provider (`easel providers` lists them and what each needs).", DefaultValueFactory = _ => ProviderRegistry.DefaultProvider };
        var outDir = new Option<string?>("--out") { Description = "Also copy the images into this folder.", HelpName = "DIR" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout instead of a table." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Approve up front if the order needs approval (recorded as your decision)." };
        var timeout = new Option<string?>("--approval-timeout") { Description = "How long an approval request waits for a decision (default 24h).", HelpName = "DURATION" };
        var maxImages = new Option<int?>("--max-images-without-approval") { Description = "Ask for approval above this many images (default 4).", HelpName = "N" };
        var maxCost = new Option<decimal?>("--max-cost-without-approval") { Description = "Ask for approval above this worst-case cost in US dollars (default 1.00).", HelpName = "USD" };
        var maxIterations = new Option<int>("--max-iterations") { Description = $"Most times each image is made, judged and its prompt refined (1-{LoopSettings.MaxIterationsLimit}).", DefaultValueFactory = _ => LoopSettings.DefaultMaxIterations, HelpName = "N" };
        var threshold = new Option<int>("--threshold") { Description = "Score (0-100) at which an image is good enough and refinement stops.", DefaultValueFactory = _ => LoopSettings.DefaultThreshold, HelpName = "SCORE" };
        var candidates = new Option<int>("--candidates") { Description = $"Images made per iteration for each image wanted; the best one counts (1-{LoopSettings.MaxCandidates}).", DefaultValueFactory = _ => 1, HelpName = "K" };
        var preset = new Option<string?>("--preset") { Description = "Domain preset guiding the prompter and evaluator (`easel presets` lists them).", HelpName = "NAME" };
        var quality = new Option<string>("--quality") { Description = "auto, low, medium or high, for providers that take it (price follows).", DefaultValueFactory = _ => "auto" };
        var format = new Option<string>("--format") { Description = "png, jpeg or webp, as the provider can make.", DefaultValueFactory = _ => "png" };
        quality.AcceptOnlyFromAmong("auto", "low", "medium", "high");
        format.AcceptOnlyFromAmong("png", "jpeg", "jpg", "webp");
        var refs = new Option<string[]>("--refs") { Description = "Reference images: local files or http(s) URLs.", AllowMultipleArgumentsPerToken = true, HelpName = "PATH|URL" };

        prompt.Validators.Add(r =>
        {
            var text = r.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(text))
                r.AddError("The prompt is empty: say what to draw, e.g. easel generate \"a red fox in the snow\".");
            else if (text.Length > OrderSpec.MaxPromptLength)
                r.AddError($"The prompt is {text.Length} characters long; the limit is {OrderSpec.MaxPromptLength}.");
        });
        count.Validators.Add(r =>
        {
            var n = r.GetValueOrDefault<int>();
            if (n < 1 || n > OrderSpec.MaxCount)
                r.AddError($"--count must be between 1 and {OrderSpec.MaxCount}; got {n}.");
        });
        size.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && !ImageSize.TryParse(text, out _, out var error))
                r.AddError($"--size: {error}");
        });
        aspect.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && !ImageSize.TryFromAspectRatio(text, DefaultPixels, out _, out var error))
                r.AddError($"--aspect-ratio: {error}");
        });
        style.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && ImageStyles.Normalize(text) is null)
                r.AddError($"Unknown style '{text}'. Known styles: {string.Join(", ", ImageStyles.Known)}.");
        });
        seed.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long?>() is { } s && (s < 0 || s > uint.MaxValue))
                r.AddError($"--seed must be between 0 and {uint.MaxValue}; got {s}.");
        });
        background.AcceptOnlyFromAmong("opaque", "transparent");
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is not { } text)
                return;
            if (!Durations.TryParse(text, out var t, out var error))
                r.AddError($"--approval-timeout: {error}");
            else if (t > ApprovalOptions.MaxTimeout)
                r.AddError($"--approval-timeout must be at most {ApprovalOptions.MaxTimeout.TotalDays:0} days.");
        });
        maxImages.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0)
                r.AddError("--max-images-without-approval must be 0 or more.");
        });
        maxIterations.Validators.Add(r =>
        {
            if (new LoopSettings { MaxIterations = r.GetValueOrDefault<int>() }.Validate() is { } problem)
                r.AddError(problem);
        });
        threshold.Validators.Add(r =>
        {
            if (new LoopSettings { Threshold = r.GetValueOrDefault<int>() }.Validate() is { } problem)
                r.AddError(problem);
        });
        candidates.Validators.Add(r =>
        {
            if (new LoopSettings { Candidates = r.GetValueOrDefault<int>() }.Validate() is { } problem)
                r.AddError(problem);
        });
        maxCost.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<decimal?>() is < 0)
                r.AddError("--max-cost-without-approval must be 0 or more.");
        });
        provider.Validators.Add(r =>
        {
            var name = r.GetValueOrDefault<string>();
            if (services.ProviderProblem(name, ProviderKind.Image) is { } problem)
                r.AddError(problem);
        });

        var command = new Command("generate", "Generate images from a prompt.")
        {
            prompt, count, size, aspect, style, negative, seed, background, provider, quality, format, maxIterations, threshold, candidates, preset, refs,
            outDir, json, yes, timeout, maxImages, maxCost,
        };
        command.Validators.Add(r =>
        {
            if (r.GetResult(size) is not null && r.GetResult(aspect) is not null)
                r.AddError("Give either --size or --aspect-ratio, not both.");
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = new OrderSpec
            {
                Prompt = parse.GetRequiredValue(prompt).Trim(),
                NegativePrompt = parse.GetValue(negative) is { } neg && !string.IsNullOrWhiteSpace(neg) ? neg.Trim() : null,
                Count = parse.GetValue(count),
                Size = ResolveSize(parse.GetValue(size), parse.GetValue(aspect)),
                AspectRatio = parse.GetValue(aspect)?.Trim(),
                Style = parse.GetValue(style) is { } s ? ImageStyles.Normalize(s) : null,
                Background = parse.GetValue(background) == "transparent" ? Background.Transparent : Background.Opaque,
                Seed = parse.GetValue(seed),
                Provider = parse.GetRequiredValue(provider),
                Quality = ImageOptionsText.TryParseQuality(parse.GetValue(quality), out var q) ? q : ImageQuality.Auto,
                Format = ImageOptionsText.TryParseFormat(parse.GetValue(format), out var f) ? f : ImageFormat.Png,
                Loop = new LoopSettings
                {
                    MaxIterations = parse.GetValue(maxIterations),
                    Threshold = parse.GetValue(threshold),
                    Candidates = parse.GetValue(candidates),
                    Preset = PresetName(services, parse.GetValue(preset)),
                },
                References = await LoadReferencesAsync(services, parse.GetValue(refs) ?? [], cancellationToken),
            };
            var outFolder = PrepareOutFolder(parse.GetValue(outDir));
            var configured = services.Settings.Approval;
            var approval = new ApprovalOptions
            {
                MaxImagesWithoutApproval = parse.GetValue(maxImages) ?? configured.MaxImagesWithoutApproval,
                MaxCostWithoutApproval = parse.GetValue(maxCost) ?? configured.MaxCostWithoutApproval,
                Timeout = parse.GetValue(timeout) is { } t && Durations.TryParse(t, out var parsed, out _) ? parsed : configured.Timeout,
            };
            var options = new PlaceOptions(approval, services.UserName, parse.GetValue(yes));
            if (services.Quality.Evaluator is BuiltinEvaluator && spec.Loop.Threshold > BuiltinEvaluator.Ceiling && spec.Loop.MaxIterations > 1)
            {
                console.Log($"The built-in evaluator gives at most {BuiltinEvaluator.Ceiling} (it cannot see the subject), so a threshold of " +
                    $"{spec.Loop.Threshold} is never reached: every image is made {spec.Loop.MaxIterations} times.");
            }
            return await RunAsync(console, services, spec, options, outFolder, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    /// <summary>The preset's canonical name; an unknown or broken one is a usage error naming what is wrong.</summary>
    private static string? PresetName(EaselServices services, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        try
        {
            return services.Presets.Get(name).Name;
        }
        catch (PresetException ex)
        {
            throw new UsageException($"--preset: {ex.Message}");
        }
    }

    /// <summary>Checks and loads every reference before the order is placed, so a bad one costs nothing.</summary>
    private static async Task<IReadOnlyList<ReferenceImage>> LoadReferencesAsync(EaselServices services, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        if (sources.Count == 0)
            return [];
        var loader = services.References;
        var loaded = new List<ReferenceImage>(sources.Count);
        foreach (var source in sources)
        {
            try
            {
                loaded.Add(await loader.LoadAsync(source, cancellationToken));
            }
            catch (ReferenceException ex)
            {
                throw new UsageException($"--refs: {ex.Message}");
            }
        }
        return loaded;
    }

    /// <summary>Pixels of the default 1024x1024 image, kept when only an aspect ratio is given.</summary>
    private const long DefaultPixels = 1024 * 1024;

    private static ImageSize ResolveSize(string? size, string? aspect)
    {
        if (size is not null && ImageSize.TryParse(size, out var s, out _))
            return s;
        if (aspect is not null && ImageSize.TryFromAspectRatio(aspect, DefaultPixels, out var a, out _))
            return a;
        return new ImageSize(1024, 1024);
    }

    /// <summary>Creates the --out folder before any work is done, so a bad path costs nothing.</summary>
    internal static string? PrepareOutFolder(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return null;
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
            throw new UsageException($"--out: '{path}' is a file, not a folder.");
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out: cannot create folder '{path}': {ex.Message}");
        }
        return full;
    }

    private static async Task<int> RunAsync(CliConsole console, EaselServices services, OrderSpec spec, PlaceOptions options, string? outFolder, bool json, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var placed = await services.Orders.PlaceAsync(spec, options, cancellationToken);
        return await FollowPlacedAsync(console, services, placed, json, outFolder, clock, cancellationToken);
    }

    /// <summary>
    /// After an order is placed: asks for approval in a terminal (or says how to give it and exits
    /// with <see cref="ExitCodes.AwaitingApproval"/>), follows it to its end and prints the result.
    /// </summary>
    internal static async Task<int> FollowPlacedAsync(
        CliConsole console, EaselServices services, PlacedOrder placed, bool json, string? outFolder, Stopwatch clock, CancellationToken cancellationToken)
    {
        var (order, request) = placed;
        if (request is { Status: ApprovalStatus.Pending })
        {
            if (json || !console.CanPrompt)
            {
                OrderOutput.WriteAwaiting(console, order, request, json, services.Time);
                return ExitCodes.AwaitingApproval;
            }
            var decided = await ApprovalPrompt.AskAsync(console, services, request, cancellationToken);
            if (decided is null)
            {
                OrderOutput.WriteAwaiting(console, order, request, json: false, services.Time);
                return ExitCodes.AwaitingApproval;
            }
            order = decided;
        }

        if (!order.Status.IsFinished())
            order = await OrderFollower.FollowAsync(console, services, order.Id, cancellationToken);
        var errors = 0;
        await OrderOutput.WriteResultAsync(console, services, order, json, clock.Elapsed, async (images, list) =>
        {
            var copies = await CopyOutAsync(services, images, order.Prompt, outFolder, list, cancellationToken);
            errors = list.Count;
            return copies;
        }, cancellationToken);
        return order.Status == OrderStatus.Completed && errors == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Copies the images to --out; a failed copy is reported, never fatal: the gallery still has every image.</summary>
    private static async Task<Dictionary<string, string>> CopyOutAsync(
        EaselServices services, IReadOnlyList<ImageRecord> images, string prompt, string? folder, List<string> errors, CancellationToken cancellationToken)
    {
        var copies = new Dictionary<string, string>();
        if (folder is null)
            return copies;
        var slug = Slug(prompt);
        foreach (var image in images)
        {
            try
            {
                copies[image.Id] = await services.Store.Blobs.CopyToFolderAsync(image.Path, folder, $"{slug}-{image.Slot + 1}.png", cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add($"Could not copy {image.Id} to {folder}: {ex.Message} The image is kept in the gallery at {image.Path}.");
            }
        }
        return copies;
    }

    /// <summary>A short file-name-safe form of the prompt: "a red fox in the snow, watercolor" → "a-red-fox-in-the-snow-watercolor".</summary>
    internal static string Slug(string prompt)
    {
        const int maxLength = 40;
        var words = new List<string>();
        var length = 0;
        var separators = prompt.Where(c => !char.IsAsciiLetterOrDigit(c)).Distinct().ToArray();
        foreach (var raw in prompt.ToLowerInvariant().Split(separators))
        {
            if (raw.Length == 0)
                continue;
            // Whole words only; a single overlong word is cut.
            if (length + raw.Length + (words.Count > 0 ? 1 : 0) > maxLength)
            {
                if (words.Count == 0)
                    words.Add(raw[..maxLength]);
                break;
            }
            length += raw.Length + (words.Count > 0 ? 1 : 0);
            words.Add(raw);
        }
        return words.Count == 0 ? "image" : string.Join('-', words);
    }
}
