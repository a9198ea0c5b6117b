using System.Runtime.CompilerServices;
using System.Text.Json;
using Easel.Providers.Mcp;

namespace Easel.Providers.Tests.Mcp;

/// <summary>
/// The MCP servers Easel's MCP image provider is tested against: the reference server-everything
/// from npm (tests/mcp-node, installed with <c>npm ci</c>), and peer-server.mjs, built on the
/// official TypeScript SDK, for what the reference server cannot show.
/// </summary>
public static class McpPeers
{
    /// <summary>The folder holding Easel.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string NodeModules => Path.Combine(RepositoryRoot, "tests", "mcp-node", "node_modules");

    /// <summary>server-everything's entry point; <c>node EVERYTHING stdio</c> serves MCP on stdio.</summary>
    public static string Everything
    {
        get
        {
            var path = Path.Combine(NodeModules, "@modelcontextprotocol", "server-everything", "dist", "index.js");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run `npm ci` in {Path.Combine(RepositoryRoot, "tests", "mcp-node")}.");
        }
    }

    public static string PeerScript => Path.Combine(RepositoryRoot, "tests", "Easel.Providers.Tests", "Mcp", "peer-server.mjs");

    /// <summary>A provider calling <paramref name="tool"/> of server-everything.</summary>
    public static McpProviderOptions EverythingTool(string tool, string arguments = "{}", string name = "everything") => new()
    {
        Name = name,
        Command = "node",
        Arguments = [Everything, "stdio"],
        Tool = tool,
        ToolArguments = Arguments(arguments),
        Timeout = TimeSpan.FromMinutes(1),
    };

    /// <summary>A provider calling <paramref name="tool"/> of peer-server.mjs, which returns <paramref name="image"/>.</summary>
    /// <param name="folder">Where the peer records its starts (<c>starts</c>) and its crash (<c>crashed</c>).</param>
    public static McpProviderOptions PeerTool(string tool, string arguments, byte[] image, string folder, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["MCP_NODE_MODULES"] = NodeModules,
            ["PEER_IMAGE"] = Convert.ToBase64String(image),
            ["PEER_STARTS"] = Path.Combine(folder, "starts"),
            ["PEER_CRASHED"] = Path.Combine(folder, "crashed"),
        };
        _ = Everything; // the same node_modules
        return new McpProviderOptions
        {
            Name = "peer",
            Command = "node",
            Arguments = [PeerScript],
            Environment = variables,
            Tool = tool,
            ToolArguments = Arguments(arguments),
            Timeout = TimeSpan.FromMinutes(1),
        };
    }

    /// <summary>How many times the peer was started, from its record in <paramref name="folder"/>.</summary>
    public static int Starts(string folder)
    {
        var path = Path.Combine(folder, "starts");
        return File.Exists(path) ? File.ReadAllLines(path).Count(l => l.Length > 0) : 0;
    }

    public static IReadOnlyDictionary<string, JsonElement> Arguments(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    private static string FindRoot([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(source), AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Easel.slnx")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository (the folder with Easel.slnx) above the tests.");
    }
}
