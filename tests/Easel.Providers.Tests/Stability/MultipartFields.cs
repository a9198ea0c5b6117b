using Easel.Providers.Tests.Fakes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Easel.Providers.Tests.Stability;

/// <summary>A recorded multipart body read back into its text fields and file parts.</summary>
internal sealed record MultipartFields(Dictionary<string, string> Fields, Dictionary<string, (string? ContentType, byte[] Bytes)> Files)
{
    public static async Task<MultipartFields> ReadAsync(RecordedRequest request)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value
            ?? throw new InvalidOperationException("The request has no multipart boundary.");
        var reader = new MultipartReader(boundary, new MemoryStream(request.Body));
        var fields = new Dictionary<string, string>();
        var files = new Dictionary<string, (string?, byte[])>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value!;
            using var copy = new MemoryStream();
            await section.Body.CopyToAsync(copy);
            if (disposition.FileName.HasValue)
                files.Add(name, (section.ContentType, copy.ToArray()));
            else
                fields.Add(name, System.Text.Encoding.UTF8.GetString(copy.ToArray()));
        }
        return new MultipartFields(fields, files);
    }
}
