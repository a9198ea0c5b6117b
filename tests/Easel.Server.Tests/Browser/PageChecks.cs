using Microsoft.Playwright;

namespace Easel.Server.Tests.Browser;

/// <summary>Things a person checks by looking, as browser-side checks.</summary>
internal static class PageChecks
{
    /// <summary>
    /// Waits until at least <paramref name="count"/> images match <paramref name="selector"/> and all of them
    /// have really loaded (decoded, with a width), scrolling to any lazy one still waiting, as a person would.
    /// </summary>
    public static Task WaitForImagesAsync(IPage page, string selector, int count) =>
        page.WaitForFunctionAsync(
            """
            ([selector, count]) => {
              const images = Array.from(document.querySelectorAll(selector));
              const waiting = images.find(i => !(i.complete && i.naturalWidth > 0));
              if (waiting) waiting.scrollIntoView({ block: "nearest" });
              return images.length >= count && !waiting;
            }
            """,
            new object[] { selector, count });

    /// <summary>Null when the page does not scroll sideways; else how wide it is and which elements stick out.</summary>
    public static Task<string?> SidewaysScrollAsync(IPage page) =>
        page.EvaluateAsync<string?>(
            """
            () => {
              const root = document.documentElement;
              if (root.scrollWidth <= root.clientWidth) return null;
              const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                + (typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "");
              const wide = Array.from(document.querySelectorAll("body *"))
                .filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5)
                .slice(0, 6).map(name);
              return "scrollWidth " + root.scrollWidth + " > clientWidth " + root.clientWidth + "; sticking out: " + wide.join(", ");
            }
            """);

    /// <summary>Presses Tab until <paramref name="target"/> has the focus; false when it never gets it within <paramref name="presses"/>.</summary>
    public static async Task<bool> TabToAsync(IPage page, ILocator target, int presses = 40)
    {
        for (var i = 0; i < presses; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
                return true;
        }
        return false;
    }
}
