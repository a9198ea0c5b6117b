using Microsoft.AspNetCore.Http;

namespace Easel.Server.Security;

/// <summary>Headers on every response: the studio runs only its own script and style and is never framed.</summary>
internal static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        return next(context);
    }
}

/// <summary>
/// Refuses state-changing requests that a browser sent on behalf of another site. Browsers send
/// <c>Origin</c> (and <c>Sec-Fetch-Site</c>) with every cross-site POST, so this stops forged
/// requests to the API even on a loopback server without tokens; the studio's forms also carry
/// anti-forgery tokens.
/// </summary>
internal static class SameOrigin
{
    public static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            await next(context);
            return;
        }
        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site"
            || (request.Headers.Origin.ToString() is { Length: > 0 } origin && !SameAsRequest(origin, request)))
        {
            await Api.Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
                "This request came from another web site; Easel only accepts changes from its own pages or from API clients.");
            return;
        }
        await next(context);
    }

    private static bool SameAsRequest(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var url)
        && string.Equals(url.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
