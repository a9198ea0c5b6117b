namespace Easel.Imaging.Sketch;

/// <summary>Where a figure stands: how it is anchored to the picture.</summary>
internal enum Anchor
{
    Ground,
    Water,
    Sky,
}

/// <summary>One figure to draw: position (pixels), size (pixels per figure unit) and facing.</summary>
internal sealed record Placement(SketchSubject Subject, float X, float Y, float Scale, float Facing, int Variant, Anchor Anchor, SubjectArt.Footprint Foot);

/// <summary>
/// Paints one scene: background (sky, land) on one layer, subjects on another, then lighting and
/// style. Every size is relative to the frame so any aspect ratio composes sensibly.
/// </summary>
internal sealed partial class SceneRenderer
{
    private readonly SketchScene _scene;
    private readonly RenderPlan _plan;
    private readonly bool _transparent;
    private readonly int _w;
    private readonly int _h;
    private readonly float _u;
    private readonly Look _look;
    private readonly Palette _p;
    private readonly BrushStyle _brushStyle;
    private readonly Layer _back;
    private readonly Layer _front;
    private readonly Brush _bg;
    private readonly Brush _fg;
    private readonly List<Placement> _placements = [];
    private float _horizon;
    private float _groundY;
    private float _sunX;
    private float _sunY;
    private float _sunRadius;
    private (int X0, int Y0, int X1, int Y1) _covered;

    // A subtle variation's small nudges to hills and trees, from a stream of its own so nothing else moves.
    private SketchRandom _nudge;

    public SceneRenderer(SketchScene scene, RenderPlan plan, bool transparent, int width, int height)
    {
        _scene = scene;
        _plan = plan;
        _nudge = SketchRandom.For(plan.Details, "nudge");
        _transparent = transparent;
        _w = width;
        _h = height;
        _u = Math.Min(width, height);
        _look = Look.For(scene);
        _p = Palette.For(scene, _look, plan);
        _brushStyle = MakeBrushStyle();
        _back = new Layer(width, height);
        _front = new Layer(width, height);
        _bg = new Brush(_back, _brushStyle);
        // Subjects are many overlapping parts: in watercolour only their outer silhouette gets a dark rim (added later).
        _fg = new Brush(_front, _brushStyle.IsWatercolor
            ? new BrushStyle { Softness = _brushStyle.Softness, Wobble = _brushStyle.Wobble, WobbleAmplitude = _brushStyle.WobbleAmplitude * 0.6f, EdgeDarkening = 0 }
            : _brushStyle);
    }

    public Look Look => _look;

    public Palette Palette => _p;

    public float SunX => _sunX;

    public float SunY => _sunY;

    /// <summary>The subjects' coverage (for the pixel-art outline); null before painting.</summary>
    public float[]? SubjectMask { get; private set; }

    private SketchRandom Random(string stream) => SketchRandom.For(_plan.SeedFor(stream), stream);

    /// <summary>A small random offset in ±<paramref name="amplitude"/> for a subtle variation; 0 otherwise.</summary>
    private float Nudge(float amplitude) => _plan.Jitter ? _nudge.Jitter() * amplitude : 0;

    private BrushStyle MakeBrushStyle()
    {
        if (_look.Pixel)
            return new BrushStyle { Softness = 0.08f };
        if (_look.Paper)
        {
            var r = Random("watercolor");
            var amplitude = _u * 0.006f;
            var edge = new ValueNoise(_w, _h, _u * 0.045f, ref r);
            var fine = new ValueNoise(_w, _h, _u * 0.012f, ref r);
            return new BrushStyle
            {
                Softness = MathF.Max(1.2f, _u * 0.0018f),
                // Signed noise: 2n - 1 for the broad wobble, half as much for the fine one.
                Wobble = new NoiseField(_w, _h, (edge, 2 * amplitude, -0.5f), (fine, amplitude, -0.5f)),
                WobbleAmplitude = amplitude,
                EdgeDarkeningWidth = MathF.Max(1.5f, _u * 0.006f),
            };
        }
        return new BrushStyle { Softness = 1f };
    }

    /// <summary>Paints everything and returns the final layer (premultiplied, before style finishing).</summary>
    public Layer Render()
    {
        Layout();
        if (!_transparent)
        {
            PaintSky();
            PaintLand();
            PaintShadows();
        }
        PaintSubjects();
        if (!_transparent && _look.DepthOfField > 0 && !_scene.IsRemoved("blur") && _placements.Count > 0)
            BlurBackground(_u * _look.DepthOfField);
        var glowMask = _front.Alpha(out _covered);
        SubjectMask = glowMask;
        if (_look.SubjectGlow && !_scene.IsRemoved("glow") && _placements.Count > 0)
            AddSubjectGlow(glowMask);
        AddRimLight(glowMask);
        if (_brushStyle.IsWatercolor)
            DarkenSilhouetteEdge(glowMask);
        _front.DrawOver(_back);
        if (!_transparent)
            PaintWeather();
        return _back;
    }

    private void Layout()
    {
        var r = Random("layout");
        var setting = _scene.Setting;
        var baseHorizon = setting switch
        {
            SketchSetting.Sea => 0.52f,
            SketchSetting.Mountains => 0.6f,
            SketchSetting.City => 0.62f,
            SketchSetting.Desert => 0.58f,
            SketchSetting.Studio => 0.7f,
            _ => 0.56f,
        };
        if (_look.Style == SketchStyle.Minimal)
            baseHorizon += 0.06f;
        _horizon = _h * (baseHorizon + r.Jitter() * 0.035f);
        _groundY = _h * (0.85f + r.Jitter() * 0.025f);
        if (setting == SketchSetting.Studio)
            _groundY = _h * (0.8f + r.Jitter() * 0.02f);

        var time = _scene.TimeOfDay;
        _sunX = _w * r.Range(0.18f, 0.82f);
        _sunRadius = _u * (time switch
        {
            SketchTimeOfDay.Sunset => 0.085f,
            SketchTimeOfDay.Dawn => 0.075f,
            SketchTimeOfDay.Night => 0.05f,
            _ => 0.055f,
        }) * r.Range(0.85f, 1.15f);
        _sunY = time switch
        {
            SketchTimeOfDay.Sunset or SketchTimeOfDay.Dawn => _horizon - _u * r.Range(0.02f, 0.14f),
            SketchTimeOfDay.Night => _h * r.Range(0.1f, 0.24f),
            _ => _h * r.Range(0.1f, 0.22f),
        };
        if (_scene.Style is SketchStyle.Cyberpunk or SketchStyle.Neon && time == SketchTimeOfDay.Night)
        {
            // The synthwave sun: big, low and centred-ish.
            _sunRadius = _u * 0.16f;
            _sunY = _horizon - _sunRadius * 0.45f;
            _sunX = _w * r.Range(0.35f, 0.65f);
        }
        PlaceSubjects(ref r);
        if (_plan.Jitter)
            JitterLayout();
    }

    /// <summary>A subtle variation: the sun, the horizon and each figure move a little, never across the middle.</summary>
    private void JitterLayout()
    {
        var j = Random("jitter");
        var sunX = _sunX + j.Jitter() * _u * 0.03f;
        if (sunX < _w / 2f == _sunX < _w / 2f)
            _sunX = sunX;
        _sunY += j.Jitter() * _u * 0.015f;
        _horizon += j.Jitter() * _h * 0.006f;
        for (var i = 0; i < _placements.Count; i++)
            _placements[i] = _placements[i] with { X = _placements[i].X + j.Jitter() * _u * 0.012f };
    }

    private void PlaceSubjects(ref SketchRandom r)
    {
        var figures = new List<(SketchSubject Subject, SubjectArt.Footprint Foot, int Variant)>();
        foreach (var s in _scene.Subjects)
        {
            for (var i = 0; i < s.Count; i++)
                figures.Add((s, SubjectArt.Measure(s, i, _p, _look, SubjectStream(s, i)), i));
        }
        if (figures.Count == 0)
            return;

        var groundFigures = figures.Where(f => f.Foot.Anchor != Anchor.Sky).ToList();
        var skyFigures = figures.Where(f => f.Foot.Anchor == Anchor.Sky).ToList();
        var centre = _w * (0.5f + r.Jitter() * 0.14f);
        var jitter = r.Range(0.9f, 1.12f);
        var studio = _scene.Setting == SketchSetting.Studio;

        // Ground row: fit every figure's height target, then shrink all together if the row is too wide.
        if (groundFigures.Count > 0)
        {
            var scales = new float[groundFigures.Count];
            for (var i = 0; i < scales.Length; i++)
            {
                var f = groundFigures[i];
                var target = f.Foot.HeightFraction * (studio ? 1.25f : 1f) * (float)f.Subject.Scale * jitter * (i == 0 ? 1f : 0.92f);
                if (f.Variant > 0)
                    target *= r.Range(0.8f, 0.98f);
                // Never taller than the room above the ground line.
                scales[i] = MathF.Min(MathF.Min(_h * target, _groundY - _h * 0.06f) / f.Foot.Height, _w * 0.9f / f.Foot.Width);
            }
            var gap = _u * 0.03f;
            var total = groundFigures.Select((f, i) => f.Foot.Width * scales[i]).Sum() + gap * (groundFigures.Count - 1);
            var fit = MathF.Min(1, _w * 0.92f / total);
            for (var i = 0; i < scales.Length; i++)
                scales[i] *= fit;
            total = total * fit;
            var x = Math.Clamp(centre - total / 2, _w * 0.04f, MathF.Max(_w * 0.04f, _w * 0.96f - total));
            var facing = r.Chance(0.5f) ? 1f : -1f;
            for (var i = 0; i < groundFigures.Count; i++)
            {
                var (subject, foot, variant) = groundFigures[i];
                var width = foot.Width * scales[i];
                var y = foot.Anchor == Anchor.Water ? WaterLine() : _groundY + (i % 2) * _u * 0.012f;
                var face = variant == 0 ? facing : (r.Chance(0.5f) ? 1f : -1f);
                _placements.Add(new Placement(subject, x + width / 2 - foot.CentreX * scales[i] * face, y, scales[i], face, variant, foot.Anchor, foot));
                x += width + gap;
            }
        }
        foreach (var (subject, foot, variant) in skyFigures)
        {
            var target = foot.HeightFraction * (float)subject.Scale * jitter * (variant == 0 ? 1f : r.Range(0.6f, 0.85f));
            var scale = MathF.Min(_h * target / foot.Height, _w * 0.8f / foot.Width);
            var x = skyFigures.Count == 1 && groundFigures.Count == 0 ? centre : _w * r.Range(0.2f, 0.8f);
            var y = _h * (groundFigures.Count == 0 ? r.Range(0.45f, 0.6f) : r.Range(0.3f, 0.42f)) + foot.Height * scale / 2;
            var face = r.Chance(0.5f) ? 1f : -1f;
            _placements.Add(new Placement(subject, x - foot.CentreX * scale * face, y, scale, face, variant, Anchor.Sky, foot));
        }
        // Sky things behind, then the row from back to front so the main subject is never covered.
        _placements.Sort((a, b) => (a.Anchor == Anchor.Sky ? 0 : 1).CompareTo(b.Anchor == Anchor.Sky ? 0 : 1));
    }

    private float WaterLine() => _scene.Setting == SketchSetting.Sea
        ? _horizon + (_h - _horizon) * 0.5f
        : _h * 0.9f;

    /// <summary>Whether the foreground needs water (a boat or a swan outside a sea scene).</summary>
    private bool NeedsLake => _scene.Setting != SketchSetting.Sea
        && (_scene.Has("water") || _placements.Any(p => p.Anchor == Anchor.Water));

    private void PaintSubjects()
    {
        var ink = new Ink(_fg, _p, _look, _u);
        foreach (var placement in _placements)
        {
            var r = SubjectStream(placement.Subject, placement.Variant);
            SubjectArt.Draw(ink, placement, ref r);
        }
    }

    private SketchRandom SubjectStream(SketchSubject subject, int variant) =>
        Random("subject:" + subject.Noun + variant.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void PaintShadows()
    {
        if (_scene.IsRemoved("shadow"))
            return;
        var soft = new Brush(_back, new BrushStyle { Softness = MathF.Max(2, _u * 0.03f) });
        var shadow = _scene.Setting == SketchSetting.Studio ? _p.BackdropEdge.Darken(0.45f) : _p.Lit(_p.Grass, 0).Darken(0.5f);
        foreach (var pl in _placements)
        {
            if (pl.Anchor != Anchor.Ground)
                continue;
            var foot = pl.Foot;
            var halfWidth = foot.Width * pl.Scale * 0.46f;
            var cx = pl.X + foot.CentreX * pl.Scale * pl.Facing;
            var offset = (_sunX < _w / 2 ? 1 : -1) * halfWidth * 0.12f;
            soft.Fill(new Ellipse(cx + offset, pl.Y, halfWidth, MathF.Max(2, halfWidth * 0.09f)), shadow, _look.FlatFill ? 0.25f : 0.38f);
        }
    }

    /// <summary>Photographic depth of field: everything behind the subject goes soft.</summary>
    private void BlurBackground(float radius)
    {
        var small = Blur.Downsampled(_back.Px, _w, _h, 4, radius, out var sw, out var sh);
        // Keep the foreground ground sharp-ish: blend toward the sharp image near the bottom of the frame.
        var px = _back.Px;
        var (w, h, sharpFrom) = (_w, _h, _groundY - _u * 0.05f);
        Rows.For(0, h, w, (y0, y1) =>
        {
            var row = new float[w * 4];
            for (var y = y0; y < y1; y++)
            {
                Blur.UpsampleRow(small, sw, sh, 4, y, row);
                var keep = Mathx.Smooth(sharpFrom, h, y) * 0.8f;
                var i = y * w * 4;
                for (var x = 0; x < row.Length; x++, i++)
                    px[i] = row[x] + (px[i] - row[x]) * keep;
            }
        });
    }

    /// <summary>The pixel box the subjects cover, grown by a margin and clipped to the frame; null when empty.</summary>
    private (int X0, int Y0, int X1, int Y1)? MaskBounds(int margin)
    {
        var (x0, y0, x1, y1) = _covered;
        if (x1 <= x0 || y1 <= y0)
            return null;
        return (Math.Max(0, x0 - margin), Math.Max(0, y0 - margin), Math.Min(_w, x1 + margin), Math.Min(_h, y1 + margin));
    }

    private void AddSubjectGlow(float[] mask)
    {
        var radius = _u * 0.02f;
        if (MaskBounds((int)(radius * 3.5f) + 2) is not var (x0, y0, x1, y1))
            return;
        var bw = x1 - x0;
        var bh = y1 - y0;
        var glow = new float[bw * bh];
        for (var y = 0; y < bh; y++)
            mask.AsSpan((y + y0) * _w + x0, bw).CopyTo(glow.AsSpan(y * bw, bw));
        Blur.Gaussian(glow, bw, bh, 1, radius);
        var strength = _look.NeonTubes ? 1.1f : 0.7f;
        var target = _transparent ? _front : _back;
        var px = target.Px;
        var color = _p.NeonA;
        // Light only outside the subject: the glow is on the scenery behind it.
        for (var y = 0; y < bh; y++)
        {
            for (var x = 0; x < bw; x++)
            {
                var m = mask[(y + y0) * _w + x + x0];
                var g = MathF.Max(0, glow[y * bw + x] - m) * 1.6f * strength;
                if (g <= 0.0005f)
                    continue;
                var j = ((y + y0) * _w + x + x0) * 4;
                px[j] += color.R * g;
                px[j + 1] += color.G * g;
                px[j + 2] += color.B * g;
                px[j + 3] = MathF.Min(1, px[j + 3] + g * (1 - px[j + 3]));
            }
        }
    }

    /// <summary>
    /// Light catching the subject's edge on the side facing the sun/moon/neon: the inside of the
    /// silhouette minus itself shifted toward the light. Only the subject's box is processed.
    /// </summary>
    private void AddRimLight(float[] mask)
    {
        var strength = _p.RimStrength;
        if (_look.NeonTubes)
            strength = 1.4f;
        if (strength <= 0 || _placements.Count == 0)
            return;
        var shift = Math.Max(1, (int)(_u * (_look.NeonTubes ? 0.006f : 0.005f)));
        var blur = MathF.Max(0.7f, _u * 0.0015f);
        if (MaskBounds(shift + (int)(blur * 4) + 2) is not var (x0, y0, x1, y1))
            return;
        var dx = _sunX < _w / 2f ? -shift : shift;
        var dy = -shift / 2;
        var bw = x1 - x0;
        var bh = y1 - y0;
        var rim = new float[bw * bh];
        for (var y = y0; y < y1; y++)
        {
            var sy = Math.Clamp(y + dy, 0, _h - 1);
            for (var x = x0; x < x1; x++)
            {
                var a = mask[y * _w + x];
                if (a <= 0)
                    continue;
                var sx = Math.Clamp(x + dx, 0, _w - 1);
                rim[(y - y0) * bw + x - x0] = _look.NeonTubes
                    ? a * (1 - MathF.Min(MinAround(mask, x, y, shift), 1))
                    : a * (1 - mask[sy * _w + sx]);
            }
        }
        Blur.Gaussian(rim, bw, bh, 1, blur);
        var color = _look.NeonTubes ? _p.NeonB : _p.Rim;
        var px = _front.Px;
        for (var y = 0; y < bh; y++)
        {
            for (var x = 0; x < bw; x++)
            {
                var i = (y + y0) * _w + x + x0;
                var g = rim[y * bw + x] * strength * mask[i];
                if (g <= 0.001f)
                    continue;
                var j = i * 4;
                px[j] += color.R * g;
                px[j + 1] += color.G * g;
                px[j + 2] += color.B * g;
            }
        }
    }

    /// <summary>Watercolour: pigment pools along the outside edge of the whole subject.</summary>
    private void DarkenSilhouetteEdge(float[] mask)
    {
        var radius = MathF.Max(1, _u * 0.004f);
        if (MaskBounds((int)(radius * 4) + 2) is not var (x0, y0, x1, y1))
            return;
        var bw = x1 - x0;
        var bh = y1 - y0;
        var soft = new float[bw * bh];
        for (var y = 0; y < bh; y++)
            mask.AsSpan((y + y0) * _w + x0, bw).CopyTo(soft.AsSpan(y * bw, bw));
        Blur.Gaussian(soft, bw, bh, 1, radius);
        var px = _front.Px;
        for (var y = 0; y < bh; y++)
        {
            for (var x = 0; x < bw; x++)
            {
                var i = (y + y0) * _w + x + x0;
                var edge = mask[i] * MathF.Max(0, 1 - soft[y * bw + x]) * 2;
                if (edge <= 0.002f)
                    continue;
                var k = 1 - 0.35f * Mathx.Clamp01(edge);
                var j = i * 4;
                px[j] *= k;
                px[j + 1] *= k;
                px[j + 2] *= k;
            }
        }
    }

    private float MinAround(float[] mask, int x, int y, int r)
    {
        var m = 1f;
        m = MathF.Min(m, mask[y * _w + Math.Max(x - r, 0)]);
        m = MathF.Min(m, mask[y * _w + Math.Min(x + r, _w - 1)]);
        m = MathF.Min(m, mask[Math.Max(y - r, 0) * _w + x]);
        m = MathF.Min(m, mask[Math.Min(y + r, _h - 1) * _w + x]);
        return m;
    }
}
