using System.CommandLine;
using Easel.Server.Mcp;
using Microsoft.Extensions.Logging;

namespace Easel.Cli.Commands;

/// <summary>`easel mcp`: Easel's tools for an MCP client (Claude Desktop, VS Code, …) over stdin and stdout.</summary>
internal static class McpCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log what the server does on stderr (by default only warnings and errors)." };
        var command = new Command("mcp",
            "Run Easel as an MCP server on stdin/stdout for an MCP client, and carry out its orders, until stdin closes or Ctrl+C. " +
            "Orders above the approval limits wait for a person: the client asks them when it can, or they decide with `easel approve`.")
        {
            verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new EaselMcpOptions { LogLevel = parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning };
            await EaselMcpServer.RunAsync(services, options, cancellationToken);
            if (parse.GetValue(verbose))
                console.Log("Stopped.");
            return ExitCodes.Success;
        });
        return command;
    }
}
