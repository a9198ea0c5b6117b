namespace Easel.Imaging.Sketch;

/// <summary>Flat-design people, front view: a few proportions and outfits cover most prompts.</summary>
internal static class People
{
    private enum Role { Man, Woman, Child, Astronaut, Wizard, Knight, King, Hiker }

    private static readonly uint[] Skins = [0xF1C9A0, 0xE0AC7A, 0xC68642, 0x8D5524, 0xF6D7BF, 0xB57850];
    private static readonly uint[] Hairs = [0x2C1B12, 0x5A3825, 0xA0662E, 0xE3BE75, 0x1C1C1C, 0x7A4A2A];
    private static readonly uint[] Clothes = [0x3E7CB1, 0xE07A5F, 0x81B29A, 0xE9C46A, 0x6D597A, 0xD65D7A, 0x2A9D8F];
    private static readonly uint[] Trousers = [0x2F3E5C, 0x3A3A42, 0x5A4A3A, 0x44546A];

    public static SubjectArt.Footprint FootprintOf(string noun, int variant) => RoleOf(noun, variant) switch
    {
        Role.Child => new(0.55f, 1.3f, 0, 0.37f, Anchor.Ground),
        Role.Wizard => new(0.8f, 2.12f, 0.05f, 0.58f, Anchor.Ground),
        Role.Knight => new(0.85f, 1.85f, 0, 0.52f, Anchor.Ground),
        Role.Astronaut => new(0.8f, 1.85f, 0, 0.52f, Anchor.Ground),
        _ => new(0.68f, 1.8f, 0, 0.5f, Anchor.Ground),
    };

    private static Role RoleOf(string noun, int variant) => noun switch
    {
        "man" => Role.Man,
        "woman" => Role.Woman,
        "girl" or "boy" or "child" => Role.Child,
        "astronaut" => Role.Astronaut,
        "wizard" => Role.Wizard,
        "knight" => Role.Knight,
        "king" => Role.King,
        "hiker" => Role.Hiker,
        "couple" => variant % 2 == 0 ? Role.Man : Role.Woman,
        "family" => (variant % 3) switch { 0 => Role.Man, 1 => Role.Woman, _ => Role.Child },
        _ => (variant % 3) switch { 0 => Role.Woman, 1 => Role.Man, _ => Role.Woman },
    };

    public static void Draw(Ink ink, Placement placement, ref SketchRandom r)
    {
        var s = placement.Subject;
        var role = RoleOf(s.Noun, placement.Variant);
        if (s.Noun == "person" && placement.Variant == 0 && r.Chance(0.5f))
            role = Role.Man;
        var skin = Rgb.Hex(Skins[r.Next(Skins.Length)]);
        var hair = SubjectArt.ColorOf(s.DetailColor) ?? Rgb.Hex(Hairs[r.Next(Hairs.Length)]);
        var cloth = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(Clothes[r.Next(Clothes.Length)]);
        var trousers = SubjectArt.ColorOf(s.SecondColor) ?? Rgb.Hex(Trousers[r.Next(Trousers.Length)]);
        if (role == Role.Child)
        {
            // Children: smaller, with a bigger head for their size.
            var f0 = ink.F;
            ink.Begin(new Figure(f0.X(0), f0.Y(0), f0.Scale * 0.72f, f0.Facing), placement.Foot.Height / 0.72f);
            var girl = s.Noun == "girl" || (s.Noun != "boy" && r.Chance(0.5f));
            Body(ink, skin, hair, cloth, girl ? skin : trousers, dress: girl, longHair: girl, headScale: 1.25f);
            return;
        }
        switch (role)
        {
            case Role.Astronaut:
                Astronaut(ink, SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0xEEF0F4), SubjectArt.ColorOf(s.DetailColor));
                break;
            case Role.Wizard:
                Wizard(ink, skin, SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0x5B4BA8), SubjectArt.ColorOf(s.DetailColor) ?? Rgb.Hex(0x5B4BA8));
                break;
            case Role.Knight:
                Knight(ink, SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0xC0392B));
                break;
            case Role.King:
                King(ink, skin, hair, SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0xB8283A));
                break;
            case Role.Hiker:
                Body(ink, skin, hair, cloth, trousers, dress: false, longHair: r.Chance(0.4f), headScale: 1f, backpack: true);
                break;
            default:
                Body(ink, skin, hair, cloth, role == Role.Woman ? skin : trousers, dress: role == Role.Woman, longHair: role == Role.Woman, headScale: 1f);
                break;
        }
    }

    private static void Body(Ink ink, Rgb skin, Rgb hair, Rgb cloth, Rgb legs, bool dress, bool longHair, float headScale, bool backpack = false)
    {
        var f = ink.F;
        var shoe = Rgb.Hex(0x2A2426);
        var hr = 0.14f * headScale;
        var headY = 1.46f + hr * 0.85f;
        if (longHair)
            ink.Fill(f.Ellipse(0, headY - hr * 0.55f, hr * 1.25f, hr * 1.75f), hair);
        if (backpack)
        {
            ink.Fill(f.Box(-0.12f, 1.08f, 0.2f, 0.27f, 0.06f), Rgb.Hex(0xD9822B));
            ink.Fill(f.Box(-0.12f, 0.95f, 0.16f, 0.08f, 0.03f), Rgb.Hex(0xB86A1E));
        }
        ink.Fill(f.Capsule(-0.085f, 0.86f, -0.095f, 0.08f, 0.064f, 0.052f), legs);
        ink.Fill(f.Capsule(0.085f, 0.86f, 0.095f, 0.08f, 0.064f, 0.052f), legs);
        ink.Fill(f.Ellipse(-0.115f, 0.045f, 0.078f, 0.042f), shoe);
        ink.Fill(f.Ellipse(0.115f, 0.045f, 0.078f, 0.042f), shoe);
        ink.Fill(new Grow<Polygon>(f.Poly(-0.165f, 1.37f, 0.165f, 1.37f, 0.13f, 0.84f, -0.13f, 0.84f), f.Len(0.045f)), cloth);
        if (dress)
            ink.Fill(new Grow<Polygon>(f.Poly(-0.14f, 0.98f, 0.14f, 0.98f, 0.27f, 0.46f, -0.27f, 0.46f), f.Len(0.02f)), cloth);
        else
            ink.Fill(f.Box(0, 0.86f, 0.16f, 0.03f, 0.01f), cloth.Shade(-0.15f));
        for (var side = -1; side <= 1; side += 2)
        {
            ink.Fill(f.Capsule(side * 0.2f, 1.33f, side * 0.265f, 1.08f, 0.052f, 0.047f), cloth.Shade(-0.03f));
            ink.Fill(f.Capsule(side * 0.265f, 1.08f, side * 0.25f, 0.86f, 0.047f, 0.043f), cloth.Shade(-0.03f));
            ink.Fill(f.Circle(side * 0.25f, 0.83f, 0.046f), skin);
        }
        if (backpack)
        {
            ink.Fill(f.Capsule(-0.12f, 1.35f, -0.1f, 0.95f, 0.022f), Rgb.Hex(0x8A4A16));
            ink.Fill(f.Capsule(0.12f, 1.35f, 0.1f, 0.95f, 0.022f), Rgb.Hex(0x8A4A16));
            ink.Fill(f.Capsule(0.33f, 0.02f, 0.3f, 1.2f, 0.018f), Rgb.Hex(0x7A5636));
        }
        ink.Fill(f.Capsule(0, 1.36f, 0, 1.47f, 0.047f), skin.Shade(-0.05f));
        ink.Fill(f.Circle(0, headY, hr), skin);
        // Hair: a cap over the top of the head and a side-swept fringe.
        ink.Fill(new Clip<Circle, Box>(f.Circle(0, headY + hr * 0.06f, hr * 1.08f), f.Box(0, headY + hr * 0.85f, hr * 1.3f, hr * 0.75f)), hair);
        ink.Fill(f.Ellipse(hr * 0.35f, headY + hr * 0.55f, hr * 0.62f, hr * 0.3f, -18), hair);
        if (longHair)
            ink.Fill(f.Ellipse(-hr * 0.6f, headY + hr * 0.3f, hr * 0.5f, hr * 0.4f, 25), hair);
        ink.Eye(-hr * 0.36f, headY - hr * 0.02f, hr * 0.1f);
        ink.Eye(hr * 0.36f, headY - hr * 0.02f, hr * 0.1f);
        ink.Fill(f.Circle(-hr * 0.6f, headY - hr * 0.35f, hr * 0.16f), Rgb.Hex(0xF08A8A), 0.35f);
        ink.Fill(f.Circle(hr * 0.6f, headY - hr * 0.35f, hr * 0.16f), Rgb.Hex(0xF08A8A), 0.35f);
        ink.Fill(new Clip<Ring<Circle>, Box>(new Ring<Circle>(f.Circle(0, headY - hr * 0.3f, hr * 0.28f), f.Len(hr * 0.08f)), f.Box(0, headY - hr * 0.55f, hr * 0.4f, hr * 0.2f)), Rgb.Hex(0x7A3A30));
    }

    private static void Astronaut(Ink ink, Rgb suit, Rgb? visor)
    {
        var f = ink.F;
        var grey = suit.Shade(-0.2f);
        ink.Fill(f.Box(-0.05f, 1.08f, 0.27f, 0.3f, 0.08f), grey);
        ink.Fill(f.Capsule(-0.1f, 0.86f, -0.11f, 0.1f, 0.085f, 0.075f), suit);
        ink.Fill(f.Capsule(0.1f, 0.86f, 0.11f, 0.1f, 0.085f, 0.075f), suit);
        ink.Fill(f.Box(-0.12f, 0.06f, 0.1f, 0.06f, 0.04f), grey);
        ink.Fill(f.Box(0.12f, 0.06f, 0.1f, 0.06f, 0.04f), grey);
        ink.Fill(new Grow<Polygon>(f.Poly(-0.19f, 1.38f, 0.19f, 1.38f, 0.16f, 0.82f, -0.16f, 0.82f), f.Len(0.07f)), suit);
        ink.Fill(f.Box(0, 1.12f, 0.11f, 0.08f, 0.02f), grey);
        ink.Emit(f.Circle(-0.05f, 1.12f, 0.018f), Rgb.Hex(0xE8453C), 0.5f);
        ink.Emit(f.Circle(0.02f, 1.12f, 0.018f), Rgb.Hex(0x4CC35A), 0.5f);
        for (var side = -1; side <= 1; side += 2)
        {
            ink.Fill(f.Capsule(side * 0.26f, 1.32f, side * 0.33f, 1.05f, 0.07f, 0.065f), suit);
            ink.Fill(f.Capsule(side * 0.33f, 1.05f, side * 0.3f, 0.84f, 0.065f, 0.06f), suit);
            ink.Fill(f.Circle(side * 0.3f, 0.8f, 0.065f), grey);
        }
        ink.Fill(f.Circle(0, 1.6f, 0.22f), suit);
        var glass = visor ?? Rgb.Hex(0x1E3A6E);
        ink.Brush.Fill(f.Ellipse(0.02f, 1.6f, 0.155f, 0.125f), Paint.Vertical(f.Y(1.72f), ink.Palette.OnSubject(glass.Shade(0.15f)), f.Y(1.48f), ink.Palette.OnSubject(glass.Shade(-0.12f))));
        ink.Brush.Fill(f.Ellipse(-0.04f, 1.66f, 0.06f, 0.025f, 20), Paint.Solid(Rgb.White), 0.55f);
    }

    private static void Wizard(Ink ink, Rgb skin, Rgb robe, Rgb hat)
    {
        var f = ink.F;
        ink.Fill(f.Capsule(0.34f, 0.02f, 0.37f, 1.75f, 0.022f, 0.018f), Rgb.Hex(0x7A5636));
        ink.Emit(f.Circle(0.37f, 1.8f, 0.06f), Rgb.Hex(0x7FE0F5), 2f);
        ink.Fill(new Grow<Polygon>(f.Poly(-0.17f, 1.38f, 0.17f, 1.38f, 0.3f, 0.03f, -0.3f, 0.03f), f.Len(0.03f)), robe);
        ink.Fill(f.Box(0, 0.9f, 0.2f, 0.03f), robe.Shade(-0.18f));
        for (var i = 0; i < 5; i++)
            ink.Emit(f.Circle(-0.18f + i * 0.09f, 0.25f + (i % 2) * 0.2f, 0.016f), Rgb.Hex(0xF5D033), 0.4f);
        ink.Fill(f.Capsule(-0.2f, 1.33f, -0.3f, 0.95f, 0.06f, 0.07f), robe.Shade(-0.05f));
        ink.Fill(f.Capsule(0.2f, 1.33f, 0.34f, 1.05f, 0.06f, 0.07f), robe.Shade(-0.05f));
        ink.Fill(f.Circle(0.35f, 1.05f, 0.045f), skin);
        ink.Fill(f.Circle(0, 1.58f, 0.14f), skin);
        ink.Fill(f.Poly(-0.12f, 1.55f, 0.12f, 1.55f, 0, 1.12f), Rgb.Hex(0xEDEDED));
        ink.Eye(-0.05f, 1.6f, 0.014f);
        ink.Eye(0.05f, 1.6f, 0.014f);
        ink.Fill(f.Ellipse(0, 1.7f, 0.26f, 0.045f), hat.Shade(-0.08f));
        ink.Fill(f.Poly(-0.16f, 1.71f, 0.16f, 1.71f, 0.1f, 1.95f, 0.2f, 2.1f, 0.03f, 1.97f), hat);
        ink.Emit(f.Circle(-0.02f, 1.82f, 0.02f), Rgb.Hex(0xF5D033), 0.4f);
    }

    private static void Knight(Ink ink, Rgb heraldry)
    {
        var f = ink.F;
        var steel = Rgb.Hex(0xB9C1CA);
        var gold = Rgb.Hex(0xD4A72C);
        ink.Fill(f.Capsule(-0.32f, 0.95f, -0.32f, 1.75f, 0.02f), Rgb.Hex(0xD8DEE4));
        ink.Fill(f.Box(-0.32f, 0.93f, 0.07f, 0.018f), gold);
        ink.Fill(f.Capsule(-0.09f, 0.86f, -0.1f, 0.08f, 0.068f, 0.058f), steel);
        ink.Fill(f.Capsule(0.09f, 0.86f, 0.1f, 0.08f, 0.068f, 0.058f), steel);
        ink.Fill(f.Ellipse(-0.12f, 0.045f, 0.08f, 0.045f), steel.Shade(-0.2f));
        ink.Fill(f.Ellipse(0.12f, 0.045f, 0.08f, 0.045f), steel.Shade(-0.2f));
        ink.Fill(new Grow<Polygon>(f.Poly(-0.18f, 1.38f, 0.18f, 1.38f, 0.14f, 0.82f, -0.14f, 0.82f), f.Len(0.05f)), steel);
        ink.Fill(f.Poly(-0.15f, 1.3f, 0.15f, 1.3f, 0.15f, 0.75f, 0, 0.68f, -0.15f, 0.75f), heraldry);
        ink.Fill(f.Box(0, 1.05f, 0.022f, 0.16f), gold);
        ink.Fill(f.Box(0, 1.1f, 0.09f, 0.022f), gold);
        ink.Fill(f.Capsule(-0.22f, 1.33f, -0.32f, 0.98f, 0.06f), steel);
        ink.Fill(f.Capsule(0.22f, 1.33f, 0.3f, 1.05f, 0.06f), steel);
        // Shield on the arm facing the viewer's front.
        ink.Fill(f.Poly(0.2f, 1.28f, 0.5f, 1.28f, 0.5f, 0.95f, 0.35f, 0.72f, 0.2f, 0.95f), heraldry.Shade(-0.05f));
        ink.Stroke(f.Poly(0.2f, 1.28f, 0.5f, 1.28f, 0.5f, 0.95f, 0.35f, 0.72f, 0.2f, 0.95f), 0.025f, gold);
        ink.Fill(f.Box(0.35f, 1.05f, 0.02f, 0.14f), gold);
        ink.Fill(f.Box(0.35f, 1.1f, 0.09f, 0.02f), gold);
        ink.Fill(f.Box(0, 1.6f, 0.15f, 0.18f, 0.08f), steel);
        ink.Fill(f.Box(0, 1.6f, 0.11f, 0.018f), Rgb.Hex(0x23262B));
        ink.Fill(f.Capsule(0, 1.78f, -0.12f, 1.95f, 0.035f, 0.02f), heraldry);
    }

    private static void King(Ink ink, Rgb skin, Rgb hair, Rgb robe)
    {
        var f = ink.F;
        var gold = Rgb.Hex(0xE2B43A);
        ink.Fill(new Grow<Polygon>(f.Poly(-0.2f, 1.4f, 0.2f, 1.4f, 0.38f, 0.03f, -0.38f, 0.03f), f.Len(0.02f)), robe.Shade(-0.12f));
        ink.Fill(f.Box(0, 0.05f, 0.4f, 0.045f, 0.02f), Rgb.Hex(0xF5F2EA));
        Body(ink, skin, hair, robe, Rgb.Hex(0x3A2A40), dress: true, longHair: false, headScale: 1f);
        ink.Fill(f.Box(0, 1.36f, 0.2f, 0.04f, 0.03f), Rgb.Hex(0xF5F2EA));
        ink.Fill(f.Poly(-0.13f, 1.68f, 0.13f, 1.68f, 0.14f, 1.86f, 0.07f, 1.76f, 0, 1.88f, -0.07f, 1.76f, -0.14f, 1.86f), gold);
        ink.Emit(f.Circle(0, 1.74f, 0.02f), Rgb.Hex(0xE8453C), 0.3f);
    }
}
