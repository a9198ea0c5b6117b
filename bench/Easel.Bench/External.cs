using System.Globalization;
using System.Text.RegularExpressions;

namespace Easel.Bench;

/// <summary>
/// An external tool's time for one operation with its fixed costs taken out: the same tool doing
/// the same pipeline without the operation (read raw pixels, write them to the same kind of sink)
/// is the baseline, and <see cref="Net"/> holds one (command − baseline) time per run.
/// </summary>
internal sealed record ExternalResult(string Command, Samples Net, Samples Gross, Samples Baseline, string? OutputPath = null)
{
    /// <summary>In a quarter or more of the runs the command was no slower than its baseline: mostly noise.</summary>
    public bool WithinNoise => Net.Percentile(25) <= 0;
}

internal sealed record Counts(int ImageMagickRuns, int ProcessWarmups, int VipsRuns, int StartupRuns)
{
    public static readonly Counts Full = new(7, 3, 60, 20);

    public static readonly Counts Quick = new(2, 1, 5, 3);
}

/// <summary>
/// ImageMagick 6 timed with its own <c>-bench N</c> option: convert repeats the whole command
/// (read, operate, write) N times inside one process and prints the elapsed time, so process
/// start-up is not in the figure at all. Each of several such runs gives one per-iteration mean.
/// </summary>
internal sealed partial class ImageMagick(Commands commands, Counts counts)
{
    public const string Convert = "/usr/bin/convert";

    public static bool Installed => File.Exists(Convert);

    public Samples Bench(int iterations, IReadOnlyList<string> arguments)
    {
        var means = new List<double>(counts.ImageMagickRuns);
        // One untimed run first: page cache, shared libraries and the output file all in place.
        commands.RunChecked(Convert, ["-bench", "1", .. arguments]);
        for (var run = 0; run < counts.ImageMagickRuns; run++)
        {
            var output = commands.RunChecked(Convert, ["-bench", iterations.ToString(CultureInfo.InvariantCulture), .. arguments]);
            means.Add(PerIterationMs(output.StdErr + output.StdOut, iterations));
        }
        return new Samples(means);
    }

    public static string Display(int iterations, IReadOnlyList<string> arguments) =>
        Commands.Display(Convert, ["-bench", iterations.ToString(CultureInfo.InvariantCulture), .. arguments]);

    /// <summary>
    /// -bench prints one line per OpenMP thread count from 1 up to the default; the last line is
    /// the run with all threads, which is what a normal convert call uses.
    /// Example: <c>Performance[2]: 20i 305.876ips 0.572011e 0.070000u 0:00.065</c>.
    /// </summary>
    internal static double PerIterationMs(string text, int iterations)
    {
        var matches = PerformanceLine().Matches(text);
        if (matches.Count == 0)
            throw new InvalidOperationException($"No 'Performance[n]' line in convert -bench output:\n{text}");
        var last = matches[^1];
        if (int.Parse(last.Groups["n"].Value, CultureInfo.InvariantCulture) != iterations)
            throw new InvalidOperationException($"convert -bench ran {last.Groups["n"].Value} iterations, expected {iterations}.");
        // ips is printed with more significant digits than the elapsed clock.
        var ips = double.Parse(last.Groups["ips"].Value, CultureInfo.InvariantCulture);
        return 1000 / ips;
    }

    [GeneratedRegex(@"Performance\[\d+\]:\s*(?<n>\d+)i\s+(?<ips>[0-9.]+)ips")]
    private static partial Regex PerformanceLine();
}
