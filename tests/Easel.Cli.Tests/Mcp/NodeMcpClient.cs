using System.Collections;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Easel.Cli.Tests.Mcp;

/// <summary>
/// Runs tests/mcp-node/easel-client.mjs: the official MCP TypeScript SDK as an independent client
/// of the real `easel mcp` executable, started with the same program, data directory and
/// environment as <see cref="CliHarness.StartProcess"/>. Each scenario prints one JSON line.
/// </summary>
internal static class NodeMcpClient
{
    /// <param name="holdUntil">For scenarios that hold the session open: the script's stdin closes (and the scenario ends) when this completes.</param>
    public static async Task<JsonElement> RunAsync(CliHarness cli, string scenario, Task? holdUntil = null)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "mcp-node");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@modelcontextprotocol", "sdk")))
            Assert.Fail($"The MCP TypeScript SDK is not installed: run `npm ci` in {folder} (scripts/test.sh does).");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(folder, "easel-client.mjs"));
        start.ArgumentList.Add(scenario);
        start.Environment["EASEL_CLI_COMMAND"] = "dotnet";
        start.Environment["EASEL_CLI_ARGS"] = JsonSerializer.Serialize(new[] { CliHarness.Executable });
        start.Environment["EASEL_CLI_ENV"] = JsonSerializer.Serialize(EaselEnvironment(cli));

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"Cannot run node ({ex.Message}); install Node.js (scripts/test.sh does).");
            throw;
        }
        using (process)
        {
            var input = process.StandardInput;
            _ = (holdUntil ?? Task.CompletedTask).ContinueWith(_ => input.Close(), TaskScheduler.Default);
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            try
            {
                await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(4), TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node easel-client.mjs {scenario} did not finish within 4 minutes.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
            }
            var output = await stdout;
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            line.ShouldNotBeNull($"node easel-client.mjs {scenario} printed nothing (exit {process.ExitCode}).\nstderr:\n{await stderr}");
            using var document = JsonDocument.Parse(line);
            var result = document.RootElement.Clone();
            if (result.TryGetProperty("error", out var error))
            {
                Assert.Fail($"Scenario {scenario} failed in the client: {error.GetString()}\neasel stderr:\n{(result.TryGetProperty("stderr", out var e) ? e.ToString() : "")}\nnode stderr:\n{await stderr}");
            }
            process.ExitCode.ShouldBe(0, $"node stderr:\n{await stderr}");
            // Stdout carried nothing but MCP messages, in an order the client could follow.
            result.GetProperty("protocolErrors").EnumerateArray().Select(e => e.GetString()).ShouldBeEmpty();
            return result;
        }
    }

    /// <summary>
    /// What <see cref="CliHarness.StartProcess"/> gives the child: this process's environment without
    /// EASEL_ settings of the machine, the private data directory as EASEL_HOME and HOME, and the test's own variables.
    /// </summary>
    private static Dictionary<string, string> EaselEnvironment(CliHarness cli)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var name = (string)e.Key;
            if (!name.StartsWith("EASEL_", StringComparison.OrdinalIgnoreCase) && e.Value is string value)
                env[name] = value;
        }
        env["EASEL_HOME"] = cli.Home;
        env["HOME"] = cli.Home;
        foreach (var (name, value) in cli.Environment)
        {
            if (value is null)
                env.Remove(name);
            else
                env[name] = value;
        }
        return env;
    }

    /// <summary>The folder with Easel.slnx: above the test binaries, or (when they are built elsewhere) above this source file.</summary>
    private static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "", Directory.GetCurrentDirectory() })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Easel.slnx")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository (the folder with Easel.slnx) above the tests or their sources.");
    }
}
