using System.Globalization;
using System.Security.Claims;
using System.Text;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Providers;
using Easel.Server.Hosting;
using Easel.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Easel.Server.Api;

/// <summary>/api/v1/images: the gallery, each image's record and file, and what a person does with an image.</summary>
internal static class ImagesApi
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 50;

    /// <summary>Longest search text accepted: a prompt's worth of words is plenty to search by.</summary>
    public const int MaxSearchLength = 500;

    // Private: the files are behind the tokens. Immutable: an image id always means the same bytes.
    private const string CacheForever = "private, max-age=31536000, immutable";

    public static RouteGroupBuilder MapImagesApi(this RouteGroupBuilder api)
    {
        var images = api.MapGroup("/images").WithTags("Images").WithApiErrors();

        images.MapGet("", SearchAsync)
            .WithName("SearchImages")
            .WithSummary("Search the gallery, newest first, one page at a time")
            .WithDescription(
                "q: words in the prompt (all must match; the last may be a prefix). provider; minScore and maxScore (0-100; unscored images are left out); " +
                "review (unreviewed, approved, regenerated); since and until (ISO 8601 date or date-time, UTC unless an offset is given; until is exclusive); " +
                "limit (1-100, default 50); cursor (the 'next' of the previous page).");

        images.MapGet("/filters", FiltersAsync)
            .WithName("GetImageFilters")
            .WithSummary("What the gallery can be filtered by: the providers that made its images, review statuses and the score range");

        images.MapGet("/{id}", GetAsync)
            .WithName("GetImage")
            .WithSummary("Everything recorded about an image: prompt, parameters, provider, seed, evaluation, review, lineage and children")
            .ProducesProblem(StatusCodes.Status404NotFound);

        images.MapGet("/{id}/file", FileAsync)
            .WithName("GetImageFile")
            .WithSummary("The image file")
            .WithDescription("download=1 asks the browser to save it (Content-Disposition: attachment with a name made from the prompt). ETag is the file's SHA-256.")
            .Produces(StatusCodes.Status200OK, null, "image/png", "image/jpeg", "image/webp", "image/gif")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        images.MapGet("/{id}/thumbnail", ThumbnailAsync)
            .WithName("GetImageThumbnail")
            .WithSummary($"A PNG at most {Thumbnails.MaxSide} pixels on its long side (the original when smaller or not a PNG)")
            .Produces(StatusCodes.Status200OK, null, "image/png", "image/jpeg", "image/webp", "image/gif")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        images.MapPost("/{id}/review", ReviewAsync)
            .WithName("ReviewImage")
            .WithSummary("Approve an image, or have it regenerated")
            .WithDescription(
                "Body: {\"action\": \"approve\"} marks a final image of a finished order approved (200, the image). " +
                "{\"action\": \"regenerate\"} places an order for a new image for the same slot, from the same request, and marks this one regenerated (201, the new order).")
            .WithBody<ReviewRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        images.MapPost("/{id}/vary", VaryAsync)
            .WithName("VaryImage")
            .WithSummary("Place an order for variations of an image")
            .WithDescription($"Body (optional): {{\"count\": 1-{ImageActions.MaxVariations} (default 1), \"strength\": \"subtle\" (default) or \"strong\"}}.")
            .WithOptionalBody<VaryRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);

        images.MapPost("/{id}/upscale", UpscaleAsync)
            .WithName("UpscaleImage")
            .WithSummary("Place an order for a larger copy of an image")
            .WithDescription($"Body (optional): {{\"scale\": 2 (default) or 4, \"upscaler\": \"{ProviderRegistry.DefaultUpscaler}\" (default; GET /api/v1/providers lists upscalers)}}.")
            .WithOptionalBody<UpscaleRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Ok<ImagePageView>> SearchAsync(
        string? q, string? provider, string? minScore, string? maxScore, string? review, string? since, string? until, string? limit, string? cursor,
        EaselServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        T? Check<T>(string name, Func<T?> read)
        {
            try
            {
                return read();
            }
            catch (ApiProblemException ex)
            {
                errors[name] = [ex.Message];
                return default;
            }
        }

        var text = q?.Trim();
        if (text is { Length: > MaxSearchLength })
            errors["q"] = [$"The search text is {text.Length} characters long; keep it to {MaxSearchLength}."];
        var providerName = provider?.Trim();
        if (providerName is { Length: > Requests.MaxIdLength })
            errors["provider"] = [$"'{Requests.Shorten(providerName)}' is not a provider name; GET {ApiLinks.Root}/images/filters lists them."];
        var min = Check("minScore", () => QueryValues.Int("minScore", minScore, Evaluation.MinScore, Evaluation.MaxScore));
        var max = Check("maxScore", () => QueryValues.Int("maxScore", maxScore, Evaluation.MinScore, Evaluation.MaxScore));
        if (min is { } lo && max is { } hi && lo > hi)
            errors["minScore"] = [$"minScore {lo} is above maxScore {hi}; swap them."];
        ReviewStatus? reviewStatus = null;
        if (!string.IsNullOrWhiteSpace(review))
        {
            if (Enum.TryParse<ReviewStatus>(review.Trim(), ignoreCase: true, out var r) && Enum.IsDefined(r) && !review.Trim().All(char.IsAsciiDigit))
                reviewStatus = r;
            else
                errors["review"] = [$"'review' must be unreviewed, approved or regenerated; got '{Requests.Shorten(review)}'."];
        }
        var from = Check("since", () => Instant("since", since));
        var to = Check("until", () => Instant("until", until));
        var size = Check("limit", () => QueryValues.Int("limit", limit, 1, MaxPageSize, DefaultPageSize));
        ImageCursor? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (ImageCursor.TryParse(cursor, out var c))
                after = c;
            else
                errors["cursor"] = ["'cursor' is not one this server gave out: pass the 'next' of the previous page unchanged, or leave it out for the first page."];
        }
        if (errors.Count > 0)
            throw ApiProblemException.Invalid(errors);

        // One more than asked for says whether another page follows.
        var query = new ImageQuery(string.IsNullOrEmpty(text) ? null : text, from, to, size + 1)
        {
            Provider = string.IsNullOrEmpty(providerName) ? null : providerName,
            MinScore = min,
            MaxScore = max,
            Review = reviewStatus,
            After = after,
        };
        var found = await services.Store.Images.SearchAsync(query, cancellationToken);
        var page = found.Take(size).ToList();
        var next = found.Count > size ? ImageCursor.Of(page[^1]).Encode() : null;
        return TypedResults.Ok(new ImagePageView(page.Select(i => ImageSummaryView.From(i)).ToList(), next));
    }

    private static DateTimeOffset? Instant(string name, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (text.Length <= 40 && DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        throw ApiProblemException.Invalid(name, $"'{name}' must be an ISO 8601 date or date-time such as 2026-01-31 or 2026-01-31T18:00:00Z; got '{Requests.Shorten(text)}'.");
    }

    private static async Task<Ok<ImageFiltersView>> FiltersAsync(EaselServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ImageFiltersView(
            await services.Store.Images.ProvidersAsync(cancellationToken),
            Enum.GetValues<ReviewStatus>(),
            Evaluation.MinScore,
            Evaluation.MaxScore));

    private static async Task<Ok<ImageDetailView>> GetAsync(string id, EaselServices services, CancellationToken cancellationToken)
    {
        var image = await Requests.FindImageAsync(services, id, cancellationToken);
        return TypedResults.Ok(await DetailAsync(services, image, cancellationToken));
    }

    private static async Task<ImageDetailView> DetailAsync(EaselServices services, ImageRecord image, CancellationToken cancellationToken) =>
        ImageDetailView.From(image, await services.Images.LineageAsync(image, cancellationToken), await services.Store.Images.ChildrenAsync(image.Id, cancellationToken));

    private static async Task<IResult> FileAsync(string id, string? download, HttpContext context, EaselServices services, CancellationToken cancellationToken)
    {
        var image = await Requests.FindImageAsync(services, id, cancellationToken);
        var path = FileOf(services, image);
        var attachment = QueryValues.Bool("download", download);
        context.Response.Headers.CacheControl = CacheForever;
        if (attachment)
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{DownloadName(image)}\"";
        return TypedResults.PhysicalFile(path, image.MediaType, lastModified: image.CreatedAt, entityTag: new EntityTagHeaderValue($"\"{image.Sha256}\""));
    }

    private static async Task<IResult> ThumbnailAsync(string id, HttpContext context, EaselServices services, CancellationToken cancellationToken)
    {
        var image = await Requests.FindImageAsync(services, id, cancellationToken);
        var (path, mediaType) = await Thumbnails.GetAsync(services, image, FileOf(services, image), cancellationToken);
        context.Response.Headers.CacheControl = CacheForever;
        return TypedResults.PhysicalFile(path, mediaType, lastModified: image.CreatedAt, entityTag: new EntityTagHeaderValue($"\"{image.Sha256}-t{Thumbnails.MaxSide}\""));
    }

    /// <summary>The image's file, which must lie in the data directory's images folder and exist.</summary>
    private static string FileOf(EaselServices services, ImageRecord image)
    {
        var root = services.Store.Blobs.ImagesRoot + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(image.Path);
        if (!path.StartsWith(root, StringComparison.Ordinal) || !File.Exists(path))
            throw ApiProblemException.NotFound($"The file of image {image.Id} is missing from the data directory; its record remains (GET {ApiLinks.Image(image.Id)}).");
        return path;
    }

    /// <summary>"red-fox-in-the-snow-img_01jd….png": words of the prompt, then the id, then the type's extension.</summary>
    internal static string DownloadName(ImageRecord image)
    {
        var slug = new StringBuilder();
        foreach (var c in image.Prompt.ToLowerInvariant())
        {
            if (slug.Length >= 40)
                break;
            if (char.IsAsciiLetterOrDigit(c))
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
        }
        var words = slug.ToString().Trim('-');
        var extension = image.MediaType switch
        {
            "image/jpeg" => "jpg",
            "image/webp" => "webp",
            "image/gif" => "gif",
            _ => "png",
        };
        return $"{(words.Length > 0 ? words + "-" : "")}{image.Id}.{extension}";
    }

    private static async Task<Results<Ok<ImageDetailView>, Created<OrderView>>> ReviewAsync(
        string id, HttpContext context, ClaimsPrincipal user, EaselServices services, OrderFeed feed)
    {
        var cancellationToken = context.RequestAborted;
        var image = await Requests.FindImageAsync(services, id, cancellationToken);
        var body = await Requests.ReadJsonAsync<ReviewRequest>(context, required: true);
        switch (body!.Action?.Trim().ToLowerInvariant())
        {
            case "approve":
                await CheckReviewableAsync(services, image, cancellationToken);
                var approved = await services.Images.ApproveAsync(image.Id, Requests.UserName(user, services), cancellationToken);
                return TypedResults.Ok(await DetailAsync(services, approved, cancellationToken));
            case "regenerate":
                var placed = await services.Images.RegenerateAsync(image.Id, PlaceOptions(user, services), cancellationToken);
                return await CreatedAsync(services, feed, placed, cancellationToken);
            default:
                throw ApiProblemException.Invalid("action", $"'action' must be approve or regenerate; got '{Requests.Shorten(body.Action ?? "")}'.");
        }
    }

    /// <summary>As <c>easel review</c>: only a final image of a finished order, not already replaced, can be approved.</summary>
    private static async Task CheckReviewableAsync(EaselServices services, ImageRecord image, CancellationToken cancellationToken)
    {
        var order = await services.Store.Orders.FindAsync(image.OrderId, cancellationToken)
            ?? throw ApiProblemException.NotFound($"Image {image.Id} belongs to order {image.OrderId}, which is not in the store.");
        if (!order.Status.IsFinished())
        {
            throw ApiProblemException.Conflict("Order not finished",
                $"Order {order.Id} is {order.Status.ToText().Replace('_', ' ')}; review its images once it has finished.");
        }
        var result = OrderResult.Build(
            order, await services.Store.Images.ListByOrderAsync(order.Id, cancellationToken), await services.Store.Orders.BatchesAsync(order.Id, cancellationToken));
        var finals = result.FinalImages;
        if (!finals.Any(i => i.Id == image.Id))
        {
            throw ApiProblemException.Conflict("Not a final image",
                $"{image.Id} is not one of order {order.Id}'s final images ({string.Join(", ", finals.Select(i => i.Id))}); review those.");
        }
        var current = await services.Images.CurrentAsync(image, cancellationToken);
        if (current.Id != image.Id)
            throw ApiProblemException.Conflict("Image replaced", $"{image.Id} was regenerated; review its replacement {current.Id}.");
    }

    private static async Task<Created<OrderView>> VaryAsync(string id, HttpContext context, ClaimsPrincipal user, EaselServices services, OrderFeed feed)
    {
        var cancellationToken = context.RequestAborted;
        var image = await Requests.FindImageAsync(services, id, cancellationToken);
        var body = await Requests.ReadJsonAsync<VaryRequest>(context, required: false);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var count = body?.Count ?? 1;
        if (count is < 1 or > ImageActions.MaxVariations)
            errors["count"] = [$"'count' must be between 1 and {ImageActions.MaxVariations}; got {count}."];
        var strength = VariationStrength.Subtle;
        switch (body?.Strength?.Trim().ToLowerInvariant())
        {
            case null or "" or "subtle":
                break;
            case "strong":
                strength = VariationStrength.Strong;
                break;
            default:
                errors["strength"] = [$"'strength' must be subtle or strong; got '{Requests.Shorten(body.Strength)}'."];
                break;
        }
        if (errors.Count > 0)
            throw ApiProblemException.Invalid(errors);
        var placed = await services.Images.VaryAsync(image.Id, count, strength, PlaceOptions(user, services), cancellationToken);
        return await CreatedAsync(services, feed, placed, cancellationToken);
    }

    private static async Task<Created<OrderView>> UpscaleAsync(string id, HttpContext context, ClaimsPrincipal user, EaselServices services, OrderFeed feed)
    {
        var cancellationToken = context.RequestAborted;
        var image = await Requests.FindImageAsync(services, id, cancellationToken);
        var body = await Requests.ReadJsonAsync<UpscaleRequest>(context, required: false);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var scale = body?.Scale ?? 2;
        if (scale is not (2 or 4))
            errors["scale"] = [$"'scale' must be 2 or 4; got {scale}."];
        var upscaler = string.IsNullOrWhiteSpace(body?.Upscaler) ? ProviderRegistry.DefaultUpscaler : body.Upscaler.Trim();
        if (upscaler.Length > Requests.MaxIdLength)
            errors["upscaler"] = [$"'{Requests.Shorten(upscaler)}' is not an upscaler; GET {ApiLinks.Root}/providers lists them."];
        else if (services.ProviderProblem(upscaler, ProviderKind.Upscaler) is { } problem)
            errors["upscaler"] = [problem];
        if (errors.Count > 0)
            throw ApiProblemException.Invalid(errors);
        var placed = await services.Images.UpscaleAsync(image.Id, scale, upscaler, PlaceOptions(user, services), cancellationToken);
        return await CreatedAsync(services, feed, placed, cancellationToken);
    }

    /// <summary>As every order placed through the API: the approval rules in force, never approved up front.</summary>
    private static PlaceOptions PlaceOptions(ClaimsPrincipal user, EaselServices services) =>
        new(services.Settings.Approval, Requests.UserName(user, services));

    private static async Task<Created<OrderView>> CreatedAsync(EaselServices services, OrderFeed feed, PlacedOrder placed, CancellationToken cancellationToken)
    {
        Requests.Nudge(services, feed);
        return TypedResults.Created(ApiLinks.Order(placed.Order.Id), await OrderViews.DetailAsync(services, placed.Order, cancellationToken));
    }
}
