using System.Collections.Concurrent;
using Easel.Core.Quality;

namespace Easel.Workflows.Tests;

/// <summary>
/// An evaluator whose score is a function of the prompt an image was made from, so tests decide
/// exactly when the loop stops. Records what it judged.
/// </summary>
internal sealed class ScriptedEvaluator(Func<string, int> score) : IImageEvaluator
{
    public ConcurrentQueue<EvaluationRequest> Requests { get; } = new();

    public string Name => "scripted";

    /// <summary>Throws for prompts this returns true for, as a failing language-model evaluator would.</summary>
    public Func<string, bool>? FailWhen { get; init; }

    public Task<Evaluation> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (FailWhen?.Invoke(request.Prompt) == true)
            throw new HttpRequestException("The evaluator's server answered 503.");
        var value = score(request.Prompt);
        var criteria = new List<CriterionResult> { new("color:red", value, value >= 80, $"red covers {value}% of the image", "vivid red") };
        return Task.FromResult(new Evaluation(value, criteria, $"Scored {value} for '{request.Prompt}'.", ["the subject itself"], Name));
    }
}

/// <summary>A prompter that appends " +" per refinement, so the iteration shows in the prompt.</summary>
internal sealed class AppendingPrompter : IPrompter
{
    public ConcurrentQueue<RefineRequest> Requests { get; } = new();

    public string Name => "appending";

    public Task<string> RefineAsync(RefineRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Task.FromResult(request.CurrentPrompt + " +");
    }
}

internal static class TestQuality
{
    public static Preset Jewelry { get; } = new() { Name = "jewelry", Description = "test preset" };

    /// <summary>Every image passes at once: the loop never refines.</summary>
    public static QualityServices Passing { get; } = Create(new ScriptedEvaluator(_ => 100), new AppendingPrompter());

    public static QualityServices Create(IImageEvaluator evaluator, IPrompter prompter) =>
        new(evaluator, prompter, name => string.Equals(name, Jewelry.Name, StringComparison.OrdinalIgnoreCase) ? Jewelry : null);

    /// <summary>Number of refinements in a prompt made by <see cref="AppendingPrompter"/>.</summary>
    public static int Refinements(string prompt) => prompt.Count(c => c == '+');
}
