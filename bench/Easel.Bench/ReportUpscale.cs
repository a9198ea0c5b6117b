using System.Globalization;
using System.Text;

namespace Easel.Bench;

/// <summary>Section 5 of the report: the built-in upscaler against ImageMagick and libvips.</summary>
internal static partial class Report
{
    public const string UpscaleHeading = "## 5. Upscaling: Easel against ImageMagick and libvips";

    private static void Upscale(StringBuilder md, UpscaleResults? u)
    {
        md.AppendLine(UpscaleHeading);
        md.AppendLine();
        if (u is null)
        {
            md.AppendLine("Not measured: skipped with --no-upscale.");
            md.AppendLine();
            return;
        }

        md.AppendLine($"Measured {u.Started:yyyy-MM-dd HH:mm} UTC in {u.Duration.TotalSeconds:0} s; other processes used {(u.OtherCores is { } others ? others.ToString("0.00", CultureInfo.InvariantCulture) : "an unknown number of")} cores on average meanwhile.");
        if (u.Quick)
            md.AppendLine("Quick run: the quality figures are complete, the timings are too few to compare.");
        md.AppendLine();
        md.AppendLine($"{u.Images.Count} originals of {UpscaleBench.Size}x{UpscaleBench.Size}, all opaque. Each is shrunk by 2 and by 4 with Easel's Lanczos-3 (`Resampler.Resize`,");
        md.AppendLine("the same small PNG for every method), enlarged back to full size and compared with the original: PSNR over R, G and B in");
        md.AppendLine("dB, and SSIM on luma (Gaussian 11x11 window, σ 1.5, K1 0.01, K2 0.03), both from `Easel.Imaging.Metrics.Similarity`,");
        md.AppendLine("whose PSNR agrees with ImageMagick's `compare -metric PSNR` and SSIM with scikit-image's (see its tests). Higher is better for both.");
        md.AppendLine("A shrink throws away detail finer than the small image can hold, and no interpolation brings it back: these scores");
        md.AppendLine("say how close each method gets to the original with what is left, not how sharp the result looks.");
        md.AppendLine();
        md.AppendLine("| Original | Made with |");
        md.AppendLine("|---|---|");
        foreach (var image in u.Images)
            md.AppendLine($"| {image.Name} | {image.MadeWith.Replace("|", "\\|")} |");
        md.AppendLine();

        md.AppendLine("### Goal: Easel ≥ ImageMagick and ≥ libvips on mean PSNR and mean SSIM");
        md.AppendLine();
        md.AppendLine("| Factor | Easel PSNR / SSIM | ImageMagick | libvips | Result |");
        md.AppendLine("|---|---:|---:|---:|---|");
        foreach (var scale in UpscaleBench.Scales)
        {
            var easel = Quality(u, UpscaleBench.Easel, scale);
            var im = Quality(u, UpscaleBench.ImageMagickName, scale);
            var vips = Quality(u, UpscaleBench.Vips, scale);
            md.AppendLine($"| {scale}x | {Score(easel)} | {Score(im)} | {Score(vips)} | {Verdict(AtLeast(easel, im) && AtLeast(easel, vips))} |");
        }
        md.AppendLine();

        md.AppendLine("### Quality, mean over the set");
        md.AppendLine();
        md.AppendLine("| Factor | Method | How | Mean PSNR (dB) | Mean SSIM | Easel − it, PSNR | Easel − it, SSIM |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var scale in UpscaleBench.Scales)
        {
            var easel = Quality(u, UpscaleBench.Easel, scale);
            foreach (var q in u.Quality.Where(q => q.Scale == scale))
            {
                var isEasel = q.Method == UpscaleBench.Easel;
                md.AppendLine($"| {scale}x | {(isEasel ? "**Easel**" : q.Method)} | {q.How.Replace("|", "\\|")} | {q.MeanPsnr.ToString("0.000", CultureInfo.InvariantCulture)} | {q.MeanSsim.ToString("0.00000", CultureInfo.InvariantCulture)} "
                    + $"| {(isEasel ? "" : Signed(easel.MeanPsnr - q.MeanPsnr, "0.000") + " dB")} | {(isEasel ? "" : Signed(easel.MeanSsim - q.MeanSsim, "0.00000"))} |");
            }
        }
        md.AppendLine();

        md.AppendLine("Per image, PSNR (dB) / SSIM:");
        md.AppendLine();
        var methods = u.Quality.Select(q => q.Method).Distinct().ToList();
        md.AppendLine($"| Original | Factor | {string.Join(" | ", methods)} |");
        md.AppendLine($"|---|---|{string.Concat(methods.Select(_ => "---:|"))}");
        for (var i = 0; i < u.Images.Count; i++)
            foreach (var scale in UpscaleBench.Scales)
                md.AppendLine($"| {u.Images[i].Name} | {scale}x | {string.Join(" | ", methods.Select(m => Score(Quality(u, m, scale), i)))} |");
        md.AppendLine();

        md.AppendLine("### Speed, side by side in this run");
        md.AppendLine();
        md.AppendLine($"On the sketch of the CLI prompt ({UpscaleBench.Size / 2}x{UpscaleBench.Size / 2} → {UpscaleBench.Size}x{UpscaleBench.Size} and {UpscaleBench.Size / 4}x{UpscaleBench.Size / 4} → {UpscaleBench.Size}x{UpscaleBench.Size}). Easel runs in this process");
        md.AppendLine("(warm-up, then timed calls, as in section 3); ImageMagick is timed by its own `-bench`, which repeats the whole command inside");
        md.AppendLine("one process, so its figure has no process start-up but does read and write the PNG files (on tmpfs); libvips has no such");
        md.AppendLine("option, so it is timed as whole processes, start-up included. The fair pair for speed is Easel's PNG-to-PNG row against");
        md.AppendLine("ImageMagick's `-bench` row: the same work (decode, enlarge, encode at zlib level 4 with adaptive filtering) with no start-up on");
        md.AppendLine("either side. For the whole-process rows the tool's start-up alone (a 1x1 no-op) is shown and subtracted as an");
        md.AppendLine("approximation. **Easel ÷ tool** is the tool's time over Easel's PNG-to-PNG time: above 1 Easel is faster.");
        md.AppendLine();
        md.AppendLine("| Factor | Method | What is timed | Median ms | p90 ms | Easel ÷ tool |");
        md.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var scale in UpscaleBench.Scales)
        {
            var rows = u.Timing.Where(t => t.Scale == scale).ToList();
            var reference = rows.Where(t => t.Method == UpscaleBench.Easel).Last();
            foreach (var t in rows)
            {
                var isEasel = t.Method == UpscaleBench.Easel;
                var cores = t.CoresBusy is { } busy ? $"; {busy.ToString("0.0", CultureInfo.InvariantCulture)} cores busy" : "";
                md.AppendLine($"| {scale}x | {(isEasel ? "**Easel**" : t.Method)} | {t.What}{cores} | {Ms(t.Samples.Median)} | {Ms(t.Samples.P90)} | {(isEasel ? "" : Ratio(t.Samples.Median / reference.Samples.Median))} |");
                if (t.StartupIncluded && u.Startup.FirstOrDefault(s => s.Tool == t.Method) is { } startup)
                {
                    var net = t.Samples.Median - startup.Samples.Median;
                    md.AppendLine($"| {scale}x | {t.Method} | the same less its median start-up ({Ms(startup.Samples.Median)} ms), approximate | {Ms(net)} | | {Ratio(net / reference.Samples.Median)} |");
                }
            }
        }
        md.AppendLine();
        md.AppendLine("| Tool | Start-up alone | Median ms | p90 ms |");
        md.AppendLine("|---|---|---:|---:|");
        foreach (var s in u.Startup)
            md.AppendLine($"| {s.Tool} | `{s.Command}` | {Ms(s.Samples.Median)} | {Ms(s.Samples.P90)} |");
        md.AppendLine();

        md.AppendLine("### Reading");
        md.AppendLine();
        foreach (var line in UpscaleReading(u))
            md.AppendLine($"- {line}");
        md.AppendLine();

        md.AppendLine("Commands, exactly as run in the scratch directory (first image shown; the others differ only in file names):");
        md.AppendLine();
        md.AppendLine("| Tool | Purpose | Command |");
        md.AppendLine("|---|---|---|");
        foreach (var c in u.Commands)
            md.AppendLine($"| {c.Tool} | {c.Purpose} | `{c.Command.Replace("|", "\\|")}` |");
        foreach (var t in u.Timing.Where(t => t.Method != UpscaleBench.Easel && !t.StartupIncluded))
            md.AppendLine($"| {t.Method} | timing, {t.Scale}x | `{t.Command.Replace("|", "\\|")}` |");
        md.AppendLine();
    }

    private static IEnumerable<string> UpscaleReading(UpscaleResults u)
    {
        foreach (var scale in UpscaleBench.Scales)
        {
            var easel = Quality(u, UpscaleBench.Easel, scale);
            var lanczos = Quality(u, UpscaleBench.EaselLanczos, scale);
            var im = Quality(u, UpscaleBench.ImageMagickName, scale);
            var im16 = Quality(u, UpscaleBench.ImageMagick16, scale);
            var vips = Quality(u, UpscaleBench.Vips, scale);
            var wins = u.Images.Count == 0 ? 0 : Enumerable.Range(0, u.Images.Count).Count(i => easel.Psnr[i] >= im.Psnr[i] && easel.Psnr[i] >= vips.Psnr[i]);
            yield return $"**{scale}x**: Easel {Score(easel)}, {Signed(easel.MeanPsnr - im.MeanPsnr, "0.00")} dB and {Signed(easel.MeanSsim - im.MeanSsim, "0.00000")} SSIM against ImageMagick, "
                + $"{Signed(easel.MeanPsnr - vips.MeanPsnr, "0.00")} dB and {Signed(easel.MeanSsim - vips.MeanSsim, "0.00000")} against libvips; "
                + $"Easel has the highest PSNR of the three on {wins} of {u.Images.Count} images. The sharpening adds {Signed(easel.MeanPsnr - lanczos.MeanPsnr, "0.000")} dB and "
                + $"{Signed(easel.MeanSsim - lanczos.MeanSsim, "0.00000")} SSIM to Lanczos alone; against ImageMagick's own filter read at 16 bits and rounded, Easel is "
                + $"{Signed(easel.MeanPsnr - im16.MeanPsnr, "0.000")} dB and {Signed(easel.MeanSsim - im16.MeanSsim, "0.00000")} SSIM"
                + $" ({(AtLeast(easel, im16) ? "at least as good on both" : "not ahead on both")}).";
        }
        var lanczos2 = Quality(u, UpscaleBench.EaselLanczos, UpscaleBench.Scales[0]);
        var im16x2 = Quality(u, UpscaleBench.ImageMagick16, UpscaleBench.Scales[0]);
        yield return $"ImageMagick 6 (Q16) writes its 8-bit PNG by truncating its 16-bit values: in this run {Share(u.ImageMagickTruncated)} of the samples it wrote for the first "
            + $"original at {UpscaleBench.Scales[0]}x equal ⌊q / 257⌋ of its own 16-bit output, half a level darker on average than rounding. That costs it PSNR, most on the smooth images whose "
            + $"error is otherwise small. Its filter is the one Easel's `Resampler` reproduces: Easel's Lanczos-3 alone scores {Signed(lanczos2.MeanPsnr - im16x2.MeanPsnr, "0.000")} dB "
            + $"and {Signed(lanczos2.MeanSsim - im16x2.MeanSsim, "0.00000")} SSIM from ImageMagick's 16-bit output at 2x, so against that output what is left is Easel's light sharpening.";
        yield return $"libvips's `resize` enlarges on a grid half an output pixel off the centre-aligned one the other two use ({u.VipsLinePeak}), "
            + "so edges land shifted against the original, which likely accounts for most of its lower score.";
        foreach (var scale in UpscaleBench.Scales)
        {
            var rows = u.Timing.Where(t => t.Scale == scale).ToList();
            var memory = rows.First(t => t.Method == UpscaleBench.Easel);
            var file = rows.Last(t => t.Method == UpscaleBench.Easel);
            var bench = rows.FirstOrDefault(t => t.Method == UpscaleBench.ImageMagickName && !t.StartupIncluded);
            var vips = rows.FirstOrDefault(t => t.Method == UpscaleBench.Vips);
            var vipsStartup = u.Startup.FirstOrDefault(s => s.Tool == UpscaleBench.Vips);
            var text = $"Speed at {scale}x: Easel takes {Ms(memory.Samples.Median)} ms in memory and {Ms(file.Samples.Median)} ms from PNG to PNG";
            if (bench is not null)
                text += $"; ImageMagick {Ms(bench.Samples.Median)} ms for the same PNG-to-PNG work without start-up (Easel ÷ ImageMagick = {Ratio(bench.Samples.Median / file.Samples.Median)})";
            if (vips is not null)
                text += $"; libvips {Ms(vips.Samples.Median)} ms as a whole process ({Ratio(vips.Samples.Median / file.Samples.Median)})"
                    + (vipsStartup is null ? "" : $", about {Ms(vips.Samples.Median - vipsStartup.Samples.Median)} ms less its start-up ({Ratio((vips.Samples.Median - vipsStartup.Samples.Median) / file.Samples.Median)})");
            yield return text + ".";
        }
    }

    private static UpscaleQuality Quality(UpscaleResults u, string method, int scale) =>
        u.Quality.First(q => q.Method == method && q.Scale == scale);

    private static bool AtLeast(UpscaleQuality a, UpscaleQuality b) => a.MeanPsnr >= b.MeanPsnr && a.MeanSsim >= b.MeanSsim;

    private static string Score(UpscaleQuality q) =>
        $"{q.MeanPsnr.ToString("0.000", CultureInfo.InvariantCulture)} dB / {q.MeanSsim.ToString("0.00000", CultureInfo.InvariantCulture)}";

    private static string Score(UpscaleQuality q, int image) =>
        $"{q.Psnr[image].ToString("0.00", CultureInfo.InvariantCulture)} / {q.Ssim[image].ToString("0.0000", CultureInfo.InvariantCulture)}";

    private static string Share(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A difference with its sign; one that rounds to zero at this precision gets none.</summary>
    private static string Signed(double value, string format)
    {
        var magnitude = Math.Abs(value).ToString(format, CultureInfo.InvariantCulture);
        if (magnitude.All(ch => ch is '0' or '.'))
            return magnitude;
        return (value >= 0 ? "+" : "−") + magnitude;
    }
}
