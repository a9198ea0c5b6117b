namespace Easel.Imaging.Sketch;

/// <summary>Per-column light and shadow for land masses: the sunny and shaded sides of hills, dunes and peaks.</summary>
internal readonly struct LandPaint(float[] shade, float[] tops, Rgb lit, Rgb shadow, float fadeDepth, Rgb bottom, float bottomY) : IPaint
{
    public Rgb At(float x, float y)
    {
        var ix = Math.Clamp((int)x, 0, shade.Length - 1);
        var s = shade[ix];
        if (fadeDepth > 0)
            s *= 1 - Mathx.Smooth(0, fadeDepth, y - tops[ix]);
        var c = lit.Lerp(shadow, s);
        return c.Lerp(bottom, Mathx.Smooth(tops[ix], bottomY, y) * 0.5f);
    }
}

/// <summary>Mountain faces: the side of each peak away from the light is in shadow, split by a line down from the summit.</summary>
internal readonly struct PeakPaint(float[] peakX, float[] peakY, float direction, Rgb lit, Rgb shadow, Rgb bottom, float bottomY, float lean = 0.32f) : IPaint
{
    public Rgb At(float x, float y)
    {
        var ix = Math.Clamp((int)x, 0, peakX.Length - 1);
        var side = ((x - peakX[ix]) * direction - (y - peakY[ix]) * lean) * 0.8f;
        var c = lit.Lerp(shadow, Mathx.Clamp01(side + 0.5f));
        return c.Lerp(bottom, Mathx.Smooth(peakY[ix], bottomY, y) * 0.45f);
    }
}

internal sealed partial class SceneRenderer
{
    /// <summary>+1 when light comes from the left (shadows fall right), -1 otherwise.</summary>
    private float LightDirection => _sunX < _w / 2f ? 1f : -1f;

    private bool TreesAllowed => !_scene.IsRemoved("trees");

    private void PaintLand()
    {
        switch (_scene.Setting)
        {
            case SketchSetting.Forest:
                PaintForest();
                break;
            case SketchSetting.Sea:
                PaintSea();
                break;
            case SketchSetting.Desert:
                PaintDesert();
                break;
            case SketchSetting.Mountains:
                PaintMountains();
                break;
            case SketchSetting.City:
                PaintCity();
                break;
            case SketchSetting.Snow:
                PaintSnowField();
                break;
            case SketchSetting.Studio:
                return;
            default:
                PaintMeadow();
                break;
        }
        if (NeedsLake)
            PaintLake(WaterLine() - _u * 0.07f);
    }

    // ---- Building blocks ----

    /// <summary>A rolling surface line: three sine waves with seeded phases, sized to the short side so wide frames get more hills.</summary>
    private float[] Ridge(float baseY, float amplitude, ref SketchRandom r, float frequency = 1f)
    {
        var tops = new float[_w];
        var f1 = r.Range(0.45f, 0.85f) * frequency * MathF.Tau / _u;
        var f2 = r.Range(1.3f, 2.1f) * frequency * MathF.Tau / _u;
        var f3 = r.Range(2.8f, 4.2f) * frequency * MathF.Tau / _u;
        var p1 = r.Range(0, MathF.Tau) + Nudge(0.15f);
        var p2 = r.Range(0, MathF.Tau) + Nudge(0.25f);
        var p3 = r.Range(0, MathF.Tau) + Nudge(0.4f);
        for (var x = 0; x < _w; x++)
        {
            var v = MathF.Sin(x * f1 + p1) + 0.4f * MathF.Sin(x * f2 + p2) + 0.15f * MathF.Sin(x * f3 + p3);
            tops[x] = baseY - amplitude * v / 1.55f;
        }
        return tops;
    }

    private float[] SlopeShade(float[] tops, float sharpness)
    {
        var shade = new float[_w];
        var dir = LightDirection;
        for (var x = 0; x < _w; x++)
        {
            var slope = (tops[Math.Min(x + 2, _w - 1)] - tops[Math.Max(x - 2, 0)]) * 0.25f;
            shade[x] = Mathx.Smooth(-sharpness, sharpness, slope * dir);
        }
        return shade;
    }

    /// <summary>A land layer at a depth (0 front .. 1 horizon): hazier and lighter with distance, shaded by slope.</summary>
    /// <param name="coveredBelow">Where a nearer layer will cover this one: rows below it are not painted.</param>
    private void Land(float[] tops, Rgb color, float depth, float shadeAmount = 0.1f, float coveredBelow = float.MaxValue)
    {
        var lit = _p.Lit(color, depth);
        if (_look.FlatFill && _look.Style != SketchStyle.PixelArt)
        {
            _bg.FillBelow(tops, null, Paint.Solid(lit), 1f, coveredBelow);
            return;
        }
        var shadow = _p.Lit(color.Shade(-shadeAmount), depth);
        var bottom = _p.Lit(color.Shade(-0.06f), depth * 0.7f);
        var paint = new LandPaint(SlopeShade(tops, 0.25f), tops, lit, shadow, _u * 0.12f, bottom, _h);
        _bg.FillBelow(tops, null, paint, 1f, coveredBelow);
    }

    private void PineTree(float x, float baseY, float height, Rgb color, float depth, bool snow)
    {
        var lit = _p.Lit(color, depth);
        var shade = _p.Lit(color.Shade(-0.07f), depth);
        var trunk = _p.Lit(_p.Trunk, depth);
        _bg.Fill(new Box(x, baseY - height * 0.06f, MathF.Max(0.6f, height * 0.035f), height * 0.08f), trunk);
        var dir = LightDirection;
        for (var k = 0; k < 3; k++)
        {
            var bottom = baseY - height * (0.1f + 0.25f * k);
            var top = k == 2 ? baseY - height : baseY - height * (0.52f + 0.22f * k);
            var half = height * (0.3f - 0.07f * k);
            _bg.Fill(new Polygon([x - half, bottom, x + half, bottom, x, top]), lit);
            if (!_look.FlatFill || _look.Style == SketchStyle.Flat)
                _bg.Fill(new Polygon([x, top, x, bottom, x + dir * half, bottom]), shade);
            if (snow)
            {
                var sy = top + (bottom - top) * 0.42f;
                var sh = half * 0.42f;
                _bg.Fill(new Polygon([x - sh, sy, x - sh * 0.4f, sy - (bottom - top) * 0.06f, x, sy + (bottom - top) * 0.04f,
                    x + sh * 0.5f, sy - (bottom - top) * 0.05f, x + sh, sy, x, top]), _p.Lit(_p.Snow, depth));
            }
        }
    }

    private void RoundTree(float x, float baseY, float height, Rgb color, float depth, ref SketchRandom r)
    {
        var lit = _p.Lit(color, depth);
        var trunk = _p.Lit(_p.Trunk, depth);
        _bg.Fill(new Capsule(x, baseY, x, baseY - height * 0.5f, height * 0.045f, height * 0.03f), trunk);
        var cy = baseY - height * 0.66f;
        var radius = height * 0.3f;
        _bg.Fill(new Circle(x, cy, radius), lit);
        _bg.Fill(new Circle(x - radius * 0.62f, cy + radius * 0.35f, radius * 0.7f), lit);
        _bg.Fill(new Circle(x + radius * 0.62f, cy + radius * 0.3f, radius * 0.74f), lit);
        if (!_look.FlatFill || _look.Style == SketchStyle.Flat)
        {
            var dir = LightDirection;
            var canopy = new Circle(x, cy, radius);
            _bg.Fill(new Clip<Circle, Circle>(new Circle(x - dir * radius * 0.35f, cy - radius * 0.4f, radius * 0.75f), canopy), _p.Lit(color.Shade(0.07f), depth));
        }
        if (_scene.Snowy)
            _bg.Fill(new Clip<Circle, Circle>(new Circle(x, cy - radius * 0.9f, radius * 0.75f), new Circle(x, cy, radius)), _p.Lit(_p.Snow, depth));
    }

    /// <summary>Trees standing along a surface line, avoiding the middle of the frame when asked (room for the subject).</summary>
    private void TreeRow(float[] tops, float density, float minHeight, float maxHeight, float depth, bool pines, ref SketchRandom r, float avoidCentre = 0)
    {
        if (!TreesAllowed)
            return;
        var count = (int)(density * _w / _u * MathF.Max(_look.Detail, 0.25f));
        var autumn = _scene.Has("autumn");
        for (var i = 0; i < count; i++)
        {
            var x = r.NextFloat() * _w;
            if (avoidCentre > 0 && MathF.Abs(x - _w / 2f) < avoidCentre * _w && r.Chance(0.8f))
                continue;
            x += Nudge(_u * 0.012f);
            var baseY = tops[Math.Clamp((int)x, 0, _w - 1)] + (maxHeight * 0.05f);
            var height = r.Range(minHeight, maxHeight) * (1 + Nudge(0.06f));
            if (pines)
            {
                PineTree(x, baseY, height, _p.Pine.Shade(r.Jitter() * 0.04f), depth, _scene.Snowy);
            }
            else
            {
                var color = autumn ? _p.Autumn[r.Next(_p.Autumn.Length)] : _p.Foliage.Shade(r.Jitter() * 0.05f);
                RoundTree(x, baseY, height, color, depth, ref r);
            }
        }
    }

    /// <summary>
    /// A dense row of distant pines as one silhouette: each column's top is the highest pine profile
    /// over it (three stacked tiers), shaded on the side away from the light like the mountains.
    /// One fill instead of hundreds of small ones.
    /// </summary>
    private void TreeLine(float[] ground, float density, float minHeight, float maxHeight, float depth, ref SketchRandom r, float coveredBelow)
    {
        if (!TreesAllowed)
        {
            Land(ground, _p.Pine.Shade(0.06f), depth, coveredBelow: coveredBelow);
            return;
        }
        var tops = (float[])ground.Clone();
        var peakX = new float[_w];
        var peakY = new float[_w];
        for (var x = 0; x < _w; x++)
        {
            peakX[x] = x;
            peakY[x] = ground[x];
        }
        var snowCap = new float[_w];
        var count = (int)(density * _w / _u * MathF.Max(_look.Detail, 0.25f));
        for (var t = 0; t < count; t++)
        {
            var cx = r.NextFloat() * _w;
            var h = r.Range(minHeight, maxHeight);
            var baseY = ground[Math.Clamp((int)cx, 0, _w - 1)] + maxHeight * 0.05f;
            var half = h * 0.3f;
            for (var x = Math.Max(0, (int)(cx - half)); x < Math.Min(_w, (int)(cx + half) + 1); x++)
            {
                var dx = MathF.Abs(x + 0.5f - cx);
                var top = float.MaxValue;
                for (var k = 0; k < 3; k++)
                {
                    var tierHalf = h * (0.3f - 0.07f * k);
                    if (dx > tierHalf)
                        continue;
                    var bottom = baseY - h * (0.1f + 0.25f * k);
                    var apex = k == 2 ? baseY - h : baseY - h * (0.52f + 0.22f * k);
                    top = MathF.Min(top, bottom - (bottom - apex) * (1 - dx / tierHalf));
                }
                if (top < tops[x])
                {
                    tops[x] = top;
                    peakX[x] = cx;
                    peakY[x] = baseY - h;
                    snowCap[x] = baseY - h * 0.7f;
                }
            }
        }
        var lit = _p.Lit(_p.Pine, depth);
        var shade = _p.Lit(_p.Pine.Shade(-0.07f), depth);
        var flat = _look.FlatFill && _look.Style != SketchStyle.Flat;
        _bg.FillBelow(tops, null, new PeakPaint(peakX, peakY, LightDirection, lit, flat ? lit : shade, lit, _h, 0), 1f, coveredBelow);
        if (_scene.Snowy)
            _bg.FillBelow(tops, snowCap, Paint.Solid(_p.Lit(_p.Snow, depth)));
    }

    // ---- Settings ----

    private void PaintMeadow()
    {
        var r = Random("land");
        var land = (_h - _horizon);
        var far = Ridge(_horizon - _u * 0.01f, _u * 0.05f, ref r, 0.9f);
        Land(far, _p.Grass.Shade(0.04f), 0.85f, coveredBelow: _horizon + land * 0.18f + _u * 0.055f);
        var mid = Ridge(_horizon + land * 0.18f, _u * 0.055f, ref r, 0.75f);
        Land(mid, _p.Grass, 0.5f, coveredBelow: _horizon + land * 0.5f + _u * 0.03f);
        TreeRow(mid, r.Range(2f, 5f), _u * 0.06f, _u * 0.11f, 0.5f, r.Chance(0.25f), ref r);
        var near = Ridge(_horizon + land * 0.5f, _u * 0.03f, ref r, 0.6f);
        Land(near, _p.Grass.Shade(-0.02f), 0.1f, 0.06f);
        if (!_scene.IsRemoved("flowers") && (_scene.Has("flowers") || _scene.Has("spring") || (r.Chance(0.45f) && !_scene.Snowy)))
            Flowers(near, ref r, landEnds: true);
    }

    private void PaintForest()
    {
        var r = Random("land");
        var land = _h - _horizon;
        var deciduous = _scene.Has("autumn") || _scene.Has("spring");
        var far = Ridge(_horizon - _u * 0.02f, _u * 0.05f, ref r, 0.9f);
        Land(far, _p.Pine.Shade(0.12f), 0.92f, coveredBelow: _horizon + _u * 0.04f);
        var row1 = Ridge(_horizon + _u * 0.01f, _u * 0.03f, ref r, 0.8f);
        TreeLine(row1, 34, _u * 0.06f, _u * 0.11f, 0.76f, ref r, _horizon + land * 0.2f + _u * 0.035f);
        var row2 = Ridge(_horizon + land * 0.2f, _u * 0.035f, ref r, 0.7f);
        TreeRow(row2, 16, _u * 0.12f, _u * 0.2f, 0.48f, !deciduous, ref r);
        Land(row2, _p.Grass.Lerp(_p.Pine, 0.3f), 0.45f, coveredBelow: _horizon + land * 0.5f + _u * 0.025f);
        TreeRow(row2, 5, _u * 0.16f, _u * 0.24f, 0.38f, !deciduous, ref r, 0.2f);
        var near = Ridge(_horizon + land * 0.5f, _u * 0.025f, ref r, 0.6f);
        Land(near, _p.Grass.Lerp(_p.Pine, 0.25f), 0.08f, 0.06f);
        if (_scene.Has("flowers") || _scene.Has("spring"))
            Flowers(near, ref r);
        // Two big trees framing the picture at the sides.
        if (TreesAllowed && _look.Detail >= 0.5f)
        {
            // Relative to the short side too, so a tall narrow frame is not filled by two trees.
            var h = MathF.Min(_h * r.Range(0.55f, 0.8f), _u * r.Range(0.9f, 1.1f));
            var dark = _p.Pine.Shade(-0.06f);
            if (deciduous)
            {
                RoundTree(_w * r.Range(0.0f, 0.06f), _h * 1.01f, h, _p.Autumn[0], 0.02f, ref r);
                RoundTree(_w * r.Range(0.94f, 1f), _h * 1.01f, h * r.Range(0.8f, 1f), _p.Autumn[1], 0.02f, ref r);
            }
            else
            {
                PineTree(_w * r.Range(0.0f, 0.06f), _h * 1.01f, h, dark, 0.02f, _scene.Snowy);
                PineTree(_w * r.Range(0.94f, 1f), _h * 1.01f, h * r.Range(0.8f, 1f), dark, 0.02f, _scene.Snowy);
            }
        }
    }

    private void PaintSea()
    {
        var r = Random("land");
        var hy = _horizon;
        var waterSubject = _placements.Any(p => p.Anchor == Anchor.Water);
        var groundSubject = _placements.Any(p => p.Anchor == Anchor.Ground);
        if (r.Chance(0.5f) && _look.Detail >= 0.5f)
        {
            var ix = _w * r.Range(0.1f, 0.9f);
            var island = new Clip<Ellipse, Box>(new Ellipse(ix, hy, _u * r.Range(0.12f, 0.3f), _u * r.Range(0.025f, 0.05f)), Box.FromEdges(-1, -1, _w + 1, hy));
            _bg.Fill(island, _p.Lit(_p.Grass.Lerp(_p.Rock, 0.4f), 0.9f));
        }
        var top = _p.Lit(_p.Water, 0.6f).Lerp(_p.SkyHorizon, 0.45f);
        var bottom = _p.Lit(_p.WaterDeep, 0.05f);
        _bg.FillRows((int)hy, _h, y => top.Lerp(bottom, MathF.Pow(Mathx.Clamp01((y - hy) / (_h - hy)), 0.7f)));
        _bg.Fill(Box.FromEdges(-1, hy - 0.5f, _w + 1, hy + MathF.Max(1, _u * 0.002f)), top.Lerp(_p.SkyHorizon, 0.5f), 0.8f);

        var shore = !groundSubject && waterSubject ? _h * 1.2f : _h * r.Range(0.74f, 0.8f);
        if (!_scene.IsRemoved("sun") && !_scene.IsRemoved("moon"))
            SunPath(hy, MathF.Min(shore, _h), ref r);
        Waves(hy, MathF.Min(shore, _h), ref r);

        if (shore < _h)
        {
            var tops = Ridge(shore, _u * 0.025f, ref r, 0.6f);
            var tilt = r.Jitter() * _u * 0.08f;
            for (var x = 0; x < _w; x++)
                tops[x] += tilt * (x / (float)_w - 0.5f);
            var foamTop = tops.Select(t => t - _u * 0.007f).ToArray();
            var foamBottom = tops.Select(t => t + _u * 0.003f).ToArray();
            _bg.FillBelow(foamTop, foamBottom, Paint.Solid(_p.Lit(Rgb.White, 0.1f)), 0.85f);
            var wet = tops.Select(t => t + _u * 0.003f).ToArray();
            _bg.FillBelow(wet, Paint.Solid(_p.Lit(_p.Sand.Shade(-0.1f), 0.1f)));
            var dry = tops.Select(t => t + _u * 0.016f).ToArray();
            Land(dry, _p.Sand, 0.05f, 0.04f);
            if (TreesAllowed && r.Chance(0.45f) && _look.Detail >= 0.8f)
            {
                var side = r.Chance(0.5f) ? _w * r.Range(0.03f, 0.12f) : _w * r.Range(0.88f, 0.97f);
                PalmTree(side, _h * 0.98f, _h * r.Range(0.45f, 0.6f), ref r);
            }
        }
    }

    private void SunPath(float y0, float y1, ref SketchRandom r)
    {
        var night = _scene.TimeOfDay == SketchTimeOfDay.Night;
        var color = night ? _p.Moon : _p.SunGlow.Lerp(_p.Sun, 0.4f);
        var width = _sunRadius * (night ? 1.1f : 1.4f);
        // Broken glints, scattered more and spreading wider toward the viewer.
        var steps = (int)(22 * _look.Detail) + 4;
        for (var i = 0; i < steps; i++)
        {
            var t = r.NextFloat();
            var y = y0 + (y1 - y0) * t * t + _u * 0.006f;
            var w = width * (0.25f + 0.75f * r.NextFloat()) * (0.7f + t * 0.6f) * 0.5f;
            var x = _sunX + r.Jitter() * width * (0.3f + t);
            var thick = MathF.Max(0.7f, _u * 0.0025f * (1 + t * 1.5f));
            _bg.Fill(new Capsule(x - w, y, x + w, y, thick, thick), color, (night ? 0.5f : 0.55f) * (1 - t * 0.75f));
        }
    }

    private void Waves(float y0, float y1, ref SketchRandom r)
    {
        var count = (int)(26 * _w / _u * _look.Detail);
        var light = _p.Lit(_p.Water.Lighten(0.45f), 0.3f);
        for (var i = 0; i < count; i++)
        {
            var t = r.NextFloat();
            var y = y0 + (y1 - y0) * (0.04f + t * 0.9f);
            var x = r.NextFloat() * _w;
            var len = _u * (0.01f + t * 0.05f) * r.Range(0.6f, 1.2f);
            var thick = MathF.Max(0.6f, _u * (0.001f + t * 0.0025f));
            _bg.Fill(new Capsule(x - len, y, x + len, y, thick, thick), light, 0.35f + t * 0.2f);
        }
    }

    private void PalmTree(float x, float baseY, float height, ref SketchRandom r)
    {
        var lean = LightDirection * -1 * height * 0.18f * r.Range(0.5f, 1f);
        var trunk = _p.Lit(Rgb.Hex(0x9A6E45), 0.02f);
        var topX = x + lean;
        var topY = baseY - height;
        var segments = 6;
        for (var i = 0; i < segments; i++)
        {
            var t0 = i / (float)segments;
            var t1 = (i + 1) / (float)segments;
            var ax = x + lean * t0 * t0;
            var bx = x + lean * t1 * t1;
            _bg.Fill(new Capsule(ax, baseY - height * t0, bx, baseY - height * t1, height * (0.035f - 0.012f * t0), height * (0.035f - 0.012f * t1)), i % 2 == 0 ? trunk : trunk.Shade(-0.05f));
        }
        var leaf = _p.Lit(Rgb.Hex(0x3E9A4A), 0.02f);
        for (var i = 0; i < 7; i++)
        {
            var a = -MathF.PI * (0.05f + i * 0.15f);
            var len = height * r.Range(0.32f, 0.42f);
            var ex = topX + MathF.Cos(a) * len;
            var ey = topY - MathF.Sin(a) * len * 0.45f + len * 0.25f;
            var mx = topX + MathF.Cos(a) * len * 0.5f;
            var my = topY - MathF.Sin(a) * len * 0.5f - len * 0.05f;
            _bg.Fill(new Capsule(topX, topY, mx, my, height * 0.012f, height * 0.04f), i % 2 == 0 ? leaf : leaf.Shade(-0.06f));
            _bg.Fill(new Capsule(mx, my, ex, ey, height * 0.04f, height * 0.008f), i % 2 == 0 ? leaf : leaf.Shade(-0.06f));
        }
        _bg.Fill(new Circle(topX - height * 0.02f, topY + height * 0.03f, height * 0.025f), _p.Lit(Rgb.Hex(0x6B4A2A), 0.02f));
        _bg.Fill(new Circle(topX + height * 0.025f, topY + height * 0.035f, height * 0.025f), _p.Lit(Rgb.Hex(0x5A3D22), 0.02f));
    }

    private void PaintDesert()
    {
        var r = Random("land");
        var land = _h - _horizon;
        var mesa = _p.Dune.Lerp(Rgb.Hex(0xA0452E), 0.6f).Shade(-0.04f);
        var mesas = 1 + r.Next(3);
        for (var i = 0; i < mesas && _look.Detail >= 0.5f; i++)
        {
            var cx = _w * r.Range(0.05f, 0.95f);
            var halfTop = _u * r.Range(0.03f, 0.08f);
            var height = _u * r.Range(0.09f, 0.17f);
            var flare = height * 0.22f;
            var baseY = _horizon + _u * 0.01f;
            _bg.Fill(new Polygon([cx - halfTop - flare, baseY, cx - halfTop, baseY - height, cx + halfTop, baseY - height, cx + halfTop + flare, baseY]),
                _p.Lit(mesa, 0.65f));
            _bg.Fill(new Polygon([cx + LightDirection * halfTop * 0.35f, baseY - height, cx + LightDirection * halfTop, baseY - height,
                cx + LightDirection * (halfTop + flare), baseY, cx + LightDirection * halfTop * 0.2f, baseY]), _p.Lit(mesa.Shade(-0.1f), 0.65f));
        }
        var far = Ridge(_horizon, _u * 0.035f, ref r, 0.8f);
        Land(far, _p.Dune.Shade(0.05f), 0.7f, 0.12f, _horizon + land * 0.22f + _u * 0.06f);
        var mid = Ridge(_horizon + land * 0.22f, _u * 0.06f, ref r, 0.6f);
        Land(mid, _p.Dune, 0.4f, 0.14f, _horizon + land * 0.52f + _u * 0.045f);
        Cacti(mid, 2, 0.4f, _u * 0.06f, _u * 0.1f, ref r);
        var near = Ridge(_horizon + land * 0.52f, _u * 0.045f, ref r, 0.5f);
        Land(near, _p.Dune.Shade(-0.02f), 0.05f, 0.12f);
        Cacti(near, 1.2f, 0.05f, _u * 0.14f, _u * 0.22f, ref r, 0.22f);
    }

    private void Cacti(float[] tops, float density, float depth, float minH, float maxH, ref SketchRandom r, float avoidCentre = 0)
    {
        if (!TreesAllowed)
            return;
        var count = (int)MathF.Round(density * _w / _u * r.Range(0.5f, 1.2f) * _look.Detail);
        var green = _p.Lit(Rgb.Hex(0x4E9A5A), depth);
        var dark = _p.Lit(Rgb.Hex(0x3C7F48), depth);
        for (var i = 0; i < count; i++)
        {
            var x = r.NextFloat() * _w;
            if (avoidCentre > 0 && MathF.Abs(x - _w / 2f) < avoidCentre * _w)
                continue;
            var baseY = tops[Math.Clamp((int)x, 0, _w - 1)] + maxH * 0.05f;
            var h = r.Range(minH, maxH);
            var w = h * 0.09f;
            _bg.Fill(new Capsule(x, baseY, x, baseY - h, w, w), green);
            var armY = baseY - h * r.Range(0.45f, 0.6f);
            _bg.Fill(new Capsule(x, armY, x - h * 0.2f, armY, w * 0.75f, w * 0.75f), green);
            _bg.Fill(new Capsule(x - h * 0.2f, armY, x - h * 0.2f, armY - h * 0.25f, w * 0.75f, w * 0.75f), green);
            var arm2 = baseY - h * r.Range(0.55f, 0.72f);
            _bg.Fill(new Capsule(x, arm2, x + h * 0.18f, arm2, w * 0.7f, w * 0.7f), dark);
            _bg.Fill(new Capsule(x + h * 0.18f, arm2, x + h * 0.18f, arm2 - h * 0.2f, w * 0.7f, w * 0.7f), dark);
            _bg.Fill(new Capsule(x + LightDirection * w * 0.4f, baseY, x + LightDirection * w * 0.4f, baseY - h, w * 0.35f, w * 0.35f), dark, 0.7f);
        }
    }

    private (float[] Tops, float[] PeakX, float[] PeakY) Peaks(float baseY, float minHeight, float maxHeight, float perUnit, ref SketchRandom r)
    {
        var n = Math.Max(2, (int)MathF.Round(perUnit * _w / _u));
        var px = new float[n];
        var ph = new float[n];
        var slope = new float[n];
        for (var i = 0; i < n; i++)
        {
            px[i] = (i + r.Range(0.1f, 0.9f)) * _w / n;
            ph[i] = r.Range(minHeight, maxHeight);
            slope[i] = r.Range(0.6f, 1.15f);
        }
        var rough = new ValueNoise(_w, 1, _u * 0.02f, ref r);
        var rough2 = new ValueNoise(_w, 1, _u * 0.006f, ref r);
        var tops = new float[_w];
        var peakX = new float[_w];
        var peakY = new float[_w];
        for (var x = 0; x < _w; x++)
        {
            var best = float.MinValue;
            var owner = 0;
            for (var i = 0; i < n; i++)
            {
                var v = ph[i] - MathF.Abs(x - px[i]) * slope[i];
                if (v > best)
                {
                    best = v;
                    owner = i;
                }
            }
            var height = MathF.Max(best, _u * 0.01f);
            var jag = (rough.Signed(x, 0) * 0.7f + rough2.Signed(x, 0) * 0.3f) * _u * 0.012f * Mathx.Clamp01(height / (_u * 0.05f));
            tops[x] = baseY - height + jag;
            peakX[x] = px[owner];
            peakY[x] = baseY - ph[owner];
        }
        return (tops, peakX, peakY);
    }

    private void Range(float baseY, float minH, float maxH, float perUnit, Rgb rock, float depth, bool snowCaps, ref SketchRandom r, float coveredBelow)
    {
        var (tops, peakX, peakY) = Peaks(baseY, minH, maxH, perUnit, ref r);
        var dir = LightDirection;
        var lit = _p.Lit(rock.Shade(0.04f), depth);
        var shadow = _p.Lit(rock.Shade(-0.1f), depth);
        var bottom = _p.Lit(rock.Shade(-0.02f), depth + 0.1f);
        if (_look.FlatFill && _look.Style is SketchStyle.Minimal)
            _bg.FillBelow(tops, null, Paint.Solid(lit), 1f, coveredBelow);
        else
            _bg.FillBelow(tops, null, new PeakPaint(peakX, peakY, dir, lit, shadow, bottom, baseY), 1f, coveredBelow);
        if (!snowCaps)
            return;
        var noise = new ValueNoise(_w, 1, _u * 0.015f, ref r);
        var bottoms = new float[_w];
        var capDepth = (maxH - minH) * 0.35f + _u * 0.02f;
        for (var x = 0; x < _w; x++)
        {
            var peakHeight = baseY - peakY[x];
            var cap = peakHeight > minH * 0.8f + (maxH - minH) * 0.3f || _scene.Snowy ? capDepth * (0.7f + 0.6f * noise.Sample(x, 0)) : 0;
            bottoms[x] = peakY[x] + cap;
        }
        var snowLit = _p.Lit(_p.Snow, depth);
        var snowShade = _p.Lit(_p.SnowShade, depth);
        _bg.FillBelow(tops, bottoms, new PeakPaint(peakX, peakY, dir, snowLit, snowShade, snowLit, baseY));
    }

    private void PaintMountains()
    {
        var r = Random("land");
        var land = _h - _horizon;
        Range(_horizon + _u * 0.02f, _u * 0.16f, _u * 0.34f, 1.5f, _p.Rock, 0.78f, true, ref r, _horizon + _u * 0.035f);
        Range(_horizon + _u * 0.04f, _u * 0.08f, _u * 0.2f, 2.3f, _p.Rock.Shade(-0.06f), 0.5f, true, ref r, _horizon + land * 0.2f + _u * 0.03f);
        var lake = !_scene.IsRemoved("water") && (_scene.Has("water") || r.Chance(0.35f)) && _look.Detail >= 0.5f;
        var foot = Ridge(_horizon + land * 0.2f, _u * 0.03f, ref r, 0.8f);
        TreeRow(foot, 10, _u * 0.05f, _u * 0.09f, 0.35f, true, ref r);
        Land(foot, _p.Grass.Lerp(_p.Pine, 0.35f), 0.32f, coveredBelow: lake ? _horizon + land * 0.38f : _horizon + land * 0.5f + _u * 0.03f);
        if (lake)
        {
            PaintLake(_horizon + land * 0.38f);
        }
        var near = Ridge(_horizon + land * (lake ? 0.62f : 0.5f), _u * 0.03f, ref r, 0.6f);
        Land(near, _p.Grass, 0.08f, 0.06f);
        if (_scene.Has("flowers") || _scene.Has("spring"))
            Flowers(near, ref r, landEnds: true);
    }

    /// <summary>A band of calm water that mirrors what is above it.</summary>
    private void PaintLake(float top)
    {
        var px = _back.Px;
        var rowBytes = _w * 4;
        var y0 = Math.Clamp((int)top, 1, _h - 1);
        var water = _p.Lit(_p.Water, 0.3f);
        for (var y = y0; y < _h; y++)
        {
            var src = Math.Clamp(y0 - (y - y0) - 1, 0, _h - 1);
            var t = Mathx.Clamp01((y - y0) / (float)Math.Max(1, _h - y0));
            var mix = 0.35f + t * 0.35f;
            var d = y * rowBytes;
            var s = src * rowBytes;
            for (var x = 0; x < rowBytes; x += 4)
            {
                px[d + x] = px[s + x] + (water.R - px[s + x]) * mix;
                px[d + x + 1] = px[s + x + 1] + (water.G - px[s + x + 1]) * mix;
                px[d + x + 2] = px[s + x + 2] + (water.B - px[s + x + 2]) * mix;
                px[d + x + 3] = 1;
            }
        }
        var r = Random("lake");
        var light = _p.Lit(_p.Water.Lighten(0.5f), 0.2f);
        var count = (int)(14 * _w / _u * _look.Detail);
        for (var i = 0; i < count; i++)
        {
            var y = top + (_h - top) * r.NextFloat();
            var x = r.NextFloat() * _w;
            var len = _u * r.Range(0.01f, 0.04f);
            var thick = MathF.Max(0.6f, _u * 0.0015f);
            _bg.Fill(new Capsule(x - len, y, x + len, y, thick, thick), light, 0.35f);
        }
        _bg.Fill(Box.FromEdges(-1, top - 0.5f, _w + 1, top + MathF.Max(1, _u * 0.0025f)), light, 0.5f);
    }

    private void PaintCity()
    {
        var r = Random("land");
        var land = _h - _horizon;
        var neon = _scene.Style is SketchStyle.Cyberpunk or SketchStyle.Neon || _scene.Lighting == SketchLighting.Neon;
        if (neon)
            _bg.Glow(Box.FromEdges(-_w, _horizon, _w * 2, _horizon + 1), _u * 0.08f, _p.NeonA, 0.25f);
        var buildingsAllowed = !_scene.IsRemoved("buildings");
        if (buildingsAllowed)
        {
            Skyline(_horizon + _u * 0.02f, _u * 0.08f, _u * 0.26f, _u * 0.04f, _u * 0.09f, _p.Building.Shade(0.08f), 0.8f, false, neon, ref r);
            Skyline(_horizon + land * 0.28f, _u * 0.14f, _u * 0.42f, _u * 0.07f, _u * 0.13f, _p.Building, 0.4f, true, neon, ref r);
        }
        var streetTop = _horizon + land * 0.42f;
        var street = _p.Lit(_p.Street, 0.1f);
        _bg.Fill(Box.FromEdges(-1, streetTop, _w + 1, _h + 1), _look.FlatFill ? Paint.Solid(street) : Paint.Vertical(streetTop, street.Shade(0.05f), _h, street.Shade(-0.04f)));
        _bg.Fill(Box.FromEdges(-1, streetTop, _w + 1, streetTop + land * 0.08f), _p.Lit(_p.Street.Shade(0.15f), 0.1f));
        var laneY = streetTop + land * 0.3f;
        var dash = _u * 0.05f;
        for (var x = r.NextFloat() * dash * 2; x < _w; x += dash * 2.2f)
            _bg.Fill(new Box(x, laneY, dash / 2, MathF.Max(0.7f, _u * 0.003f), MathF.Max(0.5f, _u * 0.002f)), _p.Lit(Rgb.Hex(0xE9E4D0), 0.1f), 0.8f);
        if (neon && !_look.FlatFill)
        {
            // Wet street: vertical smears of the neon lights.
            for (var i = 0; i < (int)(8 * _w / _u); i++)
            {
                var x = r.NextFloat() * _w;
                var c = r.Chance(0.5f) ? _p.NeonA : _p.NeonB;
                _bg.Fill(new Box(x, streetTop + land * 0.3f, _u * 0.004f, land * 0.25f), c, 0.18f);
            }
        }
        StreetLamps(streetTop + land * 0.08f, ref r);
    }

    private void Skyline(float baseY, float minH, float maxH, float minW, float maxW, Rgb color, float depth, bool windows, bool neon, ref SketchRandom r)
    {
        var x = -r.NextFloat() * maxW;
        var lit = _p.Lit(color, depth);
        var side = _p.Lit(color.Shade(-0.07f), depth);
        var windowLit = _p.WindowLit;
        var windowDay = _p.Lit(_p.Window, depth);
        var night = _p.Dark;
        while (x < _w)
        {
            var w = r.Range(minW, maxW);
            var h = r.Range(minH, maxH);
            var top = baseY - h;
            var b = Box.FromEdges(x, top, x + w, baseY + _u);
            _bg.Fill(b, lit);
            if (!_look.FlatFill || _look.Style == SketchStyle.Flat)
            {
                var sx = LightDirection > 0 ? x + w * 0.78f : x;
                _bg.Fill(Box.FromEdges(sx, top, sx + w * 0.22f, baseY + _u), side);
            }
            var roof = r.Next(5);
            if (roof == 0)
                _bg.Fill(new Capsule(x + w * 0.5f, top, x + w * 0.5f, top - h * 0.18f, MathF.Max(0.6f, w * 0.03f), MathF.Max(0.5f, w * 0.015f)), lit);
            else if (roof == 1)
                _bg.Fill(Box.FromEdges(x + w * 0.2f, top - h * 0.08f, x + w * 0.8f, top + 1), lit);
            else if (roof == 2 && w > minW * 1.2f)
                _bg.Fill(new Polygon([x + w * 0.15f, top + 0.5f, x + w * 0.85f, top + 0.5f, x + w * 0.5f, top - h * 0.15f]), lit);
            if (windows && _look.Detail >= 0.5f)
            {
                var cell = MathF.Max(2.5f, _u * 0.02f);
                var cols = Math.Max(1, (int)((w - cell * 0.6f) / cell));
                var rows = Math.Max(1, (int)((h * 0.9f) / (cell * 1.35f)));
                var ox = x + (w - cols * cell) / 2;
                for (var row = 0; row < rows; row++)
                {
                    for (var col = 0; col < cols; col++)
                    {
                        var wx = ox + col * cell + cell * 0.5f;
                        var wy = top + cell * 0.9f + row * cell * 1.35f;
                        if (wy > baseY - cell)
                            break;
                        var on = r.Chance(night ? 0.45f : 0.0f);
                        var pane = new Box(wx, wy, cell * 0.28f, cell * 0.36f);
                        if (on)
                            _bg.Fill(pane, neon && r.Chance(0.4f) ? (r.Chance(0.5f) ? _p.NeonA : _p.NeonB) : windowLit, 0.9f);
                        else
                            _bg.Fill(pane, night ? lit.Shade(-0.05f) : windowDay, night ? 0.6f : 0.45f);
                    }
                }
            }
            if (neon && windows && r.Chance(0.45f))
            {
                var c = r.Chance(0.5f) ? _p.NeonA : _p.NeonB;
                var sign = new Box(x + w * r.Range(0.2f, 0.8f), top + h * r.Range(0.2f, 0.5f), MathF.Max(1, w * 0.08f), h * r.Range(0.08f, 0.18f), w * 0.03f);
                _bg.Glow(sign, _u * 0.012f, c, 0.5f);
                _bg.Fill(sign, c.Lighten(0.3f));
            }
            x += w * r.Range(0.85f, 1.08f);
        }
    }

    private void StreetLamps(float y, ref SketchRandom r)
    {
        if (_look.Detail < 0.6f)
            return;
        var count = (int)MathF.Round(_w / _u * 2.2f);
        var pole = _p.Lit(Rgb.Hex(0x2E3440), 0.05f);
        var light = _p.Dark ? Rgb.Hex(0xFFE1A0) : Rgb.Hex(0xF4F1E6);
        for (var i = 0; i < count; i++)
        {
            var x = (i + 0.5f + r.Jitter() * 0.2f) * _w / count;
            var h = _u * 0.2f;
            var t = MathF.Max(0.7f, _u * 0.004f);
            _bg.Fill(new Capsule(x, y, x, y - h, t, t * 0.8f), pole);
            _bg.Fill(new Capsule(x, y - h, x + _u * 0.03f, y - h, t * 0.8f, t * 0.8f), pole);
            var lamp = new Circle(x + _u * 0.03f, y - h + t * 2, MathF.Max(1, _u * 0.008f));
            if (_p.Dark)
                _bg.Glow(lamp, _u * 0.03f, light, 0.45f);
            _bg.Fill(lamp, light);
        }
    }

    private void PaintSnowField()
    {
        var r = Random("land");
        var land = _h - _horizon;
        var far = Ridge(_horizon - _u * 0.02f, _u * 0.06f, ref r, 0.8f);
        Land(far, _p.SnowShade.Lerp(_p.Snow, 0.5f), 0.8f, 0.12f, _horizon + land * 0.2f + _u * 0.05f);
        var mid = Ridge(_horizon + land * 0.2f, _u * 0.05f, ref r, 0.7f);
        TreeRow(mid, 6, _u * 0.08f, _u * 0.15f, 0.5f, true, ref r, 0.15f);
        Land(mid, _p.Snow, 0.45f, 0.14f, _horizon + land * 0.5f + _u * 0.035f);
        var near = Ridge(_horizon + land * 0.5f, _u * 0.035f, ref r, 0.6f);
        Land(near, _p.Snow, 0.05f, 0.12f);
    }

    /// <param name="landEnds">The land's stream is not used after the flowers: a subtle variation may then scatter its own.</param>
    private void Flowers(float[] tops, ref SketchRandom land, bool landEnds = false)
    {
        var own = Random("flowers");
        ref var r = ref _plan.Jitter && landEnds ? ref own : ref land;
        var count = (int)(60 * _w / _u * _look.Detail);
        for (var i = 0; i < count; i++)
        {
            var x = r.NextFloat() * _w;
            var top = tops[Math.Clamp((int)x, 0, _w - 1)];
            var t = MathF.Pow(r.NextFloat(), 0.8f);
            var y = top + (_h - top) * t + _u * 0.01f;
            var size = _u * (0.003f + 0.009f * t);
            var color = _p.Flowers[r.Next(_p.Flowers.Length)];
            _bg.Fill(new Circle(x, y, size), _p.Lit(color, 0.05f));
            if (size > 3 && !_look.FlatFill)
                _bg.Fill(new Circle(x, y, size * 0.35f), _p.Lit(Rgb.Hex(0xF5D033), 0.05f));
        }
    }

    private void PaintWeather()
    {
        switch (_scene.Weather)
        {
            case SketchWeather.Rain:
                Rain();
                break;
            case SketchWeather.Fog:
                Fog();
                break;
        }
        if (_scene.Weather == SketchWeather.Snowfall || (_scene.Snowy && Random("snowfall").Chance(0.5f)))
            Snowfall();
    }

    private void Rain()
    {
        var r = Random("rain");
        var count = (int)(260 * _w * _h / (_u * _u) * MathF.Max(_look.Detail, 0.4f));
        var color = _p.SkyHorizon.Lighten(0.5f);
        var slant = _u * 0.008f;
        for (var i = 0; i < count; i++)
        {
            var x = r.NextFloat() * (_w + slant * 4) - slant * 2;
            var y = r.NextFloat() * _h;
            var len = _u * r.Range(0.015f, 0.035f);
            var t = MathF.Max(0.5f, _u * 0.0008f);
            _bg.Fill(new Capsule(x, y, x - slant, y + len, t, t), color, r.Range(0.2f, 0.45f));
        }
    }

    private void Fog()
    {
        var r = Random("fog");
        var noise = new ValueNoise(_w, _h, _u * 0.18f, ref r);
        var fog = _p.Haze.Lighten(_p.Dark ? 0.1f : 0.3f);
        var px = _back.Px;
        for (var y = 0; y < _h; y++)
        {
            var band = MathF.Exp(-MathF.Pow((y - _horizon) / (_u * 0.22f), 2)) * 0.6f + (y > _horizon ? 0.15f : 0.05f);
            var i = y * _w * 4;
            for (var x = 0; x < _w; x++, i += 4)
            {
                var a = Mathx.Clamp01(band * (0.55f + 0.8f * noise.Sample(x, y)));
                px[i] += (fog.R - px[i]) * a;
                px[i + 1] += (fog.G - px[i + 1]) * a;
                px[i + 2] += (fog.B - px[i + 2]) * a;
            }
        }
    }

    private void Snowfall()
    {
        var r = Random("flakes");
        var count = (int)(150 * _w * _h / (_u * _u) * MathF.Max(_look.Detail, 0.4f));
        var white = Rgb.Hex(0xFBFDFF);
        for (var i = 0; i < count; i++)
        {
            var x = r.NextFloat() * _w;
            var y = r.NextFloat() * _h;
            var near = r.NextFloat();
            var size = MathF.Max(0.6f, _u * (0.0015f + near * near * 0.005f));
            _bg.Fill(new Circle(x, y, size), white, 0.55f + near * 0.4f);
        }
    }
}
