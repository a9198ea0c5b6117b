namespace Easel.Providers.Google;

internal static class GoogleModels
{
    /// <summary>The model id as it goes in the path: the default when none is given, without the "models/" prefix Google's listings show.</summary>
    public static string Normalize(string? model, string fallback)
    {
        var name = string.IsNullOrWhiteSpace(model) ? fallback : model.Trim();
        if (name.StartsWith("models/", StringComparison.Ordinal))
            name = name["models/".Length..];
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
            throw new ArgumentException($"'{model}' is not a Google model id: use letters, digits, '-', '.' and '_', e.g. {fallback}.", nameof(model));
        return name;
    }
}
