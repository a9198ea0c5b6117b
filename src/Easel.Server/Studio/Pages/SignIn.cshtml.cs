using Easel.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Easel.Server.Studio.Pages;

/// <summary>
/// Sign in with the requester or approver token (only when the server has tokens); the studio then
/// keeps a session cookie. Without tokens everyone on this machine is already the local user.
/// </summary>
internal sealed class SignInModel(AccessControl access) : PageModel
{
    public bool RequiresTokens => access.RequiresTokens;

    [BindProperty]
    public string? Token { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!access.RequiresTokens)
            return Redirect("/");
        var role = access.RoleOf(Token?.Trim());
        if (role is null)
        {
            Error = string.IsNullOrWhiteSpace(Token)
                ? "Enter the requester or approver token this server was given."
                : "That token is not one this server accepts. Check it with whoever runs the server.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await HttpContext.SignInAsync(AccessControl.CookieScheme, access.Principal(role, Name, AccessControl.CookieScheme));
        return Redirect(SafeReturnUrl);
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(AccessControl.CookieScheme);
        return Redirect("/signin");
    }

    /// <summary>Where to go after signing in: only a path on this site, never another site.</summary>
    public string SafeReturnUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) && !ReturnUrl.StartsWith("/signin", StringComparison.OrdinalIgnoreCase)
        ? ReturnUrl
        : "/";
}
