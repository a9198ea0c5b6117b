using System.Text.Json;

namespace Easel.Providers.Mcp;

/// <summary>
/// An image tool of another MCP server, used as an Easel image provider (<c>McpProviders:NAME</c>):
/// how to start the server, which tool to call, and how Easel's order fills in the tool's arguments.
/// </summary>
public sealed record McpProviderOptions
{
    /// <summary>Most images one tool call may be asked for: more would make one failed call costly.</summary>
    public const int MaxImagesPerCall = 10;

    /// <summary>Longest a tool call may be allowed to take.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>The name users pass to <c>--provider</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The program that starts the server (<c>npx</c>, <c>uvx</c>, <c>node</c>, a path); looked up on PATH.</summary>
    public required string Command { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// Variables for the server process, on top of the few every process needs (PATH, HOME, USER…).
    /// Easel's own environment is not passed on, so its keys do not reach another vendor's server.
    /// Values often hold keys: they are never shown, and are masked in anything the server says.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the server runs; Easel's own working directory when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The name of the tool that makes images.</summary>
    public required string Tool { get; init; }

    /// <summary>
    /// The tool's arguments: a string is a template with placeholders (<see cref="McpToolArguments.Placeholders"/>),
    /// any other JSON value is passed as it is.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> ToolArguments { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Most images Easel asks of one call; above 1, the arguments should pass <c>{count}</c>.</summary>
    public int ImagesPerCall { get; init; } = 1;

    /// <summary>How long one tool call (with the server's start, for the first) may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>US dollars one image costs; 0 for a free or local server.</summary>
    public decimal CostPerImage { get; init; }

    /// <summary>The first problem with these options in plain words, naming the setting; null when there is none.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            return "The MCP provider needs a name.";
        if (string.IsNullOrWhiteSpace(Command))
            return $"The MCP provider {Name} needs the Command that starts its server.";
        if (string.IsNullOrWhiteSpace(Tool))
            return $"The MCP provider {Name} needs the name of its image Tool.";
        if (ImagesPerCall is < 1 or > MaxImagesPerCall)
            return $"The MCP provider {Name}'s ImagesPerCall must be between 1 and {MaxImagesPerCall}; it is {ImagesPerCall}.";
        if (Timeout <= TimeSpan.Zero || Timeout > MaxTimeout)
            return $"The MCP provider {Name}'s Timeout must be above zero and at most 1d.";
        if (CostPerImage < 0)
            return $"The MCP provider {Name}'s CostPerImage must not be negative.";
        if (WorkingDirectory is not null && !Path.IsPathFullyQualified(WorkingDirectory))
            return $"The MCP provider {Name}'s WorkingDirectory must be an absolute path.";
        foreach (var name in Environment.Keys)
        {
            if (name.Length == 0 || name.Contains('=') || name.Contains('\0'))
                return $"The MCP provider {Name}'s Environment has a variable name that cannot be used (\"{name}\").";
        }
        foreach (var (argument, value) in ToolArguments)
        {
            if (value.ValueKind == JsonValueKind.String && McpToolArguments.FindProblem(value.GetString()!) is { } problem)
                return $"The MCP provider {Name}'s ToolArguments:{argument} {problem}";
        }
        return null;
    }
}
