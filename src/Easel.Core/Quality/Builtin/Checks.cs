using System.Globalization;
using Easel.Core.Generation;
using Easel.Imaging.Metrics;

namespace Easel.Core.Quality.Builtin;

/// <summary>One criterion and how much it counts in the score.</summary>
internal sealed record Check(CriterionResult Result, double Weight);

/// <summary>
/// The built-in evaluator's pixel checks. Each turns a measurement into a 0-100 score with a plain
/// comment (what was seen, and what to do when it falls short) and, below <see cref="SuggestBelow"/>,
/// words a prompter can add. Thresholds were set by rendering sketch images for varied prompts and
/// by degrading them (blur, noise, wrong light); see the evaluator's tests.
/// </summary>
internal static class Checks
{
    /// <summary>A criterion passes at this score or above.</summary>
    public const int PassMark = 60;

    /// <summary>Below this score a criterion offers words to add, even when it passes.</summary>
    public const int SuggestBelow = 80;

    // Weights: what the user asked for counts more than general image quality.
    public const double ColorWeight = 3;
    public const double ExcludedWeight = 2;
    public const double TimeWeight = 3;
    public const double BrightnessWeight = 2;
    public const double StyleWeight = 2;
    public const double SizeWeight = 3;
    public const double TransparentWeight = 3;
    public const double OpaqueWeight = 1.5;
    public const double QualityWeight = 1;

    // Share of the image a colour should cover, by what it describes.
    private const double SubjectShare = 0.06;
    private const double SceneryShare = 0.25;
    private const double DetailShare = 0.008;
    private const double TintShare = 0.04;

    /// <param name="dim">Night or a dark scene: colours are seen darker.</param>
    /// <param name="warmLight">Sunset or sunrise light: whites and greys are seen tinted.</param>
    public static Check Color(ColorRequest request, ImageMeasurements m, bool dim, bool warmLight)
    {
        var color = request.Color;
        var range = color.Range(request.Modifier);
        var lightNeutral = color.IsNeutral && color.Value > 0.2;
        if (dim)
            range = range with { MinValue = range.MinValue * (lightNeutral ? 0.7 : 0.5) };
        if ((dim || warmLight) && lightNeutral)
            range = range with { MaxSaturation = Math.Max(range.MaxSaturation, 0.35) };
        var share = m.Colors.Share(range);
        var target = request.Role switch
        {
            ColorRole.Scenery => SceneryShare,
            ColorRole.Detail => DetailShare,
            ColorRole.Tint => TintShare,
            _ => SubjectShare,
        } / Math.Max(1, request.Sharing);
        // Logarithmic: the target share scores 100, a tenth of it 0.
        var score = share <= 0 ? 0 : Clamp(Math.Log(share / (target / 10)) / Math.Log(10));
        var named = request.Modifier is null ? color.Name : request.Modifier + " " + color.Name;
        var emphasis = color.Emphasis(request.Modifier);
        var thing = request.Noun is null ? null : "the " + request.Noun;
        var comment = Passes(score)
            ? $"{Pct(share)} of the image is {named}" + (thing is null ? "" : $" ({thing})")
            : $"little {named}: {Pct(share)} of the image is {named}; "
              + (thing is null ? $"make {named} stand out more" : $"{thing} should be {emphasis}");
        var suggestion = request.Noun is null ? emphasis : emphasis + " " + request.Noun;
        return Make("color:" + Slug(color.Name), score, ColorWeight, comment, suggestion);
    }

    public static Check Excluded(ColorWord color, string source, ImageMeasurements m)
    {
        var share = m.Colors.Share(color.Range(null));
        // Up to 1% is incidental; 20% is plainly there.
        var score = share <= 0.01 ? 1 : Clamp(1 - Math.Log(share / 0.01) / Math.Log(20));
        var comment = Passes(score)
            ? $"{color.Name} is kept out as {source} asks ({Pct(share)} of the image)"
            : $"unwanted {color.Name}: {Pct(share)} of the image is {color.Name} though {source} excludes it; use other colours";
        return Make("negative:" + Slug(color.Name), score, ExcludedWeight, comment, "no " + color.Name);
    }

    public static Check Time(TimeOfDay time, string word, ImageMeasurements m)
    {
        var p = m.Pixels;
        var light = p.MeanLuminance;
        var top = m.Regions.BandLuminance[0];
        // Warm light: orange, red, pink and purple hues, counted only when the image has colour at all.
        var warm = p.HueShare(290, 60) * Math.Min(1, p.ColorfulFraction / 0.15);
        var blue = m.Colors.Share(new HsvRange(180, 260, 0.2, 1, 0.2, 1));
        var brightness = Pct(light / 255);

        (double Score, string Comment) Night()
        {
            // Dark, and not the warm glow of a sunset sky.
            var dark = Ramp((light + top) / 2, 140, 95);
            var s = dark * Ramp(warm, 0.7, 0.45);
            return (s, Passes(s)
                ? $"dark enough for {word}: average brightness {brightness}"
                : Passes(dark) ? $"looks like sunset rather than {word}: {Pct(warm)} of the colour is warm orange, red or pink; make the sky deep blue and dark"
                : $"too bright for {word}: average brightness {brightness}, where a night scene is mostly dark (under 40%)");
        }

        (double Score, string Comment) Day()
        {
            var bright = Ramp(light, 90, 130);
            var golden = warm > 0.5 && blue < 0.15;
            var s = bright * (golden ? 0.5 : 1);
            return (s, Passes(s) ? $"daylight: average brightness {brightness}"
                : !Passes(bright) ? $"too dark for {word}: average brightness {brightness}, where daylight scenes are usually above 50%"
                : $"the light looks like sunset, not {word}: warm colours dominate and there is little blue sky");
        }

        (double Score, string Comment) Golden(double fullWarmth, double maxLight, string what)
        {
            var warmth = Ramp(warm, fullWarmth - 0.25, fullWarmth);
            var lit = light > maxLight ? Ramp(light, maxLight + 45, maxLight) : light < 45 ? Ramp(light, 15, 45) : 1;
            var skyPenalty = blue > 0.3 ? 0.6 : 1;
            var s = warmth * lit * skyPenalty;
            string comment;
            if (Passes(s))
                comment = $"warm {what} light: {Pct(warm)} of the colour is orange, red, pink or purple";
            else if (!Passes(warmth))
                comment = $"no warm {what} light: only {Pct(warm)} of the colour is orange, red, pink or purple, where a {what} sky glows warm";
            else if (!Passes(lit))
                comment = light > maxLight ? $"too bright for {word}: average brightness {brightness}" : $"too dark even for {word}: average brightness {brightness}";
            else
                comment = $"a blue daytime sky covers {Pct(blue)} of the image, which does not read as {word}";
            return (s, comment);
        }

        var (score, text) = time switch
        {
            TimeOfDay.Night => Night(),
            TimeOfDay.Day => Day(),
            TimeOfDay.Sunset => Golden(0.55, 185, "sunset"),
            TimeOfDay.Dawn => Golden(0.45, 215, "sunrise"),
            _ => Morning(),
        };

        (double, string) Morning()
        {
            var dawn = Golden(0.45, 215, "morning");
            var day = Day();
            return dawn.Score >= day.Score * 0.95 ? dawn : (day.Score * 0.95, day.Comment);
        }

        var suggestion = time switch
        {
            TimeOfDay.Night => "dark night sky, moonlight",
            TimeOfDay.Day => "bright daylight, blue sky",
            TimeOfDay.Sunset => "warm orange sunset sky, golden hour",
            TimeOfDay.Dawn => "soft pink sunrise sky, dawn light",
            _ => "bright morning light",
        };
        return Make("time_of_day", score, TimeWeight, text, suggestion);
    }

    public static Check Brightness(Brightness wanted, string word, ImageMeasurements m)
    {
        var light = m.Pixels.MeanLuminance;
        var spread = m.Pixels.LuminanceStdDev;
        var level = Pct(light / 255);
        var (score, suggestion) = wanted switch
        {
            Builtin.Brightness.Dark => (Ramp(light, 140, 90), "dark, gloomy, low-key lighting"),
            Builtin.Brightness.Bright => (Ramp(light, 100, 150), "bright, high-key lighting"),
            _ => (Math.Max(Ramp(light, 160, 105), Ramp(spread, 40, 55)), "moody, dramatic lighting, deep shadows"),
        };
        var comment = (wanted, Passes(score)) switch
        {
            (Builtin.Brightness.Dark, true) => $"dark, as '{word}' asks: average brightness {level}",
            (Builtin.Brightness.Dark, false) => $"too bright for '{word}': average brightness {level}; darken the scene",
            (Builtin.Brightness.Bright, true) => $"bright, as '{word}' asks: average brightness {level}",
            (Builtin.Brightness.Bright, false) => $"too dark for '{word}': average brightness {level}; light the scene brightly",
            (_, true) => $"{word}: average brightness {level}, brightness spread {Pct(spread / 255)}",
            _ => $"not {word}: evenly lit at average brightness {level}; deepen the shadows",
        };
        return Make("brightness", score, BrightnessWeight, comment, suggestion);
    }

    public static Check Style(StyleHint style, string word, ImageMeasurements m)
    {
        var p = m.Pixels;
        var vivid = m.Colors.Share(new HsvRange(0, 360, 0.65, 1, 0.5, 1));
        double score;
        string comment, suggestion;
        switch (style)
        {
            case StyleHint.Monochrome:
                // Even a small coloured subject shows in a black-and-white picture.
                score = Ramp(p.ColorfulFraction, 0.06, 0.005);
                comment = Passes(score) ? $"{word}: only {Pct(p.ColorfulFraction)} of the image has colour"
                    : $"not {word}: {Pct(p.ColorfulFraction)} of the image is in colour; remove the colour";
                suggestion = "black and white, monochrome";
                break;
            case StyleHint.Pastel:
                var pastel = m.Colors.Share(new HsvRange(0, 360, 0.08, 0.55, 0.7, 1));
                score = Ramp(pastel, 0.15, 0.45) * Ramp(vivid, 0.45, 0.15);
                comment = Passes(score) ? $"pastel: {Pct(pastel)} of the image is in soft, light colours"
                    : $"not pastel: {Pct(pastel)} of the image is in soft, light colours and {Pct(vivid)} is strongly saturated";
                suggestion = "soft pastel colors";
                break;
            case StyleHint.Neon:
                // A few glowing signs on a dark scene are enough.
                var glow = m.Colors.Share(new HsvRange(0, 360, 0.5, 1, 0.6, 1));
                var dark = Ramp(p.MeanLuminance, 130, 80);
                score = dark * Ramp(glow, 0.001, 0.008);
                comment = Passes(score) ? $"neon: {Pct(glow)} glowing saturated colour on a dark scene"
                    : !Passes(dark) ? $"too bright for neon: average brightness {Pct(p.MeanLuminance / 255)}; neon glows on a dark scene"
                    : $"few glowing colours for neon: {Pct(glow)} of the image is bright and saturated";
                suggestion = "glowing neon lights on a dark background";
                break;
            case StyleHint.Colorful:
                score = Ramp(p.ColorfulFraction, 0.2, 0.5);
                comment = Passes(score) ? $"{word}: {Pct(p.ColorfulFraction)} of the image is clearly coloured"
                    : $"dull for '{word}': only {Pct(p.ColorfulFraction)} of the image is clearly coloured; use richer colours";
                suggestion = "vibrant colors";
                break;
            default:
                score = Ramp(vivid, 0.35, 0.1);
                comment = Passes(score) ? $"{word}: {Pct(vivid)} of the image is strongly saturated"
                    : $"not {word}: {Pct(vivid)} of the image is strongly saturated; tone the colours down";
                suggestion = "muted, desaturated colors";
                break;
        }
        return Make("style:" + style.ToString().ToLowerInvariant(), score, StyleWeight, comment, suggestion);
    }

    public static Check Size(ImageSize requested, string? aspectRatio, int width, int height)
    {
        var asked = requested.ToString();
        var got = string.Create(CultureInfo.InvariantCulture, $"{width}x{height}");
        if (width == requested.Width && height == requested.Height)
            return Make("size", 1, SizeWeight, $"{got}, as asked", null);

        var wanted = (double)requested.Width / requested.Height;
        var wantedText = Ratio(requested.Width, requested.Height);
        if (TryParseAspect(aspectRatio, out var parsed))
        {
            wanted = parsed;
            wantedText = aspectRatio!.Trim();
        }
        var error = Math.Abs(Math.Log((double)width / height / wanted));
        if (error <= 0.02)
        {
            var scale = (double)width * height / ((double)requested.Width * requested.Height);
            return scale is >= 0.81 and <= 1.21
                ? Make("size", 0.9, SizeWeight, $"{got}, close to the {asked} asked for", null)
                : Make("size", 0.75, SizeWeight, $"{got} instead of {asked}: the right shape ({wantedText}) but {(scale < 1 ? "smaller" : "larger")}; resize it to {asked}", null);
        }
        return Make("size", 0.5 * Ramp(error, 0.3, 0.02), SizeWeight,
            $"wrong size: the image is {got} ({Ratio(width, height)}) but {asked} ({wantedText}) was asked for; make it at {asked} or crop it to {wantedText}", null);
    }

    public static Check Transparency(Background background, ImageMeasurements m)
    {
        var see = m.Pixels.TransparentFraction;
        if (background == Background.Transparent)
        {
            const string ask = "isolated subject on a transparent background";
            if (see < 0.01)
            {
                return Make("transparency", 0, TransparentWeight,
                    $"the background is not transparent: {Pct(see)} of the pixels are see-through; ask for a transparent background (PNG with alpha) or cut the subject out", ask);
            }
            var r = m.Regions;
            var clear = Ramp(r.BorderTransparentFraction, 0.3, 0.9);
            var visible = Ramp(r.VisibleFraction, 0, 0.02);
            var solid = Ramp(r.OpaqueFraction, 0.2, 0.6);
            var score = Math.Min(clear, Math.Min(visible, solid));
            string comment;
            if (Passes(score))
                comment = $"transparent background ({Pct(see)} of the pixels) around an opaque subject";
            else if (!Passes(visible))
                comment = $"almost nothing is visible: {Pct(r.VisibleFraction)} of the image is opaque; the subject is missing";
            else if (!Passes(clear))
                comment = $"only part of the background is transparent: {Pct(r.BorderTransparentFraction)} of the border is see-through; remove the rest of the background";
            else
                comment = $"the subject is see-through: only {Pct(r.OpaqueFraction)} of the visible pixels are fully opaque; make the subject solid";
            return Make("transparency", score, TransparentWeight, comment, ask);
        }

        if (see > 0.001)
        {
            return Make("transparency", 0.5 * Ramp(see, 0.1, 0.001), OpaqueWeight,
                $"{Pct(see)} of the image is transparent, but an opaque background was asked for; fill the background", "solid opaque background");
        }
        return m.Pixels.MeanAlpha < 254.5
            ? Make("transparency", 0.8, OpaqueWeight, "opaque, with a few partly transparent pixels", null)
            : Make("transparency", 1, OpaqueWeight, "fully opaque, as asked", null);
    }

    public static Check Exposure(PromptIntent intent, ImageMeasurements m, string name = "exposure", double weight = QualityWeight, string? suggestion = null)
    {
        var p = m.Pixels;
        // A white background asked for may be most of the picture.
        var brightAllowed = intent.WantsLightBackground ? 0.9 : 0.04;
        var darkAllowed = intent.WantsDarkBackground || intent.Styles.Any(s => s.Style == StyleHint.Neon) ? 0.4 : 0.06;
        // Past the allowance, a quarter more clipped (or all that is left) scores 0.
        var overBright = Math.Max(0, p.BrightClippedFraction - brightAllowed) / Math.Min(0.25, 1 - brightAllowed);
        var overDark = Math.Max(0, p.DarkClippedFraction - darkAllowed) / 0.3;
        var score = 1 - Clamp(Math.Max(overBright, overDark));
        string comment;
        if (Passes(score))
            comment = $"well exposed: {Pct(p.BrightClippedFraction)} pure white, {Pct(p.DarkClippedFraction)} pure black";
        else if (overBright >= overDark)
            comment = $"overexposed: {Pct(p.BrightClippedFraction)} of the image is blown out to pure white; lower the exposure or soften the light";
        else
            comment = $"underexposed: {Pct(p.DarkClippedFraction)} of the image is crushed to pure black; lift the shadows";
        suggestion ??= overBright >= overDark ? "balanced exposure, no blown highlights" : "lifted shadows, balanced exposure";
        return Make(name, score, weight, comment, suggestion);
    }

    public static Check Contrast(PromptIntent intent, ImageMeasurements m, string name = "contrast", double weight = QualityWeight, string? suggestion = null)
    {
        var spread = m.Pixels.LuminanceStdDev;
        var gentle = intent.WantsSoft || intent.WantsLightBackground || intent.Styles.Any(s => s.Style is StyleHint.Pastel or StyleHint.Muted);
        var score = gentle ? Ramp(spread, 3, 12) : Ramp(spread, 6, 20);
        var comment = Passes(score)
            ? $"good contrast (brightness spread {Pct(spread / 255)})"
            : $"flat: brightness barely varies (spread {Pct(spread / 255)}); add contrast with stronger light and shadow";
        return Make(name, score, weight, comment, suggestion ?? "high contrast");
    }

    public static Check Sharpness(PromptIntent intent, ImageMeasurements m, string name = "sharpness", double weight = QualityWeight, string? suggestion = null)
    {
        var focus = m.Regions.Focus;
        suggestion ??= "sharp focus, crisp details";
        if (double.IsNaN(focus))
            return Make(name, 0.3, weight, "almost no detail: the image is nearly uniform, so nothing is in focus", suggestion);
        var score = intent.WantsSoft ? Ramp(focus, 0.06, 0.25) : Ramp(focus, 0.12, 0.40);
        var comment = Passes(score)
            ? "edges are crisp"
            : "soft: edges are blurred, as if out of focus or enlarged from a smaller image; ask for sharp focus";
        return Make(name, score, weight, comment, suggestion);
    }

    public static Check Noise(PromptIntent intent, ImageMeasurements m)
    {
        var noise = m.Pixels.Noise;
        var score = intent.WantsGrain ? Ramp(noise, 20, 8) : Ramp(noise, 12, 3.5);
        var level = noise.ToString("0.#", CultureInfo.InvariantCulture);
        var comment = Passes(score)
            ? $"little noise (about {level} levels)"
            : $"noisy: grain of about {level} levels shows in flat areas; ask for a clean image";
        return Make("noise", score, QualityWeight, comment, "clean, noise-free");
    }

    public static Check Sparkle(ImageMeasurements m, string name, double weight, string? suggestion)
    {
        var r = m.Regions;
        var score = r.Sparkles switch
        {
            0 => 0.1,
            1 => 0.65,
            2 => 0.8,
            _ => 1.0,
        };
        var glare = r.SparkleFraction > 0.03;
        if (glare)
            score *= Ramp(r.SparkleFraction, 0.08, 0.03);
        var comment = r.Sparkles == 0 ? "no sparkle: no small bright highlights stand out"
            : glare ? $"glare rather than sparkle: {Pct(r.SparkleFraction)} of the image is white highlights"
            : r.Sparkles == 1 ? "one small bright highlight (sparkle)"
            : $"{r.Sparkles} small bright highlights (sparkle)";
        return Make(name, score, weight, comment, suggestion ?? "brilliant sparkle, specular highlights");
    }

    public static Check PlainBackground(ImageMeasurements m, string name, double weight, string? suggestion)
    {
        var r = m.Regions;
        suggestion ??= "plain seamless background";
        if (r.BorderTransparentFraction >= 0.9)
            return Make(name, 1, weight, "the background is transparent, so plain", suggestion);
        var score = Ramp(r.BorderColorStdDev, 32, 12);
        var spread = r.BorderColorStdDev.ToString("0", CultureInfo.InvariantCulture);
        var comment = Passes(score)
            ? $"plain, even background around the edges (colour spread {spread})"
            : $"busy background: the edges of the image vary a lot (colour spread {spread}, plain is under 15); use a plain, uniform background";
        return Make(name, score, weight, comment, suggestion);
    }

    public static Check WellLit(ImageMeasurements m, string name, double weight, string? suggestion)
    {
        var light = m.Pixels.MeanLuminance;
        var score = Ramp(light, 60, 110) * (light > 235 ? Ramp(light, 252, 235) : 1);
        var level = Pct(light / 255);
        var comment = Passes(score) ? $"well lit: average brightness {level}"
            : light > 235 ? $"washed out: average brightness {level}; tone the light down"
            : $"too dark: average brightness {level}; light it more brightly";
        return Make(name, score, weight, comment, suggestion ?? "bright, even lighting");
    }

    public static Check Colorfulness(ImageMeasurements m, string name, double weight, string? suggestion)
    {
        var colourful = m.Pixels.ColorfulFraction;
        var score = Ramp(colourful, 0.1, 0.35);
        var comment = Passes(score) ? $"colourful: {Pct(colourful)} of the image is clearly coloured"
            : $"dull colours: only {Pct(colourful)} of the image is clearly coloured; use richer colours";
        return Make(name, score, weight, comment, suggestion ?? "rich, vibrant colors");
    }

    /// <summary>Linear from 0 at <paramref name="zeroAt"/> to 1 at <paramref name="fullAt"/> (either order), clamped.</summary>
    public static double Ramp(double x, double zeroAt, double fullAt) => Clamp((x - zeroAt) / (fullAt - zeroAt));

    private static double Clamp(double v) => double.IsNaN(v) ? 0 : Math.Clamp(v, 0, 1);

    private static bool Passes(double score) => Percent(score) >= PassMark;

    private static int Percent(double score) => (int)Math.Round(Clamp(score) * 100, MidpointRounding.AwayFromZero);

    private static Check Make(string name, double score, double weight, string comment, string? suggestion)
    {
        var points = Percent(score);
        return new Check(new CriterionResult(name, points, points >= PassMark, comment, points < SuggestBelow ? suggestion : null), weight);
    }

    /// <summary>A share as a percentage: "2%", "0.4%" below one percent, "0%" for (almost) none.</summary>
    internal static string Pct(double fraction)
    {
        var percent = fraction * 100;
        if (percent < 0.05)
            return "0%";
        return percent < 0.95
            ? percent.ToString("0.0", CultureInfo.InvariantCulture) + "%"
            : Math.Round(percent, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%";
    }

    private static string Slug(string name) => name.Replace(' ', '-');

    private static string Ratio(int width, int height)
    {
        var g = Gcd(width, height);
        return width / g <= 32 && height / g <= 32
            ? string.Create(CultureInfo.InvariantCulture, $"{width / g}:{height / g}")
            : string.Create(CultureInfo.InvariantCulture, $"{(double)width / height:0.00}:1");
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return Math.Max(1, a);
    }

    private static bool TryParseAspect(string? text, out double ratio)
    {
        ratio = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var parts = text.Trim().Split(':');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var w)
            || !double.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var h)
            || w <= 0 || h <= 0)
        {
            return false;
        }
        ratio = w / h;
        return true;
    }
}
