namespace Easel.Imaging.Sketch;

/// <summary>Product shots: jewellery with gems, bottles, cups and other objects, drawn to sit on a studio floor.</summary>
internal static class Products
{
    public static SubjectArt.Footprint FootprintOf(string noun) => noun switch
    {
        "ring" => new(0.9f, 1.0f, 0, 0.5f, Anchor.Ground),
        "necklace" => new(1.0f, 1.15f, 0, 0.55f, Anchor.Ground),
        "earrings" => new(0.9f, 1.05f, 0, 0.5f, Anchor.Ground),
        "bracelet" => new(1.0f, 0.62f, 0, 0.32f, Anchor.Ground),
        "bottle" => new(0.5f, 1.62f, 0, 0.6f, Anchor.Ground),
        "perfume" => new(0.75f, 1.12f, 0, 0.5f, Anchor.Ground),
        "cup" => new(1.1f, 1.15f, 0.05f, 0.45f, Anchor.Ground),
        "vase" => new(0.9f, 1.6f, 0, 0.58f, Anchor.Ground),
        "watch" => new(0.55f, 1.2f, 0, 0.55f, Anchor.Ground),
        "phone" => new(0.65f, 1.2f, 0, 0.55f, Anchor.Ground),
        _ => new(0.95f, 1.0f, 0, 0.42f, Anchor.Ground),
    };

    public static void Draw(Ink ink, Placement placement, ref SketchRandom r)
    {
        var s = placement.Subject;
        var main = SubjectArt.ColorOf(s.Color);
        var detail = SubjectArt.ColorOf(s.DetailColor);
        var metal = main ?? Rgb.Hex(0xD4A72C);
        var gem = detail ?? Rgb.Hex(0xE8F4FF);
        switch (s.Noun)
        {
            case "ring": Ring(ink, metal, gem); break;
            case "necklace": Necklace(ink, metal, gem); break;
            case "earrings": Earrings(ink, metal, gem); break;
            case "bracelet": Bracelet(ink, metal, gem); break;
            case "watch": Watch(ink, main ?? Rgb.Hex(0xC4C9D0), detail ?? Rgb.Hex(0x6B4A33)); break;
            case "bottle": Bottle(ink, main ?? SubjectArt.Pick(ref r, 0x2F5D3A, 0x7A2434, 0x3C7DA8), detail ?? Rgb.Hex(0xF3E7C9)); break;
            case "perfume": Perfume(ink, main ?? SubjectArt.Pick(ref r, 0xF3A6C0, 0xE9B44C, 0xB7A2E0), detail ?? Rgb.Hex(0xD4A72C)); break;
            case "cup": Cup(ink, main ?? SubjectArt.Pick(ref r, 0xF7F5F0, 0x2A9D8F, 0xE07A5F), detail); break;
            case "vase": Vase(ink, main ?? SubjectArt.Pick(ref r, 0x3E7CB1, 0xE9DCC6, 0x2A9D8F), detail ?? Rgb.Hex(0xF2C94C)); break;
            case "phone": Phone(ink, main ?? Rgb.Hex(0x1C1C22), detail ?? Rgb.Hex(0x7E44B8)); break;
            default: GiftBox(ink, main ?? SubjectArt.Pick(ref r, 0xD93A32, 0x2A9D8F, 0x3E7CB1), detail ?? Rgb.Hex(0xE2B43A)); break;
        }
    }

    /// <summary>Polished metal: bright top, dark bottom, so even a flat band reads as shiny.</summary>
    private static Paint Metal(Ink ink, Rgb metal, float yTop, float yBottom)
    {
        var f = ink.F;
        var c = ink.Palette.OnSubject(metal);
        if (ink.Look.FlatFill)
            return Paint.Solid(c);
        return Paint.Linear(0, f.Y(yTop), c.Lighten(0.45f), 0, f.Y(yBottom), c.Shade(-0.18f));
    }

    private static void Sparkle(Ink ink, float x, float y, float size)
    {
        if (ink.Look.Brilliance)
        {
            // "Brilliance": a bigger star and two smaller ones around it, always at the same spots.
            Star(ink, x, y, size * 1.6f);
            Star(ink, x - size * 2.6f, y - size * 1.4f, size * 0.9f);
            Star(ink, x + size * 1.2f, y - size * 2.8f, size * 0.7f);
            return;
        }
        Star(ink, x, y, size);
    }

    private static void Star(Ink ink, float x, float y, float size)
    {
        var f = ink.F;
        var white = Rgb.Hex(0xFFFFFF);
        ink.Brush.Fill(f.Poly(x - size, y, x - size * 0.15f, y + size * 0.15f, x, y + size, x + size * 0.15f, y + size * 0.15f,
            x + size, y, x + size * 0.15f, y - size * 0.15f, x, y - size, x - size * 0.15f, y - size * 0.15f), Paint.Solid(white), 0.95f);
        if (!ink.Look.FlatFill)
            ink.Brush.Glow(f.Circle(x, y, size * 0.15f), f.Len(size * 0.35f), white, 0.5f);
    }

    /// <summary>A cut gem: a crown over a pointed pavilion, facets picked out in lighter and darker tones.</summary>
    private static void Gem(Ink ink, float x, float y, float size, Rgb color)
    {
        var f = ink.F;
        var c = ink.Palette.OnSubject(color);
        ink.Brush.Fill(f.Poly(x - size, y, x + size, y, x, y - size * 1.15f), Paint.Solid(c.Shade(-0.12f)));
        ink.Brush.Fill(f.Poly(x - size * 0.35f, y, x + size * 0.35f, y, x, y - size * 1.15f), Paint.Solid(c.Shade(0.06f)));
        ink.Brush.Fill(f.Poly(x - size, y, x + size, y, x + size * 0.62f, y + size * 0.55f, x - size * 0.62f, y + size * 0.55f), Paint.Solid(c.Shade(0.1f)));
        ink.Brush.Fill(f.Poly(x - size * 0.3f, y, x + size * 0.3f, y, x + size * 0.2f, y + size * 0.55f, x - size * 0.2f, y + size * 0.55f), Paint.Solid(c.Shade(0.2f)));
        ink.Brush.Fill(f.Poly(x - size * 0.55f, y + size * 0.05f, x - size * 0.3f, y + size * 0.05f, x - size * 0.42f, y - size * 0.45f), Paint.Solid(Rgb.White), ink.Look.Brilliance ? 0.85f : 0.45f);
    }

    private static void Ring(Ink ink, Rgb metal, Rgb gem)
    {
        var f = ink.F;
        var band = new Ring<Ellipse>(f.Ellipse(0, 0.36f, 0.34f, 0.32f), f.Len(0.075f));
        ink.Brush.Fill(band, Metal(ink, metal, 0.7f, 0.0f));
        ink.Brush.Fill(new Clip<Ring<Ellipse>, Box>(new Ring<Ellipse>(f.Ellipse(0, 0.36f, 0.345f, 0.325f), f.Len(0.015f)), f.Box(-0.2f, 0.55f, 0.2f, 0.15f)), Paint.Solid(Rgb.White), 0.55f);
        ink.Brush.Fill(f.Box(0, 0.68f, 0.11f, 0.04f, 0.02f), Metal(ink, metal, 0.75f, 0.62f));
        foreach (var x in new[] { -0.1f, 0.1f })
            ink.Brush.Fill(f.Capsule(x, 0.68f, x * 0.8f, 0.82f, f.Len(0.012f) / f.Scale), Metal(ink, metal, 0.85f, 0.68f));
        Gem(ink, 0, 0.8f, 0.16f, gem);
        Sparkle(ink, 0.09f, 0.9f, 0.07f);
    }

    private static void Necklace(Ink ink, Rgb metal, Rgb gem)
    {
        var f = ink.F;
        var link = ink.Palette.OnSubject(metal.Shade(-0.08f));
        const int links = 30;
        for (var i = 0; i <= links; i++)
        {
            var t = i / (float)links * 2 - 1;
            var x = t * 0.44f;
            var y = 1.1f - 0.62f * MathF.Pow(1 - t * t, 0.75f);
            ink.Brush.Fill(new Ring<Ellipse>(f.Ellipse(x, y, 0.024f, 0.017f, t * 40), f.Len(0.011f)), Paint.Solid(i % 2 == 0 ? link : link.Shade(-0.1f)));
        }
        ink.Brush.Fill(f.Circle(0, 0.4f, 0.085f), Metal(ink, metal, 0.5f, 0.3f));
        var c = ink.Palette.OnSubject(gem);
        ink.Brush.Fill(f.Circle(0, 0.34f, 0.07f), Paint.Linear(f.X(-0.05f), f.Y(0.4f), c.Shade(0.15f), f.X(0.05f), f.Y(0.28f), c.Shade(-0.15f)));
        ink.Brush.Fill(f.Poly(-0.055f, 0.38f, 0.055f, 0.38f, 0, 0.48f), Paint.Solid(c.Shade(0.05f)));
        ink.Brush.Fill(f.Circle(-0.025f, 0.37f, 0.02f), Paint.Solid(Rgb.White), 0.6f);
        Sparkle(ink, 0.06f, 0.42f, 0.06f);
    }

    private static void Earrings(Ink ink, Rgb metal, Rgb gem)
    {
        var f = ink.F;
        foreach (var x in new[] { -0.26f, 0.26f })
        {
            ink.Brush.Fill(new Clip<Ring<Circle>, Box>(new Ring<Circle>(f.Circle(x, 0.9f, 0.07f), f.Len(0.018f)), f.Box(x, 0.96f, 0.1f, 0.07f)), Metal(ink, metal, 0.98f, 0.88f));
            ink.Brush.Fill(f.Capsule(x - 0.07f, 0.9f, x - 0.07f, 0.84f, f.Len(0.009f) / f.Scale), Metal(ink, metal, 0.9f, 0.84f));
            ink.Brush.Fill(f.Capsule(x + 0.07f, 0.9f, x + 0.02f, 0.72f, f.Len(0.01f) / f.Scale), Metal(ink, metal, 0.9f, 0.72f));
            ink.Brush.Fill(f.Circle(x + 0.02f, 0.7f, 0.035f), Metal(ink, metal, 0.74f, 0.66f));
            var c = ink.Palette.OnSubject(gem);
            ink.Brush.Fill(f.Circle(x + 0.02f, 0.48f, 0.11f), Paint.Linear(f.X(x - 0.08f), f.Y(0.58f), c.Shade(0.15f), f.X(x + 0.1f), f.Y(0.38f), c.Shade(-0.15f)));
            ink.Brush.Fill(f.Poly(x - 0.075f, 0.54f, x + 0.115f, 0.54f, x + 0.02f, 0.68f), Paint.Solid(c.Shade(0.04f)));
            ink.Brush.Fill(f.Ellipse(x - 0.02f, 0.52f, 0.03f, 0.05f, -20), Paint.Solid(Rgb.White), 0.55f);
        }
        Sparkle(ink, 0.33f, 0.55f, 0.06f);
    }

    private static void Bracelet(Ink ink, Rgb metal, Rgb gem)
    {
        var f = ink.F;
        var back = new Clip<Ring<Ellipse>, Box>(new Ring<Ellipse>(f.Ellipse(0, 0.3f, 0.44f, 0.2f), f.Len(0.07f)), f.Box(0, 0.45f, 0.6f, 0.15f));
        ink.Brush.Fill(back, Metal(ink, metal.Shade(-0.08f), 0.5f, 0.3f));
        var front = new Clip<Ring<Ellipse>, Box>(new Ring<Ellipse>(f.Ellipse(0, 0.3f, 0.44f, 0.2f), f.Len(0.07f)), f.Box(0, 0.15f, 0.6f, 0.15f));
        ink.Brush.Fill(front, Metal(ink, metal, 0.3f, 0.05f));
        for (var i = 0; i < 5; i++)
        {
            var a = MathF.PI * (1.15f + i * 0.175f);
            Gem(ink, MathF.Cos(a) * 0.44f, 0.3f + MathF.Sin(a) * 0.2f + 0.02f, 0.045f, gem);
        }
        Sparkle(ink, 0.12f, 0.16f, 0.06f);
    }

    private static void Watch(Ink ink, Rgb metal, Rgb strap)
    {
        var f = ink.F;
        ink.Fill(f.Box(0, 0.95f, 0.13f, 0.25f, 0.04f), strap);
        ink.Fill(f.Box(0, 0.22f, 0.13f, 0.22f, 0.04f), strap);
        ink.Brush.Fill(f.Circle(0, 0.58f, 0.24f), Metal(ink, metal, 0.82f, 0.34f));
        ink.Brush.Fill(f.Box(0.26f, 0.58f, 0.03f, 0.035f, 0.01f), Metal(ink, metal, 0.62f, 0.54f));
        ink.Fill(f.Circle(0, 0.58f, 0.195f), Rgb.Hex(0xF7F4EC));
        for (var i = 0; i < 12; i++)
        {
            var a = i / 12f * MathF.Tau;
            ink.Fill(f.Capsule(MathF.Cos(a) * 0.15f, 0.58f + MathF.Sin(a) * 0.15f, MathF.Cos(a) * 0.175f, 0.58f + MathF.Sin(a) * 0.175f, i % 3 == 0 ? 0.009f : 0.005f), Rgb.Hex(0x2A2A30));
        }
        ink.Fill(f.Capsule(0, 0.58f, 0.07f, 0.67f, 0.01f), Rgb.Hex(0x2A2A30));
        ink.Fill(f.Capsule(0, 0.58f, -0.02f, 0.72f, 0.007f), Rgb.Hex(0x2A2A30));
        ink.Fill(f.Circle(0, 0.58f, 0.014f), Rgb.Hex(0xC0392B));
        ink.Brush.Fill(f.Ellipse(-0.08f, 0.67f, 0.07f, 0.03f, 30), Paint.Solid(Rgb.White), 0.35f);
    }

    private static void Glass(Ink ink, float cx, float cy, float hw, float hh)
    {
        var f = ink.F;
        ink.Brush.Fill(f.Box(cx - hw * 0.55f, cy, hw * 0.12f, hh * 0.8f, hw * 0.12f), Paint.Solid(Rgb.White), 0.35f);
        ink.Brush.Fill(f.Box(cx + hw * 0.6f, cy - hh * 0.1f, hw * 0.05f, hh * 0.6f, hw * 0.05f), Paint.Solid(Rgb.White), 0.18f);
    }

    private static void Bottle(Ink ink, Rgb glass, Rgb label)
    {
        var f = ink.F;
        ink.Fill(f.Box(0, 0.5f, 0.22f, 0.5f, 0.08f), glass);
        ink.Fill(f.Ellipse(0, 1.0f, 0.22f, 0.14f), glass);
        ink.Fill(f.Box(0, 1.2f, 0.075f, 0.2f, 0.03f), glass);
        ink.Fill(f.Box(0, 1.46f, 0.085f, 0.13f, 0.02f), Rgb.Hex(0x7A2434).Lerp(glass, 0.2f).Shade(-0.1f));
        ink.Fill(f.Box(0, 1.6f, 0.09f, 0.02f, 0.01f), Rgb.Hex(0x7A2434).Shade(-0.2f));
        ink.Fill(f.Box(0, 0.5f, 0.222f, 0.19f, 0.01f), label);
        ink.Fill(f.Box(0, 0.58f, 0.13f, 0.022f), Rgb.Hex(0x3A2E2A));
        ink.Fill(f.Box(0, 0.5f, 0.09f, 0.012f), Rgb.Hex(0x8A7A6A));
        ink.Fill(f.Box(0, 0.44f, 0.11f, 0.012f), Rgb.Hex(0x8A7A6A));
        ink.Fill(f.Circle(0, 0.38f, 0.03f), Rgb.Hex(0xB8322C));
        Glass(ink, 0, 0.6f, 0.22f, 0.45f);
    }

    private static void Perfume(Ink ink, Rgb liquid, Rgb cap)
    {
        var f = ink.F;
        var glass = Rgb.Hex(0xEAF2F6);
        ink.Fill(f.Box(0, 0.4f, 0.34f, 0.38f, 0.08f), glass, 0.9f);
        ink.Fill(f.Box(0, 0.33f, 0.29f, 0.28f, 0.06f), liquid);
        ink.Fill(f.Box(0, 0.58f, 0.29f, 0.03f, 0.02f), liquid.Shade(0.12f));
        ink.Fill(f.Box(0, 0.83f, 0.07f, 0.06f, 0.01f), Rgb.Hex(0xC9CED6));
        ink.Brush.Fill(f.Box(0, 0.98f, 0.16f, 0.11f, 0.03f), Metal(ink, cap, 1.1f, 0.87f));
        ink.Fill(f.Box(0, 0.33f, 0.12f, 0.06f, 0.01f), Rgb.Hex(0xF7F4EC), 0.9f);
        Glass(ink, 0, 0.42f, 0.34f, 0.34f);
        Sparkle(ink, -0.2f, 0.7f, 0.06f);
    }

    private static void Cup(Ink ink, Rgb body, Rgb? drink)
    {
        var f = ink.F;
        ink.Fill(f.Ellipse(0, 0.035f, 0.5f, 0.06f), body.Shade(-0.04f));
        ink.Fill(new Ring<Ellipse>(f.Ellipse(0.33f, 0.42f, 0.14f, 0.15f), f.Len(0.055f)), body.Shade(-0.06f));
        ink.Fill(new Grow<Polygon>(f.Poly(-0.3f, 0.72f, 0.3f, 0.72f, 0.24f, 0.1f, -0.24f, 0.1f), f.Len(0.03f)), body);
        ink.Fill(f.Ellipse(0, 0.74f, 0.33f, 0.065f), body.Shade(0.08f));
        var coffee = drink ?? Rgb.Hex(0x6B4226);
        ink.Fill(f.Ellipse(0, 0.74f, 0.29f, 0.05f), coffee);
        ink.Fill(f.Ellipse(-0.03f, 0.745f, 0.14f, 0.025f), coffee.Shade(0.2f), 0.8f);
        var steam = Rgb.Hex(0xFFFFFF);
        for (var i = -1; i <= 1; i++)
        {
            var x = i * 0.11f;
            ink.Brush.Fill(f.Capsule(x, 0.82f, x + 0.04f, 0.92f, f.Len(0.018f) / f.Scale), Paint.Solid(steam), 0.5f);
            ink.Brush.Fill(f.Capsule(x + 0.04f, 0.92f, x - 0.02f, 1.02f, f.Len(0.016f) / f.Scale), Paint.Solid(steam), 0.4f);
            ink.Brush.Fill(f.Capsule(x - 0.02f, 1.02f, x + 0.02f, 1.1f, f.Len(0.013f) / f.Scale), Paint.Solid(steam), 0.3f);
        }
    }

    private static void Vase(Ink ink, Rgb body, Rgb flowers)
    {
        var f = ink.F;
        var stem = Rgb.Hex(0x4E8A4A);
        ink.Fill(f.Capsule(0, 0.9f, -0.22f, 1.3f, 0.014f), stem);
        ink.Fill(f.Capsule(0, 0.9f, 0.05f, 1.45f, 0.014f), stem);
        ink.Fill(f.Capsule(0, 0.9f, 0.25f, 1.25f, 0.014f), stem);
        foreach (var (x, y) in new[] { (-0.22f, 1.3f), (0.05f, 1.45f), (0.25f, 1.25f) })
        {
            for (var i = 0; i < 6; i++)
            {
                var a = i / 6f * MathF.Tau;
                ink.Fill(f.Circle(x + MathF.Cos(a) * 0.055f, y + MathF.Sin(a) * 0.055f, 0.045f), flowers);
            }
            ink.Fill(f.Circle(x, y, 0.035f), Rgb.Hex(0xF5D033).Lerp(flowers, 0.2f).Shade(-0.15f));
        }
        ink.Fill(f.Ellipse(0, 0.42f, 0.3f, 0.4f), body);
        ink.Fill(f.Box(0, 0.86f, 0.1f, 0.12f), body);
        ink.Fill(f.Ellipse(0, 0.98f, 0.15f, 0.04f), body.Shade(0.06f));
        ink.Fill(new Clip<Box, Ellipse>(f.Box(0, 0.45f, 0.4f, 0.05f), f.Ellipse(0, 0.42f, 0.3f, 0.4f)), flowers.Shade(-0.05f));
        ink.Brush.Fill(f.Ellipse(-0.15f, 0.55f, 0.04f, 0.15f, -10), Paint.Solid(Rgb.White), 0.3f);
    }

    private static void Phone(Ink ink, Rgb body, Rgb screen)
    {
        var f = ink.F;
        ink.Fill(f.Box(0, 0.6f, 0.3f, 0.58f, 0.07f), body);
        var top = ink.Palette.OnSubject(screen.Shade(0.12f));
        var bottom = ink.Palette.OnSubject(screen.TintToward(Rgb.Hex(0xF28AB8), 0.5f));
        ink.Brush.Fill(f.Box(0, 0.6f, 0.265f, 0.54f, 0.045f), ink.Look.FlatFill ? Paint.Solid(top) : Paint.Vertical(f.Y(1.14f), top, f.Y(0.06f), bottom));
        ink.Fill(f.Box(0, 1.1f, 0.06f, 0.018f, 0.018f), body);
        for (var row = 0; row < 4; row++)
        {
            for (var col = 0; col < 3; col++)
                ink.Brush.Fill(f.Box(-0.15f + col * 0.15f, 0.95f - row * 0.17f, 0.05f, 0.05f, 0.015f), Paint.Solid(Rgb.White), 0.75f);
        }
        ink.Brush.Fill(f.Poly(-0.26f, 1.1f, 0.05f, 1.1f, -0.26f, 0.5f), Paint.Solid(Rgb.White), 0.1f);
    }

    private static void GiftBox(Ink ink, Rgb box, Rgb ribbon)
    {
        var f = ink.F;
        ink.Fill(f.Box(0, 0.34f, 0.38f, 0.34f, 0.02f), box);
        ink.Fill(f.Box(0, 0.72f, 0.43f, 0.08f, 0.02f), box.Shade(0.05f));
        ink.Fill(f.Box(0, 0.38f, 0.06f, 0.38f), ribbon);
        ink.Fill(f.Box(0, 0.72f, 0.06f, 0.08f), ribbon.Shade(0.05f));
        ink.Fill(f.Ellipse(-0.13f, 0.87f, 0.14f, 0.07f, 25), ribbon);
        ink.Fill(f.Ellipse(0.13f, 0.87f, 0.14f, 0.07f, -25), ribbon);
        ink.Fill(f.Circle(0, 0.82f, 0.045f), ribbon.Shade(-0.1f));
    }
}
