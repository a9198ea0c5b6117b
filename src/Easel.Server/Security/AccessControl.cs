using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Easel.Workflows;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Easel.Server.Api;

namespace Easel.Server.Security;

/// <summary>The two kinds of people the server knows: those who order and those who may also approve.</summary>
public static class EaselRoles
{
    public const string Requester = "requester";
    public const string Approver = "approver";
}

/// <summary>Authorization policies: <see cref="Requester"/> for everything, <see cref="Approver"/> for decisions.</summary>
public static class EaselPolicies
{
    public const string Requester = "requester";
    public const string Approver = "approver";
}

/// <summary>
/// Who is asking. Without tokens (loopback only) everyone on this machine is the local user with
/// both roles. With tokens, API clients send <c>Authorization: Bearer TOKEN</c> and the studio signs
/// in once with a token and keeps a cookie; the approver token grants both roles.
/// </summary>
public sealed class AccessControl(ServerOptions options, EaselServices services)
{
    public const string Scheme = "Easel";
    public const string TokenScheme = "EaselToken";
    public const string CookieScheme = "EaselCookie";
    public const string LocalScheme = "EaselLocal";

    /// <summary>Longest display name kept for the audit trail.</summary>
    public const int MaxNameLength = 64;

    /// <summary>True when the server asks for tokens; false means loopback-only and open to this machine's users.</summary>
    public bool RequiresTokens => options.Settings.HasTokens;

    /// <summary>The role a token grants, or null when it is neither token (compared in constant time).</summary>
    public string? RoleOf(string? token)
    {
        if (!RequiresTokens || string.IsNullOrEmpty(token))
            return null;
        if (Matches(token, options.Settings.ApproverToken!))
            return EaselRoles.Approver;
        if (Matches(token, options.Settings.RequesterToken!))
            return EaselRoles.Requester;
        return null;
    }

    /// <summary>The identity a token holder gets; <paramref name="name"/> is what the audit trail records them as.</summary>
    public ClaimsPrincipal Principal(string role, string? name, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, CleanName(name) ?? role), new(ClaimTypes.Role, EaselRoles.Requester) };
        if (role == EaselRoles.Approver)
            claims.Add(new Claim(ClaimTypes.Role, EaselRoles.Approver));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The local user, with both roles, when no tokens are configured.</summary>
    public ClaimsPrincipal LocalPrincipal() => Principal(EaselRoles.Approver, services.UserName, LocalScheme);

    /// <summary>A name fit for the audit trail: printable, trimmed, at most <see cref="MaxNameLength"/> characters; null when blank.</summary>
    public static string? CleanName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        var clean = new string(name.Trim().Where(c => !char.IsControl(c)).ToArray());
        return clean.Length == 0 ? null : clean.Length > MaxNameLength ? clean[..MaxNameLength] : clean;
    }

    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

/// <summary>Reads <c>Authorization: Bearer TOKEN</c>; an optional <c>X-Easel-User</c> names the caller in the audit trail.</summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessControl access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string UserHeader = "X-Easel-User";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        var role = access.RoleOf(header["Bearer ".Length..].Trim());
        if (role is null)
            return Task.FromResult(AuthenticateResult.Fail("The bearer token is not one this server accepts."));
        var principal = access.Principal(role, Request.Headers[UserHeader].ToString(), AccessControl.TokenScheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, AccessControl.TokenScheme)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Sign in first",
            "Send the requester or approver token as 'Authorization: Bearer TOKEN'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Approver token needed",
            "Only the approver token may approve or reject orders; this request carried the requester token.");
}

/// <summary>Everyone is the local user: the server listens on this machine only and has no tokens.</summary>
internal sealed class LocalAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessControl access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(access.LocalPrincipal(), AccessControl.LocalScheme)));
}

internal static class AccessControlSetup
{
    public static void AddEaselAccessControl(this IServiceCollection services)
    {
        services.AddSingleton<AccessControl>();
        services.AddAuthentication(AccessControl.Scheme)
            .AddPolicyScheme(AccessControl.Scheme, "Easel", o => o.ForwardDefaultSelector = context =>
            {
                var access = context.RequestServices.GetRequiredService<AccessControl>();
                if (!access.RequiresTokens)
                    return AccessControl.LocalScheme;
                // The studio's own scripts call the API with the session cookie; other clients send the token.
                return context.Request.Headers.Authorization.Count > 0 ? AccessControl.TokenScheme : AccessControl.CookieScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(AccessControl.TokenScheme, null)
            .AddScheme<AuthenticationSchemeOptions, LocalAuthenticationHandler>(AccessControl.LocalScheme, null)
            .AddCookie(AccessControl.CookieScheme, o =>
            {
                o.Cookie.Name = "easel_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/signin";
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => IsApi(context.Request)
                    ? Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign in first",
                        "Send the requester or approver token as 'Authorization: Bearer TOKEN'.")
                    : Redirect(context);
                o.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                    ? Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Approver token needed",
                        "Only the approver token may approve or reject orders; this session signed in with the requester token.")
                    : Redirect(context);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(EaselPolicies.Requester, p => p.RequireRole(EaselRoles.Requester, EaselRoles.Approver))
            .AddPolicy(EaselPolicies.Approver, p => p.RequireRole(EaselRoles.Approver));
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>API requests answer 401/403 with a problem; only studio pages redirect to sign in.</summary>
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
