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

    public static void Draw(Ink ink, Placement placement, ref SketchRandom random)
    {
        var foot = FootprintOf(placement.Subject, placement.Variant);
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
