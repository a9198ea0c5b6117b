namespace Easel.Imaging.Sketch;

internal sealed partial class SceneRenderer
{
    private Rgb SkyAt(float y)
    {
        var t = Mathx.Clamp01(y / MathF.Max(_horizon, 1));
        if (_look.FlatFill && !_look.Pixel && !_look.NeonTubes)
        {
            // Flat design: the gradient becomes a few clean bands.
            var bands = _look.Style == SketchStyle.Minimal ? 2 : 4;
            t = MathF.Min(MathF.Floor(t * bands) / (bands - 1), 1);
        }
        return t < 0.6f
            ? _p.SkyTop.Lerp(_p.SkyMid, Mathx.Smooth(0, 0.6f, t))
            : _p.SkyMid.Lerp(_p.SkyHorizon, Mathx.Smooth(0.6f, 1f, t));
    }

    private void PaintSky()
    {
        if (_scene.Setting == SketchSetting.Studio)
        {
            PaintStudio();
            return;
        }
        _bg.FillRows(0, _h, y => SkyAt(y));
        var night = _scene.TimeOfDay == SketchTimeOfDay.Night;
        if ((night || _scene.Has("stars")) && !_scene.IsRemoved("stars"))
            PaintStars(night ? 1f : 0.3f);
        if (night)
        {
            if (!_scene.IsRemoved("moon"))
                PaintMoon();
        }
        else if (!_scene.IsRemoved("sun") && _scene.Weather is not (SketchWeather.Rain or SketchWeather.Cloudy))
        {
            PaintSun();
        }
        if (_scene.Has("moon") && !night && !_scene.IsRemoved("moon"))
            PaintMoon();
        if (_scene.Has("rainbow"))
            PaintRainbow();
        if (!_scene.IsRemoved("clouds"))
            PaintClouds();
        if (!_scene.IsRemoved("birds") && (_scene.Has("birds") || (Random("birds").Chance(0.3f) && !night && _look.Detail >= 0.8f)))
            PaintSkyBirds();
    }

    private void PaintStars(float amount)
    {
        var r = Random("stars");
        var count = (int)(_w * _horizon / (_u * _u) * 260 * amount * MathF.Max(_look.Detail, 0.4f));
        for (var i = 0; i < count; i++)
        {
            var x = r.NextFloat() * _w;
            var y = MathF.Pow(r.NextFloat(), 1.4f) * _horizon * 0.92f;
            var size = MathF.Max(0.55f, _u * r.Range(0.0007f, 0.0022f));
            var bright = r.Range(0.35f, 1f) * (1 - y / _horizon * 0.6f);
            var star = new Circle(x, y, size);
            var color = r.Chance(0.2f) ? Rgb.Hex(0xFFE9B8) : r.Chance(0.2f) ? Rgb.Hex(0xBFD4FF) : Rgb.White;
            _bg.Fill(star, color, bright);
            if (r.Chance(0.05f))
                _bg.Glow(star, size * 2.5f, color, 0.35f * bright);
        }
    }

    private void PaintSun()
    {
        var sun = new Circle(_sunX, _sunY, _sunRadius);
        var low = _scene.TimeOfDay is SketchTimeOfDay.Sunset or SketchTimeOfDay.Dawn;
        if (_look.NeonTubes || _scene.Style == SketchStyle.Cyberpunk)
        {
            SynthwaveSun();
            return;
        }
        if (!_look.FlatFill)
        {
            _bg.Glow(sun, _u * (low ? 0.16f : 0.09f), _p.SunGlow, low ? 0.38f : 0.3f);
            _bg.Glow(sun, _u * 0.03f, _p.SunGlow, 0.35f);
        }
        else
        {
            _bg.Fill(new Circle(_sunX, _sunY, _sunRadius * 1.45f), _p.SunGlow, 0.25f);
        }
        _bg.Fill(sun, _p.Sun);
    }

    /// <summary>The retro sun of synthwave posters: a yellow-to-magenta disc cut by horizontal gaps.</summary>
    private void SynthwaveSun()
    {
        var sun = new Circle(_sunX, _sunY, _sunRadius);
        _bg.Glow(sun, _u * 0.08f, _p.NeonA, 0.35f);
        _bg.Fill(sun, Paint.Vertical(_sunY - _sunRadius, Rgb.Hex(0xFFE46B), _sunY + _sunRadius, _p.NeonA));
        for (var i = 0; i < 6; i++)
        {
            var y = _sunY + _sunRadius * (0.1f + i * 0.16f);
            var gap = MathF.Max(1, _sunRadius * (0.025f + i * 0.018f));
            _bg.Fill(new Clip<Box, Circle>(new Box(_sunX, y, _sunRadius * 1.1f, gap), sun), SkyAt(y));
        }
    }

    private void PaintMoon()
    {
        var r = Random("moon");
        var night = _scene.TimeOfDay == SketchTimeOfDay.Night;
        var x = night ? _sunX : _w - _sunX;
        var y = night ? _sunY : _h * 0.16f;
        var radius = _u * (night ? 0.05f : 0.035f);
        var moon = new Circle(x, y, radius);
        var opacity = night ? 1f : 0.7f;
        if (night && !_look.FlatFill)
            _bg.Glow(moon, _u * 0.07f, _p.SunGlow, 0.3f);
        if (r.Chance(0.5f) || _scene.RecognizedWords.Contains("crescent") || _scene.RecognizedWords.Contains("crescent moon"))
        {
            var bite = new Circle(x + radius * 0.45f, y - radius * 0.25f, radius * 0.85f);
            _bg.Fill(new Cut<Circle, Circle>(moon, bite), _p.Moon, opacity);
        }
        else
        {
            _bg.Fill(moon, _p.Moon, opacity);
            if (!_look.FlatFill)
            {
                var crater = _p.Moon.Shade(-0.08f);
                _bg.Fill(new Circle(x - radius * 0.3f, y - radius * 0.2f, radius * 0.22f), crater, 0.6f * opacity);
                _bg.Fill(new Circle(x + radius * 0.35f, y + radius * 0.25f, radius * 0.15f), crater, 0.6f * opacity);
                _bg.Fill(new Circle(x + radius * 0.1f, y - radius * 0.45f, radius * 0.1f), crater, 0.5f * opacity);
            }
        }
    }

    private void PaintClouds()
    {
        var r = Random("clouds");
        var weather = _scene.Weather;
        var many = weather is SketchWeather.Cloudy or SketchWeather.Rain || _scene.Has("clouds");
        var perFrame = r.Range(1.2f, 3.6f) * (many ? 2.2f : 1f) * _look.Detail;
        if (_scene.Style == SketchStyle.Minimal)
            perFrame = MathF.Min(perFrame, 1.2f);
        if (_scene.TimeOfDay == SketchTimeOfDay.Night)
            perFrame *= 0.6f;
        var count = Math.Min(10, (int)MathF.Round(perFrame * _w / _u));
        var opacity = _scene.TimeOfDay == SketchTimeOfDay.Night ? 0.75f : _look.Paper ? 0.85f : 0.96f;
        for (var i = 0; i < count; i++)
        {
            var width = _u * r.Range(0.16f, 0.34f) * (many ? 1.25f : 1f);
            var x = r.NextFloat() * (_w + width) - width / 2;
            var y = _horizon * r.Range(0.12f, 0.58f);
            PaintCloud(x, y, width, ref r, opacity);
        }
    }

    private void PaintCloud(float cx, float cy, float width, ref SketchRandom r, float opacity)
    {
        var h = width * 0.34f;
        var baseY = cy + h * 0.25f;
        var paint = _look.FlatFill
            ? Paint.Solid(_p.CloudLight)
            : Paint.Vertical(cy - h * 0.7f, _p.CloudLight, baseY + h * 0.3f, _p.CloudShade);
        var puffs = 3 + r.Next(2);
        // Puffs first, then the flat base over their bottoms: one clean silhouette.
        for (var i = 0; i < puffs; i++)
        {
            var t = puffs == 1 ? 0.5f : i / (float)(puffs - 1);
            var px = cx - width * 0.3f + t * width * 0.6f + r.Jitter() * width * 0.05f;
            var radius = h * (0.45f + 0.35f * MathF.Sin(t * MathF.PI)) * r.Range(0.85f, 1.1f);
            _bg.Fill(new Circle(px, baseY - radius * 0.45f, radius), paint, opacity);
        }
        _bg.Fill(new Box(cx, baseY, width / 2, h * 0.28f, h * 0.28f), paint, opacity);
    }

    private void PaintRainbow()
    {
        var r = Random("rainbow");
        var cx = _w * r.Range(0.3f, 0.7f);
        var cy = _horizon + _u * 0.05f;
        var radius = _u * r.Range(0.42f, 0.58f);
        var band = _u * 0.016f;
        uint[] colors = [0x8B5CF6, 0x3B82F6, 0x22C1C3, 0x4CC35A, 0xF5D033, 0xF59332, 0xE8453C];
        var above = Box.FromEdges(-10, -10, _w + 10, _horizon);
        for (var i = 0; i < colors.Length; i++)
        {
            var ring = new Ring<Circle>(new Circle(cx, cy, radius + i * band), band * 1.05f);
            _bg.Fill(new Clip<Ring<Circle>, Box>(ring, above), Rgb.Hex(colors[i]), 0.5f);
        }
    }

    private void PaintSkyBirds()
    {
        var r = Random("skybirds");
        var n = 3 + r.Next(3);
        var x0 = _w * r.Range(0.2f, 0.8f);
        var y0 = _horizon * r.Range(0.2f, 0.45f);
        var color = _scene.TimeOfDay == SketchTimeOfDay.Night ? Rgb.Hex(0x0A0D1A) : _p.SkyTop.Darken(0.65f);
        for (var i = 0; i < n; i++)
        {
            var s = _u * r.Range(0.012f, 0.022f);
            var x = x0 + r.Jitter() * _u * 0.12f;
            var y = y0 + r.Jitter() * _u * 0.06f;
            var t = MathF.Max(0.6f, s * 0.13f);
            _bg.Fill(new Capsule(x - s, y - s * 0.45f, x, y, t * 0.6f, t), color);
            _bg.Fill(new Capsule(x, y, x + s, y - s * 0.45f, t, t * 0.6f), color);
        }
    }

    private void PaintStudio()
    {
        // A seamless paper sweep: lighter behind the subject, falling off to the edges.
        var cx = _w * 0.5f;
        var cy = _h * 0.45f;
        var radius = MathF.Sqrt(_w * _w + _h * _h) * 0.6f;
        var plain = _p.Backdrop.Luma > 0.97f || _look.FlatFill || _look.PlainBackdrop;
        if (plain)
        {
            _bg.FillRows(0, _h, _ => _p.Backdrop);
        }
        else
        {
            var paint = Paint.Radial(cx, cy, radius, _p.Backdrop.Shade(0.04f), _p.BackdropEdge);
            var px = _back.Px;
            for (var y = 0; y < _h; y++)
            {
                var i = y * _w * 4;
                for (var x = 0; x < _w; x++, i += 4)
                {
                    var c = paint.At(x + 0.5f, y + 0.5f);
                    px[i] = c.R;
                    px[i + 1] = c.G;
                    px[i + 2] = c.B;
                    px[i + 3] = 1;
                }
            }
            // The floor: a soft darker band below the subject's feet.
            for (var y = (int)(_groundY - _u * 0.2f); y < _h; y++)
            {
                var t = Mathx.Smooth(_groundY - _u * 0.2f, _h, y) * 0.18f;
                _bg.FillRows(y, y + 1, _ => _p.BackdropEdge.Shade(-0.08f), t);
            }
        }
        if (_scene.Lighting == SketchLighting.Dramatic && !_look.PlainBackdrop)
            _bg.Glow(new Circle(cx, cy, _u * 0.15f), _u * 0.2f, Rgb.White, 0.25f);
    }
}
