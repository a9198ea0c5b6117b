using System.Globalization;
using System.Text;

namespace Easel.Bench;

internal static partial class Report
{
    private const string GalleryHeading = "## 8. Gallery search";

    private const string GalleryListItem =
        "8. Gallery search with 100,000 images in the store: first pages and next pages of several kinds of search, over HTTP\n" +
        "   against `easel serve` in its own process, and that process's memory.";

    private static void Gallery(StringBuilder md, GalleryResults? g)
    {
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine($"{GalleryHeading} with {(g is { Quick: true } ? g.Seed.Images.ToString("N0", inv) : "100,000")} images");
        md.AppendLine();
        if (g is null)
        {
            md.AppendLine("Not measured: skipped with --no-gallery.");
            md.AppendLine();
            return;
        }
        if (g.NotMeasured is { } why)
        {
            md.AppendLine($"Not measured ({g.Started:yyyy-MM-dd HH:mm} UTC): {why}.");
            md.AppendLine();
            return;
        }
        if (g.Quick)
        {
            md.AppendLine($"> **Quick smoke run** (`--quick`): {g.Seed.Images:N0} images and {g.Rounds} rounds only. Run `bench/run.sh --only-gallery` for real figures.");
            md.AppendLine();
        }
        md.AppendLine(string.Create(inv, $"Measured {g.Started:yyyy-MM-dd HH:mm} UTC in {g.Duration.TotalSeconds:0} s on {g.Machine}. This section alone, rewritten in place:"));
        md.AppendLine();
        md.AppendLine("```sh");
        md.AppendLine("bench/run.sh --only-gallery");
        md.AppendLine("```");
        md.AppendLine();

        var goal = GalleryResults.GoalP95Ms;
        string Verdict(double p95) => p95 < goal ? "pass" : "**fail**";
        var first = g.AllFirst;
        var next = g.AllNext;
        md.AppendLine("| Figure | Goal | Measured | Result |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(string.Create(inv, $"| Search, first page: p95 of all {first.Count} requests ({g.Kinds.Count} kinds × {g.Rounds}) | < {goal:0} ms | {Ms(first.Percentile(95))} ms (p50 {Ms(first.Median)}, max {Ms(first.Max)}) | {Verdict(first.Percentile(95))} |"));
        md.AppendLine(string.Create(inv, $"| Next page: p95 of all {next.Count} requests | < {goal:0} ms | {Ms(next.Percentile(95))} ms (p50 {Ms(next.Median)}, max {Ms(next.Max)}) | {Verdict(next.Percentile(95))} |"));
        md.AppendLine(string.Create(inv, $"| Slowest kind's p95, first or next page | < {goal:0} ms | {Ms(Slowest(g).P95)} ms ({Slowest(g).Name}) | {Verdict(Slowest(g).P95)} |"));
        md.AppendLine(string.Create(inv, $"| Server memory (resident): after start / after the run / peak | - | {Mib(g.RssAtStartKiB)} / {Mib(g.RssAfterKiB)} / {Mib(g.PeakRssKiB)} | - |"));
        md.AppendLine();

        md.AppendLine("| Search | Query (`GET /api/v1/images?…&limit=50`) | First page: images | p50 ms | p95 ms | Next page p50 ms | p95 ms | How the store finds the page |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var k in g.Kinds)
        {
            var nextCells = k.Next is { } n ? $"{Ms(n.Median)} | {Ms(n.Percentile(95))}" : "- | -";
            md.AppendLine($"| {k.Name} | `{(k.Query.Length == 0 ? "(none)" : Uri.UnescapeDataString(k.Query))}` | {k.Found} | {Ms(k.First.Median)} | {Ms(k.First.Percentile(95))} | {nextCells} | {k.Why} |");
        }
        md.AppendLine();

        var s = g.Seed;
        var providers = string.Join(", ", s.ProviderRows.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {Percent(p.Value, s.Images)}"));
        md.AppendLine(string.Create(inv, $"**The gallery**: {s.Images:N0} images in {s.Orders:N0} orders of 1-8 images over {s.Span.TotalDays:0} days, the images of one provider call"));
        md.AppendLine("sharing their creation time to the millisecond (ties the gallery order breaks by id). They are stored through `EaselStore`,");
        md.AppendLine(string.Create(inv, $"as the worker stores them (schema, JSON, text-index triggers), in {s.SeedSeconds:0} s; the database file is {Mib(s.DatabaseBytes / 1024)}. Prompts"));
        md.AppendLine("join a subject, an adjective, a setting, a time of day and a style drawn with Zipf-like odds (1/rank) from a fixed");
        md.AppendLine("vocabulary, so a few words are in a fifth of the prompts and most in a handful; 3% add one of 55 rare words. Providers:");
        md.AppendLine($"{providers}. Scores mostly 60-95, 4% not evaluated, 1% failed evaluations; 80% unreviewed, 15% approved, 5%");
        md.AppendLine("regenerated. No image files are written: search never opens them.");
        md.AppendLine();
        md.AppendLine(string.Create(inv, $"**The server**: {g.Served}, GC {g.GcMode}, started as `EASEL_HOME=DIR dotnet easel.dll serve --urls http://127.0.0.1:PORT`"));
        md.AppendLine(string.Create(inv, $"with an empty configuration directory, the database on {g.FileSystem}; it answered `/health` {g.StartupMs:0} ms after starting. It runs"));
        md.AppendLine("its order worker too, idle here (every order is finished).");
        md.AppendLine();
        md.AppendLine(string.Create(inv, $"**The requests**: one at a time from the benchmark's process over loopback (keep-alive), `limit={g.PageSize}`. A time runs from"));
        md.AppendLine("sending the request to having read the whole JSON body, so HTTP, routing, JSON and the store are all in it; the network is");
        md.AppendLine(string.Create(inv, $"loopback only. {g.WarmupRounds} warm-up rounds, then {g.Rounds} timed rounds; a round asks every kind for its first page and for one next page, with the"));
        md.AppendLine("`next` cursors of pages 2 to 11 in turn (fewer when the search has fewer pages). Memory is `VmRSS` (resident now) and `VmHWM`");
        md.AppendLine($"(the most it has been) from `/proc/PID/status` of the server process. {OtherCoresSentence(g.OtherCores)}");
        md.AppendLine();

        md.AppendLine("Reading:");
        md.AppendLine();
        foreach (var line in GalleryReading(g))
            md.AppendLine($"- {line}");
        md.AppendLine();
    }

    private static (string Name, double P95) Slowest(GalleryResults g) =>
        g.Kinds.SelectMany(k => new[] { ($"{ShortKind(k)}, first page", k.First.Percentile(95)) }
                .Concat(k.Next is { } n ? [($"{ShortKind(k)}, next page", n.Percentile(95))] : []))
            .MaxBy(x => x.Item2);

    private static IEnumerable<string> GalleryReading(GalleryResults g)
    {
        var all = g.All;
        var goal = GalleryResults.GoalP95Ms;
        var slowest = Slowest(g);
        yield return all.Percentile(95) < goal && slowest.P95 < goal
            ? $"Every kind of search meets the goal: p95 {Ms(all.Percentile(95))} ms over all {all.Count} requests, {Ms(slowest.P95)} ms for the slowest ({slowest.Name}), against {goal:0} ms."
            : $"The goal is missed: p95 {Ms(all.Percentile(95))} ms over all {all.Count} requests and {Ms(slowest.P95)} ms for {slowest.Name}, against {goal:0} ms.";
        var over = all.All.Count(ms => ms >= goal);
        yield return over == 0
            ? $"No single request took {goal:0} ms or more; the slowest took {Ms(all.Max)} ms."
            : $"{over} of the {all.Count} requests took {goal:0} ms or more (the slowest {Ms(all.Max)} ms): "
                + string.Join(", ", g.Kinds.Select(k => (Kind: k, Count: k.First.All.Concat(k.Next?.All ?? []).Count(ms => ms >= goal))).Where(x => x.Count > 0).Select(x => $"{x.Count} of {ShortKind(x.Kind)}"))
                + $". {OtherCoresSentence(g.OtherCores)}";
        var newest = g.Kinds[0];
        yield return $"The plain gallery, the simplest search, takes {Ms(newest.First.Median)} ms (p50) for a page of {newest.Found}: HTTP, routing, the store reading the page's rows and the JSON; "
            + "what a search costs beyond that is the store's work.";
        var byCost = g.Kinds.OrderByDescending(k => k.First.Median).First();
        yield return $"The costliest first page is {ShortKind(byCost)} (p50 {Ms(byCost.First.Median)} ms): {byCost.Why}.";
        yield return $"Next pages (pages 2-11): p50 {Ms(g.AllNext.Median)} ms against {Ms(g.AllFirst.Median)} ms for first pages. A cursor is a seek in the same index "
            + "(`(created_at, id) < (…)`), not an offset, so a deeper page does not read the pages before it.";
        yield return $"The server held {Mib(g.RssAtStartKiB)} resident after start and {Mib(g.RssAfterKiB)} after the run (peak {Mib(g.PeakRssKiB)}), with a {Mib(g.Seed.DatabaseBytes / 1024)} database file: "
            + "SQLite keeps a small page cache per connection (2 MB at most by default) and otherwise reads the file through the operating system's cache, which is not part of the process's resident memory.";
    }

    /// <summary>"one letter typed" for "One letter typed (`a`: …)".</summary>
    private static string ShortKind(GalleryKind kind) => kind.Name.Split(" (")[0].ToLowerInvariant();

    private static string OtherCoresSentence(double? cores) => cores switch
    {
        null => "How busy the rest of the machine was is unknown.",
        > BusyCores => string.Create(CultureInfo.InvariantCulture, $"Other processes kept {cores:0.00} cores busy on average during the timed rounds: the figures may be inflated."),
        _ => string.Create(CultureInfo.InvariantCulture, $"Other processes kept {cores:0.00} cores busy on average during the timed rounds."),
    };

    private static string Percent(int part, int whole) =>
        whole == 0 ? "0%" : (100.0 * part / whole).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Mib(long kib) => (kib / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>
    /// An existing benchmarks page with section 8 replaced by a new run's (or inserted before
    /// *Reading*), and its line in the list of what is measured added when missing: the other
    /// sections' figures stay as they were.
    /// </summary>
    public static string SpliceGallery(string existing, GalleryResults gallery)
    {
        var section = new StringBuilder();
        Gallery(section, gallery);
        var lines = existing.Replace("\r\n", "\n").Split('\n').ToList();

        var start = lines.FindIndex(l => l.StartsWith(GalleryHeading, StringComparison.Ordinal));
        var sectionLines = section.ToString().TrimEnd('\n').Split('\n').Append("").ToList();
        if (start >= 0)
        {
            var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
            lines.RemoveRange(start, (end < 0 ? lines.Count : end) - start);
            lines.InsertRange(start, sectionLines);
        }
        else
        {
            var reading = lines.FindIndex(l => l == "## Reading");
            lines.InsertRange(reading < 0 ? lines.Count : reading, sectionLines);
        }

        if (!lines.Any(l => l.StartsWith("8. ", StringComparison.Ordinal)))
        {
            var item7 = lines.FindIndex(l => l.StartsWith("7. ", StringComparison.Ordinal));
            if (item7 >= 0)
            {
                var after = item7 + 1;
                while (after < lines.Count && lines[after].StartsWith("   ", StringComparison.Ordinal))
                    after++;
                lines.InsertRange(after, GalleryListItem.Split('\n'));
            }
        }
        return string.Join('\n', lines);
    }
}
