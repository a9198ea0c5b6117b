using System.Globalization;
using System.Text.Json;

namespace Easel.Workflows.Agent;

/// <summary>
/// A tool call's arguments as the model wrote them, read strictly: an unknown name or a value of
/// the wrong type is an <see cref="ArgumentException"/> naming the argument, so the model can
/// correct itself. Numbers sent as numeric strings are accepted (models often quote them).
/// </summary>
internal sealed class ToolArguments
{
    private static readonly string[] OrderNames =
        ["prompt", "count", "negative_prompt", "size", "aspect_ratio", "style", "seed", "provider", "quality", "format", "background", "max_iterations", "threshold", "candidates", "preset"];

    private readonly Dictionary<string, JsonElement> _values;

    private ToolArguments(Dictionary<string, JsonElement> values) => _values = values;

    /// <exception cref="ArgumentException">A value cannot be read as JSON.</exception>
    public static ToolArguments From(IDictionary<string, object?>? arguments)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments ?? new Dictionary<string, object?>())
        {
            // Vendors' clients hand over JsonElements, numbers or strings; one form for all.
            var element = value switch
            {
                null => default,
                JsonElement e => e,
                _ => JsonSerializer.SerializeToElement(value, value.GetType()),
            };
            if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
                continue;
            values[name] = element;
        }
        return new ToolArguments(values);
    }

    /// <summary>Refuses any argument not named here.</summary>
    public void Only(params string[] names)
    {
        foreach (var name in _values.Keys)
        {
            if (!names.Contains(name, StringComparer.Ordinal))
                throw new ArgumentException($"'{name}' is not an argument of this tool; its arguments are {string.Join(", ", names)}.");
        }
    }

    public string? Text(string name)
    {
        if (!_values.TryGetValue(name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString()!.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new ArgumentException($"{name} must be a string; got {Kind(value)}."),
        };
    }

    public int? Integer(string name)
    {
        if (!_values.TryGetValue(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n))
            return n;
        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n))
            return n;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
            return (int)d;
        throw new ArgumentException($"{name} must be a whole number; got {Kind(value)}.");
    }

    private long? Long(string name)
    {
        if (!_values.TryGetValue(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
            return n;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n))
            return n;
        throw new ArgumentException($"{name} must be a whole number; got {Kind(value)}.");
    }

    /// <summary>An ISO 8601 date ("2026-11-20", taken as midnight UTC) or date and time.</summary>
    public DateTimeOffset? Date(string name)
    {
        if (Text(name) is not { } text)
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at;
        throw new ArgumentException($"{name} must be an ISO 8601 date such as 2026-11-20 or 2026-11-20T18:00:00Z; got \"{text}\".");
    }

    /// <summary>The order arguments as the REST API's input, checked the same way when it becomes a spec.</summary>
    public OrderInput ToOrderInput()
    {
        Only(OrderNames);
        return new OrderInput
        {
            Prompt = Text("prompt"),
            Count = Integer("count"),
            NegativePrompt = Text("negative_prompt"),
            Size = Text("size"),
            AspectRatio = Text("aspect_ratio"),
            Style = Text("style"),
            Seed = Long("seed"),
            Provider = Text("provider"),
            Quality = Text("quality"),
            Format = Text("format"),
            Background = Text("background"),
            MaxIterations = Integer("max_iterations"),
            Threshold = Integer("threshold"),
            Candidates = Integer("candidates"),
            Preset = Text("preset"),
        };
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
