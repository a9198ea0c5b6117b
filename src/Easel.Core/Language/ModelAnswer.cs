using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Easel.Core.Generation;

namespace Easel.Core.Language;

/// <summary>
/// Reads a model's JSON answer field by field, tolerant of what models do (a score written as
/// 87.5 or "87", code fences around the JSON) and plain about what they leave out: a missing
/// required field is a <see cref="ProviderException"/> naming the model and the field.
/// </summary>
internal sealed partial class ModelAnswer
{
    private readonly ILanguageModel _model;
    private readonly string _what;

    private ModelAnswer(ILanguageModel model, string what, JsonElement root)
    {
        _model = model;
        _what = what;
        Root = root;
    }

    public JsonElement Root { get; }

    /// <param name="what">What the answer is, for messages ("an evaluation", "a prompt").</param>
    public static ModelAnswer Read(ILanguageModel model, string what, string? json)
    {
        var text = StripFences(json ?? "");
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(text);
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw Error(model, $"{Who(model)} gave {what} that is not JSON ({Short(ex.Message)})");
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw Error(model, $"{Who(model)} gave {what} that is not a JSON object (it is {Kind(root)})");
        return new ModelAnswer(model, what, root);
    }

    /// <summary>"OpenAI (gpt-4o)": who answered, for messages.</summary>
    public static string Who(ILanguageModel model) => $"{model.Vendor} ({model.Model})";

    public ProviderException Missing(string field) => Error(_model, $"{Who(_model)} gave {_what} without \"{field}\"");

    public ProviderException Error(string problem) => Error(_model, $"{Who(_model)} gave {_what} {problem}");

    public JsonElement? Property(JsonElement obj, string name)
    {
        if (obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in obj.EnumerateObject())
            {
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null)
                    return p.Value;
            }
        }
        return null;
    }

    /// <summary>A 0-100 score: numbers rounded, numeric text read ("87", "87/100"), anything outside clamped.</summary>
    /// <param name="label">The field as messages name it (<c>"score"</c>).</param>
    public int Score(JsonElement value, string label)
    {
        double number;
        if (value.ValueKind == JsonValueKind.Number)
        {
            // A number beyond double's range ("1e400") is still a number: clamp it like any other.
            number = value.TryGetDouble(out var parsed) ? parsed : value.GetRawText().TrimStart().StartsWith('-') ? 0 : 100;
        }
        else if (value.ValueKind == JsonValueKind.String && LeadingNumber().Match(value.GetString()!.Trim()) is { Success: true } match)
        {
            number = double.Parse(match.Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        else
        {
            throw Error($"whose {label} is not a number ({Short(value.GetRawText())})");
        }
        if (!double.IsFinite(number))
            throw Error($"whose {label} is not a number ({Short(value.GetRawText())})");
        return (int)Math.Clamp(Math.Round(number, MidpointRounding.AwayFromZero), 0, 100);
    }

    public static string? Text(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString()!.Trim(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        _ => null,
    };

    public static bool? Bool(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } v when bool.TryParse(v.GetString()!.Trim(), out var b) => b,
        { ValueKind: JsonValueKind.String } v when v.GetString()!.Trim().ToLowerInvariant() is "yes" or "pass" or "passed" => true,
        { ValueKind: JsonValueKind.String } v when v.GetString()!.Trim().ToLowerInvariant() is "no" or "fail" or "failed" => false,
        _ => null,
    };

    /// <summary>The JSON inside a Markdown code fence, when a model put it in one.</summary>
    public static string StripFences(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
            return trimmed;
        var firstLine = trimmed.IndexOf('\n');
        if (firstLine < 0)
            return trimmed.Trim('`').Trim();
        var body = trimmed[(firstLine + 1)..];
        var close = body.LastIndexOf("```", StringComparison.Ordinal);
        return (close >= 0 ? body[..close] : body).Trim();
    }

    public static string Short(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 200 ? flat : flat[..200] + "…";
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static ProviderException Error(ILanguageModel model, string message) =>
        new(model.Vendor, ProviderErrorKind.Failed, message.TrimEnd('.') + ".");

    [GeneratedRegex(@"^[+-]?\d+(\.\d+)?")]
    private static partial Regex LeadingNumber();
}
