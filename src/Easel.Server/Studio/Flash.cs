using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Easel.Server.Studio;

/// <summary>
/// A one-time message after an action ("Approved image 2", "Regenerating in order ord_…"), carried
/// across the redirect that follows a form post, or set for the page being rendered.
/// </summary>
/// <param name="Tone">good, bad or info: the colour of the notice.</param>
internal sealed record Flash(string Tone, string Text, string? LinkHref = null, string? LinkText = null)
{
    private const string Key = "easel.flash";

    public static Flash Good(string text, string? href = null, string? linkText = null) => new("good", text, href, linkText);

    public static Flash Bad(string text) => new("bad", text);

    /// <summary>Keeps the message for the next page this browser loads (after a redirect).</summary>
    public void Keep(ITempDataDictionary tempData) => tempData[Key] = JsonSerializer.Serialize(this);

    /// <summary>Shows the message on the page being rendered.</summary>
    public void Show(ViewDataDictionary viewData) => viewData[Key] = this;

    /// <summary>The message for this page, if any: one set for it, else one kept for it.</summary>
    public static Flash? Read(ViewContext context)
    {
        if (context.ViewData[Key] is Flash shown)
            return shown;
        return context.TempData[Key] is string json ? JsonSerializer.Deserialize<Flash>(json) : null;
    }
}
