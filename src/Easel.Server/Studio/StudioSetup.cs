using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Easel.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Easel.Server.Studio;

/// <summary>The web studio: Razor Pages under Studio/Pages and its stylesheet and script, embedded in the assembly.</summary>
internal static class StudioSetup
{
    public static void AddEaselStudio(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Studio/Pages";
                o.Conventions.AuthorizeFolder("/", EaselPolicies.Requester);
                o.Conventions.AllowAnonymousToPage("/SignIn");
            })
            .AddApplicationPart(typeof(StudioSetup).Assembly);
        // Prompts in any script stay readable in the page source; Razor still encodes what HTML needs encoded.
        // (Only the HTML encoder: URLs and headers keep the default, strict encoders.)
        services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
    }

    public static void MapEaselStudio(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HttpContext context) => StudioAssets.Serve(name, context)).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorPages();
    }
}

/// <summary>Serves the embedded files under Studio/Assets by name, with a content hash as ETag.</summary>
internal static class StudioAssets
{
    private const string Prefix = "Easel.Server.Assets.";
    private static readonly Assembly Assembly = typeof(StudioAssets).Assembly;
    private static readonly Dictionary<string, (byte[] Bytes, string Type, string ETag)> Files = Load();

    public static IResult Serve(string name, HttpContext context)
    {
        if (!Files.TryGetValue(name, out var file))
            return Results.NotFound();
        if (context.Request.Headers.IfNoneMatch.ToString() == file.ETag)
            return Results.StatusCode(StatusCodes.Status304NotModified);
        context.Response.Headers.ETag = file.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(file.Bytes, file.Type);
    }

    private static Dictionary<string, (byte[], string, string)> Load()
    {
        var files = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var resource in Assembly.GetManifestResourceNames().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = Assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            var name = resource[Prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                ".png" => "image/png",
                _ => "application/octet-stream",
            };
            files[name] = (bytes, type, $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16]}\"");
        }
        return files;
    }
}
