using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Easel.Core.Generation;

namespace Easel.Providers.ComfyUI;

/// <summary>What Easel fills into a workflow for one call.</summary>
internal sealed record WorkflowValues(string Prompt, string Negative, long Seed, int Width, int Height, int Batch);

/// <summary>
/// A user's ComfyUI workflow in the API format (<c>{"3":{"class_type":"KSampler","inputs":{…}}, …}</c>)
/// used as a template: string values hold placeholders Easel fills for each call. A string that is
/// exactly a numeric placeholder (<c>"{{seed}}"</c>) becomes a number, so nodes get the type they
/// check for; a placeholder inside longer text (<c>"portrait, {{prompt}}"</c>) is replaced in the text.
/// </summary>
internal sealed partial class ComfyUIWorkflow
{
    public const string Prompt = "prompt";
    public const string Negative = "negative";
    public const string Seed = "seed";
    public const string Width = "width";
    public const string Height = "height";
    public const string Batch = "batch";

    private static readonly string[] Known = [Prompt, Negative, Seed, Width, Height, Batch];
    private static readonly string[] Numeric = [Seed, Width, Height, Batch];

    /// <summary>The checked workflow as text: parsed afresh for each call, so concurrent calls share nothing mutable.</summary>
    private readonly string _template;

    private ComfyUIWorkflow(JsonObject template, IReadOnlySet<string> placeholders)
    {
        _template = template.ToJsonString();
        Placeholders = placeholders;
        Checkpoint = FindCheckpoint(template);
        FixedSize = placeholders.Contains(Width) || placeholders.Contains(Height) ? null : FindSize(template);
    }

    /// <summary>The placeholders the workflow uses, lower-case ("prompt", "seed", …).</summary>
    public IReadOnlySet<string> Placeholders { get; }

    /// <summary>The checkpoint (or diffusion model) the workflow loads, to name the model it makes images with.</summary>
    public string? Checkpoint { get; }

    /// <summary>The size a workflow without <c>{{width}}</c>/<c>{{height}}</c> always makes, when it is written in a latent node.</summary>
    public ImageSize? FixedSize { get; }

    public bool Has(string placeholder) => Placeholders.Contains(placeholder);

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex WholePlaceholder();

    /// <summary>Reads and checks a workflow file's text.</summary>
    /// <exception cref="ComfyUIWorkflowException">It is not JSON, not in the API format, lacks <c>{{prompt}}</c> or uses a placeholder Easel does not fill.</exception>
    public static ComfyUIWorkflow Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ComfyUIWorkflowException("The ComfyUI workflow is empty: export the workflow from ComfyUI with Workflow > Export (API) and give that file.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? $" at line {l + 1}" + (ex.BytePositionInLine is { } p ? $", position {p + 1}" : "") : "";
            throw new ComfyUIWorkflowException($"The ComfyUI workflow is not valid JSON{line}: {Reason(ex.Message)}.", ex);
        }
        if (root is not JsonObject nodes)
            throw new ComfyUIWorkflowException("The ComfyUI workflow must be a JSON object of nodes (the API format that Workflow > Export (API) writes).");
        if (nodes["nodes"] is JsonArray && nodes["links"] is not null)
            throw new ComfyUIWorkflowException("The ComfyUI workflow is in the UI format (it has \"nodes\" and \"links\"): export it with Workflow > Export (API) instead and give that file.");
        // A saved /prompt request body: the workflow is its "prompt".
        if (nodes["prompt"] is JsonObject inner && inner.Count > 0 && inner.All(n => n.Value is JsonObject o && o.ContainsKey("class_type")))
            nodes = inner;
        if (nodes.Count == 0)
            throw new ComfyUIWorkflowException("The ComfyUI workflow has no nodes.");
        foreach (var (id, node) in nodes)
        {
            if (node is not JsonObject n || n["class_type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String)
                throw new ComfyUIWorkflowException($"Node \"{id}\" of the ComfyUI workflow has no class_type: is the file in the API format (Workflow > Export (API))?");
            if (n["inputs"] is not null and not JsonObject)
                throw new ComfyUIWorkflowException($"Node \"{id}\" ({type}) of the ComfyUI workflow has inputs that are not an object.");
        }

        var found = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var value in Strings(nodes))
        {
            foreach (Match m in PlaceholderPattern().Matches(value))
            {
                var name = m.Groups[1].Value.ToLowerInvariant();
                if (Known.Contains(name))
                    found.Add(name);
                else
                    unknown.Add(name);
            }
        }
        if (unknown.Count > 0)
            throw new ComfyUIWorkflowException(
                $"The ComfyUI workflow uses {string.Join(", ", unknown.Select(u => $"{{{{{u}}}}}"))}, which Easel does not fill: the placeholders are {string.Join(", ", Known.Select(k => $"{{{{{k}}}}}"))}.");
        if (!found.Contains(Prompt))
            throw new ComfyUIWorkflowException(
                "The ComfyUI workflow has no {{prompt}} placeholder: put \"{{prompt}}\" where the prompt goes, e.g. as the text of the positive CLIPTextEncode node.");
        return new ComfyUIWorkflow(nodes, found);
    }

    /// <summary>A copy of the workflow with every placeholder filled.</summary>
    public JsonObject Fill(WorkflowValues values)
    {
        var copy = JsonNode.Parse(_template)!.AsObject();
        Substitute(copy, values);
        return copy;
    }

    private static void Substitute(JsonNode node, WorkflowValues values)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (o[key] is { } child && Replace(child, values) is { } replaced)
                        o[key] = replaced;
                    else if (o[key] is { } nested)
                        Substitute(nested, values);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } child && Replace(child, values) is { } replaced)
                        a[i] = replaced;
                    else if (a[i] is { } nested)
                        Substitute(nested, values);
                }
                break;
        }
    }

    /// <summary>The node a string value becomes, or null when it is not a string with a placeholder.</summary>
    private static JsonNode? Replace(JsonNode node, WorkflowValues values)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            return null;
        var text = v.GetValue<string>();
        if (!text.Contains("{{", StringComparison.Ordinal))
            return null;
        var whole = WholePlaceholder().Match(text);
        if (whole.Success && whole.Groups[1].Value.ToLowerInvariant() is var name && Numeric.Contains(name))
            return JsonValue.Create(Number(name, values));
        // One pass: a prompt that itself contains "{{seed}}" is left as the user wrote it.
        return JsonValue.Create(PlaceholderPattern().Replace(text, m => Text(m.Groups[1].Value.ToLowerInvariant(), values) ?? m.Value));
    }

    private static long Number(string name, WorkflowValues values) => name switch
    {
        Seed => values.Seed,
        Width => values.Width,
        Height => values.Height,
        _ => values.Batch,
    };

    private static string? Text(string name, WorkflowValues values) => name switch
    {
        Prompt => values.Prompt,
        Negative => values.Negative,
        Seed or Width or Height or Batch => Number(name, values).ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static IEnumerable<string> Strings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    foreach (var s in Strings(child))
                        yield return s;
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    foreach (var s in Strings(child))
                        yield return s;
                }
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                yield return v.GetValue<string>();
                break;
        }
    }

    private static readonly string[] ModelInputs = ["ckpt_name", "unet_name", "model_name"];

    private static string? FindCheckpoint(JsonObject nodes)
    {
        foreach (var (_, node) in nodes)
        {
            if (node?["inputs"] is not JsonObject inputs)
                continue;
            foreach (var input in ModelInputs)
            {
                if (inputs[input] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } name && !name.Contains("{{", StringComparison.Ordinal))
                    return name;
            }
        }
        return null;
    }

    private static ImageSize? FindSize(JsonObject nodes)
    {
        foreach (var (_, node) in nodes)
        {
            if (node?["inputs"] is JsonObject inputs
                && inputs["width"] is JsonValue w && w.GetValueKind() == JsonValueKind.Number && w.TryGetValue<int>(out var width)
                && inputs["height"] is JsonValue h && h.GetValueKind() == JsonValueKind.Number && h.TryGetValue<int>(out var height)
                && width > 0 && height > 0)
                return new ImageSize(width, height);
        }
        return null;
    }

    /// <summary>The parser's reason without its own position suffix (the line is given separately).</summary>
    private static string Reason(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
                message = message[..at];
        }
        return message.Trim().TrimEnd('.');
    }
}
