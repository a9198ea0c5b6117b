using System.Globalization;
using System.Text;
using Easel.Core.Generation;
using Easel.Providers.References;
using Easel.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Easel.Server.Api;

/// <summary>
/// Reads an order from a request: a JSON <see cref="OrderInput"/>, or multipart/form-data with the
/// same fields and reference images as files in <c>references</c>. Files are streamed through the
/// same checks as <c>--refs</c> one by one, never buffered whole or written anywhere first.
/// </summary>
internal static class OrderForms
{
    /// <summary>Largest request with reference uploads: every file at its limit, plus the fields.</summary>
    public const long MaxUploadRequestBytes = OrderInput.MaxReferences * ReferenceOptions.DefaultMaxBytes + EaselServer.MaxRequestBytes;

    /// <summary>Most parts in one form: every field a few times over, and the files.</summary>
    private const int MaxParts = 64;

    public static async Task<(OrderInput Input, IReadOnlyList<ReferenceImage> Uploads)> ReadAsync(HttpContext context, EaselServices services)
    {
        var request = context.Request;
        if (request.ContentType is { } type && type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return await ReadMultipartAsync(context, services);
        if (request.ContentType is not null && !Requests.IsJson(request))
        {
            throw new ApiProblemException(
                Problems.Result(StatusCodes.Status415UnsupportedMediaType, "Send JSON or a form",
                    "Send the order as JSON (Content-Type: application/json) or, with reference image files, as multipart/form-data."),
                "Unsupported media type.");
        }
        var input = await Requests.ReadJsonAsync<OrderInput>(context, required: true);
        return (input!, []);
    }

    private static async Task<(OrderInput, IReadOnlyList<ReferenceImage>)> ReadMultipartAsync(HttpContext context, EaselServices services)
    {
        var cancellationToken = context.RequestAborted;
        var boundary = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media)
            ? HeaderUtilities.RemoveQuotes(media.Boundary).Value
            : null;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
            throw ApiProblemException.BadRequest("Bad form", "The multipart/form-data body has no usable boundary; let your HTTP client build the form.");

        var reader = new MultipartReader(boundary, context.Request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var urls = new List<string>();
        var uploads = new List<ReferenceImage>();
        long textBytes = 0;
        var parts = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (++parts > MaxParts)
                    throw ApiProblemException.BadRequest("Form too long", $"The form has more than {MaxParts} parts; send each field once.");
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } rawName)
                {
                    throw ApiProblemException.BadRequest("Bad form", "Every part of the form needs a Content-Disposition: form-data header with a name.");
                }
                var name = Key(rawName);
                if (disposition.FileName.HasValue || disposition.FileNameStar.HasValue)
                {
                    var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    if (string.IsNullOrEmpty(fileName))
                        continue; // a file input left empty: browsers send it without a name or content
                    if (name != "references")
                        throw ApiProblemException.Invalid(name, $"Only 'references' takes files; '{Requests.Shorten(fileName)}' was sent as '{name}'.");
                    if (uploads.Count + urls.Count >= OrderInput.MaxReferences)
                        throw ApiProblemException.Invalid("references", $"At most {OrderInput.MaxReferences} reference images per order.");
                    uploads.Add(await services.References.LoadUploadAsync(fileName, section.Body, cancellationToken));
                    continue;
                }
                var text = await ReadTextAsync(section.Body, Requests.MaxJsonBytes - textBytes, cancellationToken);
                textBytes += Encoding.UTF8.GetByteCount(text);
                if (name == "references")
                {
                    if (!string.IsNullOrWhiteSpace(text))
                        urls.Add(text);
                }
                else
                {
                    fields[name] = text;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw Requests.TooLarge(MaxUploadRequestBytes);
        }
        catch (InvalidDataException ex)
        {
            throw ApiProblemException.BadRequest("Bad form", $"The multipart/form-data body cannot be read ({ex.Message}); let your HTTP client build the form.");
        }
        return (ToInput(fields, urls), uploads);
    }

    /// <summary>Form names as the JSON fields spell them, whatever the case or separators ("aspect_ratio", "aspect-ratio").</summary>
    private static string Key(string name)
    {
        var plain = name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return plain switch
        {
            "aspectratio" => "aspectRatio",
            "negativeprompt" => "negativePrompt",
            "maxiterations" => "maxIterations",
            "references" or "refs" or "references[]" => "references",
            _ => Fields.FirstOrDefault(f => f.Equals(plain, StringComparison.OrdinalIgnoreCase)) ?? name,
        };
    }

    private static readonly string[] Fields =
        ["prompt", "count", "size", "style", "seed", "background", "provider", "quality", "format", "threshold", "candidates", "preset"];

    private static OrderInput ToInput(Dictionary<string, string> fields, List<string> urls)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? Text(string key) => fields.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        int? Int(string key)
        {
            if (Text(key) is not { } text)
                return null;
            if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                return value;
            errors[key] = [$"'{key}' must be a whole number; got '{Requests.Shorten(text.Trim())}'."];
            return null;
        }

        long? seed = null;
        if (Text("seed") is { } seedText)
        {
            if (long.TryParse(seedText.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
                seed = s;
            else
                errors["seed"] = [$"'seed' must be a whole number; got '{Requests.Shorten(seedText.Trim())}'."];
        }
        var input = new OrderInput
        {
            Prompt = Text("prompt"),
            Count = Int("count"),
            Size = Text("size"),
            AspectRatio = Text("aspectRatio"),
            Style = Text("style"),
            NegativePrompt = Text("negativePrompt"),
            Seed = seed,
            Background = Text("background"),
            Provider = Text("provider"),
            Quality = Text("quality"),
            Format = Text("format"),
            MaxIterations = Int("maxIterations"),
            Threshold = Int("threshold"),
            Candidates = Int("candidates"),
            Preset = Text("preset"),
            References = urls,
        };
        if (errors.Count > 0)
            throw new OrderInputException(errors);
        return input;
    }

    private static async Task<string> ReadTextAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                throw Requests.TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
