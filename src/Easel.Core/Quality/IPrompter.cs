namespace Easel.Core.Quality;

/// <summary>Rewrites a prompt from an evaluation's feedback without losing what the user asked for.</summary>
public interface IPrompter
{
    /// <summary>The name recorded with every refinement ("builtin", "openai:gpt-4o", ...).</summary>
    string Name { get; }

    /// <returns>The next prompt to try.</returns>
    Task<string> RefineAsync(RefineRequest request, CancellationToken cancellationToken);
}

/// <param name="OriginalPrompt">The user's words: every refinement keeps their intent.</param>
/// <param name="CurrentPrompt">The prompt the evaluated image was made from.</param>
/// <param name="Evaluation">The evaluation of the best image made from <paramref name="CurrentPrompt"/>.</param>
/// <param name="Iteration">The iteration about to be made (2 for the first refinement).</param>
public sealed record RefineRequest(string OriginalPrompt, string CurrentPrompt, Evaluation Evaluation, int Iteration, Preset? Preset);
