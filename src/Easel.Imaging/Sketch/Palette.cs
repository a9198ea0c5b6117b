namespace Easel.Imaging.Sketch;

/// <summary>
/// The colours of one picture: sky and light from the time of day, land from the setting, then the
/// prompt's colour words (scenery colours replace, loose colour words tint).
/// </summary>
internal sealed class Palette
{
    public Rgb SkyTop { get; private set; }
    public Rgb SkyMid { get; private set; }
    public Rgb SkyHorizon { get; private set; }
    public Rgb Sun { get; private set; }
    public Rgb SunGlow { get; private set; }
    public Rgb Moon { get; private set; }
    public Rgb CloudLight { get; private set; }
    public Rgb CloudShade { get; private set; }
    public Rgb Haze { get; private set; }

    /// <summary>Multiplier for everything lit by the sky (land, buildings).</summary>
    public Rgb Ambient { get; private set; }

    /// <summary>Multiplier for the subject: kept brighter than the land so it stays readable at night.</summary>
    public Rgb SubjectLight { get; private set; }

    public Rgb Rim { get; private set; }
    public float RimStrength { get; private set; }
    public Rgb Grass { get; private set; }
    public Rgb Foliage { get; private set; }
    public Rgb Pine { get; private set; }
    public Rgb Trunk { get; private set; }
    public Rgb Water { get; private set; }
    public Rgb WaterDeep { get; private set; }
    public Rgb Sand { get; private set; }
    public Rgb Dune { get; private set; }
    public Rgb Rock { get; private set; }
    public Rgb Snow { get; private set; }
    public Rgb SnowShade { get; private set; }
    public Rgb Building { get; private set; }
    public Rgb Window { get; private set; }
    public Rgb WindowLit { get; private set; }
    public Rgb Street { get; private set; }
    public Rgb Backdrop { get; private set; }
    public Rgb BackdropEdge { get; private set; }
    public Rgb NeonA { get; private set; }
    public Rgb NeonB { get; private set; }
    public Rgb[] Flowers { get; private set; } = [];
    public Rgb[] Autumn { get; private set; } = [];
    public bool Dark { get; private set; }

    /// <summary>How strongly distant layers fade into the haze colour (more at dawn and in fog).</summary>
    public float HazeStrength { get; private set; } = 0.6f;

    /// <summary>A land colour under this light at a depth from 0 (front) to 1 (horizon).</summary>
    public Rgb Lit(Rgb c, float depth) => c.Times(Ambient).Lerp(Haze, Math.Clamp(0.08f + depth * HazeStrength, 0, 0.92f));

    /// <summary>A subject colour under this light; at night its saturation is kept so a yellow taxi stays yellow, not olive.</summary>
    public Rgb OnSubject(Rgb c)
    {
        var lit = c.Times(SubjectLight);
        return Dark ? lit.Lerp(c.Scale(SubjectLight.Luma), 0.45f) : lit;
    }

    /// <param name="plan">Reference or parent-image colours to blend in, and a subtle variation's colour jitter.</param>
    public static Palette For(SketchScene scene, Look look, RenderPlan plan)
    {
        var p = new Palette();
        p.SetTime(scene.TimeOfDay);
        p.SetLand(scene);
        if (scene.Style is SketchStyle.Cyberpunk or SketchStyle.Neon)
            p.SetNeonCity(scene.Style == SketchStyle.Neon, scene.TimeOfDay);
        else if (scene.Lighting == SketchLighting.Neon)
            p.SetNeonLight();
        p.ApplyWeather(scene.Weather);
        foreach (var (colors, weight) in plan.Colors)
            p.ApplyImageColors(colors, weight);
        p.ApplyElementColors(scene);
        p.ApplyAccents(scene.AccentColors);
        if (scene.Enhanced(SketchEnhancements.DarkSky))
            p.DarkenSky();
        p.ApplyLook(look);
        if (plan.Jitter)
            p.Jitter(SketchRandom.For(plan.Details, "palette"));
        return p;
    }

    private void SetTime(SketchTimeOfDay time)
    {
        switch (time)
        {
            case SketchTimeOfDay.Dawn:
                (SkyTop, SkyMid, SkyHorizon) = (Rgb.Hex(0x7C86C4), Rgb.Hex(0xE9A9B4), Rgb.Hex(0xFFD9AE));
                (Sun, SunGlow) = (Rgb.Hex(0xFFF1CF), Rgb.Hex(0xFFC98F));
                (CloudLight, CloudShade) = (Rgb.Hex(0xFFE6DA), Rgb.Hex(0xE3A7B5));
                Ambient = new Rgb(0.96f, 0.88f, 0.9f);
                SubjectLight = new Rgb(1f, 0.94f, 0.94f);
                (Rim, RimStrength) = (Rgb.Hex(0xFFD2A8), 0.35f);
                Haze = Rgb.Hex(0xF3C4BE);
                HazeStrength = 0.72f;
                break;
            case SketchTimeOfDay.Sunset:
                (SkyTop, SkyMid, SkyHorizon) = (Rgb.Hex(0x3A2D6E), Rgb.Hex(0xD9577A), Rgb.Hex(0xFFB15C));
                (Sun, SunGlow) = (Rgb.Hex(0xFFE08A), Rgb.Hex(0xFF9A4D));
                (CloudLight, CloudShade) = (Rgb.Hex(0xFFB38A), Rgb.Hex(0xB24E77));
                Ambient = new Rgb(0.97f, 0.8f, 0.82f);
                SubjectLight = new Rgb(1f, 0.9f, 0.86f);
                (Rim, RimStrength) = (Rgb.Hex(0xFFB060), 0.6f);
                Haze = Rgb.Hex(0xE98A7A);
                HazeStrength = 0.66f;
                break;
            case SketchTimeOfDay.Night:
                (SkyTop, SkyMid, SkyHorizon) = (Rgb.Hex(0x060A1C), Rgb.Hex(0x0F1A3C), Rgb.Hex(0x2A3B6E));
                (Sun, SunGlow) = (Rgb.Hex(0xF4F1E1), Rgb.Hex(0x8FA6D8));
                (CloudLight, CloudShade) = (Rgb.Hex(0x3A4A74), Rgb.Hex(0x1C2748));
                Ambient = new Rgb(0.26f, 0.31f, 0.5f);
                SubjectLight = new Rgb(0.62f, 0.64f, 0.8f);
                (Rim, RimStrength) = (Rgb.Hex(0xBFD4FF), 0.55f);
                Haze = Rgb.Hex(0x1F2C57);
                HazeStrength = 0.6f;
                Dark = true;
                break;
            default:
                (SkyTop, SkyMid, SkyHorizon) = (Rgb.Hex(0x3F86D6), Rgb.Hex(0x79B6E8), Rgb.Hex(0xCFEAF7));
                (Sun, SunGlow) = (Rgb.Hex(0xFFF8DC), Rgb.Hex(0xFFF0B0));
                (CloudLight, CloudShade) = (Rgb.Hex(0xFFFFFF), Rgb.Hex(0xD6E3F0));
                Ambient = new Rgb(1f, 1f, 1f);
                SubjectLight = new Rgb(1f, 1f, 1f);
                (Rim, RimStrength) = (Rgb.Hex(0xFFFFFF), 0f);
                Haze = Rgb.Hex(0xC4DFF0);
                HazeStrength = 0.6f;
                break;
        }
        Moon = Rgb.Hex(0xF2EEDD);
    }

    private void SetLand(SketchScene scene)
    {
        Grass = Rgb.Hex(0x5DAA4F);
        Foliage = Rgb.Hex(0x3F8F47);
        Pine = Rgb.Hex(0x2F6E4F);
        Trunk = Rgb.Hex(0x6B4A33);
        Water = Rgb.Hex(0x3C95CF);
        WaterDeep = Rgb.Hex(0x1E5E97);
        Sand = Rgb.Hex(0xF0D39C);
        Dune = Rgb.Hex(0xEDB267);
        Rock = Rgb.Hex(0x7B8DA8);
        Snow = Rgb.Hex(0xF7FAFD);
        SnowShade = Rgb.Hex(0xC9D9EA);
        Building = Rgb.Hex(0x5B6F8E);
        Window = Rgb.Hex(0xC5D8E8);
        WindowLit = Rgb.Hex(0xFFD27A);
        Street = Rgb.Hex(0x4B505C);
        Backdrop = Rgb.Hex(0xEFEDEA);
        BackdropEdge = Rgb.Hex(0xD5D1CC);
        NeonA = Rgb.Hex(0xFF2FB0);
        NeonB = Rgb.Hex(0x21E6FF);
        Flowers = [Rgb.Hex(0xF5D033), Rgb.Hex(0xF28AB8), Rgb.Hex(0xFFFFFF), Rgb.Hex(0xE0533D), Rgb.Hex(0xB58BE0)];
        Autumn = [Rgb.Hex(0xE07B2C), Rgb.Hex(0xC4412F), Rgb.Hex(0xE9AE3A), Rgb.Hex(0xB5562A)];
        if (scene.Setting == SketchSetting.Desert)
            Grass = Rgb.Hex(0xD9A35A);
        if (scene.Setting == SketchSetting.Sea)
            Grass = Rgb.Hex(0x6DB05A);
        if (scene.Has("autumn"))
        {
            Grass = Rgb.Hex(0xA9A14E);
            Foliage = Rgb.Hex(0xDB7A2E);
        }
        if (scene.Has("spring"))
        {
            Grass = Rgb.Hex(0x7CC266);
            Foliage = Rgb.Hex(0xF2B3C6);
        }
        if (scene.Snowy)
            Grass = Snow;
        if (scene.Setting == SketchSetting.Studio && scene.Lighting == SketchLighting.Dramatic)
        {
            Backdrop = Rgb.Hex(0x3A3A40);
            BackdropEdge = Rgb.Hex(0x121216);
        }
    }

    private void SetNeonCity(bool darker, SketchTimeOfDay time)
    {
        (SkyTop, SkyMid, SkyHorizon) = (darker, time) switch
        {
            (_, SketchTimeOfDay.Sunset or SketchTimeOfDay.Dawn) => (Rgb.Hex(0x1A0B3A), Rgb.Hex(0x8A1F7A), Rgb.Hex(0xFF7A45)),
            (_, SketchTimeOfDay.Day) => (Rgb.Hex(0x2A1B5A), Rgb.Hex(0x7A3FA0), Rgb.Hex(0xF08AC0)),
            (true, _) => (Rgb.Hex(0x04030B), Rgb.Hex(0x10072A), Rgb.Hex(0x3B0F5C)),
            _ => (Rgb.Hex(0x0A0618), Rgb.Hex(0x2A0F4C), Rgb.Hex(0xB4237F)),
        };
        Haze = darker ? Rgb.Hex(0x1E0A3A) : Rgb.Hex(0x4A1560);
        Ambient = new Rgb(0.3f, 0.26f, 0.5f);
        SubjectLight = new Rgb(0.45f, 0.42f, 0.65f);
        (Rim, RimStrength) = (NeonB, 0.8f);
        (CloudLight, CloudShade) = (Rgb.Hex(0x5A2A7A), Rgb.Hex(0x2A1448));
        (Sun, SunGlow) = (Rgb.Hex(0xFFD36B), Rgb.Hex(0xFF3FA0));
        Building = Rgb.Hex(0x2A2550);
        Street = Rgb.Hex(0x1A1630);
        WindowLit = Rgb.Hex(0xFFB0E8);
        Backdrop = Rgb.Hex(0x1A1030);
        BackdropEdge = Rgb.Hex(0x07040F);
        Dark = true;
    }

    private void SetNeonLight()
    {
        Ambient = Ambient.Scale(0.7f);
        SubjectLight = SubjectLight.Scale(0.85f);
        (Rim, RimStrength) = (NeonB, 0.7f);
    }

    private void ApplyWeather(SketchWeather weather)
    {
        switch (weather)
        {
            case SketchWeather.Cloudy or SketchWeather.Rain:
                var grey = weather == SketchWeather.Rain ? 0.5f : 0.35f;
                SkyTop = SkyTop.Saturate(0.3f).Lerp(Rgb.Hex(0x6E7885), grey);
                SkyMid = SkyMid.Saturate(0.3f).Lerp(Rgb.Hex(0x98A1AC), grey);
                SkyHorizon = SkyHorizon.Saturate(0.4f).Lerp(Rgb.Hex(0xB8BEC6), grey);
                Haze = Haze.Saturate(0.4f).Lerp(Rgb.Hex(0xA8B0BA), grey);
                CloudLight = CloudLight.Lerp(Rgb.Hex(0xC5CAD2), 0.5f);
                CloudShade = CloudShade.Lerp(Rgb.Hex(0x7E8794), 0.6f);
                Ambient = Ambient.Scale(0.85f);
                break;
            case SketchWeather.Fog:
                Haze = Haze.Lerp(Rgb.Hex(0xDDE3E8), Dark ? 0.15f : 0.4f);
                HazeStrength = 0.95f;
                break;
        }
    }

    private void ApplyElementColors(SketchScene scene)
    {
        foreach (var (element, named) in scene.ElementColors)
        {
            var c = ToRgb(named);
            switch (element)
            {
                case "sky":
                    SkyTop = c.Shade(-0.18f);
                    SkyMid = c;
                    SkyHorizon = c.Shade(0.2f).Saturate(0.7f);
                    Haze = SkyHorizon.Lerp(Haze, 0.4f);
                    break;
                case "sun":
                    Sun = c.Shade(0.15f);
                    SunGlow = c;
                    break;
                case "moon":
                    Moon = c.Shade(0.1f);
                    break;
                case "clouds":
                    CloudLight = c.Shade(0.1f);
                    CloudShade = c.Shade(-0.12f);
                    break;
                case "water":
                    Water = c;
                    WaterDeep = c.Shade(-0.18f);
                    break;
                case "ground" or "grass":
                    Grass = c;
                    break;
                case "sand":
                    Sand = c;
                    Dune = c.Shade(-0.05f);
                    break;
                case "trees":
                    Foliage = c;
                    Pine = c.Shade(-0.08f);
                    break;
                case "mountains" or "rocks":
                    Rock = c;
                    break;
                case "buildings":
                    Building = c;
                    break;
                case "background":
                    Backdrop = c;
                    BackdropEdge = c.Luma > 0.93f ? c : c.Shade(-0.1f);
                    break;
                case "flowers":
                    Flowers = [c, c.Shade(0.12f), c.Shade(-0.1f)];
                    break;
                case "lights":
                    WindowLit = c.Shade(0.1f);
                    NeonA = c;
                    break;
            }
        }
    }

    /// <summary>Loose colour words tint the sky strongly and the land gently; black, white and grey change mood instead of hue.</summary>
    private void ApplyAccents(IReadOnlyList<SketchColor> accents)
    {
        if (accents.Count == 0)
            return;
        var chromatic = new List<Rgb>();
        foreach (var a in accents)
        {
            var c = ToRgb(a);
            var (_, s, l) = c.ToHsl();
            if (s < 0.12f || (l < 0.12f || l > 0.92f))
            {
                if (l < 0.3f)
                    MapAll(x => x.Darken(0.4f).Saturate(0.85f));
                else if (l > 0.85f)
                    MapAll(x => x.Lighten(0.35f).Saturate(0.7f));
                else
                    MapAll(x => x.Saturate(0.3f));
            }
            else
            {
                chromatic.Add(c);
            }
        }
        if (chromatic.Count == 0)
            return;
        var main = chromatic[0];
        var second = chromatic.Count > 1 ? chromatic[1] : main;
        // A colour theme: the sky takes the first colour strongly (its horizon the second, if any), the land gently.
        SkyTop = SkyTop.TintToward(main, 0.75f);
        SkyMid = SkyMid.TintToward(main, 0.75f);
        SkyHorizon = SkyHorizon.TintToward(second, 0.65f);
        Haze = Haze.TintToward(main, 0.6f);
        CloudShade = CloudShade.TintToward(main, 0.5f);
        Grass = Grass.TintToward(main, 0.45f);
        Foliage = Foliage.TintToward(main, 0.4f);
        Pine = Pine.TintToward(main, 0.35f);
        Rock = Rock.TintToward(main, 0.4f);
        Building = Building.TintToward(main, 0.4f);
        Water = Water.TintToward(main, 0.35f);
        WaterDeep = WaterDeep.TintToward(main, 0.35f);
        Dune = Dune.TintToward(main, 0.3f);
        Sand = Sand.TintToward(main, 0.3f);
        SnowShade = SnowShade.TintToward(main, 0.5f);
        Backdrop = Backdrop.TintToward(main, 0.5f);
        BackdropEdge = BackdropEdge.TintToward(main, 0.5f);
        Flowers = [.. chromatic, .. chromatic.Select(c => c.Shade(0.15f))];
        NeonA = chromatic[0].Saturate(1.3f).Shade(0.08f);
        if (chromatic.Count > 1)
            NeonB = chromatic[1].Saturate(1.3f).Shade(0.08f);
        WindowLit = WindowLit.TintToward(main, 0.5f);
    }

    /// <summary>
    /// Colours read from an image nudge the palette: its top toward the sky (and a studio backdrop), its
    /// bottom toward the land, its accent toward flowers and lights. Lightness moves a little, hue and
    /// saturation more; <paramref name="weight"/> scales every pull.
    /// </summary>
    private void ApplyImageColors(SketchImageColors colors, float weight)
    {
        float Pull(float amount) => Math.Min(0.9f, amount * weight);

        if (colors.Top is { } top)
        {
            var t = ToRgb(top);
            SkyTop = Toward(SkyTop, t, Pull(0.6f));
            SkyMid = Toward(SkyMid, t, Pull(0.6f));
            SkyHorizon = Toward(SkyHorizon, t, Pull(0.5f));
            Haze = Toward(Haze, t, Pull(0.4f));
            CloudShade = Toward(CloudShade, t, Pull(0.3f));
            // A studio backdrop keeps its lightness: a reference tints the paper, it does not dim the lights.
            Backdrop = Backdrop.TintToward(t, Pull(0.55f));
            BackdropEdge = BackdropEdge.TintToward(t, Pull(0.55f));
        }
        if (colors.Bottom is { } bottom)
        {
            var b = ToRgb(bottom);
            Grass = Toward(Grass, b, Pull(0.45f));
            Foliage = Toward(Foliage, b, Pull(0.4f));
            Pine = Toward(Pine, b, Pull(0.35f));
            Sand = Toward(Sand, b, Pull(0.4f));
            Dune = Toward(Dune, b, Pull(0.4f));
            Rock = Toward(Rock, b, Pull(0.35f));
            Building = Toward(Building, b, Pull(0.35f));
            Street = Toward(Street, b, Pull(0.25f));
            Water = Toward(Water, b, Pull(0.3f));
            WaterDeep = Toward(WaterDeep, b, Pull(0.3f));
            SnowShade = Toward(SnowShade, b, Pull(0.3f));
        }
        if (colors.Accent is { } accent)
        {
            var a = ToRgb(accent);
            Flowers = [a, a.Shade(0.12f), .. Flowers.Take(3)];
            NeonA = Toward(NeonA, a, Pull(0.5f));
            WindowLit = Toward(WindowLit, a, Pull(0.35f));
            SunGlow = Toward(SunGlow, a, Pull(0.25f));
        }
    }

    /// <summary>Hue and saturation partway to the target (<see cref="Rgb.TintToward"/>), lightness a quarter as far.</summary>
    private static Rgb Toward(Rgb c, Rgb target, float amount)
    {
        var tinted = c.TintToward(target, amount);
        return tinted.Shade((target.ToHsl().L - tinted.ToHsl().L) * amount * 0.25f);
    }

    private void DarkenSky()
    {
        SkyTop = SkyTop.Scale(0.55f);
        SkyMid = SkyMid.Scale(0.6f);
        SkyHorizon = SkyHorizon.Scale(0.72f);
        Haze = Haze.Scale(0.8f);
        CloudLight = CloudLight.Scale(0.75f);
        CloudShade = CloudShade.Scale(0.7f);
    }

    /// <summary>A subtle variation's colour jitter: each colour a few degrees of hue and a little lightness off.</summary>
    private void Jitter(SketchRandom random)
    {
        var r = random;
        MapAll(c =>
        {
            var (h, s, l) = c.ToHsl();
            return Rgb.FromHsl(h + r.Jitter() * 5f, Math.Clamp(s * (1 + r.Jitter() * 0.06f), 0, 1), Math.Clamp(l + r.Jitter() * 0.025f, 0, 1));
        });
    }

    private void ApplyLook(Look look)
    {
        if (look.Style == SketchStyle.Minimal)
            MapAll(c => c.Saturate(0.8f).Lighten(0.12f));
        else if (Math.Abs(look.Saturation - 1) > 0.01f)
            MapAll(c => c.Saturate(look.Saturation));
    }

    private void MapAll(Func<Rgb, Rgb> f)
    {
        SkyTop = f(SkyTop);
        SkyMid = f(SkyMid);
        SkyHorizon = f(SkyHorizon);
        Haze = f(Haze);
        CloudLight = f(CloudLight);
        CloudShade = f(CloudShade);
        Grass = f(Grass);
        Foliage = f(Foliage);
        Pine = f(Pine);
        Water = f(Water);
        WaterDeep = f(WaterDeep);
        Sand = f(Sand);
        Dune = f(Dune);
        Rock = f(Rock);
        Snow = f(Snow);
        SnowShade = f(SnowShade);
        Building = f(Building);
        Street = f(Street);
        Backdrop = f(Backdrop);
        BackdropEdge = f(BackdropEdge);
        Flowers = Flowers.Select(f).ToArray();
    }

    public static Rgb ToRgb(SketchColor c) => new(c.R / 255f, c.G / 255f, c.B / 255f);
}
