using System.Diagnostics;
using System.Globalization;

namespace Easel.Bench;

/// <summary>
/// How much CPU everything else on the machine used while a phase ran: machine-wide busy time
/// (/proc/stat) minus this process's and its waited-for children's time (/proc/self/stat). The
/// load average cannot tell these apart, and the benchmark itself keeps the cores busy.
/// </summary>
internal sealed class CpuMonitor
{
    private const double TicksPerSecond = 100; // USER_HZ, the unit of both files on Linux.

    private readonly long _machineBusy;
    private readonly long _self;
    private readonly long _start = Stopwatch.GetTimestamp();

    private CpuMonitor(long machineBusy, long self)
    {
        _machineBusy = machineBusy;
        _self = self;
    }

    public static bool Supported => File.Exists("/proc/stat") && File.Exists("/proc/self/stat");

    public static CpuMonitor Start() => Supported ? new CpuMonitor(MachineBusyTicks(), SelfTicks()) : new CpuMonitor(0, 0);

    /// <summary>Average number of cores other processes kept busy since <see cref="Start"/>, or null when unknown.</summary>
    /// <param name="oursElsewhere">CPU seconds the benchmark's own processes that are not waited-for children (a server it started) used meanwhile.</param>
    public double? OtherCores(double oursElsewhere = 0)
    {
        if (!Supported)
            return null;
        var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        var others = (MachineBusyTicks() - _machineBusy) - (SelfTicks() - _self) - oursElsewhere * TicksPerSecond;
        return seconds <= 0 ? null : Math.Max(0, others / TicksPerSecond / seconds);
    }

    /// <summary>User + system CPU seconds another process has used so far (0 when it is gone or unknown).</summary>
    public static double CpuSecondsOf(int processId)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{processId}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long MachineBusyTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => fields.Length > i ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
        return Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
    }

    private static long SelfTicks()
    {
        // The command name may contain spaces; fields after it start at field 3 (state).
        var text = File.ReadAllText("/proc/self/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return Field(14) + Field(15) + Field(16) + Field(17); // utime, stime, cutime, cstime
    }
}
