using System.Globalization;
using System.Text;
using System.Text.Json;
using Easel.Core.Quality;

namespace Easel.Core.Language;

/// <summary>
/// An evaluator that shows the image to a vision model and asks for a score, one result per
/// criterion and one paragraph of feedback. It judges against the user's own words (the refined
/// prompt is context, so a prompter cannot raise the score by dropping words) and by the preset's
/// instructions and criteria. A model looks at the picture, so nothing is left unchecked.
/// </summary>
public sealed class ModelEvaluator(ILanguageModel model) : IImageEvaluator
{
    /// <summary>A criterion scoring at least this passes when the model does not say.</summary>
    public const int PassMark = 70;

    private const string PresetPrefix = "preset:";

    /// <summary>What every image is judged on, whatever the preset.</summary>
    internal static readonly (string Name, string Description)[] GeneralCriteria =
    [
        ("subject", "the main subject is exactly what the user asked for: what it is, how many, its colours and features"),
        ("details", "every other thing the user asked for is there and right: setting, time of day, colours, text and its spelling, positions"),
        ("composition", "framing and balance suit the request; the subject is clear and not cut off"),
        ("quality", "sharp, well exposed, free of artifacts, distortions and anatomical or structural errors"),
    ];

    internal static readonly OutputSchema Schema = new("critique", "The critique of one generated image: criteria, feedback and an overall score.", """
        {
          "type": "object",
          "properties": {
            "criteria": {
              "type": "array",
              "description": "One entry per criterion listed in the request, in that order.",
              "items": {
                "type": "object",
                "properties": {
                  "name": { "type": "string", "description": "The criterion's name exactly as listed." },
                  "score": { "type": "integer", "description": "0 to 100 for this criterion alone." },
                  "passed": { "type": "boolean", "description": "Whether this criterion is met well enough for the user." },
                  "comment": { "type": "string", "description": "What you see in the image for this criterion." },
                  "suggestion": { "type": "string", "description": "Words to add to the prompt to fix it; an empty string when nothing needs fixing." }
                },
                "required": ["name", "score", "passed", "comment", "suggestion"],
                "additionalProperties": false
              }
            },
            "feedback": { "type": "string", "description": "One short, actionable paragraph: what is off and how to change the prompt." },
            "score": { "type": "integer", "description": "The overall score from 0 (unusable or the wrong subject) to 100 (exactly what was asked, professional quality)." }
          },
          "required": ["criteria", "feedback", "score"],
          "additionalProperties": false
        }
        """);

    private const string BaseInstructions = """
        You judge images made by an image generator, strictly and the same way every time. You look at one image and score how well it gives the user what they asked for, from 0 to 100.
        Judge against the user's own words: every subject, count, colour, setting, time of day, style, text and position they asked for. The prompt the image was made from may add detail; where it differs, the user's words decide. Do not reward an image for things the user did not ask for.
        Anything the user said must not be in the image counts against it when it is there.
        Score bands: 90-100 everything asked for is there and the image is of professional quality; 70-89 small flaws; 40-69 something asked for is missing or wrong, or clear defects; 0-39 the wrong subject or an unusable image.
        Penalise visible defects: distorted anatomy, extra or missing fingers or limbs, garbled text, artifacts, blur, poor exposure.
        Score each listed criterion from 0 to 100, say whether it passes (70 or more), what you see, and the words a prompt could add to fix it (an empty string when nothing needs fixing).
        The feedback is one short paragraph a prompt writer can act on: what is off, worst first, and what to change in the prompt.
        """;

    public string Name => $"{model.Name}:{model.Model}";

    public async Task<Evaluation> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Image is not { Length: > 0 })
            throw new ArgumentException("There is no image to evaluate.", nameof(request));
        var reply = await model.GenerateJsonAsync(
            new LanguageModelRequest(Instructions(request.Preset), Text(request), [ForVision(request.Image, request.MediaType)], Schema),
            cancellationToken);
        return Read(reply.Json, request.Preset);
    }

    internal static string Instructions(Preset? preset)
    {
        var text = new StringBuilder(BaseInstructions.TrimEnd());
        if (preset is not null)
        {
            text.Append("\n\nThe order uses the preset \"").Append(preset.Name).Append("\": ").Append(preset.Description.Trim());
            if (!string.IsNullOrWhiteSpace(preset.EvaluatorInstructions))
                text.Append('\n').Append(preset.EvaluatorInstructions.Trim());
        }
        return text.ToString();
    }

    internal static string Text(EvaluationRequest request)
    {
        var original = request.OriginalPrompt?.Trim() is { Length: > 0 } o ? o : request.Prompt?.Trim() ?? "";
        var text = new StringBuilder();
        text.Append("The user asked for: \"").Append(original).Append("\"\n");
        if (request.Prompt?.Trim() is { Length: > 0 } prompt && prompt != original)
            text.Append("The image was made from this prompt: \"").Append(prompt).Append("\"\n");
        if (!string.IsNullOrWhiteSpace(request.NegativePrompt))
            text.Append("It must not show: ").Append(request.NegativePrompt.Trim()).Append('\n');
        if (!string.IsNullOrWhiteSpace(request.Style))
            text.Append("Requested style: ").Append(request.Style.Trim()).Append('\n');
        if (!string.IsNullOrWhiteSpace(request.AspectRatio))
            text.Append("Requested aspect ratio: ").Append(request.AspectRatio.Trim()).Append('\n');

        text.Append("\nScore these criteria (name: what to look for):\n");
        foreach (var (name, description) in Criteria(request))
            text.Append("- ").Append(name).Append(": ").Append(description).Append('\n');
        return text.ToString().TrimEnd();
    }

    /// <summary>The criteria asked for: the general ones, the style when one was asked, then the preset's (with their weights).</summary>
    internal static IEnumerable<(string Name, string Description)> Criteria(EvaluationRequest request)
    {
        foreach (var criterion in GeneralCriteria)
            yield return criterion;
        if (!string.IsNullOrWhiteSpace(request.Style))
            yield return ("style", $"the image looks {request.Style.Trim()}");
        foreach (var c in request.Preset?.Criteria ?? [])
        {
            var weight = double.IsFinite(c.Weight) && c.Weight != 1.0
                ? string.Create(CultureInfo.InvariantCulture, $" (weight {c.Weight:0.##})")
                : "";
            yield return (PresetPrefix + c.Name, c.Description.TrimEnd('.') + weight);
        }
    }

    private Evaluation Read(string json, Preset? preset)
    {
        var answer = ModelAnswer.Read(model, "an evaluation", json);
        var root = answer.Root;
        var score = answer.Property(root, "score") is { } s ? answer.Score(s, "\"score\"") : throw answer.Missing("score");
        var feedback = answer.Property(root, "feedback") is { } f ? ModelAnswer.Text(f) ?? throw answer.Error("whose \"feedback\" is not text") : throw answer.Missing("feedback");
        var items = answer.Property(root, "criteria") is { } c ? c : throw answer.Missing("criteria");
        if (items.ValueKind != JsonValueKind.Array)
            throw answer.Error("whose \"criteria\" is not a list");

        var criteria = new List<CriterionResult>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.Object)
                throw answer.Error($"whose criterion {index} is not an object");
            var rawName = ModelAnswer.Text(answer.Property(item, "name"));
            if (string.IsNullOrWhiteSpace(rawName))
                throw answer.Error($"whose criterion {index} has no \"name\"");
            var name = CriterionName(rawName, preset);
            var itemScore = answer.Property(item, "score") is { } v ? answer.Score(v, $"\"score\" for \"{name}\"") : throw answer.Error($"whose criterion \"{name}\" has no \"score\"");
            if (!seen.Add(name))
                continue;
            var passed = ModelAnswer.Bool(answer.Property(item, "passed")) ?? itemScore >= PassMark;
            var comment = ModelAnswer.Text(answer.Property(item, "comment")) ?? "";
            var suggestion = ModelAnswer.Text(answer.Property(item, "suggestion"));
            criteria.Add(new CriterionResult(name, itemScore, passed, comment, string.IsNullOrWhiteSpace(suggestion) ? null : suggestion));
        }

        if (string.IsNullOrWhiteSpace(feedback))
            feedback = FeedbackFrom(criteria);
        return new Evaluation(score, criteria, feedback, [], Name);
    }

    /// <summary>A criterion's name as the rest of Easel knows it: the preset's criteria as "preset:NAME", the general ones in lower case.</summary>
    private static string CriterionName(string raw, Preset? preset)
    {
        var name = raw.Trim();
        var bare = name.StartsWith(PresetPrefix, StringComparison.OrdinalIgnoreCase) ? name[PresetPrefix.Length..].Trim() : name;
        if (preset?.Criteria.FirstOrDefault(c => string.Equals(c.Name, bare, StringComparison.OrdinalIgnoreCase)) is { } criterion)
            return PresetPrefix + criterion.Name;
        if (GeneralCriteria.Any(g => string.Equals(g.Name, bare, StringComparison.OrdinalIgnoreCase)) || string.Equals(bare, "style", StringComparison.OrdinalIgnoreCase))
            return bare.ToLowerInvariant();
        return name;
    }

    /// <summary>Feedback made of the failing criteria's comments, for a model that left the paragraph empty.</summary>
    private static string FeedbackFrom(List<CriterionResult> criteria)
    {
        var failing = criteria.Where(c => !c.Passed).OrderBy(c => c.Score).ToList();
        if (failing.Count == 0)
            return "The model found nothing to change.";
        var text = new StringBuilder();
        foreach (var c in failing)
        {
            text.Append(c.Name).Append(": ").Append(c.Comment.Length > 0 ? c.Comment.TrimEnd('.') : "below par");
            if (c.Suggestion is { } s)
                text.Append(" (try \"").Append(s).Append("\")");
            text.Append(". ");
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>Vision models see at most about 1568 px on the long edge (and refuse over 8000): larger PNGs are scaled down first.</summary>
    public const int LongestVisionEdge = 1568;

    private static ModelImage ForVision(byte[] image, string mediaType)
    {
        if (mediaType != "image/png")
            return new ModelImage(image, mediaType);
        Imaging.Png.PngInfo info;
        try
        {
            info = Imaging.Png.PngDecoder.ReadInfo(image);
        }
        catch (Imaging.ImageFormatException)
        {
            // Not a PNG Easel can read: the model says what it makes of it.
            return new ModelImage(image, mediaType);
        }
        var longest = Math.Max(info.Width, info.Height);
        if (longest <= LongestVisionEdge)
            return new ModelImage(image, mediaType);
        var scale = (double)LongestVisionEdge / longest;
        var pixels = Imaging.Png.PngDecoder.Decode(image).Image;
        var smaller = Imaging.Resampling.Resampler.Resize(pixels, Math.Max(1, (int)Math.Round(info.Width * scale)), Math.Max(1, (int)Math.Round(info.Height * scale)));
        return new ModelImage(Imaging.Png.PngEncoder.Encode(smaller), mediaType);
    }
}
