using System.Globalization;
using System.Text;

namespace Easel.Imaging.Sketch;

public enum SketchTimeOfDay
{
    Day,
    Dawn,
    Sunset,
    Night,
}

public enum SketchSetting
{
    /// <summary>Rolling green hills: what is painted when the prompt names no place.</summary>
    Meadow,
    Forest,
    Sea,
    Desert,
    Mountains,
    City,
    Snow,
    /// <summary>A plain backdrop (studio, "white background", product shot).</summary>
    Studio,
}

public enum SketchSubjectKind
{
    Animal,
    Person,
    Vehicle,
    Building,
    Product,
    Plant,
}

public enum SketchLighting
{
    Natural,
    Soft,
    Dramatic,
    Neon,
}

public enum SketchStyle
{
    /// <summary>The default: clean vector-illustration look with gentle gradients.</summary>
    Illustration,
    Watercolor,
    PixelArt,
    Flat,
    Minimal,
    Photographic,
    Cyberpunk,
    Neon,
}

public enum SketchWeather
{
    Clear,
    Cloudy,
    Rain,
    Fog,
    Snowfall,
}

/// <summary>
/// Finishing requests a prompt can add on top of the scene ("sharp focus", "high contrast", "plain white
/// background"...): each moves one measurable quality of the picture in its direction.
/// </summary>
[Flags]
public enum SketchEnhancements
{
    None = 0,

    /// <summary>No depth-of-field blur, less bloom, crisper edges.</summary>
    SharpFocus = 1,

    /// <summary>Crisper edges and small shapes (sharpening), less blur.</summary>
    FineDetail = 2,

    /// <summary>A wider tonal range: darker darks and brighter lights.</summary>
    HighContrast = 4,

    /// <summary>Light without vignette or fall-off, gentler shading on the subject.</summary>
    EvenLighting = 8,

    /// <summary>In a studio: one flat, even backdrop colour, no floor band or vignette.</summary>
    PlainBackground = 16,

    /// <summary>Bigger, more numerous sparkles and brighter gem highlights on jewellery and glass.</summary>
    Brilliance = 32,

    /// <summary>Highlights rolled off before they clip, shadows lifted, a dark picture brightened.</summary>
    BalancedExposure = 64,

    /// <summary>A brighter picture overall.</summary>
    Bright = 128,

    /// <summary>A darker sky.</summary>
    DarkSky = 256,

    /// <summary>More saturated colour everywhere.</summary>
    Vivid = 512,

    /// <summary>Less saturated colour everywhere.</summary>
    Muted = 1024,
}

/// <summary>A colour the prompt named, with the word that named it.</summary>
public readonly record struct SketchColor(string Name, byte R, byte G, byte B)
{
    public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{R:X2}{G:X2}{B:X2}");

    public override string ToString() => Name;
}

/// <summary>A thing to draw in the foreground.</summary>
/// <param name="Noun">The canonical word, e.g. "fox", "car", "ring".</param>
/// <param name="Color">Main colour (fur, paint, clothes, metal); null for the thing's natural colour.</param>
/// <param name="SecondColor">A second main colour ("a black and white cat").</param>
/// <param name="DetailColor">Eyes (animal), hair (person), roof (building), sail (boat), gem (jewellery), flower (plant).</param>
/// <param name="Count">How many (1-5).</param>
/// <param name="Scale">Relative size from words such as tiny or giant (1 = normal).</param>
public sealed record SketchSubject(
    SketchSubjectKind Kind,
    string Noun,
    SketchColor? Color,
    SketchColor? SecondColor,
    SketchColor? DetailColor,
    int Count,
    double Scale);

/// <summary>Everything the renderer understood from a request; <see cref="SketchRenderer.Render"/> paints exactly this.</summary>
/// <param name="Elements">Scenery the prompt asked for explicitly (e.g. "rainbow", "flowers", "birds", "water").</param>
/// <param name="ElementColors">Colours attached to scenery words: "sky", "water", "ground", "trees", "mountains", "background", ...</param>
/// <param name="AccentColors">Colour words not attached to anything: they tint the whole scene.</param>
/// <param name="Removed">Things excluded by "no"/"without" or by the negative prompt (e.g. "people", "trees", "clouds").</param>
/// <param name="RecognizedWords">The vocabulary words found, in prompt order (for tools to show what was understood).</param>
public sealed record SketchScene(
    SketchTimeOfDay TimeOfDay,
    SketchSetting Setting,
    bool Snowy,
    SketchWeather Weather,
    IReadOnlyList<SketchSubject> Subjects,
    SketchLighting Lighting,
    SketchStyle Style,
    IReadOnlyList<string> Elements,
    IReadOnlyDictionary<string, SketchColor> ElementColors,
    IReadOnlyList<SketchColor> AccentColors,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> RecognizedWords)
{
    /// <summary>Finishing requests from the prompt (none unless it uses those words).</summary>
    public SketchEnhancements Enhancements { get; init; }

    public bool IsRemoved(string element) => Removed.Contains(element);

    public bool Enhanced(SketchEnhancements enhancement) => (Enhancements & enhancement) != 0;

    public bool Has(string element) => Elements.Contains(element);

    /// <summary>A one-line plain-English account, e.g. "a red fox (animal) in a snowy forest at sunset; watercolor".</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        if (Subjects.Count == 0)
            text.Append("a landscape");
        for (var i = 0; i < Subjects.Count; i++)
        {
            var s = Subjects[i];
            if (i > 0)
                text.Append(i == Subjects.Count - 1 ? " and " : ", ");
            var group = s.Noun is "family" or "couple";
            text.Append(s.Count > 1 && !group ? s.Count.ToString(CultureInfo.InvariantCulture) + " " : "a ");
            if (s.Color is { } c)
                text.Append(c.Name).Append(s.SecondColor is { } c2 ? " and " + c2.Name : "").Append(' ');
            text.Append(s.Noun).Append(s.Count > 1 && !group ? "(s)" : "").Append(" (").Append(s.Kind.ToString().ToLowerInvariant()).Append(')');
        }
        text.Append(Setting == SketchSetting.Studio ? " on a " : " in a ");
        if (Snowy && Setting != SketchSetting.Snow)
            text.Append("snowy ");
        text.Append(Setting.ToString().ToLowerInvariant());
        if (Setting != SketchSetting.Studio)
            text.Append(" at ").Append(TimeOfDay.ToString().ToLowerInvariant());
        if (Weather != SketchWeather.Clear)
            text.Append(", ").Append(Weather.ToString().ToLowerInvariant());
        text.Append("; ").Append(Style == SketchStyle.PixelArt ? "pixel-art" : Style.ToString().ToLowerInvariant());
        if (Lighting != SketchLighting.Natural)
            text.Append(", ").Append(Lighting.ToString().ToLowerInvariant()).Append(" light");
        if (AccentColors.Count > 0)
            text.Append(", tinted ").Append(string.Join("/", AccentColors.Select(a => a.Name)));
        if (Removed.Count > 0)
            text.Append(", without ").Append(string.Join(", ", Removed));
        if (Enhancements != SketchEnhancements.None)
        {
            var names = Enum.GetValues<SketchEnhancements>().Where(e => e != SketchEnhancements.None && Enhanced(e))
                .Select(e => string.Concat(e.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())));
            text.Append("; ").Append(string.Join(", ", names));
        }
        return text.ToString();
    }
}
