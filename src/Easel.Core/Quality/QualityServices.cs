namespace Easel.Core.Quality;

/// <summary>The evaluator, prompter and presets an installation uses for its quality loop.</summary>
/// <param name="FindPreset">The preset with this name (any case), or null when there is none.</param>
public sealed record QualityServices(IImageEvaluator Evaluator, IPrompter Prompter, Func<string, Preset?> FindPreset);
