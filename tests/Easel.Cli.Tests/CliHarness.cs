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

    public async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new CliConsole(CliConsole.Create(stdout, terminal: false), CliConsole.Create(stderr, terminal: false), stdout, errorIsTerminal: false);
        var env = new Dictionary<string, string?> { ["EASEL_HOME"] = Home, ["HOME"] = Home };
        var code = await EaselCli.RunAsync(args, console, name => env.GetValueOrDefault(name));
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the real `easel` executable as a child process, with no standard input.</summary>
    public async Task<CliRun> RunProcessAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "easel.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["EASEL_HOME"] = Home;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new CliRun(process.ExitCode, await stdout, await stderr);
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
