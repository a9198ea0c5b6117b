using Microsoft.Playwright;

namespace Easel.Server.Tests.Browser;

/// <summary>
/// Full-page screenshots of the studio for the documentation, taken only when the environment
/// variable <see cref="Variable"/> names a folder to put them in (ordinary test runs take none).
/// </summary>
internal static class Screenshots
{
    public const string Variable = "EASEL_SCREENSHOTS";

    public static string? Folder => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } folder ? folder : null;

    /// <summary>Saves <paramref name="page"/> as <c>name.png</c> in the folder, when one is set.</summary>
    public static async Task SaveAsync(IPage page, string name)
    {
        if (Folder is not { } folder)
            return;
        Directory.CreateDirectory(folder);
        // Lazy images below the fold would show as blanks: load them all first. (Network idle never
        // comes on pages that hold a live event stream open.)
        await page.EvaluateAsync("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')");
        await page.WaitForFunctionAsync("() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)");
        // From the top: a sticky header scrolled along would be painted across the middle of the page.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
        });
    }
}
