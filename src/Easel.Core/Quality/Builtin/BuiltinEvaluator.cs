using System.Globalization;
using System.Text;
using Easel.Imaging;
using Easel.Imaging.Sketch;

namespace Easel.Core.Quality.Builtin;

/// <summary>
/// The offline evaluator: judges what pixels can show (requested colours, time of day and
/// brightness, size, transparency, exposure, contrast, sharpness, noise, checkable preset
/// criteria) against the user's original prompt and the refined one, so a prompter cannot raise
/// the score by dropping words. What pixels cannot show (whether the subject is there at all,
/// composition, text) is listed as unchecked. Deterministic: same request, same evaluation.
/// </summary>
public sealed class BuiltinEvaluator : IImageEvaluator
{
    public const string EvaluatorName = "builtin";

    /// <summary>
    /// The highest score this evaluator gives. It cannot see whether the subject is there or how the
    /// picture is composed, so a perfect pixel check is worth this much, not a full 100.
    /// </summary>
    public const int Ceiling = 90;

    // Failing criteria named in the feedback, worst first; the rest are only named.
    private const int FeedbackItems = 4;

    // A criterion scoring 0 weighs this much more than its base weight, so one clear failure is not hidden by many passes.
    private const double FailureEmphasis = 3;

    public string Name => EvaluatorName;

    public Task<Evaluation> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Evaluate(request));
    }

    /// <exception cref="ArgumentException">The request has no image or a requested size that is not positive.</exception>
    /// <exception cref="ImageFormatException">The image is not a PNG that can be decoded.</exception>
    public Evaluation Evaluate(EvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestedSize.Width <= 0 || request.RequestedSize.Height <= 0)
            throw new ArgumentException($"The requested size {request.RequestedSize} is not a size: both sides must be positive.", nameof(request));
        var measured = ImageMeasurements.Measure(request.Image, request.MediaType);
        return Judge(request, measured);
    }

    private static Evaluation Judge(EvaluationRequest request, ImageMeasurements m)
    {
        var intent = PromptReader.Read(request.OriginalPrompt ?? "", request.Prompt ?? "", request.NegativePrompt, request.Style);
        var dim = intent.Time is { Time: TimeOfDay.Night } || intent.Brightness is { Brightness: Brightness.Dark };
        var warmLight = intent.Time is { Time: TimeOfDay.Sunset or TimeOfDay.Dawn };

        var checks = new List<Check>();
        foreach (var color in intent.Colors)
            checks.Add(Checks.Color(color, m, dim, warmLight));
        foreach (var (color, source) in intent.Excluded)
            checks.Add(Checks.Excluded(color, source, m));
        if (intent.Time is { } time)
            checks.Add(Checks.Time(time.Time, time.Word, m));
        if (intent.Brightness is { } brightness)
            checks.Add(Checks.Brightness(brightness.Brightness, brightness.Word, m));
        foreach (var (style, word) in intent.Styles)
            checks.Add(Checks.Style(style, word, m));
        checks.Add(Checks.Size(request.RequestedSize, request.AspectRatio, m.Width, m.Height));
        checks.Add(Checks.Transparency(request.Background, m));

        var unchecked_ = new List<string> { SubjectUnchecked(request.OriginalPrompt ?? request.Prompt ?? "") };
        var presetChecks = new HashSet<string>(StringComparer.Ordinal);
        if (request.Preset is { } preset)
        {
            foreach (var criterion in preset.Criteria)
            {
                var check = PresetCheck(criterion, intent, m);
                if (check is null)
                {
                    unchecked_.Add($"{criterion.Name}: {criterion.Description.TrimEnd('.')} (needs a vision model)");
                    continue;
                }
                checks.Add(check);
                presetChecks.Add(PresetChecks.Normalize(criterion.Check!)!);
            }
        }

        // General quality, unless a preset already measures the same thing with its own weight.
        if (!presetChecks.Contains(PresetChecks.Exposure))
            checks.Add(Checks.Exposure(intent, m));
        if (!presetChecks.Contains(PresetChecks.Contrast))
            checks.Add(Checks.Contrast(intent, m));
        if (!presetChecks.Contains(PresetChecks.Sharpness))
            checks.Add(Checks.Sharpness(intent, m));
        checks.Add(Checks.Noise(intent, m));

        unchecked_.Add("composition and framing");
        if (intent.MentionsText)
            unchecked_.Add("text and lettering: whether any words are there and spelled right");
        if (intent.MentionsPlacement)
            unchecked_.Add("where things are relative to each other (on, under, behind, holding)");
        if (intent.MentionsCount)
            unchecked_.Add("how many of each thing there are");
        foreach (var style in intent.StyleWords)
            unchecked_.Add($"the style: whether it looks {style}");

        var score = Score(checks);
        var criteria = checks.Select(c => c.Result).ToList();
        return new Evaluation(score, criteria, Feedback(checks, unchecked_), unchecked_, EvaluatorName);
    }

    /// <summary>
    /// A weighted mean of the criteria, scaled to <see cref="Ceiling"/>, in which a criterion's weight
    /// grows with how far it falls short, so a clear failure (a blue fox asked to be red) pulls the
    /// score down even when the general quality checks all pass.
    /// </summary>
    private static int Score(List<Check> checks)
    {
        double sum = 0, weights = 0;
        foreach (var c in checks)
        {
            var weight = c.Weight * (1 + FailureEmphasis * (1 - c.Result.Score / 100.0));
            sum += weight * c.Result.Score;
            weights += weight;
        }
        var mean = weights > 0 ? sum / weights : 0;
        return Math.Clamp((int)Math.Round(mean * Ceiling / 100, MidpointRounding.AwayFromZero), Evaluation.MinScore, Ceiling);
    }

    private static Check? PresetCheck(PresetCriterion criterion, PromptIntent intent, ImageMeasurements m)
    {
        if (string.IsNullOrWhiteSpace(criterion.Check))
            return null;
        var name = "preset:" + criterion.Name;
        // A weight of 0 still shows the measurement, without counting it.
        var weight = double.IsFinite(criterion.Weight) && criterion.Weight > 0 ? criterion.Weight : 0;
        var suggestion = string.IsNullOrWhiteSpace(criterion.Suggestion) ? null : criterion.Suggestion;
        return PresetChecks.Normalize(criterion.Check) switch
        {
            PresetChecks.Sharpness => Checks.Sharpness(intent, m, name, weight, suggestion),
            PresetChecks.Sparkle => Checks.Sparkle(m, name, weight, suggestion),
            PresetChecks.PlainBackground => Checks.PlainBackground(m, name, weight, suggestion),
            PresetChecks.Brightness => Checks.WellLit(m, name, weight, suggestion),
            PresetChecks.Contrast => Checks.Contrast(intent, m, name, weight, suggestion),
            PresetChecks.Colorfulness => Checks.Colorfulness(m, name, weight, suggestion),
            PresetChecks.Exposure => Checks.Exposure(intent, m, name, weight, suggestion),
            _ => null,
        };
    }

    private static string Feedback(List<Check> checks, List<string> unchecked_)
    {
        var text = new StringBuilder();
        var failing = checks.Where(c => !c.Result.Passed)
            .OrderBy(c => c.Result.Score)
            .ThenByDescending(c => c.Weight)
            .ThenBy(c => c.Result.Name, StringComparer.Ordinal)
            .ToList();
        if (failing.Count == 0)
        {
            text.Append("Everything the pixels can show matches the request");
            var weakest = checks.Where(c => c.Result.Score < Checks.SuggestBelow).MinBy(c => c.Result.Score);
            if (weakest is not null)
                text.Append("; the weakest point: ").Append(weakest.Result.Comment);
            text.Append('.');
        }
        else
        {
            foreach (var c in failing.Take(FeedbackItems))
                text.Append(Sentence(c.Result.Comment)).Append(' ');
            if (failing.Count > FeedbackItems)
            {
                text.Append("Also below par: ")
                    .Append(string.Join(", ", failing.Skip(FeedbackItems).Select(c => c.Result.Name)))
                    .Append(". ");
            }
            var suggestions = failing.Select(c => c.Result.Suggestion).OfType<string>().Distinct(StringComparer.Ordinal).Take(FeedbackItems).ToList();
            if (suggestions.Count > 0)
                text.Append("Try adding: ").Append(string.Join("; ", suggestions)).Append('.');
            text.Length = text.ToString().TrimEnd().Length;
        }
        text.Append(" Not checked offline: ").Append(string.Join("; ", unchecked_)).Append('.');
        return text.ToString();
    }

    private static string Sentence(string comment) =>
        comment.Length == 0 ? comment : char.ToUpper(comment[0], CultureInfo.InvariantCulture) + comment[1..] + ".";

    /// <summary>"the subject itself: whether it shows a fox and a car", from the subjects the prompt names.</summary>
    private static string SubjectUnchecked(string prompt)
    {
        List<string> nouns;
        try
        {
            nouns = SketchRenderer.Interpret(new SketchRequest(prompt, null, 64, 64, 0, null, false)).Subjects
                .Select(s => s.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{s.Count} {Plural(s.Noun)}") : Article(s.Noun) + " " + s.Noun)
                .ToList();
        }
        catch (ArgumentException)
        {
            nouns = [];
        }
        if (nouns.Count > 0)
        {
            var list = nouns.Count == 1 ? nouns[0] : string.Join(", ", nouns.Take(nouns.Count - 1)) + " and " + nouns[^1];
            return $"the subject itself: whether it shows {list}";
        }
        var words = prompt.Trim();
        if (words.Length > 60)
            words = words[..57].TrimEnd() + "...";
        return words.Length == 0 ? "the subject itself" : $"the subject itself: whether it shows \"{words}\"";
    }

    private static string Article(string noun) => noun.Length > 0 && "aeiou".Contains(noun[0], StringComparison.Ordinal) ? "an" : "a";

    private static string Plural(string noun) => noun switch
    {
        "mouse" => "mice",
        "person" => "people",
        "fish" or "sheep" or "deer" => noun,
        _ when noun.EndsWith('s') || noun.EndsWith('x') || noun.EndsWith("ch", StringComparison.Ordinal) => noun + "es",
        _ => noun + "s",
    };
}
