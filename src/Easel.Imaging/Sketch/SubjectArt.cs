namespace Easel.Imaging.Sketch;

/// <summary>Chooses the drawing for a subject and knows each drawing's size in figure units.</summary>
internal static class SubjectArt
{
    /// <param name="Width">Drawing width in figure units.</param>
    /// <param name="Height">Drawing height in figure units.</param>
    /// <param name="CentreX">Where the drawing's visual centre is, in units from its origin (toward its front).</param>
    /// <param name="HeightFraction">How tall it should be relative to the frame height.</param>
    internal readonly record struct Footprint(float Width, float Height, float CentreX, float HeightFraction, Anchor Anchor);

    public static Footprint FootprintOf(SketchSubject subject, int variant) => subject.Kind switch
    {
        SketchSubjectKind.Animal => Animals.FootprintOf(subject.Noun),
        SketchSubjectKind.Person => People.FootprintOf(subject.Noun, variant),
        SketchSubjectKind.Vehicle => Vehicles.FootprintOf(subject.Noun),
        SketchSubjectKind.Building => Buildings.FootprintOf(subject.Noun),
        SketchSubjectKind.Product => Products.FootprintOf(subject.Noun),
        _ => Plants.FootprintOf(subject.Noun),
    };

    /// <summary>
    /// The drawing's real extent in figure units, found by drawing it once with a measuring brush (no
    /// pixels), with the same random stream the real drawing will use. Exact for every subject, so
    /// framing never has to trust hand-kept numbers.
    /// </summary>
    public static Footprint Measure(SketchSubject subject, int variant, Palette palette, Look look, SketchRandom random)
    {
        var planned = FootprintOf(subject, variant);
        var brush = new Brush(new Layer(1, 1), new BrushStyle()) { Measuring = true };
        var ink = new Ink(brush, palette, look, 1);
        var placement = new Placement(subject, 0, 0, 1, 1, variant, planned.Anchor, planned);
        Draw(ink, placement, ref random);
        if (brush.Measured is not { } box)
            return planned;
        // A unit figure at the origin: pixel y is minus figure y.
        var top = MathF.Max(-box.Y0, 0.05f);
        return planned with { Width = MathF.Max(box.X1 - box.X0, 0.05f), Height = top, CentreX = (box.X0 + box.X1) / 2 };
    }

    public static void Draw(Ink ink, Placement placement, ref SketchRandom random)
    {
        var foot = placement.Foot;
        var figure = new Figure(placement.X, placement.Y, placement.Scale, placement.Facing);
        ink.Begin(figure, foot.Height);
        switch (placement.Subject.Kind)
        {
            case SketchSubjectKind.Animal:
                Animals.Draw(ink, placement, ref random);
                break;
            case SketchSubjectKind.Person:
                People.Draw(ink, placement, ref random);
                break;
            case SketchSubjectKind.Vehicle:
                Vehicles.Draw(ink, placement, ref random);
                break;
            case SketchSubjectKind.Building:
                Buildings.Draw(ink, placement, ref random);
                break;
            case SketchSubjectKind.Product:
                Products.Draw(ink, placement, ref random);
                break;
            default:
                Plants.Draw(ink, placement, ref random);
                break;
        }
    }

    public static Rgb? ColorOf(SketchColor? c) => c is { } v ? Palette.ToRgb(v) : null;

    /// <summary>Picks one of several natural colours by the figure's own random stream.</summary>
    public static Rgb Pick(ref SketchRandom random, params uint[] options) => Rgb.Hex(options[random.Next(options.Length)]);
}
