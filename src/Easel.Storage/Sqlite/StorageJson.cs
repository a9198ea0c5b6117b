using System.Text.Json;
using System.Text.Json.Serialization;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;

namespace Easel.Storage.Sqlite;

/// <summary>
/// JSON for the <c>images.parameters</c> column: snake_case names, enums as snake_case strings.
/// Source-generated so the first image written does not pay for reflection-based setup.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(SnakeCaseEnumConverter<Background>)])]
[JsonSerializable(typeof(ImageParameters))]
[JsonSerializable(typeof(StoredReference[]))]
[JsonSerializable(typeof(Evaluation))]
[JsonSerializable(typeof(ApprovalSummary))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;

internal sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;

/// <summary>Enum values as the snake_case text stored in columns ("partially_completed").</summary>
internal static class EnumText<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> ToTextMap =
        Enum.GetValues<TEnum>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

    private static readonly Dictionary<string, TEnum> FromTextMap =
        ToTextMap.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string ToText(TEnum value) =>
        ToTextMap.TryGetValue(value, out var text)
            ? text
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(TEnum).Name}.");

    public static TEnum Parse(string text) =>
        FromTextMap.TryGetValue(text, out var value)
            ? value
            : throw new InvalidDataException($"The database holds {typeof(TEnum).Name} '{text}', which this Easel does not know.");
}
