using System.Diagnostics;
using System.Text.Json;

namespace Easel.Cli.Tests;

/// <summary>Runs `easel` in-process against a private data directory and captures stdout and stderr.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Home = Directory.CreateTempSubdirectory("easel-cli-test-").FullName;
    }

    public string Home { get; }

    /// <summary>Extra environment variables for every run (in-process and child process).</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new CliConsole(CliConsole.Create(stdout, terminal: false), CliConsole.Create(stderr, terminal: false), stdout, errorIsTerminal: false);
        var env = new Dictionary<string, string?> { ["EASEL_HOME"] = Home, ["HOME"] = Home };
        foreach (var (name, value) in Environment)
            env[name] = value;
        var code = await EaselCli.RunAsync(args, console, env, TestContext.Current.CancellationToken);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs `easel` in-process as if in a terminal, answering its questions with <paramref name="keys"/>.</summary>
    public async Task<(CliRun Run, int KeysLeft)> RunInTerminalAsync(IEnumerable<ConsoleKey> keys, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var terminal = new ScriptedTerminal(stderr, keys);
        var console = new CliConsole(CliConsole.Create(stdout, terminal: false), terminal, stdout, errorIsTerminal: false, canPrompt: true);
        var env = new Dictionary<string, string?> { ["EASEL_HOME"] = Home, ["HOME"] = Home };
        foreach (var (name, value) in Environment)
            env[name] = value;
        var code = await EaselCli.RunAsync(args, console, env, TestContext.Current.CancellationToken);
        return (new CliRun(code, stdout.ToString(), stderr.ToString()), terminal.KeysLeft);
    }

    /// <summary>Runs the real `easel` executable as a child process, with no standard input, and waits for it.</summary>
    public async Task<CliRun> RunProcessAsync(params string[] args)
    {
        using var process = StartProcess(args);
        return await process.WaitAsync(TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Starts the real `easel` executable as a child process, with no standard input, and returns
    /// at once. Its HOME is the data directory too, so no configuration of the machine leaks in.
    /// </summary>
    public EaselProcess StartProcess(params string[] args)
    {
        var dll = Executable;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Settings of the machine running the tests must not change what the child does.
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("EASEL_", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        }
        start.Environment["EASEL_HOME"] = Home;
        start.Environment["HOME"] = Home;
        foreach (var (name, value) in Environment)
            start.Environment[name] = value;
        return new EaselProcess(Process.Start(start)!);
    }

    /// <summary>
    /// The CLI's own build (artifacts/bin/Easel.Cli/CONFIG/easel.dll), not the copy beside the tests:
    /// this project also references ASP.NET Core for the fake vendors, which leaves the copy without
    /// the configuration libraries the CLI ships with.
    /// </summary>
    internal static string Executable
    {
        get
        {
            var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var own = Path.Combine(tests.Parent!.Parent!.FullName, "Easel.Cli", tests.Name, "easel.dll");
            return File.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, "easel.dll");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>A running `easel` child process whose output is collected as it comes.</summary>
internal sealed class EaselProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public EaselProcess(Process process)
    {
        _process = process;
        _process.StandardInput.Close();
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Ends the process at once, as a crash or a power cut would: SIGKILL on Linux and macOS, no cleanup runs.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It already exited.
        }
    }

    /// <summary>Asks the process to stop, as a service manager does (SIGTERM).</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
            _ = Signal(_process.Id, 15);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    /// <summary>Waits for the process to end and returns what it printed.</summary>
    public async Task<CliRun> WaitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"easel (pid {Id}) did not exit within {timeout}; it was killed.\nstdout:\n{await _stdout}\nstderr:\n{await _stderr}");
        }
        return new CliRun(_process.ExitCode, await _stdout, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}

internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json()
    {
        // Exactly one JSON value on stdout: parsing fails on anything before or after it.
        using var doc = JsonDocument.Parse(Stdout);
        return doc.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
