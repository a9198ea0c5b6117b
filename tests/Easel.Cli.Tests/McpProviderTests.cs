using System.Runtime.CompilerServices;
using Easel.Imaging.Png;

namespace Easel.Cli.Tests;

/// <summary>
/// An image tool of another MCP server, configured in config.json and used end to end: listed by
/// `easel providers`, checked by `easel doctor`, and making an order's images through the
/// reference server-everything from npm.
/// </summary>
public sealed class McpProviderTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public McpProviderTests()
    {
        var everything = Path.Combine(RepositoryRoot(), "tests", "mcp-node", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
        if (!File.Exists(everything))
            throw new InvalidOperationException($"{everything} is missing: run `npm ci` in tests/mcp-node.");
        var config = Path.Combine(_cli.Home, "config");
        Directory.CreateDirectory(config);
        File.WriteAllText(Path.Combine(config, "config.json"), $$"""
            {
              "McpProviders": {
                "tiny": { "Command": "node", "Arguments": [{{Json(everything)}}, "stdio"], "Tool": "get-tiny-image", "Timeout": "1m" },
                "echo": { "Command": "node", "Arguments": [{{Json(everything)}}, "stdio"], "Tool": "echo", "ToolArguments": { "message": "{prompt}" } }
              }
            }
            """);
        _cli.Environment["EASEL_CONFIG_HOME"] = config;
    }

    public void Dispose() => _cli.Dispose();

    private static string Json(string text) => $"\"{System.Text.Json.JsonEncodedText.Encode(text)}\"";

    [Fact]
    public async Task Providers_lists_a_configured_mcp_provider()
    {
        var run = await _cli.RunAsync("providers", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());

        var tiny = run.Json().GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "tiny");
        tiny.GetProperty("vendor").GetString().ShouldBe("MCP");
        tiny.GetProperty("kind").GetString().ShouldBe("image");
        tiny.GetProperty("configured").GetBoolean().ShouldBeTrue();
        tiny.GetProperty("model").GetString().ShouldBe("get-tiny-image");
        var capabilities = tiny.GetProperty("capabilities");
        capabilities.GetProperty("max_images_per_call").GetInt32().ShouldBe(1);
        capabilities.GetProperty("negative_prompt").GetBoolean().ShouldBeFalse();
        capabilities.GetProperty("timeout_seconds").GetDouble().ShouldBe(60);

        var table = await _cli.RunAsync("providers");
        table.Stdout.ShouldContain("tiny");
        table.Stdout.ShouldContain("get-tiny-image");
    }

    [Fact]
    public async Task Generate_stores_the_tools_images_in_the_gallery()
    {
        var run = await _cli.RunAsync("generate", "a cat", "-n", "2", "--provider", "tiny", "--max-iterations", "1", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());

        var images = run.Json().GetProperty("images").EnumerateArray().ToList();
        images.Count.ShouldBe(2);
        foreach (var image in images)
        {
            var png = PngDecoder.Decode(await File.ReadAllBytesAsync(image.GetProperty("path").GetString()!, TestContext.Current.CancellationToken));
            (png.Image.Width, png.Image.Height).ShouldBe((20, 20), "the server's image, as it made it");
        }

        var history = await _cli.RunAsync("history", "--json");
        var stored = history.Json().GetProperty("images").EnumerateArray().ToList();
        stored.Count.ShouldBe(2);
        stored.ShouldAllBe(i => i.GetProperty("provider").GetString() == "tiny" && i.GetProperty("model").GetString() == "get-tiny-image");
    }

    [Fact]
    public async Task What_the_tool_cannot_take_is_refused_before_the_server_is_called()
    {
        var run = await _cli.RunAsync("generate", "a cat", "--provider", "tiny", "--negative", "text");
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain("tiny does not take a negative prompt.");
    }

    [Fact]
    public async Task A_tool_that_makes_no_image_fails_the_order_with_what_it_said()
    {
        var run = await _cli.RunAsync("generate", "a cat", "--provider", "echo", "--max-iterations", "1");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("The MCP tool 'echo' on echo returned no image (it said: Echo: a cat).");
    }

    [Fact]
    public async Task Doctor_starts_each_mcp_server_and_checks_its_tool()
    {
        var config = Path.Combine(_cli.Home, "config", "config.json");
        var text = await File.ReadAllTextAsync(config, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(config, text.Replace("\"Tool\": \"echo\"", "\"Tool\": \"draw\""), TestContext.Current.CancellationToken);

        var run = await _cli.RunAsync("doctor");

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stdout.ShouldContain("✓ tiny: the MCP server (node) starts and offers the tool 'get-tiny-image'");
        run.Stdout.ShouldContain("✗ The MCP server for echo has no tool 'draw'; its tools are ");
    }

    [Fact]
    public async Task A_name_of_easels_own_providers_is_refused()
    {
        var config = Path.Combine(_cli.Home, "config", "config.json");
        await File.WriteAllTextAsync(config, """{ "McpProviders": { "sketch": { "Command": "node", "Tool": "draw" } } }""", TestContext.Current.CancellationToken);

        var run = await _cli.RunAsync("providers");

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain($"McpProviders:sketch in {config} has the name of Easel's own provider 'sketch'");
    }

    private static string RepositoryRoot([CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Easel.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Easel.slnx above {source}.");
    }
}
