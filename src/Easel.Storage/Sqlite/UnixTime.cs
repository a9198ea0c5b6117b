namespace Easel.Storage.Sqlite;

/// <summary>Instants are stored as integer unix milliseconds UTC (sub-millisecond ticks are dropped).</summary>
internal static class UnixTime
{
    public static long ToMilliseconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToMilliseconds(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMilliseconds(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? FromMilliseconds(long? value) =>
        value is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
