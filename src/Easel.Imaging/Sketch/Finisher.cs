namespace Easel.Imaging.Sketch;

/// <summary>
/// Turns the painted layer into the final image: lighting grade (contrast, vignette, directional
/// light, bloom), the style's surface (paper, grain, pixel grid) and 8-bit output with dithering.
/// </summary>
internal static class Finisher
{
    public static RgbaImage Finish(Layer layer, SketchScene scene, Look look, Palette palette, float sunX, float sunY,
        float[]? subjectMask, long seed, bool transparent, int outWidth, int outHeight)
    {
        var w = layer.Width;
        var h = layer.Height;
        var u = (float)Math.Min(w, h);
        var px = layer.Px;

        if (look.Bloom > 0 && !scene.IsRemoved("glow"))
            Bloom(layer, look.Bloom, scene.Lighting == SketchLighting.Neon || look.SubjectGlow ? 0.55f : 0.72f, u);

        // Work in straight (unpremultiplied) colour from here on.
        Rows.For(0, h, w, (y0, y1) =>
        {
            for (var i = y0 * w * 4; i < y1 * w * 4; i += 4)
            {
                var a = px[i + 3];
                if (a > 1e-5f && a < 0.9999f)
                {
                    var k = 1f / a;
                    px[i] *= k;
                    px[i + 1] *= k;
                    px[i + 2] *= k;
                }
            }
        });

        Grade(layer, scene, look, palette, sunX, sunY, u);
        if (look.Brighten > 0 || look.BalancedExposure)
            Tone(layer, look);
        if (look.Sharpen > 0)
            Sharpen(layer, look.Sharpen, u);
        if (look.Brilliance && subjectMask is not null && !transparent)
            HighlightHeadroom(layer, subjectMask);
        if (look.Paper && !transparent)
            Watercolor(layer, seed, u);
        if (look.Grain > 0 && !scene.IsRemoved("grain"))
            Grain(layer, look.Grain, seed);

        return look.Pixel
            ? PixelOut(layer, subjectMask, transparent, outWidth, outHeight)
            : Output(layer, seed, transparent);
    }

    private static void Bloom(Layer layer, float strength, float threshold, float u)
    {
        var w = layer.Width;
        var h = layer.Height;
        var px = layer.Px;
        var bright = new float[w * h * 3];
        Rows.For(0, h, w, (y0, y1) =>
        {
            for (int i = y0 * w * 4, j = y0 * w * 3; i < y1 * w * 4; i += 4, j += 3)
            {
                var l = 0.2126f * px[i] + 0.7152f * px[i + 1] + 0.0722f * px[i + 2];
                var k = Mathx.Clamp01((l - threshold) / (1 - threshold + 1e-3f));
                bright[j] = px[i] * k;
                bright[j + 1] = px[i + 1] * k;
                bright[j + 2] = px[i + 2] * k;
            }
        });
        var small = Blur.Downsampled(bright, w, h, 3, u * 0.03f, out var sw, out var sh);
        Rows.For(0, h, w, (y0, y1) =>
        {
            var v = new float[w * 3];
            for (var y = y0; y < y1; y++)
            {
                Blur.UpsampleRow(small, sw, sh, 3, y, v);
                var i = y * w * 4;
                for (var x = 0; x < w; x++, i += 4)
                {
                    px[i] += v[x * 3] * strength;
                    px[i + 1] += v[x * 3 + 1] * strength;
                    px[i + 2] += v[x * 3 + 2] * strength;
                }
            }
        });
    }

    private static void Grade(Layer layer, SketchScene scene, Look look, Palette palette, float sunX, float sunY, float u)
    {
        var w = layer.Width;
        var h = layer.Height;
        var px = layer.Px;
        var contrast = look.Contrast;
        var vignette = look.Vignette;
        var dramatic = scene.Lighting == SketchLighting.Dramatic;
        var soft = scene.Lighting == SketchLighting.Soft;
        var split = scene.Style == SketchStyle.Cyberpunk;
        var haze = palette.Haze;
        var saturation = (scene.Lighting == SketchLighting.Dramatic ? 1.08f : 1f) * look.GradeSaturation;
        // Directional light: brighter toward the sun, darker away from it.
        var lx = (sunX / w - 0.5f) * 2;
        var ly = (sunY / h - 0.5f) * 2;
        var len = MathF.Max(0.3f, MathF.Sqrt(lx * lx + ly * ly));
        lx /= len;
        ly /= len;
        var cx = w / 2f;
        var cy = h / 2f;
        Rows.For(0, h, w, (y0, y1) =>
        {
            for (var y = y0; y < y1; y++)
            {
                var ny = (y + 0.5f - cy) / cy;
                var i = y * w * 4;
                for (var x = 0; x < w; x++, i += 4)
                {
                    var r = px[i];
                    var g = px[i + 1];
                    var b = px[i + 2];
                    var nx = (x + 0.5f - cx) / cx;
                    if (contrast != 1)
                    {
                        r = 0.5f + (r - 0.5f) * contrast;
                        g = 0.5f + (g - 0.5f) * contrast;
                        b = 0.5f + (b - 0.5f) * contrast;
                    }
                    if (soft)
                    {
                        r += (haze.R - r) * 0.07f + 0.02f;
                        g += (haze.G - g) * 0.07f + 0.02f;
                        b += (haze.B - b) * 0.07f + 0.02f;
                    }
                    var factor = 1f;
                    if (vignette > 0)
                        factor *= 1 - vignette * Mathx.Smooth(0.35f, 1.45f, nx * nx + ny * ny);
                    if (dramatic && !look.EvenLight)
                        factor *= 0.92f + 0.22f * (nx * lx + ny * ly) * 0.5f;
                    r *= factor;
                    g *= factor;
                    b *= factor;
                    if (saturation != 1)
                    {
                        var l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
                        r = l + (r - l) * saturation;
                        g = l + (g - l) * saturation;
                        b = l + (b - l) * saturation;
                    }
                    if (split)
                    {
                        var l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
                        var shadow = Mathx.Clamp01(0.5f - l) * 0.12f;
                        r -= shadow * 0.5f;
                        b += shadow;
                    }
                    px[i] = r;
                    px[i + 1] = g;
                    px[i + 2] = b;
                }
            }
        });
    }

    /// <summary>
    /// Exposure requests: "bright" lifts everything; "balanced exposure" brightens a dark picture toward
    /// a middle grey and lifts the deepest shadows. Both roll highlights off before they clip.
    /// </summary>
    private static void Tone(Layer layer, Look look)
    {
        var w = layer.Width;
        var h = layer.Height;
        var px = layer.Px;
        var gain = 1 + look.Brighten;
        var lift = look.Brighten * 0.2f;
        if (look.BalancedExposure)
        {
            // Per-row sums added in row order: the same result whatever the thread timing.
            var luma = new double[h];
            var alpha = new double[h];
            Rows.For(0, h, w, (y0, y1) =>
            {
                for (var y = y0; y < y1; y++)
                {
                    double sum = 0, weight = 0;
                    for (var i = y * w * 4; i < (y + 1) * w * 4; i += 4)
                    {
                        var a = Mathx.Clamp01(px[i + 3]);
                        sum += (0.2126f * px[i] + 0.7152f * px[i + 1] + 0.0722f * px[i + 2]) * a;
                        weight += a;
                    }
                    (luma[y], alpha[y]) = (sum, weight);
                }
            });
            var mean = (float)(luma.Sum() / Math.Max(alpha.Sum(), 1)) * gain + lift;
            if (mean < 0.45f)
                gain *= Math.Clamp(MathF.Sqrt(0.45f / MathF.Max(mean, 0.05f)), 1f, 1.35f);
        }
        var balanced = look.BalancedExposure;
        Rows.For(0, h, w, (y0, y1) =>
        {
            for (var i = y0 * w * 4; i < y1 * w * 4; i += 4)
            {
                for (var c = 0; c < 3; c++)
                {
                    var v = px[i + c] * gain + lift;
                    // Shadows below 0.08 lifted halfway up (balanced only); above 0.88 a shoulder that never reaches 0.99.
                    if (balanced && v < 0.08f)
                        v = 0.04f + MathF.Max(v, 0) * 0.5f;
                    else if (v > 0.88f)
                        v = 0.88f + 0.11f * (1 - MathF.Exp((0.88f - v) / 0.11f));
                    px[i + c] = v;
                }
            }
        });
    }

    /// <summary>
    /// "Brilliance": everything behind the subject is held just below white (luma 0.9), so the
    /// sparkles and gem highlights are the brightest things in the picture and stand out even on a
    /// white backdrop, as a specular highlight outshines diffuse white.
    /// </summary>
    private static void HighlightHeadroom(Layer layer, float[] subjectMask)
    {
        const float limit = 0.9f;
        var w = layer.Width;
        var px = layer.Px;
        Rows.For(0, layer.Height, w, (y0, y1) =>
        {
            for (var p = y0 * w; p < y1 * w; p++)
            {
                var i = p * 4;
                var l = 0.2126f * px[i] + 0.7152f * px[i + 1] + 0.0722f * px[i + 2];
                if (l <= limit)
                    continue;
                var k = 1 + (limit / l - 1) * (1 - Mathx.Clamp01(subjectMask[p]));
                px[i] *= k;
                px[i + 1] *= k;
                px[i + 2] *= k;
            }
        });
    }

    /// <summary>Unsharp mask: edges and small shapes crisper, for "sharp focus" and "fine detail".</summary>
    private static void Sharpen(Layer layer, float amount, float u)
    {
        var w = layer.Width;
        var h = layer.Height;
        var px = layer.Px;
        var soft = (float[])px.Clone();
        Blur.Gaussian(soft, w, h, 4, MathF.Max(1f, u * 0.002f));
        Rows.For(0, h, w, (y0, y1) =>
        {
            for (var i = y0 * w * 4; i < y1 * w * 4; i += 4)
            {
                // Only where fully painted: at a transparent edge the blur would mix in empty pixels.
                if (px[i + 3] < 0.999f)
                    continue;
                px[i] += (px[i] - soft[i]) * amount;
                px[i + 1] += (px[i + 1] - soft[i + 1]) * amount;
                px[i + 2] += (px[i + 2] - soft[i + 2]) * amount;
            }
        });
    }

    /// <summary>Paper grain, pigment bleeding into neighbouring washes, and a deckled white border.</summary>
    private static void Watercolor(Layer layer, long seed, float u)
    {
        var w = layer.Width;
        var h = layer.Height;
        var px = layer.Px;
        var r = SketchRandom.For(seed, "paper");
        var bleed = new ValueNoise(w, h, u * 0.05f, ref r);
        var edge = new ValueNoise(w, h, u * 0.03f, ref r);
        var wash = new ValueNoise(w, h, u * 0.06f, ref r);
        var blurred = Blur.Downsampled(px, w, h, 4, u * 0.006f, out var sw, out var sh);
        var paper = new Rgb(0.985f, 0.972f, 0.945f);
        var border = u * 0.025f;
        var salt = (uint)seed;
        Rows.For(0, h, w, (from, to) =>
        {
            var soft = new float[w * 4];
            var bleedRow = new float[w];
            var edgeRow = new float[w];
            var washRow = new float[w];
            for (var y = from; y < to; y++)
            {
                Blur.UpsampleRow(blurred, sw, sh, 4, y, soft);
                bleedRow.AsSpan().Clear();
                bleed.AddRow(y, bleedRow, 1);
                washRow.AsSpan().Clear();
                wash.AddRow(y, washRow, 0.2f, -1);
                var nearEdge = y < border * 1.6f || y > h - 1 - border * 1.6f;
                edgeRow.AsSpan().Clear();
                if (nearEdge)
                    edge.AddRow(y, edgeRow, border, -0.5f);
                var i = y * w * 4;
                for (var x = 0; x < w; x++, i += 4)
                {
                    var m = Mathx.Smooth(0.45f, 0.8f, bleedRow[x]) * 0.65f;
                    var cr = px[i];
                    var cg = px[i + 1];
                    var cb = px[i + 2];
                    if (m > 0)
                    {
                        var a = MathF.Max(soft[x * 4 + 3], 1e-4f);
                        cr += (soft[x * 4] / a - cr) * m;
                        cg += (soft[x * 4 + 1] / a - cg) * m;
                        cb += (soft[x * 4 + 2] / a - cb) * m;
                    }
                    // Thin washes show more paper; washRow is -0.2..0 (thick) mapped to 0.07..0.27 paper.
                    var thin = 0.12f - washRow[x];
                    var grain = 0.975f + (StableHash.Lattice(x, y, salt) - 0.5f) * 0.04f;
                    cr = (cr + (paper.R - cr) * thin) * grain;
                    cg = (cg + (paper.G - cg) * thin) * grain;
                    cb = (cb + (paper.B - cb) * thin) * grain;
                    if (nearEdge || x < border * 1.6f || x > w - 1 - border * 1.6f)
                    {
                        var wobble = nearEdge ? edgeRow[x] : edge.Signed(x, y) * border * 0.5f;
                    var dEdge = MathF.Min(MathF.Min(x, w - 1 - x), MathF.Min(y, h - 1 - y)) + wobble;
                        var white = 1 - Mathx.Smooth(border * 0.3f, border, dEdge);
                        cr += (paper.R - cr) * white;
                        cg += (paper.G - cg) * white;
                        cb += (paper.B - cb) * white;
                    }
                    px[i] = cr;
                    px[i + 1] = cg;
                    px[i + 2] = cb;
                }
            }
        });
    }

    private static void Grain(Layer layer, float amount, long seed)
    {
        var w = layer.Width;
        var px = layer.Px;
        var salt = (uint)(seed >> 3) ^ 0x5bd1e995u;
        Rows.For(0, layer.Height, w, (y0, y1) =>
        {
            for (var y = y0; y < y1; y++)
            {
                var i = y * w * 4;
                for (var x = 0; x < w; x++, i += 4)
                {
                    var n = (StableHash.Lattice(x, y, salt) + StableHash.Lattice(x, y, salt + 1) - 1f) * amount;
                    px[i] += n;
                    px[i + 1] += n;
                    px[i + 2] += n;
                }
            }
        });
    }

    private static RgbaImage Output(Layer layer, long seed, bool transparent)
    {
        var w = layer.Width;
        var h = layer.Height;
        var image = new RgbaImage(w, h);
        var px = layer.Px;
        var salt = (uint)seed * 2654435761u;
        Rows.For(0, h, w, (y0, y1) =>
        {
            for (var y = y0; y < y1; y++)
            {
                var row = image.Row(y);
                var i = y * w * 4;
                for (var x = 0; x < w; x++, i += 4)
                {
                    var a = transparent ? Mathx.Clamp01(px[i + 3]) : 1f;
                    var o = x * 4;
                    if (a <= 0)
                    {
                        row[o] = row[o + 1] = row[o + 2] = row[o + 3] = 0;
                        continue;
                    }
                    // Half-a-level of noise breaks up banding in smooth skies.
                    var d = StableHash.Lattice(x, y, salt) - 0.5f;
                    row[o] = ToByte(px[i], d);
                    row[o + 1] = ToByte(px[i + 1], d);
                    row[o + 2] = ToByte(px[i + 2], d);
                    row[o + 3] = (byte)MathF.Round(a * 255);
                }
            }
        });
        return image;
    }

    private static byte ToByte(float v, float dither) => (byte)Math.Clamp((int)(v * 255 + 0.5f + dither), 0, 255);

    /// <summary>
    /// Pixel art: a small palette fitted to the picture (16 colours, like old consoles), a dark
    /// outline around sprites, then each low-resolution cell becomes a hard square block.
    /// </summary>
    private static RgbaImage PixelOut(Layer layer, float[]? mask, bool transparent, int outWidth, int outHeight)
    {
        var w = layer.Width;
        var h = layer.Height;
        var px = layer.Px;
        var colors = new float[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var p = y * w + x;
                var k = mask is not null && mask[p] > 0.5f && IsEdge(mask, w, h, x, y) ? 0.3f : 1f;
                colors[p * 3] = Mathx.Clamp01(px[p * 4] * k);
                colors[p * 3 + 1] = Mathx.Clamp01(px[p * 4 + 1] * k);
                colors[p * 3 + 2] = Mathx.Clamp01(px[p * 4 + 2] * k * (k < 1 ? 1.15f : 1f));
            }
        }
        var palette = FitPalette(colors, 16);
        var cells = new byte[w * h * 4];
        for (var p = 0; p < w * h; p++)
        {
            var c = Nearest(palette, colors[p * 3], colors[p * 3 + 1], colors[p * 3 + 2]);
            var opaque = !transparent || px[p * 4 + 3] >= 0.5f;
            cells[p * 4] = opaque ? ToByte(palette[c * 3], 0) : (byte)0;
            cells[p * 4 + 1] = opaque ? ToByte(palette[c * 3 + 1], 0) : (byte)0;
            cells[p * 4 + 2] = opaque ? ToByte(palette[c * 3 + 2], 0) : (byte)0;
            cells[p * 4 + 3] = opaque ? (byte)255 : (byte)0;
        }
        var image = new RgbaImage(outWidth, outHeight);
        var columns = new int[outWidth];
        for (var x = 0; x < outWidth; x++)
            columns[x] = Math.Min(w - 1, (int)((long)x * w / outWidth));
        for (var y = 0; y < outHeight; y++)
        {
            var sy = Math.Min(h - 1, (int)((long)y * h / outHeight));
            var row = image.Row(y);
            for (var x = 0; x < outWidth; x++)
            {
                var s = (sy * w + columns[x]) * 4;
                row[x * 4] = cells[s];
                row[x * 4 + 1] = cells[s + 1];
                row[x * 4 + 2] = cells[s + 2];
                row[x * 4 + 3] = cells[s + 3];
            }
        }
        return image;
    }

    /// <summary>
    /// k-means colour quantisation, seeded from luminance quantiles so it is deterministic and spans
    /// dark to light; a few Lloyd iterations are plenty for a 16-colour palette.
    /// </summary>
    private static float[] FitPalette(float[] colors, int k)
    {
        var n = colors.Length / 3;
        var order = new int[n];
        var luma = new float[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
            luma[i] = 0.2126f * colors[i * 3] + 0.7152f * colors[i * 3 + 1] + 0.0722f * colors[i * 3 + 2];
        }
        Array.Sort(luma, order);
        var palette = new float[k * 3];
        for (var c = 0; c < k; c++)
        {
            var p = order[Math.Min(n - 1, (int)((c + 0.5f) / k * n))];
            palette[c * 3] = colors[p * 3];
            palette[c * 3 + 1] = colors[p * 3 + 1];
            palette[c * 3 + 2] = colors[p * 3 + 2];
        }
        var sums = new double[k * 3];
        var counts = new int[k];
        for (var iteration = 0; iteration < 6; iteration++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            for (var i = 0; i < n; i++)
            {
                var c = Nearest(palette, colors[i * 3], colors[i * 3 + 1], colors[i * 3 + 2]);
                sums[c * 3] += colors[i * 3];
                sums[c * 3 + 1] += colors[i * 3 + 1];
                sums[c * 3 + 2] += colors[i * 3 + 2];
                counts[c]++;
            }
            for (var c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                    continue;
                palette[c * 3] = (float)(sums[c * 3] / counts[c]);
                palette[c * 3 + 1] = (float)(sums[c * 3 + 1] / counts[c]);
                palette[c * 3 + 2] = (float)(sums[c * 3 + 2] / counts[c]);
            }
        }
        return palette;
    }

    private static int Nearest(float[] palette, float r, float g, float b)
    {
        var best = 0;
        var bestDistance = float.MaxValue;
        for (var c = 0; c < palette.Length / 3; c++)
        {
            var dr = palette[c * 3] - r;
            var dg = palette[c * 3 + 1] - g;
            var db = palette[c * 3 + 2] - b;
            // Weighted toward green like the eye, so similar-looking colours merge first.
            var d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    private static bool IsEdge(float[] mask, int w, int h, int x, int y) =>
        (x > 0 && mask[y * w + x - 1] <= 0.5f) || (x < w - 1 && mask[y * w + x + 1] <= 0.5f)
        || (y > 0 && mask[(y - 1) * w + x] <= 0.5f) || (y < h - 1 && mask[(y + 1) * w + x] <= 0.5f);

}
