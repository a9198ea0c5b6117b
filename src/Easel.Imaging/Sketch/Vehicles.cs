namespace Easel.Imaging.Sketch;

/// <summary>Side-view vehicles, facing their direction of travel.</summary>
internal static class Vehicles
{
    private static readonly Rgb Tyre = Rgb.Hex(0x26262B);
    private static readonly Rgb Glass = Rgb.Hex(0xB9D7EA);
    private static readonly Rgb Chrome = Rgb.Hex(0xC9CED6);

    public static SubjectArt.Footprint FootprintOf(string noun) => noun switch
    {
        "taxi" or "car" or "vehicle" => new(2.1f, 0.78f, 0, 0.2f, Anchor.Ground),
        "truck" => new(2.5f, 1.1f, 0, 0.27f, Anchor.Ground),
        "bus" => new(2.7f, 1.1f, 0, 0.28f, Anchor.Ground),
        "bicycle" => new(1.7f, 1.0f, 0, 0.25f, Anchor.Ground),
        "motorcycle" => new(1.75f, 1.0f, 0, 0.25f, Anchor.Ground),
        "sailboat" => new(1.6f, 2.0f, 0, 0.42f, Anchor.Water),
        "ship" => new(2.7f, 1.7f, 0, 0.34f, Anchor.Water),
        "plane" => new(2.4f, 0.8f, 0, 0.2f, Anchor.Sky),
        "train" => new(3.4f, 1.05f, 0, 0.22f, Anchor.Ground),
        "rocket" => new(0.9f, 2.3f, 0, 0.5f, Anchor.Sky),
        "balloon" => new(1.1f, 1.7f, 0, 0.42f, Anchor.Sky),
        _ => new(2.1f, 0.78f, 0, 0.2f, Anchor.Ground),
    };

    public static void Draw(Ink ink, Placement placement, ref SketchRandom r)
    {
        var s = placement.Subject;
        var main = SubjectArt.ColorOf(s.Color);
        var detail = SubjectArt.ColorOf(s.DetailColor);
        switch (s.Noun)
        {
            case "taxi": Car(ink, main ?? Rgb.Hex(0xF5C518), taxi: true); break;
            case "truck": Truck(ink, main ?? SubjectArt.Pick(ref r, 0xD93A32, 0x3E7CB1, 0xF2F2F2)); break;
            case "bus": Bus(ink, main ?? Rgb.Hex(0xF5B41A)); break;
            case "bicycle": Bicycle(ink, main ?? SubjectArt.Pick(ref r, 0xD93A32, 0x2A9D8F, 0x3E7CB1)); break;
            case "motorcycle": Motorcycle(ink, main ?? SubjectArt.Pick(ref r, 0xD93A32, 0x222228, 0x3E7CB1)); break;
            case "sailboat": Sailboat(ink, main ?? Rgb.Hex(0xF5F2EA), detail ?? Rgb.Hex(0xF9F7F2), SubjectArt.ColorOf(s.SecondColor) ?? Rgb.Hex(0x2F5D8A)); break;
            case "ship": Ship(ink, main ?? Rgb.Hex(0x23344F)); break;
            case "plane": Plane(ink, main ?? Rgb.Hex(0xF4F6F8), detail ?? Rgb.Hex(0x2F6FD6)); break;
            case "train": Train(ink, main ?? Rgb.Hex(0xC0392B)); break;
            case "rocket": Rocket(ink, main ?? Rgb.Hex(0xF2F2F4), detail ?? Rgb.Hex(0xD93A32)); break;
            case "balloon": Balloon(ink, main ?? Rgb.Hex(0xE8453C), SubjectArt.ColorOf(s.SecondColor) ?? Rgb.Hex(0xF5D033)); break;
            default: Car(ink, main ?? SubjectArt.Pick(ref r, 0xD93A32, 0x2F6FD6, 0x2A9D8F, 0xF2F2F2, 0x2E2E34), taxi: false); break;
        }
    }

    private static void Wheel(Ink ink, float x, float y, float radius)
    {
        var f = ink.F;
        ink.Fill(f.Circle(x, y, radius), Tyre);
        ink.Fill(f.Circle(x, y, radius * 0.55f), Chrome);
        ink.Fill(f.Circle(x, y, radius * 0.2f), Chrome.Shade(-0.2f));
    }

    private static void Car(Ink ink, Rgb paint, bool taxi)
    {
        var f = ink.F;
        ink.Fill(new Grow<Polygon>(f.Poly(-0.52f, 0.42f, 0.42f, 0.42f, 0.2f, 0.7f, -0.36f, 0.7f), f.Len(0.05f)), paint);
        ink.Fill(f.Poly(-0.42f, 0.44f, -0.1f, 0.44f, -0.1f, 0.68f, -0.32f, 0.68f), Glass);
        ink.Fill(f.Poly(-0.04f, 0.44f, 0.34f, 0.44f, 0.16f, 0.68f, -0.04f, 0.68f), Glass);
        ink.Brush.Fill(f.Poly(0.05f, 0.44f, 0.14f, 0.44f, 0.04f, 0.6f), Paint.Solid(Rgb.White), 0.35f);
        ink.Fill(f.Box(0, 0.3f, 1.0f, 0.17f, 0.12f), paint);
        ink.Fill(f.Box(0, 0.19f, 0.98f, 0.05f, 0.04f), paint.Shade(-0.12f));
        ink.Fill(f.Circle(-0.6f, 0.17f, 0.22f), Tyre.Shade(0.05f));
        ink.Fill(f.Circle(0.62f, 0.17f, 0.22f), Tyre.Shade(0.05f));
        Wheel(ink, -0.6f, 0.17f, 0.17f);
        Wheel(ink, 0.62f, 0.17f, 0.17f);
        ink.Fill(f.Box(-0.08f, 0.32f, 0.006f, 0.1f), paint.Shade(-0.15f));
        ink.Fill(f.Box(0.05f, 0.36f, 0.05f, 0.012f, 0.01f), Chrome);
        ink.Emit(f.Ellipse(0.95f, 0.34f, 0.05f, 0.035f), Rgb.Hex(0xFFF2C2), 2f);
        ink.Emit(f.Box(-0.97f, 0.35f, 0.025f, 0.04f, 0.01f), Rgb.Hex(0xE8312C), 0.6f);
        if (taxi)
        {
            ink.Fill(f.Box(-0.08f, 0.78f, 0.13f, 0.045f, 0.02f), Rgb.Hex(0xF9F6EE));
            for (var i = 0; i < 8; i++)
                ink.Fill(f.Box(-0.75f + i * 0.2f, 0.26f, 0.05f, 0.025f), i % 2 == 0 ? Rgb.Hex(0x1C1C1C) : Rgb.White);
        }
        if (ink.LightsOn)
            ink.Brush.Add(f.Poly(0.97f, 0.36f, 1.9f, 0.55f, 1.9f, 0.02f, 0.97f, 0.3f), Paint.Linear(f.X(0.97f), f.Y(0.33f), Rgb.Hex(0xFFF2C2), f.X(1.9f), f.Y(0.3f), Rgb.Black), 0.3f);
    }

    private static void Truck(Ink ink, Rgb paint)
    {
        var f = ink.F;
        ink.Fill(f.Box(-0.35f, 0.62f, 0.85f, 0.42f, 0.04f), Rgb.Hex(0xEDEDEA));
        ink.Fill(f.Box(-0.35f, 0.62f, 0.72f, 0.06f), paint, 0.9f);
        ink.Fill(new Grow<Polygon>(f.Poly(0.55f, 0.24f, 1.15f, 0.24f, 1.15f, 0.6f, 0.98f, 0.92f, 0.55f, 0.92f), f.Len(0.04f)), paint);
        ink.Fill(f.Poly(0.72f, 0.62f, 1.02f, 0.62f, 0.92f, 0.86f, 0.72f, 0.86f), Glass);
        ink.Fill(f.Box(0.1f, 0.2f, 1.12f, 0.05f, 0.02f), Rgb.Hex(0x3A3A40));
        foreach (var x in new[] { -0.85f, -0.45f, 0.85f })
            Wheel(ink, x, 0.16f, 0.16f);
        ink.Emit(f.Box(1.17f, 0.38f, 0.02f, 0.04f), Rgb.Hex(0xFFF2C2), 2f);
    }

    private static void Bus(Ink ink, Rgb paint)
    {
        var f = ink.F;
        ink.Fill(f.Box(0, 0.58f, 1.33f, 0.45f, 0.12f), paint);
        for (var i = 0; i < 6; i++)
            ink.Fill(f.Box(-1.05f + i * 0.36f, 0.72f, 0.13f, 0.14f, 0.03f), Glass);
        ink.Fill(f.Box(1.22f, 0.68f, 0.08f, 0.22f, 0.03f), Glass);
        ink.Fill(f.Box(0, 0.42f, 1.33f, 0.03f), paint.Shade(-0.18f));
        ink.Fill(f.Box(0.95f, 0.42f, 0.1f, 0.26f, 0.02f), paint.Shade(-0.1f));
        Wheel(ink, -0.85f, 0.16f, 0.17f);
        Wheel(ink, 0.85f, 0.16f, 0.17f);
        ink.Emit(f.Box(1.32f, 0.28f, 0.015f, 0.04f), Rgb.Hex(0xFFF2C2), 2f);
    }

    private static void Bicycle(Ink ink, Rgb frame)
    {
        var f = ink.F;
        var t = 0.028f;
        ink.Stroke(f.Circle(-0.52f, 0.32f, 0.3f), 0.045f, Tyre);
        ink.Stroke(f.Circle(0.52f, 0.32f, 0.3f), 0.045f, Tyre);
        ink.Stroke(f.Circle(-0.52f, 0.32f, 0.24f), 0.01f, Chrome);
        ink.Stroke(f.Circle(0.52f, 0.32f, 0.24f), 0.01f, Chrome);
        ink.Fill(f.Capsule(-0.52f, 0.32f, -0.05f, 0.32f, t), frame);
        ink.Fill(f.Capsule(-0.05f, 0.32f, -0.15f, 0.72f, t), frame);
        ink.Fill(f.Capsule(-0.52f, 0.32f, -0.15f, 0.72f, t), frame);
        ink.Fill(f.Capsule(-0.15f, 0.68f, 0.38f, 0.68f, t), frame);
        ink.Fill(f.Capsule(-0.05f, 0.32f, 0.38f, 0.68f, t), frame);
        ink.Fill(f.Capsule(0.52f, 0.32f, 0.36f, 0.82f, t), frame);
        ink.Fill(f.Capsule(0.36f, 0.82f, 0.26f, 0.88f, 0.022f), Tyre);
        ink.Fill(f.Ellipse(-0.2f, 0.78f, 0.11f, 0.03f), Tyre);
        ink.Fill(f.Capsule(-0.17f, 0.72f, -0.2f, 0.76f, 0.015f), Chrome);
        ink.Fill(f.Circle(-0.05f, 0.32f, 0.06f), Chrome.Shade(-0.1f));
    }

    private static void Motorcycle(Ink ink, Rgb paint)
    {
        var f = ink.F;
        Wheel(ink, -0.55f, 0.27f, 0.27f);
        Wheel(ink, 0.58f, 0.27f, 0.27f);
        ink.Fill(f.Capsule(0.58f, 0.27f, 0.4f, 0.78f, 0.035f), Chrome);
        ink.Fill(f.Capsule(-0.55f, 0.27f, -0.05f, 0.42f, 0.04f), Chrome.Shade(-0.1f));
        ink.Fill(f.Box(-0.05f, 0.38f, 0.18f, 0.12f, 0.04f), Rgb.Hex(0x44464E));
        ink.Fill(f.Ellipse(0.12f, 0.62f, 0.28f, 0.12f, -8), paint);
        ink.Fill(f.Ellipse(-0.28f, 0.6f, 0.24f, 0.05f, 5), Tyre);
        ink.Fill(f.Ellipse(-0.55f, 0.5f, 0.2f, 0.06f, 15), paint.Shade(-0.05f));
        ink.Fill(f.Capsule(0.4f, 0.8f, 0.28f, 0.9f, 0.025f), Tyre);
        ink.Emit(f.Circle(0.5f, 0.72f, 0.06f), Rgb.Hex(0xFFF2C2), 2f);
        ink.Fill(f.Capsule(-0.2f, 0.28f, -0.75f, 0.33f, 0.035f, 0.025f), Chrome);
    }

    private static void Sailboat(Ink ink, Rgb hull, Rgb sail, Rgb stripe)
    {
        var f = ink.F;
        ink.Fill(f.Capsule(0.02f, 0.2f, 0.02f, 1.95f, 0.022f), Rgb.Hex(0x8A6A4A));
        ink.Fill(f.Poly(0.06f, 1.88f, 0.06f, 0.36f, 0.68f, 0.36f), sail);
        ink.Fill(f.Poly(-0.02f, 1.7f, -0.02f, 0.36f, -0.58f, 0.36f), sail.Shade(-0.06f));
        ink.Fill(f.Poly(0.06f, 1.88f, 0.06f, 1.2f, 0.28f, 1.2f), sail.Shade(-0.03f));
        ink.Fill(f.Poly(0.04f, 1.95f, 0.26f, 1.9f, 0.04f, 1.84f), Rgb.Hex(0xE8453C));
        ink.Fill(f.Poly(-0.78f, 0.34f, 0.8f, 0.34f, 0.56f, 0.04f, -0.6f, 0.04f), hull);
        ink.Fill(f.Poly(-0.76f, 0.3f, 0.78f, 0.3f, 0.74f, 0.24f, -0.73f, 0.24f), stripe);
    }

    private static void Ship(Ink ink, Rgb hull)
    {
        var f = ink.F;
        ink.Fill(f.Box(-0.15f, 0.78f, 0.75f, 0.2f, 0.03f), Rgb.Hex(0xF4F2EC));
        ink.Fill(f.Box(0.05f, 1.08f, 0.45f, 0.12f, 0.03f), Rgb.Hex(0xF4F2EC));
        ink.Fill(f.Box(-0.25f, 1.38f, 0.09f, 0.22f, 0.02f), Rgb.Hex(0xD93A32));
        ink.Fill(f.Box(0.1f, 1.38f, 0.09f, 0.22f, 0.02f), Rgb.Hex(0xD93A32));
        ink.Fill(f.Box(-0.25f, 1.52f, 0.09f, 0.05f), Rgb.Hex(0x1C1C22));
        ink.Fill(f.Box(0.1f, 1.52f, 0.09f, 0.05f), Rgb.Hex(0x1C1C22));
        for (var i = 0; i < 7; i++)
            ink.Emit(f.Circle(-0.75f + i * 0.2f, 0.8f, 0.04f), Rgb.Hex(0x9CC5E0), 0.3f);
        ink.Fill(f.Poly(-1.3f, 0.6f, 1.35f, 0.6f, 1.05f, 0.02f, -1.15f, 0.02f), hull);
        ink.Fill(f.Poly(-1.27f, 0.2f, 1.17f, 0.2f, 1.05f, 0.02f, -1.15f, 0.02f), Rgb.Hex(0xB8322C));
        for (var i = 0; i < 9; i++)
            ink.Emit(f.Circle(-1.0f + i * 0.25f, 0.42f, 0.035f), Rgb.Hex(0xF2E6C8), 0.3f);
    }

    private static void Plane(Ink ink, Rgb body, Rgb accent)
    {
        var f = ink.F;
        ink.Fill(f.Poly(-0.1f, 0.38f, -0.45f, 0.02f, -0.25f, 0.02f, 0.25f, 0.36f), body.Shade(-0.12f));
        ink.Fill(f.Poly(-0.95f, 0.42f, -1.15f, 0.78f, -0.98f, 0.78f, -0.7f, 0.46f), accent);
        ink.Fill(f.Capsule(-1.0f, 0.44f, 1.0f, 0.4f, 0.1f, 0.14f), body);
        ink.Fill(f.Ellipse(1.02f, 0.42f, 0.16f, 0.13f), body);
        ink.Fill(f.Poly(1.04f, 0.47f, 1.14f, 0.45f, 1.08f, 0.52f), Rgb.Hex(0x2A3A50));
        for (var i = 0; i < 9; i++)
            ink.Emit(f.Circle(-0.7f + i * 0.17f, 0.45f, 0.025f), Rgb.Hex(0x6A9CC8), 0.2f);
        ink.Fill(f.Box(0, 0.34f, 1.0f, 0.018f), accent);
        ink.Fill(f.Poly(-0.12f, 0.42f, 0.25f, 0.42f, -0.05f, 0.78f, -0.22f, 0.78f), body.Shade(-0.05f));
        ink.Fill(f.Capsule(0.0f, 0.28f, 0.25f, 0.28f, 0.05f), Chrome.Shade(-0.1f));
    }

    private static void Train(Ink ink, Rgb paint)
    {
        var f = ink.F;
        ink.Fill(f.Box(0, 0.04f, 1.7f, 0.025f), Rgb.Hex(0x5A5048));
        ink.Fill(f.Box(-0.85f, 0.55f, 0.8f, 0.38f, 0.06f), paint.Shade(-0.05f));
        for (var i = 0; i < 4; i++)
            ink.Fill(f.Box(-1.4f + i * 0.37f, 0.68f, 0.12f, 0.12f, 0.02f), Glass);
        ink.Fill(f.Box(0.55f, 0.48f, 0.5f, 0.3f, 0.05f), paint);
        ink.Fill(f.Capsule(0.25f, 0.55f, 1.15f, 0.55f, 0.22f), paint);
        ink.Fill(f.Box(0.22f, 0.8f, 0.26f, 0.28f, 0.04f), paint.Shade(-0.1f));
        ink.Fill(f.Box(0.22f, 0.86f, 0.14f, 0.12f, 0.02f), Glass);
        ink.Fill(f.Box(0.85f, 0.92f, 0.06f, 0.16f, 0.02f), Rgb.Hex(0x2A2A30));
        ink.Fill(f.Circle(0.88f, 1.12f, 0.08f), Rgb.Hex(0xE6E8EC), 0.8f);
        ink.Fill(f.Circle(0.72f, 1.2f, 0.1f), Rgb.Hex(0xE6E8EC), 0.7f);
        ink.Emit(f.Circle(1.35f, 0.55f, 0.07f), Rgb.Hex(0xFFF2C2), 2f);
        foreach (var x in new[] { -1.4f, -0.3f, 0.2f, 0.6f, 1.0f })
            Wheel(ink, x, 0.16f, 0.13f);
    }

    private static void Rocket(Ink ink, Rgb body, Rgb accent)
    {
        var f = ink.F;
        var flame = Rgb.Hex(0xFFB23F);
        ink.Emit(f.Ellipse(0, 0.25f, 0.12f, 0.3f), flame, 3f);
        ink.Emit(f.Ellipse(0, 0.32f, 0.06f, 0.18f), Rgb.Hex(0xFFF2B0), 1f);
        ink.Fill(f.Poly(-0.2f, 0.6f, -0.38f, 0.42f, -0.38f, 0.72f, -0.2f, 0.95f), accent);
        ink.Fill(f.Poly(0.2f, 0.6f, 0.38f, 0.42f, 0.38f, 0.72f, 0.2f, 0.95f), accent.Shade(-0.1f));
        ink.Fill(f.Box(0, 1.2f, 0.21f, 0.7f, 0.2f), body);
        ink.Fill(f.Poly(-0.2f, 1.7f, 0.2f, 1.7f, 0.12f, 2.0f, 0, 2.22f, -0.12f, 2.0f), accent);
        ink.Fill(f.Circle(0, 1.38f, 0.1f), Chrome.Shade(-0.2f));
        ink.Fill(f.Circle(0, 1.38f, 0.075f), Glass);
        ink.Fill(f.Box(0, 0.55f, 0.16f, 0.05f, 0.02f), Chrome.Shade(-0.25f));
    }

    private static void Balloon(Ink ink, Rgb a, Rgb b)
    {
        var f = ink.F;
        var envelope = f.Circle(0, 1.15f, 0.5f);
        ink.Fill(f.Poly(-0.42f, 0.9f, 0.42f, 0.9f, 0.12f, 0.52f, -0.12f, 0.52f), a);
        ink.Fill(envelope, a);
        for (var i = -2; i <= 2; i += 2)
            ink.Fill(new Clip<Ellipse, Circle>(f.Ellipse(i * 0.15f, 1.1f, 0.08f, 0.6f), envelope), b);
        ink.Fill(new Clip<Box, Polygon>(f.Box(0, 0.75f, 0.06f, 0.25f), f.Poly(-0.42f, 0.9f, 0.42f, 0.9f, 0.12f, 0.52f, -0.12f, 0.52f)), b);
        ink.Fill(f.Capsule(-0.11f, 0.52f, -0.1f, 0.3f, 0.008f), Rgb.Hex(0x5A4030));
        ink.Fill(f.Capsule(0.11f, 0.52f, 0.1f, 0.3f, 0.008f), Rgb.Hex(0x5A4030));
        ink.Fill(f.Box(0, 0.2f, 0.13f, 0.1f, 0.02f), Rgb.Hex(0x9A6B3F));
        ink.Fill(f.Box(0, 0.29f, 0.14f, 0.02f), Rgb.Hex(0x7A5030));
    }
}
