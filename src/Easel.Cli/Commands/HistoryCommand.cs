using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Easel.Cli.Output;
using Easel.Core.Gallery;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>`easel history`: what was made, newest first, with full-text search over prompts.</summary>
internal static class HistoryCommand
{
    public const int MaxLimit = 10_000;

    public static Command Create(CliConsole console, EaselServices services)
    {
        var since = new Option<string?>("--since") { Description = "today, yesterday, a date (2026-11-20), or a span back from now (3h, 2d, 1w).", HelpName = "WHEN" };
        var search = new Option<string?>("--search") { Description = "Words to find in prompts.", HelpName = "TEXT" };
        var limit = new Option<int>("--limit") { Description = $"Most images to list (1-{MaxLimit}).", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };

        since.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && ParseSince(text, TimeProvider.System) is null)
                r.AddError($"--since: '{text}' is not understood; use today, yesterday, a date like 2026-11-20, or a span like 3h, 2d, 1w.");
        });
        limit.Validators.Add(r =>
        {
            var n = r.GetValueOrDefault<int>();
            if (n < 1 || n > MaxLimit)
                r.AddError($"--limit must be between 1 and {MaxLimit}; got {n}.");
        });

        var command = new Command("history", "List the images you made, newest first.") { since, search, limit, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var query = new ImageQuery(
                Text: parse.GetValue(search),
                Since: parse.GetValue(since) is { } s ? ParseSince(s, services.Time) : null,
                Limit: parse.GetValue(limit));
            var images = await services.Store.Images.SearchAsync(query, cancellationToken);
            if (parse.GetValue(json))
            {
                var payload = new HistoryJson(images.Select(i => i.ToDetailJson()).ToList());
                console.RawOut.WriteLine(JsonSerializer.Serialize(payload, CliJsonContext.Default.HistoryJson));
                return ExitCodes.Success;
            }
            Write(console, images, services.Time);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The instant a "--since" phrase means, in the user's local time zone; null when not understood.</summary>
    internal static DateTimeOffset? ParseSince(string text, TimeProvider time)
    {
        var zone = time.LocalTimeZone;
        var now = TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone);
        var key = text.Trim().ToLowerInvariant();
        switch (key)
        {
            case "today":
                return LocalMidnight(now.Date, zone);
            case "yesterday":
                return LocalMidnight(now.Date.AddDays(-1), zone);
        }
        if (key.Length >= 2 && int.TryParse(key[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000)
        {
            TimeSpan? span = key[^1] switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'w' => TimeSpan.FromDays(7 * n),
                _ => null,
            };
            if (span is not null)
                return time.GetUtcNow() - span.Value;
        }
        if (DateTime.TryParseExact(key, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        if (DateTimeOffset.TryParse(key, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var absolute) && key.Contains('-'))
            return absolute;
        return null;
    }

    private static DateTimeOffset LocalMidnight(DateTime date, TimeZoneInfo zone) => new(date, zone.GetUtcOffset(date));

    private static void Write(CliConsole console, IReadOnlyList<ImageRecord> images, TimeProvider time)
    {
        if (images.Count == 0)
        {
            console.Out.WriteLine("No images found.");
            return;
        }
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Created").AddColumn("Image").AddColumn("Size").AddColumn("Provider").AddColumn("Prompt");
        foreach (var image in images)
        {
            var created = TimeZoneInfo.ConvertTime(image.CreatedAt, time.LocalTimeZone);
            // Plain text: a prompt's ":fox:" must stay words, not become an emoji.
            table.AddRow(
                new Text(created.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
                new Text(image.Id),
                new Text($"{image.Width}x{image.Height}"),
                new Text(image.Provider),
                new Text(Shorten(image.Prompt, 60)));
        }
        console.Out.Write(table);
        console.Out.MarkupLine($"[grey]{images.Count} image{(images.Count == 1 ? "" : "s")}. 'easel show IMAGE' shows one in full.[/]");
    }

    private static string Shorten(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
