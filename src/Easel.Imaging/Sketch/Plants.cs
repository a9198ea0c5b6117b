namespace Easel.Imaging.Sketch;

/// <summary>A single plant as the subject: a tree, palm, flower, cactus or mushroom.</summary>
internal static class Plants
{
    public static SubjectArt.Footprint FootprintOf(string noun) => noun switch
    {
        "palm" => new(1.5f, 2.0f, 0.1f, 0.62f, Anchor.Ground),
        "flower" => new(0.6f, 1.15f, 0, 0.42f, Anchor.Ground),
        "cactus" => new(0.9f, 1.6f, 0, 0.5f, Anchor.Ground),
        "mushroom" => new(0.9f, 0.85f, 0, 0.32f, Anchor.Ground),
        _ => new(1.3f, 1.85f, 0, 0.62f, Anchor.Ground),
    };

    public static void Draw(Ink ink, Placement placement, ref SketchRandom r)
    {
        var s = placement.Subject;
        var main = SubjectArt.ColorOf(s.Color);
        var detail = SubjectArt.ColorOf(s.DetailColor);
        switch (s.Noun)
        {
            case "palm": Palm(ink, main ?? Rgb.Hex(0x3E9A4A)); break;
            case "flower": Flower(ink, main ?? SubjectArt.Pick(ref r, 0xE8453C, 0xF28AB8, 0xF5C518, 0xB58BE0), detail); break;
            case "cactus": Cactus(ink, main ?? Rgb.Hex(0x4E9A5A), detail ?? Rgb.Hex(0xF28AB8)); break;
            case "mushroom": Mushroom(ink, main ?? Rgb.Hex(0xD93A32)); break;
            default: Tree(ink, main ?? ink.Palette.Foliage, detail, ref r); break;
        }
    }

    private static void Tree(Ink ink, Rgb leaves, Rgb? fruit, ref SketchRandom r)
    {
        var f = ink.F;
        var bark = Rgb.Hex(0x6B4A33);
        ink.Fill(f.Capsule(0, 0, 0, 0.85f, 0.09f, 0.06f), bark);
        ink.Fill(f.Capsule(0, 0.6f, -0.25f, 0.95f, 0.04f, 0.025f), bark);
        ink.Fill(f.Capsule(0, 0.7f, 0.22f, 1.0f, 0.04f, 0.025f), bark);
        (float X, float Y, float R)[] blobs = [(0, 1.35f, 0.38f), (-0.32f, 1.1f, 0.3f), (0.33f, 1.12f, 0.3f), (-0.18f, 1.5f, 0.28f), (0.2f, 1.48f, 0.28f)];
        foreach (var (x, y, rad) in blobs)
            ink.Fill(f.Circle(x, y, rad), leaves.Shade(r.Jitter() * 0.03f));
        if (!ink.Look.FlatFill)
            ink.Fill(new Clip<Circle, Circle>(f.Circle(-0.12f, 1.48f, 0.26f), f.Circle(-0.18f, 1.5f, 0.28f)), leaves.Shade(0.07f));
        if (fruit is { } c)
        {
            for (var i = 0; i < 9; i++)
            {
                var (x, y, rad) = blobs[r.Next(blobs.Length)];
                var a = r.Range(0, MathF.Tau);
                ink.Fill(f.Circle(x + MathF.Cos(a) * rad * 0.6f, y + MathF.Sin(a) * rad * 0.6f, 0.045f), c);
            }
        }
    }

    private static void Palm(Ink ink, Rgb leaf)
    {
        var f = ink.F;
        var trunk = Rgb.Hex(0x9A6E45);
        for (var i = 0; i < 7; i++)
        {
            var t0 = i / 7f;
            var t1 = (i + 1) / 7f;
            ink.Fill(f.Capsule(-0.25f * t0 * t0, 1.6f * t0, -0.25f * t1 * t1, 1.6f * t1, 0.07f - 0.025f * t0, 0.07f - 0.025f * t1), i % 2 == 0 ? trunk : trunk.Shade(-0.05f));
        }
        var tx = -0.25f;
        var ty = 1.6f;
        for (var i = 0; i < 7; i++)
        {
            // Fronds arch up and out, then droop at the tips.
            var a = MathF.PI * (0.02f + i * 0.16f);
            var len = 0.7f;
            var mx = tx + MathF.Cos(a) * len * 0.5f;
            var my = ty + MathF.Sin(a) * len * 0.3f + 0.1f;
            var ex = tx + MathF.Cos(a) * len;
            var ey = ty + MathF.Sin(a) * len * 0.15f - 0.22f;
            var c = i % 2 == 0 ? leaf : leaf.Shade(-0.07f);
            ink.Fill(f.Capsule(tx, ty, mx, my, 0.02f, 0.07f), c);
            ink.Fill(f.Capsule(mx, my, ex, ey, 0.07f, 0.012f), c);
        }
        ink.Fill(f.Circle(tx - 0.04f, ty - 0.05f, 0.045f), Rgb.Hex(0x6B4A2A));
        ink.Fill(f.Circle(tx + 0.04f, ty - 0.06f, 0.045f), Rgb.Hex(0x5A3D22));
    }

    private static void Flower(Ink ink, Rgb petals, Rgb? centre)
    {
        var f = ink.F;
        var stem = Rgb.Hex(0x4E8A4A);
        ink.Fill(f.Capsule(0, 0, 0.03f, 0.85f, 0.025f, 0.02f), stem);
        ink.Fill(f.Ellipse(0.14f, 0.32f, 0.15f, 0.05f, 30), stem.Shade(0.05f));
        ink.Fill(f.Ellipse(-0.12f, 0.5f, 0.14f, 0.045f, -30), stem.Shade(-0.03f));
        for (var i = 0; i < 8; i++)
        {
            var a = i / 8f * 360f;
            var rad = Mathx.Deg(a);
            ink.Fill(f.Ellipse(0.03f + MathF.Cos(rad) * 0.14f, 0.92f + MathF.Sin(rad) * 0.14f, 0.12f, 0.065f, a), i % 2 == 0 ? petals : petals.Shade(-0.05f));
        }
        ink.Fill(f.Circle(0.03f, 0.92f, 0.08f), centre ?? Rgb.Hex(0xF2B33D).Lerp(Rgb.Hex(0x7A4A2A), petals.ToHsl().H is > 40 and < 70 ? 0.8f : 0f));
    }

    private static void Cactus(Ink ink, Rgb green, Rgb bloom)
    {
        var f = ink.F;
        var dark = green.Shade(-0.08f);
        ink.Fill(f.Capsule(0, 0, 0, 1.45f, 0.15f, 0.14f), green);
        ink.Fill(f.Capsule(0, 0.65f, -0.35f, 0.65f, 0.09f), green);
        ink.Fill(f.Capsule(-0.35f, 0.65f, -0.35f, 1.05f, 0.09f), green);
        ink.Fill(f.Capsule(0, 0.85f, 0.32f, 0.85f, 0.085f), dark);
        ink.Fill(f.Capsule(0.32f, 0.85f, 0.32f, 1.2f, 0.085f), dark);
        ink.Fill(f.Capsule(0.05f, 0.05f, 0.05f, 1.4f, 0.035f), dark, 0.7f);
        for (var i = 0; i < 5; i++)
        {
            var a = i / 5f * MathF.Tau;
            ink.Fill(f.Circle(MathF.Cos(a) * 0.06f, 1.6f + MathF.Sin(a) * 0.06f, 0.05f), bloom);
        }
        ink.Fill(f.Circle(0, 1.6f, 0.035f), Rgb.Hex(0xF5D033));
    }

    private static void Mushroom(Ink ink, Rgb cap)
    {
        var f = ink.F;
        ink.Fill(f.Box(0, 0.24f, 0.12f, 0.26f, 0.08f), Rgb.Hex(0xF3E9D6));
        ink.Fill(f.Ellipse(0, 0.47f, 0.36f, 0.06f), Rgb.Hex(0xE0D2B8));
        var top = f.Ellipse(0, 0.46f, 0.44f, 0.36f);
        ink.Fill(new Clip<Ellipse, Box>(top, f.Box(0, 0.7f, 0.5f, 0.24f)), cap);
        foreach (var (x, y, rad) in new[] { (-0.2f, 0.62f, 0.05f), (0.05f, 0.72f, 0.06f), (0.25f, 0.58f, 0.04f), (-0.05f, 0.55f, 0.035f) })
            ink.Fill(new Clip<Circle, Ellipse>(f.Circle(x, y, rad), top), Rgb.Hex(0xFBF7EE));
    }
}
