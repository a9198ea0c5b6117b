using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Easel.Core.Gallery;
using Easel.Core.Quality;
using Easel.Server.Api;
using Easel.Workflows;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Easel.Server.Mcp;

/// <summary>
/// search_images and get_image: the gallery of every image Easel has made. Parameters are named in
/// snake_case because the SDK names the tools' arguments after them.
/// </summary>
[McpServerToolType]
internal sealed class ImageTools(EaselServices services)
{
    public const int MaxLimit = 50;
    public const int DefaultLimit = 20;

    /// <summary>Longest search text accepted, as in the REST API.</summary>
    private const int MaxQueryLength = ImagesApi.MaxSearchLength;

    [McpServerTool(Name = "search_images", Title = "Search images", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description(
        "Searches every image Easel has made, newest first: by words in their prompts, by date (\"what I made yesterday\": since and until), by provider and by score. " +
        "Returns images (id, prompt, score, provider, created_at) and next_cursor for the next page.")]
    public async Task<CallToolResult> SearchImages(
        [Description("Words that must all appear in the prompt (the last may be the start of a word). Leave out to list everything.")] string? query = null,
        [Description("Only images made at or after this ISO 8601 date or date-time, e.g. 2026-11-20 or 2026-11-20T18:00:00Z (UTC unless an offset is given).")] string? since = null,
        [Description("Only images made before this ISO 8601 date or date-time (exclusive).")] string? until = null,
        [Description("Only images made by this provider, e.g. sketch.")] string? provider = null,
        [Description("Only images scored at least this (0-100); unscored images are left out.")] int? min_score = null,
        [Description("Images per page (1-50, default 20).")] int? limit = null,
        [Description("The next_cursor of the previous page, to get the next one.")] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var errors = new List<string>();
        var text = query?.Trim();
        if (text is { Length: > MaxQueryLength })
            errors.Add($"query: the search text is {text.Length} characters long; keep it to {MaxQueryLength}.");
        var from = Instant("since", since, errors);
        var to = Instant("until", until, errors);
        var providerName = provider?.Trim();
        if (providerName is { Length: > 100 })
            errors.Add($"provider: '{ToolResults.Shorten(providerName)}' is not a provider name; list_providers lists them.");
        if (min_score is < Evaluation.MinScore or > Evaluation.MaxScore)
            errors.Add($"min_score must be between {Evaluation.MinScore} and {Evaluation.MaxScore}; got {min_score}.");
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
            errors.Add($"limit must be between 1 and {MaxLimit}; got {size}.");
        ImageCursor? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (ImageCursor.TryParse(cursor.Trim(), out var c))
                after = c;
            else
                errors.Add("cursor: pass the next_cursor of the previous page unchanged, or leave it out for the first page.");
        }
        if (from is { } f && to is { } t && f >= t)
            errors.Add($"since ({f:O}) must be before until ({t:O}).");
        if (errors.Count > 0)
            return ToolResults.Error("The search cannot be done as given:\n" + string.Join("\n", errors.Select(e => "- " + e)));

        // One more than asked for says whether another page follows.
        var found = await services.Store.Images.SearchAsync(new ImageQuery(string.IsNullOrEmpty(text) ? null : text, from, to, size + 1)
        {
            Provider = string.IsNullOrEmpty(providerName) ? null : providerName,
            MinScore = min_score,
            After = after,
        }, cancellationToken);
        var page = found.Take(size).ToList();
        var next = found.Count > size ? ImageCursor.Of(page[^1]).Encode() : null;
        var view = new ImagePageView(page.Select(FoundImageView.From).ToList(), next);

        var answer = new StringBuilder();
        answer.AppendLine(page.Count == 0
            ? "No images match." + (after is null ? "" : " (This was the last page.)")
            : $"{page.Count} {(page.Count == 1 ? "image" : "images")}, newest first:");
        foreach (var i in page)
        {
            answer.AppendLine(CultureInfo.InvariantCulture,
                $"- {i.Id}: \"{ToolResults.Shorten(i.Prompt, 120)}\", score {(i.Score is { } s ? s.ToString(CultureInfo.InvariantCulture) : "none")}, {i.Provider}, {i.Width}x{i.Height}, made {OrderReports.Time(i.CreatedAt)}");
        }
        if (next is not null)
            answer.AppendLine(CultureInfo.InvariantCulture, $"More images follow: call search_images again with cursor \"{next}\".");
        if (page.Count > 0)
            answer.Append("Call get_image with an id to see an image.");
        return ToolResults.Ok(answer.ToString().TrimEnd(), view);
    }

    [McpServerTool(Name = "get_image", Title = "Get an image", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description(
        "Returns an image made by Easel: its pixels (as image content) and what is recorded about it: prompt, negative prompt, provider and model, seed, size, score and the evaluator's feedback, review, and lineage (the images it was made from and from it). " +
        "Ask for a thumbnail (at most 320 pixels on its long side) to save space when the full image is not needed.")]
    public async Task<CallToolResult> GetImage(
        [Description("The image's id (e.g. img_...), or enough of its start to be unique.")] string image_id,
        [Description("true for a small PNG thumbnail instead of the full image (default false).")] bool? thumbnail = null,
        CancellationToken cancellationToken = default)
    {
        var key = image_id.Trim();
        if (!ToolResults.IsIdLike(key))
            return ToolResults.Error($"'{ToolResults.Shorten(key)}' is not an image id: image ids look like img_01jd… (letters, digits, '_' and '-').");
        ImageRecord? image;
        try
        {
            image = await services.Store.Images.FindAsync(key, cancellationToken);
        }
        catch (AmbiguousIdException ex)
        {
            return ToolResults.Error(ex.Message);
        }
        catch (ArgumentException ex) when (ex.ParamName == "idOrPrefix")
        {
            return ToolResults.Error(ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal));
        }
        if (image is null)
            return ToolResults.Error($"There is no image '{key}'. search_images and get_order list image ids.");

        var root = services.Store.Blobs.ImagesRoot + Path.DirectorySeparatorChar;
        var original = Path.GetFullPath(image.Path);
        if (!original.StartsWith(root, StringComparison.Ordinal) || !File.Exists(original))
            return ToolResults.Error($"The file of image {image.Id} is missing from the data directory; its record remains (prompt: \"{ToolResults.Shorten(image.Prompt)}\").");
        var small = thumbnail is true;
        var (path, mediaType) = small ? await Thumbnails.GetAsync(services, image, original, cancellationToken) : (original, image.MediaType);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);

        var lineage = await services.Images.LineageAsync(image, cancellationToken);
        var children = await services.Store.Images.ChildrenAsync(image.Id, cancellationToken);
        var info = new ImageInfoView(
            image.Id, image.OrderId, image.Slot, image.Prompt, image.NegativePrompt, image.Provider, image.Model, image.Seed, image.Width, image.Height,
            image.Parameters.Style, image.Parameters.AspectRatio, image.CreatedAt, image.Iteration, image.Candidate, image.Score,
            EvaluationView.From(image.Evaluation), image.Review, image.ReviewedBy, image.ParentId, image.Derivation,
            lineage.Select(LineageStepView.From).ToList(), children.Select(c => c.Id).ToList(),
            new SentImageView(small && path != original, mediaType, bytes.Length));
        return new CallToolResult
        {
            Content =
            [
                ImageContentBlock.FromBytes(bytes, mediaType),
                new TextContentBlock { Text = Describe(info) },
            ],
            StructuredContent = JsonSerializer.SerializeToElement(info, ToolResults.Json),
        };
    }

    private static string Describe(ImageInfoView i)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Image {i.Id} ({i.Width}x{i.Height}{(i.Sent.Thumbnail ? ", sent as a thumbnail" : "")}), slot {i.Slot + 1} of order {i.OrderId}, made {OrderReports.Time(i.CreatedAt)}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Prompt: \"{i.Prompt}\"");
        if (i.NegativePrompt is { } negative)
            text.AppendLine(CultureInfo.InvariantCulture, $"Negative prompt: \"{negative}\"");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Provider: {i.Provider} ({i.Model}), seed {(i.Seed is { } seed ? seed.ToString(CultureInfo.InvariantCulture) : "unknown")}{(i.Style is { } style ? $", style {style}" : "")}; iteration {i.Iteration}, candidate {i.Candidate + 1}.");
        if (i.Evaluation is { } e)
        {
            text.AppendLine(e.Score is { } score
                ? $"Score: {score}/100 from {e.Evaluator}. Feedback: {e.Feedback}"
                : $"Not scored: {e.Error}");
            foreach (var c in e.Criteria)
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {c.Name}: {c.Score}{(c.Passed ? "" : " (not met)")}, {c.Comment}");
        }
        else
        {
            text.AppendLine("Not scored yet.");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Review: {i.Review.ToString().ToLowerInvariant()}{(i.ReviewedBy is { } by ? $" by {by}" : "")}.");
        if (i.Lineage.Count > 1)
            text.AppendLine("Lineage (oldest first): " + string.Join(" → ", i.Lineage.Select(l => l.Derivation is { } d ? $"{l.Id} ({d.ToString().ToLowerInvariant()})" : l.Id)));
        if (i.Children.Count > 0)
            text.AppendLine("Made from it: " + string.Join(", ", i.Children));
        return text.ToString().TrimEnd();
    }

    /// <summary>An ISO 8601 date or date-time, UTC unless it carries an offset; null when blank.</summary>
    private static DateTimeOffset? Instant(string name, string? text, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (text.Length <= 40 && DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        errors.Add($"{name} must be an ISO 8601 date or date-time such as 2026-11-20 or 2026-11-20T18:00:00Z; got '{ToolResults.Shorten(text, 40)}'.");
        return null;
    }
}
