using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Easel.Server.Mcp;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before the tool runs, so a
/// missing, misspelt or mistyped argument gets an error result that names it (the SDK alone would
/// answer "An error occurred invoking …" without saying which). Numbers and booleans sent as
/// text ("6", "true"), as models often do, are read as what they say. Anything a tool throws
/// becomes an error result too: the server never drops a call or stops over one.
/// </summary>
internal static class ToolArguments
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            if (request.MatchedPrimitive is McpServerTool tool && request.Params is { } call && Check(tool.ProtocolTool, call) is { } problem)
                return ToolResults.Error(problem);
            try
            {
                return await next(request, cancellationToken);
            }
            catch (Exception ex) when (ex is not McpProtocolException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                var logger = request.Services?.GetService<ILoggerFactory>()?.CreateLogger(typeof(ToolArguments).FullName!);
                logger?.LogError(ex, "{Tool} failed.", request.Params?.Name);
                // Expected failures (disk, database, a provider) carry a plain message that names no secret.
                return ToolResults.Error($"{request.Params?.Name} failed: {ex.Message}");
            }
        };

    /// <summary>What is wrong with the arguments, or null when the tool may run.</summary>
    public static string? Check(Tool tool, CallToolRequestParams call)
    {
        var schema = tool.InputSchema;
        var properties = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p.EnumerateObject().ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal)
            : [];
        var required = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(e => e.GetString() ?? "").ToHashSet(StringComparer.Ordinal)
            : [];
        call.Arguments ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var arguments = call.Arguments;
        var problems = new List<string>();

        foreach (var name in arguments.Keys.Where(k => !properties.ContainsKey(k)).ToList())
        {
            var near = properties.Keys.FirstOrDefault(k => Normalized(k) == Normalized(name));
            problems.Add(near is not null
                ? $"there is no argument '{ToolResults.Shorten(name, 40)}'; did you mean '{near}'?"
                : $"there is no argument '{ToolResults.Shorten(name, 40)}'; {tool.Name} takes {Names(properties.Keys)}.");
        }

        foreach (var (name, property) in properties)
        {
            var types = Types(property);
            if (!arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                // A null optional argument means "not given": the tool's default applies.
                arguments.Remove(name);
                if (required.Contains(name))
                    problems.Add($"{name} is required: {Description(property)}");
                continue;
            }
            if (types.Count == 0 || types.Any(t => Matches(value, t)))
                continue;
            if (Coerce(value, types) is { } read)
            {
                arguments[name] = read;
                continue;
            }
            problems.Add($"{name} must be {Expected(types)}; got {ToolResults.Shorten(value.GetRawText(), 40)}.");
        }

        return problems.Count == 0
            ? null
            : $"{tool.Name} cannot run with these arguments; fix them and call it again:\n{string.Join("\n", problems.Select(p => "- " + p))}";
    }

    private static List<string> Types(JsonElement property)
    {
        if (!property.TryGetProperty("type", out var type))
            return [];
        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).Where(t => t != "null").ToList(),
            _ => [],
        };
    }

    private static bool Matches(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        _ => true,
    };

    /// <summary>A number or boolean sent as text, read as what it says; null when it says something else.</summary>
    private static JsonElement? Coerce(JsonElement value, List<string> types)
    {
        if (value.ValueKind != JsonValueKind.String)
            return null;
        var text = value.GetString()!.Trim();
        if (types.Contains("integer") && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            return JsonSerializer.SerializeToElement(whole);
        if (types.Contains("number") && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return JsonSerializer.SerializeToElement(number);
        if (types.Contains("boolean") && bool.TryParse(text, out var flag))
            return JsonSerializer.SerializeToElement(flag);
        return null;
    }

    private static string Expected(List<string> types) => string.Join(" or ", types.Select(t => t switch
    {
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "an object",
        _ => t,
    }));

    private static string Description(JsonElement property) =>
        property.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "give a value.";

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "no arguments" : string.Join(", ", list);
    }

    /// <summary>"negativePrompt", "negative-prompt" and "negative_prompt" are the same argument misspelt.</summary>
    private static string Normalized(string name) => new string(name.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
}
