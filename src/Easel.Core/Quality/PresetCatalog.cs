using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Easel.Core.Quality;

/// <summary>A preset file that could not be used, kept so a caller can warn and go on.</summary>
/// <param name="File">The file (or built-in resource) at fault.</param>
/// <param name="Name">The preset name the file meant to define (its "name", else its file name), so asking for it reports this problem.</param>
/// <param name="Message">What is wrong, starting with the file.</param>
public sealed record PresetProblem(string File, string Name, string Message);

/// <summary>
/// The presets a user can choose: the built-in ones (JSON files embedded in this assembly) and
/// the user's own JSON files in a folder, which replace a built-in preset of the same name.
/// A broken user file never hides the good ones: it becomes a <see cref="PresetProblem"/>, and
/// only asking for that file's preset fails.
/// </summary>
public sealed class PresetCatalog
{
    /// <summary>Largest preset file read: far above any real preset, small enough to refuse a wrong file quickly.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>Longest preset name: it is typed on command lines.</summary>
    public const int MaxNameLength = 40;

    private const string ResourcePrefix = "Easel.Core.Quality.Presets.";
    private const string OverrideNote = " (overrides the built-in preset)";

    private static readonly Lazy<IReadOnlyList<Preset>> BuiltInPresets = new(LoadBuiltIn);

    private readonly Dictionary<string, Preset> _presets;
    private readonly Dictionary<string, PresetProblem> _broken;

    private PresetCatalog(Dictionary<string, Preset> presets, List<PresetProblem> problems)
    {
        _presets = presets;
        _broken = new Dictionary<string, PresetProblem>(StringComparer.OrdinalIgnoreCase);
        foreach (var problem in problems)
            _broken.TryAdd(problem.Name, problem);
        All = [.. presets.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
        Problems = problems;
    }

    /// <summary>Every usable preset, by name.</summary>
    public IReadOnlyList<Preset> All { get; }

    /// <summary>Files that could not be used, in the order they were read.</summary>
    public IReadOnlyList<PresetProblem> Problems { get; }

    /// <summary>The presets that ship with Easel.</summary>
    public static IReadOnlyList<Preset> BuiltIn => BuiltInPresets.Value;

    /// <summary>
    /// Built-in presets plus the <c>*.json</c> files directly in <paramref name="userDirectory"/>
    /// (none when it is null or does not exist). Never throws for a bad user file.
    /// </summary>
    public static PresetCatalog Load(string? userDirectory = null)
    {
        var presets = new Dictionary<string, Preset>(StringComparer.OrdinalIgnoreCase);
        foreach (var preset in BuiltIn)
            presets[preset.Name] = preset;

        var problems = new List<PresetProblem>();
        if (userDirectory is not null)
            LoadUserPresets(userDirectory, presets, problems);
        return new PresetCatalog(presets, problems);
    }

    /// <summary>Reads and validates one preset file (e.g. to check it before installing it).</summary>
    /// <exception cref="PresetException">The file cannot be read or is not a valid preset.</exception>
    public static Preset LoadFile(string path)
    {
        var bytes = ReadFile(path, out var error);
        if (bytes is null)
            throw new PresetException($"{path}: {error}", path);
        return Parse(bytes, path, path, out var problem) ?? throw new PresetException(problem!, path);
    }

    /// <summary>The preset named <paramref name="name"/> (case ignored), or null when there is none.</summary>
    /// <exception cref="PresetException">The preset's file is broken; the message says how.</exception>
    public Preset? Find(string name)
    {
        var key = name.Trim();
        if (_presets.TryGetValue(key, out var preset))
            return preset;
        if (_broken.TryGetValue(key, out var problem))
            throw new PresetException(problem.Message, problem.File);
        return null;
    }

    /// <summary>Like <see cref="Find"/>, but an unknown name is an error that lists the known ones.</summary>
    /// <exception cref="PresetException">No such preset, or its file is broken.</exception>
    public Preset Get(string name) =>
        Find(name) ?? throw new PresetException(
            $"There is no preset named '{name.Trim()}'. Known presets: {string.Join(", ", All.Select(p => p.Name))}.");

    private static void LoadUserPresets(string directory, Dictionary<string, Preset> presets, List<PresetProblem> problems)
    {
        if (!Directory.Exists(directory))
        {
            if (File.Exists(directory))
                problems.Add(new PresetProblem(directory, "", $"{directory}: is a file; user presets go in a folder of that name."));
            return;
        }

        List<string> files;
        try
        {
            var options = new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive, IgnoreInaccessible = false };
            files = [.. Directory.EnumerateFiles(directory, "*.json", options).Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new PresetProblem(directory, "", $"{directory}: the preset folder cannot be read: {ex.Message}"));
            return;
        }

        var userFiles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in files)
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            var bytes = ReadFile(path, out var readError);
            string? parseError = null;
            var preset = bytes is null ? null : Parse(bytes, path, path, out parseError);
            if (preset is null)
            {
                var name = (bytes is null ? null : TryReadName(bytes)) ?? stem;
                var message = parseError ?? $"{path}: {readError}";
                // The user meant to replace this built-in preset: using the built-in one instead
                // would quietly ignore their edits, so the name reports this problem until fixed.
                if (!userFiles.ContainsKey(name) && presets.Remove(name))
                    message += $" (the built-in preset '{name}' is not used while this file is broken)";
                problems.Add(new PresetProblem(path, name, message));
                continue;
            }

            if (userFiles.TryGetValue(preset.Name, out var first))
            {
                problems.Add(new PresetProblem(path, preset.Name,
                    $"{path}: defines the preset '{preset.Name}', which {first} already defines; this file is ignored."));
                continue;
            }

            userFiles.Add(preset.Name, path);
            var overrides = BuiltIn.Any(b => string.Equals(b.Name, preset.Name, StringComparison.OrdinalIgnoreCase));
            presets[preset.Name] = preset with { Source = overrides ? path + OverrideNote : path };
        }
    }

    private static byte[]? ReadFile(string path, out string? error)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var length = stream.Length;
            if (length > MaxFileBytes)
            {
                error = $"is {(length / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture)} MB; a preset file may be at most 1 MB.";
                return null;
            }

            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            error = null;
            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot be read: {ex.Message}";
            return null;
        }
    }

    private static IReadOnlyList<Preset> LoadBuiltIn()
    {
        var assembly = typeof(PresetCatalog).Assembly;
        var presets = new List<Preset>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var label = $"built-in preset {resource[ResourcePrefix.Length..]}";
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"{label} is listed but cannot be opened.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            // A broken built-in preset is a defect in this build, not something a user can fix.
            var preset = Parse(buffer.ToArray(), label, "built-in", out var problem)
                ?? throw new InvalidOperationException(problem);
            presets.Add(preset);
        }

        return presets;
    }

    /// <summary>Validates one preset file's bytes; null with a message naming <paramref name="file"/> when it is not usable.</summary>
    internal static Preset? Parse(ReadOnlySpan<byte> utf8, string file, string source, out string? problem)
    {
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            problem = $"{file}: is empty; a preset is a JSON object with at least \"name\" and \"description\".";
            return null;
        }

        PresetFile? data;
        try
        {
            data = JsonSerializer.Deserialize(utf8, PresetJsonContext.Default.PresetFile);
        }
        catch (JsonException ex)
        {
            problem = $"{file}: {Describe(ex)}";
            return null;
        }

        if (data is null)
        {
            problem = $"{file}: holds null; a preset is a JSON object with at least \"name\" and \"description\".";
            return null;
        }

        var errors = new List<string>();
        var preset = Validate(data, source, errors);
        problem = errors.Count == 0 ? null : $"{file}: {string.Join("; ", errors)}.";
        return errors.Count == 0 ? preset : null;
    }

    private static Preset Validate(PresetFile data, string source, List<string> errors)
    {
        var name = data.Name?.Trim();
        if (string.IsNullOrEmpty(name))
            errors.Add("\"name\" is missing");
        else if (!IsValidName(name))
            errors.Add($"the name '{name}' may contain only lower-case letters, digits and single dashes, at most {MaxNameLength} characters (for example '{SuggestName(name)}')");

        var description = data.Description?.Trim();
        if (string.IsNullOrEmpty(description))
            errors.Add("\"description\" is missing");

        var instructions = TextList(data.PrompterInstructions, "prompter_instructions", errors);
        var details = TextList(data.PromptDetails, "prompt_details", errors);

        var criteria = new List<PresetCriterion>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < (data.Criteria?.Count ?? 0); i++)
        {
            var item = data.Criteria![i];
            if (item is null)
            {
                errors.Add($"criteria[{i}] is null; a criterion is an object with \"name\" and \"description\"");
                continue;
            }

            var criterionName = item.Name?.Trim();
            var label = string.IsNullOrEmpty(criterionName) ? $"criteria[{i}]" : $"criteria[{i}] ('{criterionName}')";
            if (string.IsNullOrEmpty(criterionName))
                errors.Add($"criteria[{i}] has an empty name");
            else if (seen.TryGetValue(criterionName, out var earlier))
                errors.Add($"criteria[{i}] repeats the name '{criterionName}' of criteria[{earlier}]; criterion names must be unique");
            else
                seen.Add(criterionName, i);

            var criterionDescription = item.Description?.Trim();
            if (string.IsNullOrEmpty(criterionDescription))
                errors.Add($"{label} has no description");

            var weight = item.Weight ?? 1.0;
            if (!(weight > 0 && weight <= 10))
                errors.Add($"{label} has weight {weight.ToString(CultureInfo.InvariantCulture)}; a weight must be more than 0 and at most 10");

            string? check = null;
            if (item.Check is not null)
            {
                check = PresetChecks.Normalize(item.Check);
                if (check is null)
                    errors.Add($"{label} has the unknown check '{item.Check}'; known checks: {string.Join(", ", PresetChecks.All)} (leave \"check\" out when only a language model can judge it)");
            }

            var suggestion = string.IsNullOrWhiteSpace(item.Suggestion) ? null : item.Suggestion.Trim();
            criteria.Add(new PresetCriterion(criterionName ?? "", criterionDescription ?? "", weight, check, suggestion));
        }

        var evaluatorInstructions = string.IsNullOrWhiteSpace(data.EvaluatorInstructions) ? null : data.EvaluatorInstructions.Trim();
        return new Preset
        {
            Name = name ?? "",
            Description = description ?? "",
            PrompterInstructions = instructions,
            PromptDetails = details,
            EvaluatorInstructions = evaluatorInstructions,
            Criteria = criteria,
            Source = source,
        };
    }

    private static List<string> TextList(List<string?>? items, string field, List<string> errors)
    {
        var result = new List<string>();
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var text = items![i]?.Trim();
            if (string.IsNullOrEmpty(text))
                errors.Add($"{field}[{i}] is empty");
            else
                result.Add(text);
        }

        return result;
    }

    internal static bool IsValidName(string name)
    {
        if (name.Length is 0 or > MaxNameLength || name[0] == '-' || name[^1] == '-' || name.Contains("--", StringComparison.Ordinal))
            return false;
        return name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
    }

    private static string SuggestName(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
                builder.Append(c);
            else if (builder.Length > 0 && builder[^1] != '-')
                builder.Append('-');
        }

        var suggestion = builder.ToString().Trim('-');
        if (suggestion.Length > MaxNameLength)
            suggestion = suggestion[..MaxNameLength].TrimEnd('-');
        return suggestion.Length == 0 ? "my-preset" : suggestion;
    }

    /// <summary>The "name" of a file that failed validation, when it has a usable one, so asking for it finds the problem.</summary>
    private static string? TryReadName(byte[] bytes)
    {
        try
        {
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            using var document = JsonDocument.Parse(bytes.AsMemory(start), options);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("name", out var name)
                && name.ValueKind == JsonValueKind.String
                && name.GetString()?.Trim() is { } text
                && IsValidName(text))
                return text;
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static readonly string[] PresetFields =
        ["name", "description", "prompter_instructions", "prompt_details", "evaluator_instructions", "criteria"];

    private static readonly string[] CriterionFields = ["name", "description", "weight", "check", "suggestion"];

    /// <summary>Turns a serializer error into a sentence about the file: where, and what to change.</summary>
    private static string Describe(JsonException ex)
    {
        var where = ex.LineNumber is { } line
            ? $" at line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}"
            : "";
        var path = ex.Path is null or "$" ? "" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
        var message = ex.Message;

        const string Unmapped = "could not be mapped to any .NET member";
        if (message.Contains(Unmapped, StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'');
            var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
            var field = end > start ? message[(start + 1)..end] : "?";
            var inCriterion = path.Contains("criteria[", StringComparison.Ordinal);
            var known = inCriterion ? CriterionFields : PresetFields;
            return $"unknown field '{field}'{(inCriterion ? " in a criterion" : "")}{where}; known fields: {string.Join(", ", known)}.";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            if (path.Length == 0)
                return $"is not a preset{where}: the file must hold one JSON object with \"name\", \"description\" and the other fields.";
            return $"{path} has the wrong type{where}: it should be {ExpectedType(path)}.";
        }

        return $"is not valid JSON{where}: {Clean(message)}";
    }

    private static string ExpectedType(string path)
    {
        if (path.EndsWith(']'))
            return path.StartsWith("criteria[", StringComparison.Ordinal) && !path.Contains('.', StringComparison.Ordinal)
                ? "an object with \"name\" and \"description\""
                : "text in quotes";
        var field = path[(path.LastIndexOf('.') + 1)..];
        return field switch
        {
            "weight" => "a number more than 0 and at most 10",
            "criteria" => "a list of objects",
            "prompter_instructions" or "prompt_details" => "a list of texts in quotes",
            _ => "text in quotes",
        };
    }

    /// <summary>The serializer's sentence without the position and path it appends (reported separately).</summary>
    private static string Clean(string message)
    {
        foreach (var marker in new[] { " Path: ", " LineNumber: ", " | LineNumber" })
        {
            var index = message.IndexOf(marker, StringComparison.Ordinal);
            if (index >= 0)
                message = message[..index];
        }

        message = message.Trim();
        return message.EndsWith('.') ? message : message + ".";
    }
}
