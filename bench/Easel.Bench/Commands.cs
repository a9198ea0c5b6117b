using System.Diagnostics;
using System.Text.Json;

namespace Easel.Bench;

internal sealed record CommandOutput(int ExitCode, string StdOut, string StdErr);

/// <summary>Wall-clock times of whole runs, and their mean CPU time (user + system) when the timer reports it.</summary>
internal sealed record ProcessTimes(Samples Wall, double? MeanCpuMs);

/// <summary>Runs external programs: once for their output, or many times for their wall-clock time.</summary>
internal sealed class Commands(string workingDirectory, string scratchDirectory)
{
    public static bool Exists(string program) => Which(program) is not null;

    public static string? Which(string program)
    {
        if (program.Contains('/'))
            return File.Exists(program) ? program : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, program);
            if (File.Exists(path))
                return path;
        }
        return null;
    }

    public CommandOutput Run(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(program, arguments, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new CommandOutput(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the command and fails loudly unless it exits with 0: a failing command times nothing useful.</summary>
    public CommandOutput RunChecked(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = Run(program, arguments, environment);
        if (output.ExitCode != 0)
            throw new InvalidOperationException($"`{Display(program, arguments)}` exited with {output.ExitCode}:\n{output.StdErr}{output.StdOut}");
        return output;
    }

    /// <summary>
    /// Wall-clock time of whole process runs, from start to exit. Uses hyperfine when it is
    /// installed (it subtracts its own spawn overhead and checks exit codes); otherwise a
    /// stopwatch around Process.Start/WaitForExit, which includes .NET's spawn cost (about a millisecond).
    /// </summary>
    public ProcessTimes Time(string program, IReadOnlyList<string> arguments, int warmups, int runs, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (Exists("hyperfine"))
            return TimeWithHyperfine(program, arguments, warmups, runs, environment);

        for (var i = 0; i < warmups; i++)
            RunChecked(program, arguments, environment);
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
            times.Add(TimeOnce(program, arguments, environment));
        return new ProcessTimes(new Samples(times), null);
    }

    /// <summary>
    /// Times <paramref name="arguments"/> and <paramref name="baseline"/> alternately, swapping which goes
    /// first each round, with a stopwatch around each process (spawn cost is the same on both sides and
    /// cancels). Returns both sets of times and the per-round differences.
    /// </summary>
    public (Samples Command, Samples Baseline, Samples Difference) TimePaired(string program, IReadOnlyList<string> arguments, IReadOnlyList<string> baseline, int warmups, int runs)
    {
        for (var i = 0; i < warmups; i++)
        {
            RunChecked(program, arguments);
            RunChecked(program, baseline);
        }
        var command = new List<double>(runs);
        var reference = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            if (i % 2 == 0)
            {
                command.Add(TimeOnce(program, arguments));
                reference.Add(TimeOnce(program, baseline));
            }
            else
            {
                reference.Add(TimeOnce(program, baseline));
                command.Add(TimeOnce(program, arguments));
            }
        }
        return (new Samples(command), new Samples(reference), new Samples(command.Zip(reference, (c, b) => c - b)));
    }

    private double TimeOnce(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = Stopwatch.GetTimestamp();
        var output = Run(program, arguments, environment);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (output.ExitCode != 0)
            throw new InvalidOperationException($"`{Display(program, arguments)}` exited with {output.ExitCode}:\n{output.StdErr}");
        return elapsed;
    }

    public static string TimerName => Exists("hyperfine") ? "hyperfine" : "a stopwatch around Process.Start";

    public static string Display(string program, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { program }.Concat(arguments).Select(Quote));

    private ProcessTimes TimeWithHyperfine(string program, IReadOnlyList<string> arguments, int warmups, int runs, IReadOnlyDictionary<string, string>? environment)
    {
        var json = Path.Combine(scratchDirectory, $"hyperfine-{Guid.NewGuid():N}.json");
        try
        {
            // -N: no intermediate shell, so nothing but the command itself is timed.
            RunChecked("hyperfine",
                ["-N", "--style", "none", "--warmup", warmups.ToString(), "--runs", runs.ToString(), "--export-json", json, Display(program, arguments)],
                environment);
            using var document = JsonDocument.Parse(File.ReadAllBytes(json));
            var result = document.RootElement.GetProperty("results")[0];
            var times = result.GetProperty("times").EnumerateArray().Select(t => t.GetDouble() * 1000);
            var cpu = (result.GetProperty("user").GetDouble() + result.GetProperty("system").GetDouble()) * 1000;
            return new ProcessTimes(new Samples(times), cpu);
        }
        finally
        {
            File.Delete(json);
        }
    }

    private Process Start(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment)
                info.Environment[key] = value;
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    // POSIX shell quoting: hyperfine splits its command string the same way, and the doc shows runnable commands.
    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:+@%,".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
