namespace Easel.Imaging.Sketch;

/// <summary>
/// Stylised animals. Four-legged ones share one parametric body (legs, neck, head, ears, tail and
/// markings vary by species); birds, fish and butterflies have their own drawings.
/// </summary>
internal static class Animals
{
    private enum Ears { Pointed, Round, Floppy, Long, Small, BigFlap, Horns, None }

    private enum Tail { Bushy, ThinUp, ThinDown, Short, Tuft, Hair, Curly, Fluffy, Squirrel, Long }

    private enum Marks { None, Stripes, Spots, Patches, Panda }

    private sealed record Beast
    {
        public float BodyLength { get; init; } = 0.42f;
        public float BodyHeight { get; init; } = 0.19f;
        public float Leg { get; init; } = 0.34f;
        public float LegWidth { get; init; } = 0.05f;
        public float NeckLength { get; init; } = 0.16f;
        public float NeckAngle { get; init; } = 55f;
        public float NeckWidth { get; init; } = 0.1f;
        public float Head { get; init; } = 0.14f;
        public float Snout { get; init; } = 0.14f;
        public float SnoutWidth { get; init; } = 0.07f;
        public float SnoutDrop { get; init; } = 0.03f;
        public Ears Ears { get; init; } = Ears.Pointed;
        public float EarSize { get; init; } = 0.12f;
        public Tail Tail { get; init; } = Tail.Bushy;
        public float TailLength { get; init; } = 0.45f;
        public Marks Marks { get; init; }
        public uint Main { get; init; } = 0xB97A45;
        public uint Second { get; init; } = 0xF2E6D6;
        public uint Dark { get; init; } = 0x2A2220;
        public bool Socks { get; init; }
        public bool TailTip { get; init; }
        public bool Mane { get; init; }
        public bool HorseMane { get; init; }
        public bool Horn { get; init; }
        public bool Antlers { get; init; }
        public bool SmallHorns { get; init; }
        public bool Ossicones { get; init; }
        public bool Trunk { get; init; }
        public bool Hump { get; init; }
        public bool Wings { get; init; }
        public bool Spikes { get; init; }
        public bool Wool { get; init; }
        public bool Belly { get; init; } = true;

        public float BodyY => Leg + BodyHeight * 0.55f;

        public (float X, float Y) HeadCentre
        {
            get
            {
                var a = Mathx.Deg(NeckAngle);
                var bx = BodyLength * 0.72f;
                var by = BodyY + BodyHeight * 0.35f;
                return (bx + MathF.Cos(a) * NeckLength, by + MathF.Sin(a) * NeckLength);
            }
        }
    }

    private static readonly Dictionary<string, Beast> Beasts = new()
    {
        ["fox"] = new Beast
        {
            BodyLength = 0.4f, BodyHeight = 0.16f, Leg = 0.3f, LegWidth = 0.042f, NeckLength = 0.17f, NeckAngle = 48, NeckWidth = 0.095f,
            Head = 0.135f, Snout = 0.17f, SnoutWidth = 0.065f, Ears = Ears.Pointed, EarSize = 0.14f, Tail = Tail.Bushy, TailLength = 0.52f,
            Main = 0xE0772B, Second = 0xF7F0E6, Dark = 0x2A2220, Socks = true, TailTip = true,
        },
        ["wolf"] = new Beast
        {
            BodyLength = 0.46f, BodyHeight = 0.2f, Leg = 0.36f, NeckLength = 0.16f, NeckAngle = 42, NeckWidth = 0.12f, Head = 0.15f,
            Snout = 0.17f, SnoutWidth = 0.075f, EarSize = 0.12f, Tail = Tail.Bushy, TailLength = 0.42f, Main = 0x8D939C, Second = 0xDADDE2,
        },
        ["dog"] = new Beast
        {
            BodyLength = 0.42f, BodyHeight = 0.19f, Leg = 0.32f, NeckLength = 0.15f, NeckAngle = 62, NeckWidth = 0.11f, Head = 0.16f,
            Snout = 0.13f, SnoutWidth = 0.08f, SnoutDrop = 0.04f, Ears = Ears.Floppy, EarSize = 0.15f, Tail = Tail.ThinUp, TailLength = 0.34f,
            Main = 0xBF7F47, Second = 0xF4E8D8,
        },
        ["cat"] = new Beast
        {
            BodyLength = 0.36f, BodyHeight = 0.155f, Leg = 0.28f, LegWidth = 0.04f, NeckLength = 0.11f, NeckAngle = 62, NeckWidth = 0.09f,
            Head = 0.15f, Snout = 0.045f, SnoutWidth = 0.06f, SnoutDrop = 0.05f, Ears = Ears.Pointed, EarSize = 0.11f, Tail = Tail.ThinUp,
            TailLength = 0.55f, Main = 0xE08E45, Second = 0xF7E9D5,
        },
        ["lion"] = new Beast
        {
            BodyLength = 0.48f, BodyHeight = 0.21f, Leg = 0.36f, LegWidth = 0.06f, NeckLength = 0.14f, NeckAngle = 45, NeckWidth = 0.13f,
            Head = 0.16f, Snout = 0.09f, SnoutWidth = 0.085f, SnoutDrop = 0.05f, Ears = Ears.Round, EarSize = 0.05f, Tail = Tail.Tuft,
            TailLength = 0.5f, Main = 0xDDA853, Second = 0xF2DDB0, Dark = 0x8F4F22, Mane = true,
        },
        ["tiger"] = new Beast
        {
            BodyLength = 0.5f, BodyHeight = 0.2f, Leg = 0.32f, LegWidth = 0.06f, NeckLength = 0.12f, NeckAngle = 40, NeckWidth = 0.13f,
            Head = 0.16f, Snout = 0.08f, SnoutWidth = 0.08f, SnoutDrop = 0.05f, Ears = Ears.Round, EarSize = 0.05f, Tail = Tail.ThinDown,
            TailLength = 0.55f, Main = 0xEB842C, Second = 0xFAF3E8, Marks = Marks.Stripes,
        },
        ["leopard"] = new Beast
        {
            BodyLength = 0.46f, BodyHeight = 0.17f, Leg = 0.32f, LegWidth = 0.05f, NeckLength = 0.12f, NeckAngle = 40, NeckWidth = 0.11f,
            Head = 0.14f, Snout = 0.07f, SnoutWidth = 0.07f, SnoutDrop = 0.04f, Ears = Ears.Round, EarSize = 0.045f, Tail = Tail.ThinDown,
            TailLength = 0.55f, Main = 0xE2B55E, Second = 0xF6EBD2, Marks = Marks.Spots,
        },
        ["horse"] = new Beast
        {
            BodyLength = 0.5f, BodyHeight = 0.21f, Leg = 0.55f, LegWidth = 0.055f, NeckLength = 0.4f, NeckAngle = 60, NeckWidth = 0.12f,
            Head = 0.12f, Snout = 0.24f, SnoutWidth = 0.085f, SnoutDrop = 0.14f, Ears = Ears.Small, EarSize = 0.09f, Tail = Tail.Hair,
            TailLength = 0.5f, Main = 0x8B5A3C, Second = 0x8B5A3C, Dark = 0x2E1D14, HorseMane = true, Belly = false,
        },
        ["unicorn"] = new Beast
        {
            BodyLength = 0.5f, BodyHeight = 0.21f, Leg = 0.55f, LegWidth = 0.055f, NeckLength = 0.4f, NeckAngle = 60, NeckWidth = 0.12f,
            Head = 0.12f, Snout = 0.24f, SnoutWidth = 0.085f, SnoutDrop = 0.14f, Ears = Ears.Small, EarSize = 0.09f, Tail = Tail.Hair,
            TailLength = 0.5f, Main = 0xF6F2F8, Second = 0xF6F2F8, Dark = 0xC98BD8, HorseMane = true, Horn = true, Belly = false,
        },
        ["zebra"] = new Beast
        {
            BodyLength = 0.48f, BodyHeight = 0.21f, Leg = 0.5f, LegWidth = 0.055f, NeckLength = 0.36f, NeckAngle = 58, NeckWidth = 0.12f,
            Head = 0.12f, Snout = 0.22f, SnoutWidth = 0.085f, SnoutDrop = 0.14f, Ears = Ears.Small, EarSize = 0.1f, Tail = Tail.Tuft,
            TailLength = 0.4f, Main = 0xF7F5F0, Second = 0xF7F5F0, Dark = 0x1C1C20, HorseMane = true, Marks = Marks.Stripes, Belly = false,
        },
        ["deer"] = new Beast
        {
            BodyLength = 0.42f, BodyHeight = 0.17f, Leg = 0.5f, LegWidth = 0.04f, NeckLength = 0.3f, NeckAngle = 66, NeckWidth = 0.09f,
            Head = 0.11f, Snout = 0.15f, SnoutWidth = 0.065f, SnoutDrop = 0.07f, Ears = Ears.Pointed, EarSize = 0.1f, Tail = Tail.Short,
            Main = 0xB07540, Second = 0xF3E6D0, Antlers = true,
        },
        ["cow"] = new Beast
        {
            BodyLength = 0.55f, BodyHeight = 0.25f, Leg = 0.34f, LegWidth = 0.07f, NeckLength = 0.14f, NeckAngle = 28, NeckWidth = 0.15f,
            Head = 0.14f, Snout = 0.13f, SnoutWidth = 0.1f, SnoutDrop = 0.1f, Ears = Ears.Small, EarSize = 0.08f, Tail = Tail.Tuft,
            TailLength = 0.45f, Main = 0xF5F2EC, Second = 0xF2B3B0, Dark = 0x26221F, Marks = Marks.Patches, SmallHorns = true, Belly = false,
        },
        ["sheep"] = new Beast
        {
            BodyLength = 0.42f, BodyHeight = 0.24f, Leg = 0.28f, LegWidth = 0.04f, NeckLength = 0.1f, NeckAngle = 35, NeckWidth = 0.09f,
            Head = 0.12f, Snout = 0.09f, SnoutWidth = 0.075f, SnoutDrop = 0.06f, Ears = Ears.Floppy, EarSize = 0.08f, Tail = Tail.Short,
            Main = 0xF4F0E6, Second = 0x3A3433, Dark = 0x2E2928, Wool = true, Belly = false,
        },
        ["goat"] = new Beast
        {
            BodyLength = 0.4f, BodyHeight = 0.18f, Leg = 0.36f, LegWidth = 0.045f, NeckLength = 0.2f, NeckAngle = 62, NeckWidth = 0.09f,
            Head = 0.11f, Snout = 0.13f, SnoutWidth = 0.065f, SnoutDrop = 0.07f, Ears = Ears.Floppy, EarSize = 0.08f, Tail = Tail.Short,
            Main = 0xDDD4C7, Second = 0xF2EDE4, SmallHorns = true,
        },
        ["pig"] = new Beast
        {
            BodyLength = 0.46f, BodyHeight = 0.24f, Leg = 0.2f, LegWidth = 0.06f, NeckLength = 0.06f, NeckAngle = 20, NeckWidth = 0.16f,
            Head = 0.17f, Snout = 0.07f, SnoutWidth = 0.09f, SnoutDrop = 0.02f, Ears = Ears.Pointed, EarSize = 0.09f, Tail = Tail.Curly,
            Main = 0xF3A7B2, Second = 0xF7C3CB, Dark = 0x7A4A50, Belly = false,
        },
        ["bear"] = new Beast
        {
            BodyLength = 0.5f, BodyHeight = 0.26f, Leg = 0.32f, LegWidth = 0.09f, NeckLength = 0.12f, NeckAngle = 30, NeckWidth = 0.17f,
            Head = 0.17f, Snout = 0.1f, SnoutWidth = 0.085f, SnoutDrop = 0.05f, Ears = Ears.Round, EarSize = 0.06f, Tail = Tail.Short,
            Main = 0x74502F, Second = 0xB58B62, Belly = false,
        },
        ["panda"] = new Beast
        {
            BodyLength = 0.48f, BodyHeight = 0.26f, Leg = 0.3f, LegWidth = 0.09f, NeckLength = 0.1f, NeckAngle = 30, NeckWidth = 0.17f,
            Head = 0.18f, Snout = 0.07f, SnoutWidth = 0.08f, SnoutDrop = 0.05f, Ears = Ears.Round, EarSize = 0.065f, Tail = Tail.Short,
            Main = 0xF7F6F2, Second = 0x1E1E22, Dark = 0x1E1E22, Marks = Marks.Panda, Belly = false,
        },
        ["rabbit"] = new Beast
        {
            BodyLength = 0.3f, BodyHeight = 0.2f, Leg = 0.1f, LegWidth = 0.055f, NeckLength = 0.08f, NeckAngle = 62, NeckWidth = 0.1f,
            Head = 0.14f, Snout = 0.05f, SnoutWidth = 0.06f, SnoutDrop = 0.04f, Ears = Ears.Long, EarSize = 0.3f, Tail = Tail.Fluffy,
            Main = 0xC9B49C, Second = 0xF5EFE6, Dark = 0x5A4A40,
        },
        ["mouse"] = new Beast
        {
            BodyLength = 0.3f, BodyHeight = 0.15f, Leg = 0.1f, LegWidth = 0.035f, NeckLength = 0.04f, NeckAngle = 30, NeckWidth = 0.09f,
            Head = 0.13f, Snout = 0.13f, SnoutWidth = 0.065f, SnoutDrop = 0.02f, Ears = Ears.Round, EarSize = 0.095f, Tail = Tail.ThinDown,
            TailLength = 0.6f, Main = 0x9C9CA6, Second = 0xE8DCDC, Dark = 0x3A3038,
        },
        ["squirrel"] = new Beast
        {
            BodyLength = 0.28f, BodyHeight = 0.15f, Leg = 0.14f, LegWidth = 0.045f, NeckLength = 0.1f, NeckAngle = 70, NeckWidth = 0.09f,
            Head = 0.13f, Snout = 0.08f, SnoutWidth = 0.06f, SnoutDrop = 0.03f, Ears = Ears.Pointed, EarSize = 0.08f, Tail = Tail.Squirrel,
            Main = 0xB8642E, Second = 0xF4E3CC,
        },
        ["elephant"] = new Beast
        {
            BodyLength = 0.55f, BodyHeight = 0.32f, Leg = 0.4f, LegWidth = 0.11f, NeckLength = 0.08f, NeckAngle = 25, NeckWidth = 0.22f,
            Head = 0.23f, Snout = 0f, Ears = Ears.BigFlap, Tail = Tail.Tuft, TailLength = 0.3f, Main = 0x8F9BA8, Second = 0x8F9BA8,
            Dark = 0x4A525C, Trunk = true, Belly = false,
        },
        ["giraffe"] = new Beast
        {
            BodyLength = 0.38f, BodyHeight = 0.18f, Leg = 0.72f, LegWidth = 0.045f, NeckLength = 0.8f, NeckAngle = 72, NeckWidth = 0.075f,
            Head = 0.1f, Snout = 0.15f, SnoutWidth = 0.06f, SnoutDrop = 0.06f, Ears = Ears.Small, EarSize = 0.07f, Tail = Tail.Tuft,
            TailLength = 0.35f, Main = 0xEDBA4E, Second = 0x9A5A2A, Dark = 0x6A3C1C, Marks = Marks.Spots, Ossicones = true, Belly = false,
        },
        ["camel"] = new Beast
        {
            BodyLength = 0.46f, BodyHeight = 0.2f, Leg = 0.6f, LegWidth = 0.05f, NeckLength = 0.36f, NeckAngle = 42, NeckWidth = 0.085f,
            Head = 0.1f, Snout = 0.16f, SnoutWidth = 0.065f, SnoutDrop = 0.03f, Ears = Ears.Small, EarSize = 0.06f, Tail = Tail.Tuft,
            TailLength = 0.3f, Main = 0xCB9C60, Second = 0xCB9C60, Hump = true, Belly = false,
        },
        ["dragon"] = new Beast
        {
            BodyLength = 0.5f, BodyHeight = 0.21f, Leg = 0.34f, LegWidth = 0.075f, NeckLength = 0.36f, NeckAngle = 55, NeckWidth = 0.09f,
            Head = 0.14f, Snout = 0.2f, SnoutWidth = 0.08f, SnoutDrop = 0.04f, Ears = Ears.Horns, Tail = Tail.Long, TailLength = 0.9f,
            Main = 0x3E9A5A, Second = 0xE8D68A, Dark = 0x1F4A2E, Wings = true, Spikes = true,
        },
        ["dinosaur"] = new Beast
        {
            BodyLength = 0.52f, BodyHeight = 0.27f, Leg = 0.4f, LegWidth = 0.1f, NeckLength = 0.72f, NeckAngle = 56, NeckWidth = 0.085f,
            Head = 0.11f, Snout = 0.1f, SnoutWidth = 0.075f, SnoutDrop = 0.02f, Ears = Ears.None, Tail = Tail.Long, TailLength = 0.9f,
            Main = 0x6DAA5A, Second = 0xC9E3A0, Spikes = true,
        },
    };

    private static readonly string[] GenericAnimals = ["fox", "cat", "dog", "deer", "rabbit", "horse"];

    public static SubjectArt.Footprint FootprintOf(string noun)
    {
        switch (noun)
        {
            case "bird": return new(0.95f, 0.85f, 0f, 0.26f, Anchor.Ground);
            case "owl": return new(0.75f, 1.05f, 0f, 0.32f, Anchor.Ground);
            case "penguin": return new(0.7f, 1.1f, 0f, 0.34f, Anchor.Ground);
            case "flamingo": return new(0.8f, 1.55f, 0f, 0.46f, Anchor.Ground);
            case "eagle": return new(2.1f, 0.9f, 0f, 0.22f, Anchor.Sky);
            case "butterfly": return new(1f, 0.8f, 0f, 0.2f, Anchor.Sky);
            case "swan": return new(1.2f, 1f, 0.05f, 0.3f, Anchor.Water);
            case "fish": return new(1.2f, 0.9f, 0f, 0.26f, Anchor.Water);
            case "dolphin": return new(1.6f, 1.1f, 0f, 0.3f, Anchor.Water);
            case "whale": return new(2.4f, 1.0f, 0f, 0.28f, Anchor.Water);
            case "shark": return new(1.6f, 0.6f, 0f, 0.22f, Anchor.Water);
        }
        var b = BeastFor(noun, 0);
        var (hx, hy) = b.HeadCentre;
        var front = hx + b.Head * 0.4f + b.Snout + b.SnoutWidth + (b.Trunk ? b.Head * 0.6f : 0);
        var back = b.BodyLength + TailReach(b);
        var top = hy + b.Head + (b.Ears == Ears.Long ? b.EarSize * 1.6f : b.Antlers ? 0.3f : b.EarSize * 0.8f);
        if (b.Wings)
            top = MathF.Max(top, b.BodyY + 0.8f);
        if (b.Tail == Tail.Squirrel)
            top = MathF.Max(top, b.BodyY + 0.6f);
        var height = MathF.Max(top, 0.5f);
        // Typical fraction of the frame: scale by how tall the species is relative to a fox (~1 unit).
        var fraction = 0.34f * MathF.Pow(height, 0.55f);
        return new SubjectArt.Footprint(front + back, height, (front - back) / 2, fraction, Anchor.Ground);
    }

    private static float TailReach(Beast b) => b.Tail switch
    {
        Tail.Bushy => b.TailLength * 0.9f,
        Tail.Long => b.TailLength * 0.8f,
        Tail.ThinDown => b.TailLength * 0.5f,
        Tail.Squirrel => 0.25f,
        Tail.ThinUp => b.TailLength * 0.35f,
        _ => 0.12f,
    };

    private static Beast BeastFor(string noun, int variant) =>
        Beasts.TryGetValue(noun, out var b) ? b : Beasts[GenericAnimals[Math.Abs(variant) % GenericAnimals.Length]];

    public static void Draw(Ink ink, Placement placement, ref SketchRandom r)
    {
        var s = placement.Subject;
        switch (s.Noun)
        {
            case "bird": Bird(ink, s, ref r); return;
            case "owl": Owl(ink, s); return;
            case "penguin": Penguin(ink, s); return;
            case "flamingo": Flamingo(ink, s); return;
            case "eagle": Eagle(ink, s); return;
            case "butterfly": Butterfly(ink, s); return;
            case "swan": Swan(ink, s); return;
            case "fish": Fish(ink, s); return;
            case "dolphin": Dolphin(ink, s); return;
            case "whale": Whale(ink, s); return;
            case "shark": Shark(ink, s); return;
        }
        var noun = s.Noun == "animal" ? GenericAnimals[r.Next(GenericAnimals.Length)] : s.Noun;
        var beast = BeastFor(noun, 0);
        var main = SubjectArt.ColorOf(s.Color) ?? NaturalColor(noun, beast, ink, ref r);
        var second = SubjectArt.ColorOf(s.SecondColor) ?? (s.Color is null ? SecondFor(noun, beast, main) : main.Shade(0.2f));
        Quadruped(ink, beast, main, second, SubjectArt.ColorOf(s.DetailColor), ref r);
    }

    private static Rgb NaturalColor(string noun, Beast b, Ink ink, ref SketchRandom r)
    {
        if (noun == "cat")
            return SubjectArt.Pick(ref r, 0xE08E45, 0x8C8F98, 0x2E2E34, 0xEAD9C0, 0xE08E45);
        if (noun == "dog")
            return SubjectArt.Pick(ref r, 0xBF7F47, 0xE6C48E, 0x3A302C, 0xF2EDE6);
        if (noun == "horse")
            return SubjectArt.Pick(ref r, 0x8B5A3C, 0x5E3B27, 0xE8E2D8, 0x3A2A22);
        if (noun == "bear" && ink.Palette.Grass == ink.Palette.Snow)
            return Rgb.Hex(0xF4F1EA);
        return Rgb.Hex(b.Main);
    }

    private static Rgb SecondFor(string noun, Beast b, Rgb main) =>
        noun is "cat" or "dog" && main.Luma < 0.25f ? main.Shade(0.12f) : Rgb.Hex(b.Second);

    private static void Quadruped(Ink ink, Beast b, Rgb main, Rgb second, Rgb? iris, ref SketchRandom r)
    {
        var f = ink.F;
        var dark = Rgb.Hex(b.Dark);
        var far = main.Shade(-0.1f);
        var bodyY = b.BodyY;
        var hipX = -b.BodyLength * 0.6f;
        var chestX = b.BodyLength * 0.6f;
        var (hx, hy) = b.HeadCentre;
        var stride = r.Range(-1f, 1f) * 0.05f;
        var legColor = b.Marks == Marks.Panda ? dark : main;
        var farLeg = b.Marks == Marks.Panda ? dark : far;

        // Far side first, a shade darker, so the body reads as solid.
        BackLeg(ink, b, hipX + 0.07f, bodyY, -stride, farLeg, dark);
        FrontLeg(ink, b, chestX - 0.06f, bodyY, stride, farLeg, dark);
        if (b.Wings)
            Wing(ink, b, -0.05f, bodyY, main.Shade(-0.16f), second.Shade(-0.1f));
        DrawTail(ink, b, bodyY, main, second, dark);

        // Body: a hip, a barrel and a chest.
        if (b.Wool)
        {
            for (var i = 0; i < 10; i++)
            {
                var a = i / 10f * MathF.Tau;
                ink.Fill(f.Circle(MathF.Cos(a) * b.BodyLength * 0.78f, bodyY + MathF.Sin(a) * b.BodyHeight * 0.7f, b.BodyHeight * 0.42f), main);
            }
            ink.Fill(f.Ellipse(0, bodyY, b.BodyLength * 0.85f, b.BodyHeight * 0.85f), main);
        }
        else
        {
            ink.Fill(f.Circle(hipX, bodyY + 0.01f, b.BodyHeight * 0.95f), main);
            ink.Fill(f.Ellipse(0, bodyY, b.BodyLength, b.BodyHeight), main);
            ink.Fill(f.Circle(chestX, bodyY + 0.005f, b.BodyHeight * 0.98f), main);
        }
        if (b.Hump)
            ink.Fill(f.Ellipse(-0.04f, bodyY + b.BodyHeight * 0.85f, b.BodyLength * 0.42f, b.BodyHeight * 0.75f), main);
        var body = f.Ellipse(0, bodyY, b.BodyLength * 1.05f, b.BodyHeight * 1.02f);
        if (b.Belly)
            ink.Fill(new Clip<Ellipse, Ellipse>(f.Ellipse(0.04f, bodyY - b.BodyHeight * 0.62f, b.BodyLength * 0.8f, b.BodyHeight * 0.5f), body), second);
        Markings(ink, b, bodyY, body, main, second, dark, ref r);

        // Neck and head.
        var neckBaseX = b.BodyLength * 0.72f;
        var neckBaseY = bodyY + b.BodyHeight * 0.35f;
        if (b.Mane)
            Mane(ink, hx, hy, b.Head, dark);
        ink.Fill(f.Capsule(neckBaseX - 0.04f, neckBaseY - 0.03f, hx - b.Head * 0.25f, hy - b.Head * 0.1f, b.NeckWidth * 1.15f, b.NeckWidth * 0.85f), main);
        if (b.Marks == Marks.Spots && b.Ossicones)
            NeckSpots(ink, neckBaseX, neckBaseY, hx, hy, second, ref r);
        if (b.Marks == Marks.Stripes && b.HorseMane)
            NeckStripes(ink, neckBaseX, neckBaseY, hx, hy, b.NeckWidth, dark);
        if (b.Belly && b.Tail == Tail.Bushy)
        {
            // A pale throat running from the chin down into the chest.
            ink.Fill(new Clip<Ellipse, Capsule>(f.Ellipse(hx + b.Head * 0.1f, hy - b.Head * 0.9f, b.Head * 0.55f, b.Head * 0.9f, -35),
                f.Capsule(neckBaseX - 0.04f, neckBaseY - 0.03f, hx - b.Head * 0.25f, hy - b.Head * 0.1f, b.NeckWidth * 1.15f, b.NeckWidth * 0.85f)), second);
        }
        if (b.HorseMane)
        {
            ink.Fill(f.Capsule(hx - b.Head * 0.4f, hy + b.Head * 0.55f, neckBaseX - 0.06f, neckBaseY + b.NeckWidth * 0.9f, 0.055f, 0.04f), dark);
            ink.Fill(f.Capsule(hx - b.Head * 0.55f, hy + b.Head * 0.2f, neckBaseX - 0.02f, neckBaseY + b.NeckWidth * 0.5f, 0.045f, 0.035f), dark);
        }
        FrontLeg(ink, b, chestX + 0.02f, bodyY, -stride, legColor, dark);
        BackLeg(ink, b, hipX - 0.03f, bodyY, stride, legColor, dark);
        if (b.Spikes)
            Spikes(ink, b, bodyY, second.Shade(-0.05f));

        DrawHead(ink, b, hx, hy, main, second, dark, iris);
    }

    private static void FrontLeg(Ink ink, Beast b, float x, float bodyY, float swing, Rgb color, Rgb dark)
    {
        var f = ink.F;
        var w = b.LegWidth;
        var footX = x + swing + 0.015f;
        ink.Fill(f.Capsule(x, bodyY - b.BodyHeight * 0.25f, footX, w * 0.55f, w * 1.1f, w * 0.78f), color);
        if (b.Socks)
            ink.Fill(f.Capsule(x + (footX - x) * 0.55f, b.Leg * 0.42f, footX, w * 0.55f, w * 0.86f, w * 0.78f), dark);
        var hoof = b.HorseMane || b.Ossicones || b.Hump || b.SmallHorns || b.Antlers;
        ink.Fill(f.Ellipse(footX + w * 0.3f, w * 0.45f, w * 1.05f, w * 0.5f), hoof || b.Socks ? dark : color.Shade(-0.04f));
    }

    private static void BackLeg(Ink ink, Beast b, float x, float bodyY, float swing, Rgb color, Rgb dark)
    {
        var f = ink.F;
        var w = b.LegWidth;
        var kneeX = x - 0.06f + swing * 0.5f;
        var kneeY = b.Leg * 0.45f;
        var footX = x + swing;
        ink.Fill(f.Capsule(x, bodyY, kneeX, kneeY, w * 1.7f, w * 0.95f), color);
        ink.Fill(f.Capsule(kneeX, kneeY, footX, w * 0.55f, w * 0.95f, w * 0.78f), color);
        if (b.Socks)
            ink.Fill(f.Capsule(kneeX + (footX - kneeX) * 0.3f, kneeY * 0.7f, footX, w * 0.55f, w * 0.86f, w * 0.78f), dark);
        var hoof = b.HorseMane || b.Ossicones || b.Hump || b.SmallHorns || b.Antlers;
        ink.Fill(f.Ellipse(footX + w * 0.3f, w * 0.45f, w * 1.05f, w * 0.5f), hoof || b.Socks ? dark : color.Shade(-0.04f));
    }

    private static void DrawTail(Ink ink, Beast b, float bodyY, Rgb main, Rgb second, Rgb dark)
    {
        var f = ink.F;
        var ax = -b.BodyLength * 0.92f;
        var ay = bodyY + b.BodyHeight * 0.3f;
        var k = b.TailLength / 0.5f;
        switch (b.Tail)
        {
            case Tail.Bushy:
            {
                var cx = ax - b.TailLength * 0.42f;
                var cy = ay - b.TailLength * 0.18f;
                var tail = f.Ellipse(cx, cy, b.TailLength * 0.55f, b.TailLength * 0.19f, 22);
                ink.Fill(tail, main);
                if (b.TailTip)
                {
                    var a = Mathx.Deg(22);
                    var tipX = cx - MathF.Cos(a) * b.TailLength * 0.52f;
                    var tipY = cy - MathF.Sin(a) * b.TailLength * 0.52f;
                    ink.Fill(new Clip<Circle, Ellipse>(f.Circle(tipX, tipY, b.TailLength * 0.17f), tail), second);
                }
                break;
            }
            case Tail.ThinUp:
                ink.Fill(f.Capsule(ax + 0.03f, ay, ax - 0.12f * k, ay + 0.1f * k, 0.032f, 0.03f), main);
                ink.Fill(f.Capsule(ax - 0.12f * k, ay + 0.1f * k, ax - 0.15f * k, ay + 0.3f * k, 0.03f, 0.027f), main);
                ink.Fill(f.Capsule(ax - 0.15f * k, ay + 0.3f * k, ax - 0.09f * k, ay + 0.42f * k, 0.027f, 0.024f), main);
                break;
            case Tail.ThinDown:
            case Tail.Tuft:
                ink.Fill(f.Capsule(ax + 0.03f, ay, ax - 0.14f * k, ay - 0.12f * k, 0.03f, 0.026f), main);
                ink.Fill(f.Capsule(ax - 0.14f * k, ay - 0.12f * k, ax - 0.22f * k, ay - 0.3f * k, 0.026f, 0.022f), main);
                ink.Fill(f.Capsule(ax - 0.22f * k, ay - 0.3f * k, ax - 0.34f * k, ay - 0.33f * k, 0.022f, 0.018f), main);
                if (b.Tail == Tail.Tuft)
                    ink.Fill(f.Ellipse(ax - 0.36f * k, ay - 0.34f * k, 0.05f, 0.035f, 20), dark);
                break;
            case Tail.Short:
                ink.Fill(f.Ellipse(ax - 0.02f, ay + 0.02f, 0.06f, 0.04f, 30), b.Wool ? main : main.Shade(0.05f));
                break;
            case Tail.Hair:
                ink.Fill(f.Capsule(ax + 0.02f, ay + 0.02f, ax - 0.12f, ay - 0.4f, 0.065f, 0.03f), dark);
                ink.Fill(f.Capsule(ax, ay, ax - 0.05f, ay - 0.42f, 0.05f, 0.025f), dark.Shade(0.06f));
                break;
            case Tail.Curly:
                ink.Stroke(f.Circle(ax - 0.04f, ay + 0.02f, 0.035f), 0.016f, main.Shade(-0.06f));
                break;
            case Tail.Fluffy:
                ink.Fill(f.Circle(ax + 0.02f, ay - 0.02f, 0.075f), second);
                break;
            case Tail.Squirrel:
                ink.Fill(f.Ellipse(ax - 0.1f, ay + 0.2f, 0.14f, 0.3f, -12), main);
                ink.Fill(f.Circle(ax - 0.02f, ay + 0.46f, 0.12f), main);
                ink.Fill(f.Ellipse(ax - 0.08f, ay + 0.22f, 0.07f, 0.2f, -12), main.Shade(0.06f));
                break;
            case Tail.Long:
                var w = b.BodyHeight * 0.62f;
                ink.Fill(f.Capsule(ax + 0.06f, ay - 0.02f, ax - 0.3f * k, ay - 0.16f * k, w, 0.055f), main);
                ink.Fill(f.Capsule(ax - 0.3f * k, ay - 0.16f * k, ax - 0.62f * k, ay - 0.12f * k, 0.055f, 0.03f), main);
                ink.Fill(f.Capsule(ax - 0.62f * k, ay - 0.12f * k, ax - 0.8f * k, ay + 0.02f * k, 0.03f, 0.012f), main);
                if (b.Spikes && b.Wings)
                    ink.Fill(f.Poly(ax - 0.8f * k, ay + 0.02f * k, ax - 0.9f * k, ay + 0.1f * k, ax - 0.86f * k, ay - 0.04f * k), second);
                break;
        }
    }

    private static void DrawHead(Ink ink, Beast b, float hx, float hy, Rgb main, Rgb second, Rgb dark, Rgb? iris)
    {
        var f = ink.F;
        var h = b.Head;
        var earColor = b.Marks == Marks.Panda ? dark : main;

        // Far ear, behind the head.
        switch (b.Ears)
        {
            case Ears.Pointed:
                ink.Fill(f.Poly(hx - h * 0.05f, hy + h * 0.55f, hx + h * 0.5f, hy + h * 0.6f, hx + h * 0.2f, hy + h * 0.62f + b.EarSize), earColor.Shade(-0.1f));
                break;
            case Ears.Round:
                ink.Fill(f.Circle(hx + h * 0.35f, hy + h * 0.82f, b.EarSize), earColor.Shade(-0.1f));
                break;
            case Ears.Long:
                ink.Fill(f.Ellipse(hx + h * 0.1f, hy + h + b.EarSize * 0.55f, b.EarSize * 0.2f, b.EarSize * 0.62f, -12), earColor.Shade(-0.1f));
                break;
            case Ears.Small:
                ink.Fill(f.Poly(hx - h * 0.1f, hy + h * 0.6f, hx + h * 0.25f, hy + h * 0.7f, hx - h * 0.05f, hy + h * 0.7f + b.EarSize), earColor.Shade(-0.1f));
                break;
        }
        if (b.SmallHorns)
            ink.Fill(f.Capsule(hx - h * 0.05f, hy + h * 0.7f, hx - h * 0.55f, hy + h * 1.35f, 0.022f, 0.01f), Rgb.Hex(0xE8DCC0));
        if (b.Ossicones)
        {
            ink.Fill(f.Capsule(hx - h * 0.1f, hy + h * 0.6f, hx - h * 0.25f, hy + h * 1.35f, 0.014f, 0.012f), main);
            ink.Fill(f.Circle(hx - h * 0.25f, hy + h * 1.4f, 0.022f), dark);
        }
        if (b.Antlers)
            Antlers(ink, hx, hy, h);

        ink.Fill(f.Circle(hx, hy, h), main);
        if (b.Snout > 0.06f)
        {
            ink.Fill(f.Capsule(hx + h * 0.3f, hy - b.SnoutDrop * 0.3f, hx + h * 0.3f + b.Snout, hy - b.SnoutDrop, b.SnoutWidth, b.SnoutWidth * 0.62f), main);
            if (b.Belly && !b.HorseMane)
                ink.Fill(new Clip<Capsule, Box>(
                    f.Capsule(hx + h * 0.3f, hy - b.SnoutDrop * 0.3f, hx + h * 0.3f + b.Snout, hy - b.SnoutDrop, b.SnoutWidth, b.SnoutWidth * 0.62f),
                    f.Box(hx + h * 0.3f + b.Snout * 0.5f, hy - b.SnoutDrop - b.SnoutWidth * 0.75f, b.Snout, b.SnoutWidth * 0.7f)), second);
            var noseColor = b.Tail == Tail.Curly ? main.Shade(-0.12f) : dark;
            ink.Fill(f.Circle(hx + h * 0.3f + b.Snout + b.SnoutWidth * 0.3f, hy - b.SnoutDrop + b.SnoutWidth * 0.15f, b.SnoutWidth * 0.42f), noseColor);
        }
        else if (!b.Trunk)
        {
            // Short muzzle (cats, big cats, rabbits, pandas): a pale pad and a small nose.
            ink.Fill(f.Ellipse(hx + h * 0.55f, hy - h * 0.35f, h * 0.42f, h * 0.3f), b.Marks == Marks.Panda ? main : second);
            ink.Fill(f.Ellipse(hx + h * 0.78f, hy - h * 0.12f, h * 0.13f, h * 0.09f), b.Tail == Tail.Curly ? main.Shade(-0.15f) : Rgb.Hex(0x3A2A2A));
        }
        if (b.Tail == Tail.Curly)
        {
            ink.Fill(f.Ellipse(hx + h * 0.95f, hy - h * 0.1f, h * 0.2f, h * 0.3f), main.Shade(0.05f));
            ink.Fill(f.Circle(hx + h * 0.98f, hy - h * 0.02f, h * 0.05f), main.Shade(-0.2f));
            ink.Fill(f.Circle(hx + h * 0.98f, hy - h * 0.2f, h * 0.05f), main.Shade(-0.2f));
        }
        if (b.Trunk)
        {
            ink.Fill(f.Capsule(hx + h * 0.55f, hy - h * 0.15f, hx + h * 0.95f, hy - h * 0.85f, h * 0.34f, h * 0.24f), main);
            ink.Fill(f.Capsule(hx + h * 0.95f, hy - h * 0.85f, hx + h * 0.92f, hy - h * 1.55f, h * 0.24f, h * 0.17f), main);
            ink.Fill(f.Capsule(hx + h * 0.92f, hy - h * 1.55f, hx + h * 1.12f, hy - h * 1.75f, h * 0.17f, h * 0.14f), main);
            ink.Fill(f.Capsule(hx + h * 0.45f, hy - h * 0.55f, hx + h * 0.95f, hy - h * 0.62f, h * 0.09f, h * 0.05f), Rgb.Hex(0xF5EFE0));
        }
        if (b.Marks == Marks.Panda)
            ink.Fill(f.Ellipse(hx + h * 0.38f, hy + h * 0.12f, h * 0.22f, h * 0.3f, -30), dark);

        // Near ear.
        switch (b.Ears)
        {
            case Ears.Pointed:
                ink.Fill(f.Poly(hx - h * 0.7f, hy + h * 0.45f, hx - h * 0.05f, hy + h * 0.72f, hx - h * 0.45f, hy + h * 0.6f + b.EarSize), earColor);
                ink.Fill(f.Poly(hx - h * 0.55f, hy + h * 0.55f, hx - h * 0.2f, hy + h * 0.7f, hx - h * 0.43f, hy + h * 0.55f + b.EarSize * 0.75f), b.Socks ? dark : main.Shade(0.15f));
                break;
            case Ears.Round:
                ink.Fill(f.Circle(hx - h * 0.5f, hy + h * 0.75f, b.EarSize), earColor);
                if (b.Marks != Marks.Panda)
                    ink.Fill(f.Circle(hx - h * 0.5f, hy + h * 0.75f, b.EarSize * 0.55f), main.Shade(-0.12f));
                break;
            case Ears.Floppy:
                ink.Fill(f.Ellipse(hx - h * 0.45f, hy + h * 0.05f, b.EarSize * 0.42f, b.EarSize, -18), main.Shade(-0.16f));
                break;
            case Ears.Long:
                ink.Fill(f.Ellipse(hx - h * 0.25f, hy + h + b.EarSize * 0.5f, b.EarSize * 0.21f, b.EarSize * 0.6f, 8), earColor);
                ink.Fill(f.Ellipse(hx - h * 0.25f, hy + h + b.EarSize * 0.5f, b.EarSize * 0.1f, b.EarSize * 0.45f, 8), Rgb.Hex(0xF2B8BE));
                break;
            case Ears.Small:
                ink.Fill(f.Poly(hx - h * 0.55f, hy + h * 0.5f, hx - h * 0.15f, hy + h * 0.72f, hx - h * 0.45f, hy + h * 0.62f + b.EarSize), earColor);
                break;
            case Ears.BigFlap:
                ink.Fill(f.Ellipse(hx - h * 0.5f, hy - h * 0.08f, h * 0.72f, h * 0.95f, 10), main.Shade(-0.08f));
                ink.Fill(f.Ellipse(hx - h * 0.45f, hy - h * 0.05f, h * 0.5f, h * 0.72f, 10), Rgb.Hex(0xD9A7A7).Lerp(main, 0.5f));
                break;
            case Ears.Horns:
                ink.Fill(f.Capsule(hx - h * 0.3f, hy + h * 0.7f, hx - h * 1.1f, hy + h * 1.5f, h * 0.16f, h * 0.04f), second.Shade(-0.1f));
                ink.Fill(f.Capsule(hx + h * 0.05f, hy + h * 0.8f, hx - h * 0.6f, hy + h * 1.7f, h * 0.14f, h * 0.04f), second);
                break;
        }
        if (b.Horn)
        {
            ink.Fill(f.Poly(hx + h * 0.05f, hy + h * 0.75f, hx + h * 0.4f, hy + h * 0.85f, hx + h * 0.75f, hy + h * 0.8f + 0.3f), Rgb.Hex(0xF2C94C));
            ink.Fill(f.Capsule(hx + h * 0.3f, hy + h * 0.95f, hx + h * 0.42f, hy + h * 1.05f, 0.006f), Rgb.Hex(0xC9962B));
            ink.Fill(f.Capsule(hx + h * 0.45f, hy + h * 1.2f, hx + h * 0.55f, hy + h * 1.28f, 0.005f), Rgb.Hex(0xC9962B));
        }

        var eyeX = hx + h * (b.Snout > 0.15f ? 0.25f : 0.38f);
        var eyeY = hy + h * 0.22f;
        var eyeR = h * (b.Trunk ? 0.09f : 0.14f);
        if (iris is { } irisColor || main.Luma < 0.2f)
        {
            ink.Brush.Fill(f.Circle(eyeX, eyeY, eyeR * 1.25f), Paint.Solid(ink.Palette.OnSubject(iris ?? Rgb.Hex(0xC9D84A))));
            ink.Eye(eyeX + eyeR * 0.1f, eyeY, eyeR * 0.7f);
        }
        else
        {
            ink.Eye(eyeX, eyeY, eyeR);
        }
    }

    private static void Antlers(Ink ink, float hx, float hy, float h)
    {
        var f = ink.F;
        var c = Rgb.Hex(0x8A6A4A);
        for (var side = 0; side < 2; side++)
        {
            var o = side == 0 ? -h * 0.35f : h * 0.1f;
            var shade = side == 0 ? c : c.Shade(-0.1f);
            var bx = hx + o;
            var by = hy + h * 0.8f;
            ink.Fill(f.Capsule(bx, by, bx - 0.06f, by + 0.3f, 0.016f, 0.011f), shade);
            ink.Fill(f.Capsule(bx - 0.02f, by + 0.1f, bx + 0.07f, by + 0.2f, 0.012f, 0.008f), shade);
            ink.Fill(f.Capsule(bx - 0.045f, by + 0.2f, bx + 0.03f, by + 0.33f, 0.011f, 0.007f), shade);
            ink.Fill(f.Capsule(bx - 0.05f, by + 0.22f, bx - 0.16f, by + 0.3f, 0.011f, 0.007f), shade);
        }
    }

    private static void Mane(Ink ink, float hx, float hy, float h, Rgb color)
    {
        var f = ink.F;
        for (var i = 0; i < 12; i++)
        {
            var a = i / 12f * MathF.Tau;
            ink.Fill(f.Circle(hx - h * 0.25f + MathF.Cos(a) * h * 1.05f, hy - h * 0.1f + MathF.Sin(a) * h * 1.1f, h * 0.48f), color);
        }
        ink.Fill(f.Circle(hx - h * 0.25f, hy - h * 0.1f, h * 1.3f), color);
    }

    private static void Markings(Ink ink, Beast b, float bodyY, Ellipse body, Rgb main, Rgb second, Rgb dark, ref SketchRandom r)
    {
        var f = ink.F;
        switch (b.Marks)
        {
            case Marks.Stripes:
                var stripe = b.HorseMane ? dark : Rgb.Hex(0x2A1E18);
                for (var i = 0; i < 7; i++)
                {
                    var x = -b.BodyLength * 0.8f + i * b.BodyLength * 0.27f;
                    var top = f.Capsule(x, bodyY + b.BodyHeight * 1.1f, x + 0.05f, bodyY - b.BodyHeight * 0.2f, b.BodyHeight * 0.14f, b.BodyHeight * 0.04f);
                    ink.Fill(new Clip<Capsule, Ellipse>(top, body), stripe);
                }
                break;
            case Marks.Spots:
                for (var i = 0; i < 16; i++)
                {
                    var x = r.Range(-0.9f, 0.9f) * b.BodyLength;
                    var y = bodyY + r.Range(-0.7f, 0.8f) * b.BodyHeight;
                    var rad = b.BodyHeight * r.Range(0.12f, b.Ossicones ? 0.3f : 0.18f);
                    ink.Fill(new Clip<Circle, Ellipse>(f.Circle(x, y, rad), body), b.Ossicones ? second : Rgb.Hex(0x3A2414));
                }
                break;
            case Marks.Patches:
                for (var i = 0; i < 4; i++)
                {
                    var x = r.Range(-0.8f, 0.7f) * b.BodyLength;
                    var y = bodyY + r.Range(-0.3f, 0.7f) * b.BodyHeight;
                    ink.Fill(new Clip<Ellipse, Ellipse>(f.Ellipse(x, y, b.BodyHeight * r.Range(0.35f, 0.6f), b.BodyHeight * r.Range(0.3f, 0.5f), r.Range(-40, 40)), body), dark);
                }
                break;
            case Marks.Panda:
                ink.Fill(new Clip<Box, Ellipse>(f.Box(b.BodyLength * 0.35f, bodyY, b.BodyLength * 0.22f, b.BodyHeight * 1.2f, 0, -10), body), dark);
                break;
        }
    }

    private static void NeckSpots(Ink ink, float bx, float by, float hx, float hy, Rgb color, ref SketchRandom r)
    {
        var f = ink.F;
        for (var i = 1; i < 6; i++)
        {
            var t = i / 6f;
            ink.Fill(f.Circle(bx + (hx - bx) * t + r.Range(-0.02f, 0.02f), by + (hy - by) * t, 0.03f), color);
        }
    }

    private static void NeckStripes(Ink ink, float bx, float by, float hx, float hy, float w, Rgb color)
    {
        var f = ink.F;
        var neck = f.Capsule(bx - 0.04f, by - 0.03f, hx, hy, w * 1.15f, w * 0.85f);
        for (var i = 0; i < 5; i++)
        {
            var t = 0.15f + i * 0.17f;
            var x = bx + (hx - bx) * t;
            var y = by + (hy - by) * t;
            ink.Fill(new Clip<Capsule, Capsule>(f.Capsule(x - 0.15f, y + 0.05f, x + 0.15f, y - 0.05f, w * 0.22f, w * 0.22f), neck), color);
        }
    }

    private static void Spikes(Ink ink, Beast b, float bodyY, Rgb color)
    {
        var f = ink.F;
        for (var i = 0; i < 7; i++)
        {
            var x = -b.BodyLength * 0.75f + i * b.BodyLength * 0.22f;
            var y = bodyY + b.BodyHeight * MathF.Sqrt(MathF.Max(0, 1 - x * x / (b.BodyLength * b.BodyLength))) - 0.01f;
            var s = b.BodyHeight * 0.35f;
            ink.Fill(f.Poly(x - s * 0.5f, y, x + s * 0.5f, y, x - s * 0.1f, y + s), color);
        }
    }

    private static void Wing(Ink ink, Beast b, float x, float bodyY, Rgb bone, Rgb membrane)
    {
        var f = ink.F;
        var y = bodyY + b.BodyHeight * 0.6f;
        ink.Fill(f.Poly(
            x + 0.12f, y,
            x + 0.05f, y + 0.55f,
            x - 0.18f, y + 0.48f,
            x - 0.3f, y + 0.52f,
            x - 0.42f, y + 0.3f,
            x - 0.55f, y + 0.25f,
            x - 0.3f, y + 0.05f), membrane);
        ink.Fill(f.Capsule(x + 0.12f, y, x + 0.05f, y + 0.55f, 0.02f, 0.012f), bone);
        ink.Fill(f.Capsule(x + 0.05f, y + 0.55f, x - 0.3f, y + 0.52f, 0.012f, 0.008f), bone);
        ink.Fill(f.Capsule(x + 0.05f, y + 0.55f, x - 0.55f, y + 0.25f, 0.012f, 0.006f), bone);
    }

    // ---- Birds and sea creatures ----

    private static void Bird(Ink ink, SketchSubject s, ref SketchRandom r)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? SubjectArt.Pick(ref r, 0x3C7DD9, 0x3C7DD9, 0x8A5A3C, 0xD93A32);
        var breast = SubjectArt.ColorOf(s.SecondColor) ?? (s.Color is null ? Rgb.Hex(0xF28C38) : main.Shade(0.22f));
        var legs = Rgb.Hex(0xC07A3A);
        ink.Fill(f.Poly(-0.18f, 0.36f, -0.52f, 0.2f, -0.5f, 0.1f, -0.16f, 0.26f), main.Shade(-0.12f));
        ink.Fill(f.Capsule(0.0f, 0.25f, 0.02f, 0.02f, 0.016f, 0.012f), legs);
        ink.Fill(f.Capsule(0.09f, 0.25f, 0.1f, 0.02f, 0.016f, 0.012f), legs);
        ink.Fill(f.Capsule(-0.02f, 0.02f, 0.08f, 0.01f, 0.012f, 0.01f), legs);
        ink.Fill(f.Capsule(0.07f, 0.02f, 0.17f, 0.01f, 0.012f, 0.01f), legs);
        var body = f.Ellipse(0, 0.4f, 0.29f, 0.2f, 18);
        ink.Fill(body, main);
        ink.Fill(new Clip<Ellipse, Ellipse>(f.Ellipse(0.12f, 0.33f, 0.19f, 0.16f, 10), body), breast);
        ink.Fill(f.Ellipse(-0.07f, 0.42f, 0.2f, 0.1f, 14), main.Shade(-0.1f));
        ink.Fill(f.Ellipse(-0.12f, 0.4f, 0.13f, 0.06f, 10), main.Shade(-0.16f));
        ink.Fill(f.Circle(0.22f, 0.62f, 0.14f), main);
        ink.Fill(new Clip<Circle, Circle>(f.Circle(0.28f, 0.5f, 0.1f), f.Circle(0.22f, 0.62f, 0.14f)), breast);
        ink.Fill(f.Poly(0.33f, 0.67f, 0.48f, 0.61f, 0.33f, 0.57f), Rgb.Hex(0xF2B33D));
        ink.Eye(0.26f, 0.66f, 0.026f);
    }

    private static void Owl(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0x8A6342);
        var belly = SubjectArt.ColorOf(s.SecondColor) ?? Rgb.Hex(0xE9D6B8);
        var eye = SubjectArt.ColorOf(s.DetailColor) ?? Rgb.Hex(0xF5B82E);
        ink.Fill(f.Poly(-0.3f, 0.88f, -0.2f, 1.05f, -0.1f, 0.88f), main.Shade(-0.08f));
        ink.Fill(f.Poly(0.3f, 0.88f, 0.2f, 1.05f, 0.1f, 0.88f), main.Shade(-0.08f));
        ink.Fill(f.Ellipse(0, 0.48f, 0.31f, 0.44f), main);
        ink.Fill(f.Ellipse(0, 0.36f, 0.2f, 0.28f), belly);
        for (var i = 0; i < 3; i++)
        {
            for (var j = -1; j <= 1; j++)
                ink.Fill(f.Poly(j * 0.08f - 0.03f, 0.45f - i * 0.1f, j * 0.08f + 0.03f, 0.45f - i * 0.1f, j * 0.08f, 0.41f - i * 0.1f), main.Shade(0.05f), 0.8f);
        }
        ink.Fill(f.Ellipse(-0.27f, 0.45f, 0.1f, 0.26f, -10), main.Shade(-0.12f));
        ink.Fill(f.Ellipse(0.27f, 0.45f, 0.1f, 0.26f, 10), main.Shade(-0.12f));
        for (var side = -1; side <= 1; side += 2)
        {
            ink.Fill(f.Circle(side * 0.12f, 0.72f, 0.115f), belly.Shade(0.06f));
            ink.Brush.Fill(f.Circle(side * 0.12f, 0.72f, 0.075f), Paint.Solid(ink.Palette.OnSubject(eye)));
            ink.Eye(side * 0.12f, 0.72f, 0.042f);
        }
        ink.Fill(f.Poly(-0.035f, 0.66f, 0.035f, 0.66f, 0, 0.58f), Rgb.Hex(0xE0A23A));
        ink.Fill(f.Capsule(-0.1f, 0.05f, -0.1f, 0.01f, 0.03f), Rgb.Hex(0xE0A23A));
        ink.Fill(f.Capsule(0.1f, 0.05f, 0.1f, 0.01f, 0.03f), Rgb.Hex(0xE0A23A));
    }

    private static void Penguin(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0x25262E);
        var orange = Rgb.Hex(0xF29A2E);
        ink.Fill(f.Ellipse(-0.1f, 0.04f, 0.1f, 0.04f), orange);
        ink.Fill(f.Ellipse(0.12f, 0.04f, 0.1f, 0.04f), orange);
        ink.Fill(f.Ellipse(0, 0.5f, 0.3f, 0.45f), main);
        ink.Fill(f.Ellipse(0.05f, 0.45f, 0.21f, 0.36f), Rgb.Hex(0xF7F5F0));
        ink.Fill(f.Ellipse(-0.25f, 0.48f, 0.07f, 0.25f, -15), main.Shade(-0.05f));
        ink.Fill(f.Circle(0.02f, 0.88f, 0.19f), main);
        ink.Fill(f.Ellipse(0.1f, 0.86f, 0.09f, 0.1f), Rgb.Hex(0xF7F5F0));
        ink.Fill(f.Poly(0.16f, 0.87f, 0.32f, 0.83f, 0.16f, 0.8f), orange);
        ink.Eye(0.12f, 0.9f, 0.025f);
    }

    private static void Flamingo(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0xF28AA0);
        var leg = main.Shade(-0.1f);
        ink.Fill(f.Capsule(0.0f, 0.75f, 0.02f, 0.02f, 0.014f), leg);
        ink.Fill(f.Capsule(0.02f, 0.75f, 0.12f, 0.45f, 0.013f), leg);
        ink.Fill(f.Capsule(0.12f, 0.45f, 0.03f, 0.4f, 0.012f), leg);
        ink.Fill(f.Poly(-0.15f, 0.95f, -0.42f, 0.9f, -0.15f, 0.82f), main.Shade(-0.12f));
        ink.Fill(f.Ellipse(0, 0.92f, 0.25f, 0.15f, 8), main);
        ink.Fill(f.Ellipse(-0.05f, 0.95f, 0.16f, 0.08f, 8), main.Shade(-0.1f));
        ink.Fill(f.Capsule(0.18f, 0.95f, 0.28f, 1.15f, 0.045f, 0.035f), main);
        ink.Fill(f.Capsule(0.28f, 1.15f, 0.18f, 1.35f, 0.035f, 0.03f), main);
        ink.Fill(f.Capsule(0.18f, 1.35f, 0.24f, 1.46f, 0.03f), main);
        ink.Fill(f.Circle(0.27f, 1.46f, 0.06f), main);
        ink.Fill(f.Capsule(0.3f, 1.47f, 0.4f, 1.38f, 0.03f, 0.015f), Rgb.Hex(0xF3EDE6));
        ink.Fill(f.Capsule(0.37f, 1.4f, 0.4f, 1.36f, 0.018f, 0.01f), Rgb.Hex(0x1C1C1C));
        ink.Eye(0.28f, 1.48f, 0.013f);
    }

    private static void Eagle(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0x6B4A2E);
        var head = SubjectArt.ColorOf(s.SecondColor) ?? Rgb.Hex(0xF5F2EA);
        ink.Fill(f.Poly(-0.1f, 0.5f, -0.95f, 0.85f, -1.0f, 0.72f, -0.78f, 0.62f, -0.85f, 0.52f, -0.6f, 0.47f, -0.2f, 0.38f), main.Shade(-0.1f));
        ink.Fill(f.Poly(-0.45f, 0.45f, -0.72f, 0.55f, -0.75f, 0.35f), main.Shade(-0.05f));
        ink.Fill(f.Ellipse(0, 0.45f, 0.42f, 0.12f, 5), main);
        ink.Fill(f.Poly(-0.35f, 0.47f, -0.62f, 0.56f, -0.66f, 0.38f, -0.35f, 0.4f), head);
        ink.Fill(f.Poly(0.05f, 0.5f, 0.9f, 0.88f, 0.98f, 0.76f, 0.78f, 0.66f, 0.85f, 0.56f, 0.6f, 0.5f, 0.2f, 0.4f), main);
        ink.Fill(f.Circle(0.45f, 0.5f, 0.1f), head);
        ink.Fill(f.Poly(0.52f, 0.54f, 0.66f, 0.48f, 0.56f, 0.42f, 0.52f, 0.46f), Rgb.Hex(0xF2B33D));
        ink.Eye(0.48f, 0.53f, 0.016f);
    }

    private static void Butterfly(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0xF08A24);
        var dark = Rgb.Hex(0x2A2024);
        for (var side = -1; side <= 1; side += 2)
        {
            ink.Fill(f.Ellipse(side * 0.24f, 0.55f, 0.25f, 0.2f, side * 30), dark);
            ink.Fill(f.Ellipse(side * 0.24f, 0.55f, 0.21f, 0.16f, side * 30), main);
            ink.Fill(f.Ellipse(side * 0.17f, 0.25f, 0.16f, 0.14f, -side * 30), dark);
            ink.Fill(f.Ellipse(side * 0.17f, 0.25f, 0.12f, 0.1f, -side * 30), main.Shade(0.08f));
            ink.Fill(f.Circle(side * 0.32f, 0.62f, 0.04f), Rgb.White);
        }
        ink.Fill(f.Capsule(0, 0.15f, 0, 0.62f, 0.03f), dark);
        ink.Fill(f.Capsule(0, 0.62f, -0.08f, 0.78f, 0.008f), dark);
        ink.Fill(f.Capsule(0, 0.62f, 0.08f, 0.78f, 0.008f), dark);
    }

    private static void Swan(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0xF8F7F3);
        ink.Fill(f.Ellipse(-0.05f, 0.12f, 0.45f, 0.17f), main);
        ink.Fill(f.Poly(-0.3f, 0.2f, -0.58f, 0.38f, -0.42f, 0.14f), main);
        ink.Fill(f.Ellipse(-0.1f, 0.2f, 0.3f, 0.1f, 10), main.Shade(-0.06f));
        ink.Fill(f.Capsule(0.3f, 0.18f, 0.36f, 0.45f, 0.07f, 0.05f), main);
        ink.Fill(f.Capsule(0.36f, 0.45f, 0.26f, 0.72f, 0.05f, 0.045f), main);
        ink.Fill(f.Circle(0.3f, 0.78f, 0.075f), main);
        ink.Fill(f.Poly(0.35f, 0.8f, 0.5f, 0.72f, 0.34f, 0.72f), Rgb.Hex(0xF08A24));
        ink.Eye(0.32f, 0.8f, 0.015f);
    }

    private static void Fish(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0xF2852E);
        // Mid-leap: a tilted body above the water with a splash.
        ink.Fill(f.Poly(-0.35f, 0.5f, -0.6f, 0.75f, -0.58f, 0.35f), main.Shade(-0.08f));
        ink.Fill(f.Ellipse(0, 0.5f, 0.4f, 0.22f, 15), main);
        ink.Fill(f.Poly(-0.05f, 0.68f, 0.15f, 0.84f, 0.12f, 0.64f), main.Shade(-0.08f));
        ink.Fill(f.Ellipse(0.05f, 0.42f, 0.2f, 0.08f, 15), main.Shade(0.18f));
        ink.Eye(0.25f, 0.6f, 0.035f);
        Splash(ink, 0, 0.05f, 0.5f);
    }

    private static void Dolphin(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0x6F8FAF);
        ink.Fill(f.Poly(-0.05f, 0.72f, -0.15f, 0.95f, 0.1f, 0.78f), main.Shade(-0.08f));
        ink.Fill(f.Capsule(-0.6f, 0.3f, 0.15f, 0.7f, 0.08f, 0.17f), main);
        ink.Fill(f.Capsule(0.15f, 0.7f, 0.55f, 0.55f, 0.17f, 0.06f), main);
        ink.Fill(f.Capsule(0.5f, 0.57f, 0.68f, 0.5f, 0.05f, 0.03f), main);
        ink.Fill(f.Poly(-0.58f, 0.3f, -0.8f, 0.42f, -0.72f, 0.28f, -0.78f, 0.12f), main.Shade(-0.05f));
        ink.Fill(new Clip<Capsule, Box>(f.Capsule(-0.6f, 0.3f, 0.5f, 0.6f, 0.06f, 0.14f), f.Box(0, 0.35f, 0.7f, 0.18f, 0, 20)), Rgb.Hex(0xDCE6EE));
        ink.Eye(0.42f, 0.62f, 0.025f);
        Splash(ink, -0.7f, 0.02f, 0.4f);
    }

    private static void Whale(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0x3E5E86);
        ink.Fill(f.Ellipse(0.05f, 0.18f, 0.95f, 0.35f), main);
        ink.Fill(new Clip<Ellipse, Box>(f.Ellipse(0.15f, 0.05f, 0.8f, 0.22f), f.Rect(-1, -0.3f, 1.2f, 0.1f)), Rgb.Hex(0xD6E0EA));
        ink.Fill(f.Capsule(-0.8f, 0.2f, -1.05f, 0.45f, 0.1f, 0.05f), main);
        ink.Fill(f.Poly(-1.05f, 0.45f, -1.25f, 0.65f, -1.1f, 0.42f, -0.95f, 0.62f), main.Shade(-0.08f));
        ink.Eye(0.6f, 0.22f, 0.035f);
        var spray = Rgb.Hex(0xE8F4FC);
        ink.Fill(f.Capsule(0.35f, 0.5f, 0.3f, 0.85f, 0.025f, 0.04f), spray, 0.85f);
        ink.Fill(f.Circle(0.22f, 0.88f, 0.07f), spray, 0.85f);
        ink.Fill(f.Circle(0.38f, 0.9f, 0.08f), spray, 0.85f);
        Splash(ink, 0, 0.0f, 1.1f);
    }

    private static void Shark(Ink ink, SketchSubject s)
    {
        var f = ink.F;
        var main = SubjectArt.ColorOf(s.Color) ?? Rgb.Hex(0x5F7285);
        ink.Fill(f.Ellipse(0, 0.02f, 0.75f, 0.12f), main.Shade(-0.15f), 0.55f);
        ink.Fill(f.Poly(-0.12f, 0.04f, 0.1f, 0.52f, 0.22f, 0.04f), main);
        ink.Fill(f.Poly(0.1f, 0.52f, 0.16f, 0.3f, 0.22f, 0.04f, 0.14f, 0.04f), main.Shade(-0.08f));
        Splash(ink, 0.05f, 0.03f, 0.6f);
    }

    private static void Splash(Ink ink, float x, float y, float width)
    {
        var f = ink.F;
        var foam = Rgb.Hex(0xF4FAFF);
        ink.Fill(f.Ellipse(x, y, width * 0.55f, 0.035f), foam, 0.85f);
        ink.Fill(f.Circle(x - width * 0.35f, y + 0.07f, 0.03f), foam, 0.8f);
        ink.Fill(f.Circle(x + width * 0.4f, y + 0.09f, 0.025f), foam, 0.8f);
        ink.Fill(f.Circle(x + width * 0.2f, y + 0.14f, 0.018f), foam, 0.7f);
    }
}
