using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Easel.Providers.Mcp;

/// <summary>What one tool call is asked to make, ready for the argument templates.</summary>
/// <param name="NegativePrompt">Null when the order has none: an argument that is only <c>{negative_prompt}</c> is then left out.</param>
/// <param name="Style">Null when the order has none: an argument that is only <c>{style}</c> is then left out.</param>
internal sealed record McpToolValues(
    string Prompt, string? NegativePrompt, int Width, int Height, string AspectRatio, long Seed, int Count, string? Style, string Format);

/// <summary>
/// Turns an order into a tool's arguments. Each configured argument is a constant (any JSON value
/// but a string) or a string template with placeholders such as <c>{prompt}</c>. A template that
/// is exactly one placeholder takes the value's own type, so <c>"{width}"</c> sends the number 1024
/// and <c>"{seed}"</c> a number a tool's schema accepts; when that value is absent (no negative
/// prompt, no style) the argument is left out rather than sent empty.
/// </summary>
public sealed partial class McpToolArguments
{
    /// <summary>The placeholders a template may use.</summary>
    public static IReadOnlyList<string> Placeholders { get; } =
        ["prompt", "negative_prompt", "width", "height", "aspect_ratio", "seed", "count", "style", "format"];

    private readonly IReadOnlyList<(string Name, Argument Value)> _arguments;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">A template uses a placeholder that does not exist.</exception>
    public McpToolArguments(IReadOnlyDictionary<string, JsonElement> mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var arguments = new List<(string, Argument)>(mapping.Count);
        foreach (var (name, value) in mapping)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                // JSON null is "not set", as everywhere else in the configuration.
                if (value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                    arguments.Add((name, new Argument(value.Clone(), null, null)));
                continue;
            }
            var template = value.GetString()!;
            if (FindProblem(template) is { } problem)
                throw new ArgumentException($"The tool argument {name} {problem}", nameof(mapping));
            var matches = Placeholder().Matches(template);
            foreach (Match m in matches)
                _used.Add(m.Groups[1].Value.ToLowerInvariant());
            var single = matches.Count == 1 && matches[0].Length == template.Length ? matches[0].Groups[1].Value.ToLowerInvariant() : null;
            arguments.Add((name, new Argument(null, template, single)));
        }
        _arguments = arguments;
    }

    /// <summary>Whether some argument passes <paramref name="placeholder"/> ("seed", "negative_prompt") to the tool.</summary>
    public bool Uses(string placeholder) => _used.Contains(placeholder);

    /// <summary>Why a template cannot be used ("uses {promt}, which is not a placeholder; …"), or null when it can.</summary>
    public static string? FindProblem(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        foreach (Match m in Placeholder().Matches(template))
        {
            if (!Placeholders.Contains(m.Groups[1].Value, StringComparer.OrdinalIgnoreCase))
                return $"uses {m.Value}, which is not a placeholder; the placeholders are {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.";
        }
        return null;
    }

    /// <summary>The arguments of one call.</summary>
    internal Dictionary<string, JsonElement> Build(McpToolValues values)
    {
        var result = new Dictionary<string, JsonElement>(_arguments.Count, StringComparer.Ordinal);
        foreach (var (name, argument) in _arguments)
        {
            if (argument.Constant is { } constant)
            {
                result[name] = constant;
            }
            else if (argument.Single is { } single)
            {
                if (Typed(single, values) is { } element)
                    result[name] = element;
            }
            else
            {
                var text = Placeholder().Replace(argument.Template!, m => Text(m.Groups[1].Value.ToLowerInvariant(), values) ?? "");
                result[name] = Element(w => w.WriteStringValue(text));
            }
        }
        return result;
    }

    /// <summary>The value of a placeholder in its own type; null when the order has none.</summary>
    private static JsonElement? Typed(string placeholder, McpToolValues v) => placeholder switch
    {
        "width" => Element(w => w.WriteNumberValue(v.Width)),
        "height" => Element(w => w.WriteNumberValue(v.Height)),
        "seed" => Element(w => w.WriteNumberValue(v.Seed)),
        "count" => Element(w => w.WriteNumberValue(v.Count)),
        _ => Text(placeholder, v) is { } text ? Element(w => w.WriteStringValue(text)) : null,
    };

    /// <summary>The value of a placeholder as text; null when the order has none.</summary>
    private static string? Text(string placeholder, McpToolValues v) => placeholder switch
    {
        "prompt" => v.Prompt,
        "negative_prompt" => v.NegativePrompt,
        "width" => v.Width.ToString(CultureInfo.InvariantCulture),
        "height" => v.Height.ToString(CultureInfo.InvariantCulture),
        "aspect_ratio" => v.AspectRatio,
        "seed" => v.Seed.ToString(CultureInfo.InvariantCulture),
        "count" => v.Count.ToString(CultureInfo.InvariantCulture),
        "style" => v.Style,
        "format" => v.Format,
        _ => null,
    };

    private static JsonElement Element(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    /// <summary>"{name}": letters, digits and underscores in braces. Other braces are left as they are.</summary>
    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <param name="Constant">A value passed as it is.</param>
    /// <param name="Template">A string with placeholders.</param>
    /// <param name="Single">The placeholder, when the template is exactly one.</param>
    private sealed record Argument(JsonElement? Constant, string? Template, string? Single);

    /// <summary>"16:9" for 1920x1080: the size's shape in lowest terms.</summary>
    internal static string RatioOf(int width, int height)
    {
        var divisor = Gcd(width, height);
        return string.Create(CultureInfo.InvariantCulture, $"{width / divisor}:{height / divisor}");
    }

    private static int Gcd(int a, int b) => b == 0 ? Math.Max(a, 1) : Gcd(b, a % b);
}
