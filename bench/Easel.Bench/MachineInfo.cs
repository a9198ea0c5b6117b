using System.Runtime.InteropServices;

namespace Easel.Bench;

internal sealed record MachineInfo(
    string Cpu,
    int LogicalCores,
    string Memory,
    string OperatingSystem,
    string Runtime,
    string Sdk,
    string Vips,
    string ImageMagick,
    string Hyperfine)
{
    public static MachineInfo Collect(Commands commands)
    {
        var cpuinfo = ReadOrEmpty("/proc/cpuinfo").Split('\n');
        var cpu = cpuinfo.Where(l => l.StartsWith("model name", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault() ?? RuntimeInformation.ProcessArchitecture.ToString();

        var memTotal = ReadOrEmpty("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var memory = memTotal is null
            ? "unknown"
            : $"{long.Parse(memTotal.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0 / 1024.0:0.0} GiB";

        var osRelease = ReadOrEmpty("/etc/os-release").Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        var os = (osRelease?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription)
            + $", kernel {ReadOrEmpty("/proc/sys/kernel/osrelease").Trim()}";

        return new MachineInfo(
            cpu,
            Environment.ProcessorCount,
            memory,
            os,
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture}), GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}",
            FirstLine(commands, "dotnet", ["--version"]),
            FirstLine(commands, "vips", ["--version"]),
            Bench.ImageMagick.Installed ? FirstLine(commands, Bench.ImageMagick.Convert, ["-version"]).Replace("Version: ", "") : "not installed",
            FirstLine(commands, "hyperfine", ["--version"]));
    }

    /// <summary>The 1, 5 and 15 minute load averages: how busy the shared machine was.</summary>
    public static string LoadAverage()
    {
        var parts = ReadOrEmpty("/proc/loadavg").Split(' ');
        return parts.Length >= 3 ? $"{parts[0]} / {parts[1]} / {parts[2]}" : "unknown";
    }

    public static double OneMinuteLoad() =>
        double.TryParse(ReadOrEmpty("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : 0;

    private static string FirstLine(Commands commands, string program, string[] arguments)
    {
        if (!Commands.Exists(program))
            return "not installed";
        var output = commands.Run(program, arguments);
        return output.ExitCode == 0 ? output.StdOut.Split('\n')[0].Trim() : "unknown";
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
