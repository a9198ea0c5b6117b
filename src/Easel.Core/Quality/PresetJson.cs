using System.Text.Json;
using System.Text.Json.Serialization;

namespace Easel.Core.Quality;

/// <summary>
/// A preset file as written, before validation: every field optional so a missing one gets a
/// precise message rather than a serializer error.
/// </summary>
internal sealed class PresetFile
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public List<string?>? PrompterInstructions { get; set; }
    public List<string?>? PromptDetails { get; set; }
    public string? EvaluatorInstructions { get; set; }
    public List<PresetCriterionFile?>? Criteria { get; set; }
}

internal sealed class PresetCriterionFile
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public double? Weight { get; set; }
    public string? Check { get; set; }
    public string? Suggestion { get; set; }
}

/// <summary>
/// Preset files: snake_case names; comments and trailing commas allowed because people edit
/// these by hand; unknown fields refused so a misspelt field is reported, not silently ignored.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PresetFile))]
internal sealed partial class PresetJsonContext : JsonSerializerContext;
