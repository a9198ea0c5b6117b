using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Formats;
using Easel.Providers.Http;

namespace Easel.Providers.Stability;

/// <summary>An image as Stability AI answers it, with its <c>finish-reason</c> and <c>seed</c>.</summary>
internal sealed record StabilityImage(byte[] Bytes, string MediaType, long? Seed, string? FinishReason, string? RequestId);

/// <summary>What the generate and upscale routes share: the multipart body and the image answer.</summary>
internal static class StabilityImages
{
    public const string Filtered = "CONTENT_FILTERED";

    public static void Field(MultipartFormDataContent form, string name, string value) => form.Add(new StringContent(value), name);

    public static void Field(MultipartFormDataContent form, string name, double value) =>
        form.Add(new StringContent(value.ToString("0.###", CultureInfo.InvariantCulture)), name);

    public static void Image(MultipartFormDataContent form, byte[] bytes, string mediaType)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        form.Add(part, "image", "image." + mediaType.Split('/')[^1]);
    }

    /// <summary>Reads raw image bytes (<c>accept: image/*</c>) or, should the server answer in JSON, its base64 form.</summary>
    public static StabilityImage Read(VendorResponse response, string vendor)
    {
        byte[] bytes;
        string? finish;
        long? seed;
        if (response.MediaType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            (bytes, finish, seed) = ReadJson(response, vendor);
        }
        else
        {
            bytes = response.Body;
            finish = Header(response, "finish-reason");
            seed = long.TryParse(Header(response, "seed"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
        }
        try
        {
            return new StabilityImage(bytes, ImageHeader.Read(bytes).MediaType, seed, finish, response.RequestId);
        }
        catch (ImageFormatException ex)
        {
            throw new ProviderException(vendor, ProviderErrorKind.Failed,
                $"{vendor} answered with something that is not an image ({ex.Message.TrimEnd('.')}{VendorHttp.RequestIdText(response.RequestId)}).", response.RequestId, inner: ex);
        }
    }

    /// <summary>Stops at an image the output filter blurred: it is not what was asked for.</summary>
    public static StabilityImage NotFiltered(StabilityImage image, string vendor, string what)
    {
        if (string.Equals(image.FinishReason, Filtered, StringComparison.OrdinalIgnoreCase))
            throw new ProviderException(vendor, ProviderErrorKind.Refused,
                $"{vendor} refused {what} ({Filtered}{VendorHttp.RequestIdText(image.RequestId)}): its output filter blurred the result.", image.RequestId);
        if (image.FinishReason is { Length: > 0 } reason && !string.Equals(reason, "SUCCESS", StringComparison.OrdinalIgnoreCase))
            throw new ProviderException(vendor, ProviderErrorKind.Failed,
                $"{vendor} did not finish the image ({reason}{VendorHttp.RequestIdText(image.RequestId)}).", image.RequestId);
        return image;
    }

    private static (byte[] Bytes, string? Finish, long? Seed) ReadJson(VendorResponse response, string vendor)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            var b64 = root.TryGetProperty("image", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            var finish = root.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            long? seed = root.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null;
            return (Convert.FromBase64String(b64 ?? ""), finish, seed);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new ProviderException(vendor, ProviderErrorKind.Failed,
                $"{vendor} answered with JSON Easel cannot read as an image ({VendorHttp.Short(ex.Message).TrimEnd('.')}{VendorHttp.RequestIdText(response.RequestId)}).", response.RequestId, inner: ex);
        }
    }

    private static string? Header(VendorResponse response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
