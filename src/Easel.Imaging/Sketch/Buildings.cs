namespace Easel.Imaging.Sketch;

/// <summary>Buildings seen from the front, standing on the ground line.</summary>
internal static class Buildings
{
    private static readonly Rgb Pane = Rgb.Hex(0xA9CBE0);
    private static readonly Rgb Lamp = Rgb.Hex(0xFFD27A);

    public static SubjectArt.Footprint FootprintOf(string noun) => noun switch
    {
        "castle" => new(2.2f, 1.75f, 0, 0.55f, Anchor.Ground),
        "tower" => new(0.7f, 2.3f, 0, 0.62f, Anchor.Ground),
        "lighthouse" => new(0.8f, 2.5f, 0, 0.62f, Anchor.Ground),
        "skyscraper" or "building" => new(0.9f, 2.7f, 0, 0.72f, Anchor.Ground),
        "church" => new(1.4f, 2.1f, 0, 0.58f, Anchor.Ground),
        "windmill" => new(1.6f, 2.0f, 0, 0.58f, Anchor.Ground),
        _ => new(1.45f, 1.35f, 0, 0.44f, Anchor.Ground),
    };

    public static void Draw(Ink ink, Placement placement, ref SketchRandom r)
    {
        var s = placement.Subject;
        var main = SubjectArt.ColorOf(s.Color);
        var roof = SubjectArt.ColorOf(s.DetailColor);
        switch (s.Noun)
        {
            case "castle": Castle(ink, main ?? Rgb.Hex(0xBDB6AA), roof ?? Rgb.Hex(0x3F5A8C)); break;
            case "tower": Tower(ink, main ?? Rgb.Hex(0xB5AC9E), roof ?? Rgb.Hex(0x8A3B2E)); break;
            case "lighthouse": Lighthouse(ink, main ?? Rgb.Hex(0xD93A32), SubjectArt.ColorOf(s.SecondColor) ?? Rgb.Hex(0xF7F5F0)); break;
            case "skyscraper" or "building": Skyscraper(ink, main ?? SubjectArt.Pick(ref r, 0x5B7FA6, 0x6E8796, 0x4A5A78), ref r); break;
            case "church": Church(ink, main ?? Rgb.Hex(0xEDE6D8), roof ?? Rgb.Hex(0x6A4A3A)); break;
            case "windmill": Windmill(ink, main ?? Rgb.Hex(0xE9DFCB), roof ?? Rgb.Hex(0x8A4A32)); break;
            default: House(ink, main ?? SubjectArt.Pick(ref r, 0xF2E3C6, 0xE9D2B4, 0xD7E3EA, 0xF3D9D2), roof ?? SubjectArt.Pick(ref r, 0xC4553B, 0x7A4A3A, 0x3F5A8C)); break;
        }
    }

    private static void Window(Ink ink, float x, float y, float hw, float hh)
    {
        var f = ink.F;
        ink.Fill(f.Box(x, y, hw + 0.02f, hh + 0.02f, 0.01f), Rgb.Hex(0xF5F2EA));
        if (ink.LightsOn)
            ink.Emit(f.Box(x, y, hw, hh), Lamp);
        else
            ink.Fill(f.Box(x, y, hw, hh), Pane);
        ink.Fill(f.Box(x, y, 0.008f, hh), Rgb.Hex(0xF5F2EA));
        ink.Fill(f.Box(x, y, hw, 0.008f), Rgb.Hex(0xF5F2EA));
    }

    private static void House(Ink ink, Rgb wall, Rgb roof)
    {
        var f = ink.F;
        ink.Fill(f.Box(0.32f, 1.08f, 0.06f, 0.16f), Rgb.Hex(0x8A5A44));
        ink.Fill(f.Rect(-0.55f, 0, 0.55f, 0.72f), wall);
        ink.Fill(f.Rect(-0.55f, 0, 0.55f, 0.06f), wall.Shade(-0.1f));
        ink.Fill(f.Poly(-0.7f, 0.68f, 0.7f, 0.68f, 0, 1.22f), roof);
        ink.Fill(f.Poly(-0.7f, 0.68f, 0.7f, 0.68f, 0.66f, 0.62f, -0.66f, 0.62f), roof.Shade(-0.15f));
        ink.Fill(f.Rect(-0.13f, 0, 0.13f, 0.42f, 0.03f), Rgb.Hex(0x7A4A2E));
        ink.Fill(f.Circle(0.08f, 0.2f, 0.018f), Rgb.Hex(0xE2B43A));
        Window(ink, -0.35f, 0.4f, 0.1f, 0.1f);
        Window(ink, 0.35f, 0.4f, 0.1f, 0.1f);
        ink.Fill(f.Circle(0, 0.9f, 0.07f), Rgb.Hex(0xF5F2EA));
        if (ink.LightsOn)
            ink.Emit(f.Circle(0, 0.9f, 0.05f), Lamp);
        else
            ink.Fill(f.Circle(0, 0.9f, 0.05f), Pane);
    }

    private static void Castle(Ink ink, Rgb stone, Rgb roof)
    {
        var f = ink.F;
        var dark = stone.Shade(-0.1f);
        ink.Fill(f.Rect(-0.55f, 0, 0.55f, 1.05f), dark);
        Crenels(ink, -0.55f, 0.55f, 1.05f, dark);
        ink.Fill(f.Rect(-0.85f, 0, 0.85f, 0.62f), stone);
        Crenels(ink, -0.85f, 0.85f, 0.62f, stone);
        foreach (var x in new[] { -0.9f, 0.9f })
        {
            ink.Fill(f.Rect(x - 0.2f, 0, x + 0.2f, 1.12f), stone.Shade(0.03f));
            ink.Fill(f.Poly(x - 0.26f, 1.1f, x + 0.26f, 1.1f, x, 1.55f), roof);
            ink.Fill(f.Capsule(x, 1.55f, x, 1.7f, 0.01f), Rgb.Hex(0x4A4A4A));
            ink.Fill(f.Poly(x, 1.7f, x + 0.14f, 1.66f, x, 1.62f), Rgb.Hex(0xE8453C));
            ink.Fill(f.Box(x, 0.82f, 0.035f, 0.08f, 0.03f), Rgb.Hex(0x2E2A30));
        }
        ink.Fill(f.Rect(-0.16f, 1.05f, 0.16f, 1.38f), stone);
        ink.Fill(f.Poly(-0.21f, 1.36f, 0.21f, 1.36f, 0, 1.72f), roof.Shade(0.05f));
        ink.Fill(f.Rect(-0.17f, 0, 0.17f, 0.3f), Rgb.Hex(0x3A2E2A));
        ink.Fill(f.Circle(0, 0.3f, 0.17f), Rgb.Hex(0x3A2E2A));
        foreach (var x in new[] { -0.35f, 0.35f })
        {
            if (ink.LightsOn)
                ink.Emit(f.Box(x, 0.8f, 0.04f, 0.08f, 0.03f), Lamp);
            else
                ink.Fill(f.Box(x, 0.8f, 0.04f, 0.08f, 0.03f), Rgb.Hex(0x2E2A30));
        }
    }

    private static void Crenels(Ink ink, float x0, float x1, float y, Rgb color)
    {
        var f = ink.F;
        var n = Math.Max(3, (int)((x1 - x0) / 0.12f));
        var step = (x1 - x0) / n;
        for (var i = 0; i < n; i += 2)
            ink.Fill(f.Rect(x0 + i * step, y - 0.01f, x0 + (i + 1) * step, y + 0.08f), color);
    }

    private static void Tower(Ink ink, Rgb stone, Rgb roof)
    {
        var f = ink.F;
        ink.Fill(f.Rect(-0.24f, 0, 0.24f, 1.75f), stone);
        ink.Fill(f.Rect(0.08f, 0, 0.24f, 1.75f), stone.Shade(-0.07f));
        ink.Fill(f.Rect(-0.3f, 1.72f, 0.3f, 1.8f), stone.Shade(-0.1f));
        ink.Fill(f.Poly(-0.32f, 1.78f, 0.32f, 1.78f, 0, 2.28f), roof);
        foreach (var y in new[] { 0.7f, 1.2f, 1.55f })
        {
            if (ink.LightsOn)
                ink.Emit(f.Box(0, y, 0.05f, 0.09f, 0.04f), Lamp);
            else
                ink.Fill(f.Box(0, y, 0.05f, 0.09f, 0.04f), Rgb.Hex(0x2E2A30));
        }
        ink.Fill(f.Rect(-0.1f, 0, 0.1f, 0.28f, 0.08f), Rgb.Hex(0x5A3A2A));
    }

    private static void Lighthouse(Ink ink, Rgb stripe, Rgb white)
    {
        var f = ink.F;
        // A rocky footing.
        var rock = Rgb.Hex(0x7A746E);
        ink.Fill(f.Ellipse(-0.25f, 0.06f, 0.22f, 0.12f), rock.Shade(-0.05f));
        ink.Fill(f.Ellipse(0.28f, 0.05f, 0.2f, 0.1f), rock);
        ink.Fill(f.Ellipse(0.02f, 0.03f, 0.35f, 0.08f), rock.Shade(0.04f));
        var body = f.Poly(-0.26f, 0.05f, 0.26f, 0.05f, 0.16f, 1.75f, -0.16f, 1.75f);
        ink.Fill(body, white);
        for (var i = 0; i < 3; i++)
            ink.Fill(new Clip<Box, Polygon>(f.Box(0, 0.3f + i * 0.55f, 0.4f, 0.14f), body), stripe);
        ink.Fill(f.Rect(-0.24f, 1.72f, 0.24f, 1.8f), Rgb.Hex(0x2E3440));
        ink.Emit(f.Rect(-0.13f, 1.8f, 0.13f, 2.08f), Rgb.Hex(0xFFE9A6), 2f);
        ink.Fill(f.Box(0, 1.94f, 0.012f, 0.14f), Rgb.Hex(0x2E3440));
        ink.Fill(f.Poly(-0.17f, 2.06f, 0.17f, 2.06f, 0, 2.3f), stripe.Shade(-0.08f));
        ink.Fill(f.Rect(-0.07f, 0.05f, 0.07f, 0.3f, 0.05f), Rgb.Hex(0x3A3A44));
        if (ink.LightsOn)
        {
            var beam = Rgb.Hex(0xFFF2C2);
            ink.Brush.Add(f.Poly(0.1f, 1.94f, 2.5f, 2.3f, 2.5f, 1.7f), Paint.Linear(f.X(0.1f), f.Y(1.94f), beam, f.X(2.5f), f.Y(1.94f), Rgb.Black), 0.35f);
            ink.Brush.Add(f.Poly(-0.1f, 1.94f, -2.5f, 2.25f, -2.5f, 1.75f), Paint.Linear(f.X(-0.1f), f.Y(1.94f), beam, f.X(-2.5f), f.Y(1.94f), Rgb.Black), 0.25f);
        }
    }

    private static void Skyscraper(Ink ink, Rgb glass, ref SketchRandom r)
    {
        var f = ink.F;
        ink.Fill(f.Rect(-0.42f, 0, 0.42f, 2.45f), glass);
        ink.Fill(f.Rect(0.18f, 0, 0.42f, 2.45f), glass.Shade(-0.08f));
        ink.Fill(f.Rect(-0.3f, 2.44f, 0.3f, 2.58f), glass.Shade(-0.04f));
        ink.Fill(f.Capsule(0, 2.58f, 0, 2.72f, 0.012f), Rgb.Hex(0x6A7480));
        ink.Emit(f.Circle(0, 2.72f, 0.02f), Rgb.Hex(0xE8453C), 0.6f);
        for (var row = 0; row < 14; row++)
        {
            for (var col = 0; col < 4; col++)
            {
                var x = -0.32f + col * 0.2f;
                var y = 0.3f + row * 0.155f;
                var pane = f.Box(x, y, 0.065f, 0.05f);
                if (ink.LightsOn && r.Chance(0.55f))
                    ink.Emit(pane, Lamp, 0.4f);
                else
                    ink.Fill(pane, Pane.Lerp(glass, 0.45f));
            }
        }
        ink.Fill(f.Rect(-0.14f, 0, 0.14f, 0.2f), Rgb.Hex(0x2E3440));
    }

    private static void Church(Ink ink, Rgb wall, Rgb roof)
    {
        var f = ink.F;
        ink.Fill(f.Rect(-0.65f, 0, 0.2f, 0.75f), wall.Shade(-0.04f));
        ink.Fill(f.Poly(-0.72f, 0.72f, 0.22f, 0.72f, -0.25f, 1.1f), roof);
        ink.Fill(f.Rect(0.1f, 0, 0.55f, 1.3f), wall);
        ink.Fill(f.Poly(0.05f, 1.28f, 0.6f, 1.28f, 0.325f, 1.95f), roof.Shade(0.04f));
        ink.Fill(f.Box(0.325f, 2.0f, 0.012f, 0.07f), Rgb.Hex(0xD4A72C));
        ink.Fill(f.Box(0.325f, 2.02f, 0.045f, 0.012f), Rgb.Hex(0xD4A72C));
        ink.Fill(f.Rect(0.22f, 0, 0.43f, 0.34f), Rgb.Hex(0x6A3E2A));
        ink.Fill(f.Circle(0.325f, 0.34f, 0.105f), Rgb.Hex(0x6A3E2A));
        if (ink.LightsOn)
            ink.Emit(f.Circle(0.325f, 0.9f, 0.09f), Lamp);
        else
            ink.Fill(f.Circle(0.325f, 0.9f, 0.09f), Rgb.Hex(0x6FA0C8));
        foreach (var x in new[] { -0.5f, -0.22f })
        {
            if (ink.LightsOn)
                ink.Emit(f.Box(x, 0.42f, 0.06f, 0.13f, 0.06f), Lamp);
            else
                ink.Fill(f.Box(x, 0.42f, 0.06f, 0.13f, 0.06f), Rgb.Hex(0x6FA0C8));
        }
    }

    private static void Windmill(Ink ink, Rgb wall, Rgb cap)
    {
        var f = ink.F;
        ink.Fill(f.Poly(-0.32f, 0, 0.32f, 0, 0.2f, 1.25f, -0.2f, 1.25f), wall);
        ink.Fill(f.Poly(0.1f, 0, 0.32f, 0, 0.2f, 1.25f, 0.06f, 1.25f), wall.Shade(-0.07f));
        ink.Fill(f.Ellipse(0, 1.28f, 0.26f, 0.16f), cap);
        ink.Fill(f.Rect(-0.09f, 0, 0.09f, 0.3f, 0.06f), Rgb.Hex(0x6A3E2A));
        var sail = Rgb.Hex(0xF5F0E4);
        for (var i = 0; i < 4; i++)
        {
            var a = 45f + i * 90f;
            var rad = Mathx.Deg(a);
            var cx = MathF.Cos(rad) * 0.42f;
            var cy = 1.25f + MathF.Sin(rad) * 0.42f;
            ink.Fill(f.Box(cx, cy, 0.4f, 0.085f, 0.01f, a), sail);
            ink.Stroke(f.Box(cx, cy, 0.4f, 0.085f, 0.01f, a), 0.012f, Rgb.Hex(0x6A4A3A));
        }
        ink.Fill(f.Circle(0, 1.25f, 0.05f), Rgb.Hex(0x4A3A30));
    }
}
