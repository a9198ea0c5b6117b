using Easel.Imaging.Metrics;

namespace Easel.Core.Quality.Builtin;

/// <summary>A colour a prompt can name, with the pixels that count as it.</summary>
/// <param name="Name">The canonical word ("red", "gold", "sky blue").</param>
/// <param name="Hue">Centre hue in degrees.</param>
/// <param name="HueHalfWidth">Degrees either side of <paramref name="Hue"/> that still read as this colour.</param>
/// <param name="Saturation">Typical HSV saturation, 0..1.</param>
/// <param name="Value">Typical HSV value, 0..1.</param>
internal sealed record ColorWord(string Name, double Hue, double HueHalfWidth, double Saturation, double Value)
{
    /// <summary>Greys, white and black: judged by lightness, not hue.</summary>
    public bool IsNeutral => Saturation < 0.2;

    /// <summary>The HSV box of pixels that count as this colour, narrowed by a modifier ("pale", "dark", "vivid", "muted").</summary>
    public HsvRange Range(string? modifier)
    {
        if (IsNeutral)
        {
            var (lo, hi) = Value switch
            {
                >= 0.9 => (0.82, 1.0),
                <= 0.2 => (0.0, 0.22),
                _ => (Math.Max(0.2, Value - 0.22), Math.Min(0.95, Value + 0.18)),
            };
            if (Value is > 0.2 and < 0.9)
            {
                if (modifier is "light" or "pale" or "pastel" or "soft")
                    (lo, hi) = (Math.Min(0.85, lo + 0.15), Math.Min(0.97, hi + 0.15));
                else if (modifier is "dark" or "deep")
                    (lo, hi) = (Math.Max(0.1, lo - 0.15), Math.Max(0.3, hi - 0.15));
            }
            // Black is any hue and saturation, as long as it is dark.
            return HsvRange.Neutral(Value <= 0.2 ? 1.0 : 0.18, lo, hi);
        }

        var minSat = Math.Max(0.15, Saturation * 0.5);
        var maxSat = Math.Min(1, Saturation + 0.35);
        var minValue = Math.Max(0.12, Value - 0.4);
        var maxValue = Math.Min(1, Value + 0.3);
        switch (modifier)
        {
            case "light" or "pale" or "pastel" or "soft":
                minValue = Math.Max(minValue, 0.7);
                maxValue = 1;
                maxSat = Math.Min(maxSat, 0.65);
                minSat = Math.Max(0.08, minSat * 0.4);
                break;
            case "dark" or "deep":
                maxValue = Math.Min(maxValue, 0.62);
                minValue = Math.Max(0.08, minValue - 0.2);
                break;
            case "bright" or "vivid" or "vibrant" or "neon":
                minSat = Math.Max(minSat, 0.5);
                minValue = Math.Max(minValue, 0.5);
                maxSat = 1;
                break;
            case "muted" or "dusty" or "faded":
                maxSat = Math.Min(maxSat, 0.55);
                minSat = Math.Max(0.1, minSat * 0.5);
                break;
        }
        return new HsvRange(Hue - HueHalfWidth, Hue + HueHalfWidth, minSat, maxSat, minValue, maxValue);
    }

    /// <summary>Words a prompter can add to make this colour stronger, e.g. "vivid red", "snow white".</summary>
    public string Emphasis(string? modifier)
    {
        if (modifier is not null)
            return modifier + " " + Name;
        return Name switch
        {
            "white" => "snow white",
            "black" => "jet black",
            _ when IsNeutral => Name,
            _ => "vivid " + Name,
        };
    }
}

/// <summary>
/// Colour words and the modifiers that shade them. Typical colours follow the sketch renderer's
/// palette (docs/sketch-vocabulary.md); the hue widths are what a person would still call that name.
/// </summary>
internal static class ColorWords
{
    public static readonly IReadOnlySet<string> Modifiers = new HashSet<string>(StringComparer.Ordinal)
    {
        "light", "pale", "pastel", "soft", "dark", "deep", "bright", "vivid", "vibrant", "neon", "muted", "dusty", "faded",
    };

    // (words, rgb, hue half-width or 0 for the default 15 degrees, centre hue or -1 for the colour's own).
    private static readonly (string Words, uint Rgb, double HalfWidth, double Hue)[] Table =
    [
        ("red", 0xD93A32, 18, 0), ("crimson", 0xB81D3A, 12, -1), ("scarlet", 0xE0321F, 12, -1), ("maroon", 0x7A1F2B, 14, -1),
        ("burgundy", 0x7D1E3A, 14, -1), ("cherry", 0xC8102E, 12, -1), ("ruby", 0xC0143C, 12, -1),
        ("orange", 0xF08A24, 13, 28), ("amber", 0xF2A516, 10, -1), ("coral", 0xF27863, 12, -1), ("peach", 0xF7B58C, 14, -1),
        ("apricot", 0xF6A86A, 12, -1), ("ginger", 0xD2691E, 12, -1), ("rust", 0xB0452A, 12, -1), ("terracotta", 0xC8653F, 12, -1),
        ("yellow", 0xF5CF2F, 13, 50), ("lemon", 0xF7E14B, 10, -1), ("mustard", 0xD6A92A, 10, -1),
        ("gold|golden", 0xD4A72C, 11, 43), ("rose gold", 0xC98B7E, 15, 12), ("copper", 0xB8683A, 12, -1), ("bronze", 0xA86A32, 12, -1),
        ("cream", 0xF3E7C9, 20, -1), ("beige", 0xDCC8A4, 18, -1), ("tan", 0xC9A176, 15, -1), ("khaki", 0xBDB07A, 15, -1),
        ("sandy", 0xE3C58F, 15, -1),
        ("brown", 0x8A5A35, 16, 26), ("chocolate", 0x5C3A21, 14, -1), ("chestnut", 0x8B4A2B, 14, -1),
        ("green", 0x4CA04A, 40, 115), ("lime", 0x9BD23C, 15, -1), ("olive", 0x7F8C3A, 14, -1), ("emerald", 0x1F9D6B, 15, -1),
        ("mint", 0x98DDB8, 20, -1), ("sage", 0x9CAF88, 20, -1), ("forest green", 0x2F6B3A, 20, -1), ("jade", 0x3AA57A, 15, -1),
        ("teal", 0x1E9A9A, 13, -1), ("turquoise", 0x2EC4C0, 12, -1), ("cyan", 0x2BC8E8, 13, -1), ("aqua", 0x40D8D0, 12, -1),
        ("blue", 0x2F6FD6, 26, 218), ("navy|navy blue", 0x1F2D5C, 15, -1), ("azure", 0x3A8FE8, 12, -1), ("cobalt", 0x1F4FBF, 12, -1),
        ("sky blue|baby blue", 0x7EC3EE, 14, -1), ("royal blue", 0x2A4FC8, 12, -1), ("indigo", 0x3F3A9E, 14, -1),
        ("sapphire", 0x1D4FA8, 14, -1),
        ("purple", 0x7E44B8, 24, 272), ("violet", 0x8A4FD8, 15, -1), ("lavender", 0xB7A2E0, 20, -1), ("lilac", 0xC3A3D9, 20, -1),
        ("plum", 0x7A3B69, 15, -1), ("mauve", 0xB784A7, 18, -1), ("amethyst", 0x9966CC, 15, -1),
        ("magenta", 0xD930A0, 15, -1), ("fuchsia", 0xE03CB4, 13, -1), ("pink", 0xF28AB8, 22, 335), ("rose", 0xE8698C, 13, -1),
        ("hot pink", 0xF23D96, 12, -1), ("salmon", 0xF4937A, 10, -1), ("blush", 0xF2B5C4, 18, -1),
        ("black|jet black|ebony", 0x1C1C22, 0, -1), ("charcoal", 0x3A3D44, 0, -1),
        ("white|snow white|pure white", 0xF7F7F5, 0, -1), ("ivory", 0xF5F0E0, 0, -1),
        ("grey|gray", 0x8C9096, 0, -1), ("silver|silvery", 0xC4C9D0, 0, -1), ("platinum", 0xD8DCE0, 0, -1),
        ("slate", 0x5F6B7A, 0, -1), ("ash|ashen", 0xA6A8AB, 0, -1),
    ];

    /// <summary>Word or phrase (lower case) to colour.</summary>
    public static readonly IReadOnlyDictionary<string, ColorWord> ByPhrase = Build();

    /// <summary>The longest colour phrase, in words.</summary>
    public const int MaxPhraseWords = 2;

    private static Dictionary<string, ColorWord> Build()
    {
        var d = new Dictionary<string, ColorWord>(StringComparer.Ordinal);
        foreach (var (words, rgb, halfWidth, hue) in Table)
        {
            var names = words.Split('|');
            var (h, s, v) = ToHsv(rgb);
            var color = new ColorWord(names[0], hue >= 0 ? hue : h, halfWidth > 0 ? halfWidth : 15, s, v);
            foreach (var name in names)
                d.TryAdd(name, color);
        }
        return d;
    }

    private static (double Hue, double Saturation, double Value) ToHsv(uint rgb)
    {
        double r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        var delta = max - min;
        double hue = 0;
        if (delta > 0)
        {
            if (max == r)
                hue = 60 * (((g - b) / delta + 6) % 6);
            else if (max == g)
                hue = 60 * ((b - r) / delta + 2);
            else
                hue = 60 * ((r - g) / delta + 4);
        }
        return (hue, max == 0 ? 0 : delta / max, max / 255);
    }
}
