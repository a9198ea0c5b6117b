namespace Easel.Cli.Tests;

public sealed class HistoryAndShowTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<string> Generate(string prompt)
    {
        // One pass, so each prompt makes exactly one image.
        var run = await _cli.RunAsync("generate", prompt, "--size", "96x96", "--json", "--max-iterations", "1");
        run.ExitCode.ShouldBe(0, run.ToString());
        return run.Json().GetProperty("images")[0].GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task History_lists_newest_first_and_searches_prompts()
    {
        var fox = await Generate("a red fox in the snow");
        var boat = await Generate("a sailing boat at sea");
        var cat = await Generate("a black cat on a city roof");

        var all = await _cli.RunAsync("history", "--json");
        all.ExitCode.ShouldBe(0, all.ToString());
        all.Json().GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ShouldBe([cat, boat, fox]);

        var found = await _cli.RunAsync("history", "--search", "fox", "--json");
        found.Json().GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ShouldBe([fox]);

        var limited = await _cli.RunAsync("history", "--limit", "1", "--since", "today", "--json");
        limited.Json().GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ShouldBe([cat]);

        var table = await _cli.RunAsync("history", "--search", "sailing");
        table.Stdout.ShouldContain(boat);
        table.Stdout.ShouldContain("a sailing boat at sea");
        table.Stdout.ShouldNotContain(fox);
    }

    [Fact]
    public async Task A_prompt_with_colon_words_is_shown_as_written_not_as_emoji()
    {
        var id = await Generate("a fox :fox: under a :sun: sky");
        (await _cli.RunAsync("show", id)).Stdout.ShouldContain("a fox :fox: under a :sun: sky");
        (await _cli.RunAsync("history")).Stdout.ShouldContain("a fox :fox: under a :sun: sky");
    }

    [Fact]
    public async Task History_search_tolerates_any_text()
    {
        await Generate("a red fox");
        foreach (var text in new[] { "\"", "AND", "fox*", "-", "NEAR(", "🦊", "(a OR b" })
        {
            var run = await _cli.RunAsync("history", "--search", text, "--json");
            run.ExitCode.ShouldBe(0, $"{text}: {run}");
        }
    }

    [Theory]
    [InlineData("--since", "someday", "is not understood")]
    [InlineData("--limit", "0", "--limit must be between")]
    public async Task History_refuses_bad_flags(string flag, string value, string message)
    {
        var run = await _cli.RunAsync("history", flag, value);
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain(message);
    }

    [Fact]
    public async Task Show_prints_everything_recorded_by_id_or_unique_prefix()
    {
        var id = await Generate("a golden necklace on white background");
        var full = await _cli.RunAsync("show", id, "--json");
        full.ExitCode.ShouldBe(0, full.ToString());
        var json = full.Json();
        json.GetProperty("prompt").GetString().ShouldBe("a golden necklace on white background");
        json.GetProperty("provider").GetString().ShouldBe("sketch");
        json.GetProperty("width").GetInt32().ShouldBe(96);
        File.Exists(json.GetProperty("path").GetString()).ShouldBeTrue();

        var human = await _cli.RunAsync("show", id[..12]);
        human.ExitCode.ShouldBe(0, human.ToString());
        human.Stdout.ShouldContain(id);
        human.Stdout.ShouldContain("golden necklace");
    }

    [Fact]
    public async Task Show_of_an_unknown_id_says_so()
    {
        var run = await _cli.RunAsync("show", "img_doesnotexist");
        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("No image with id 'img_doesnotexist'");
    }

    [Fact]
    public async Task Since_phrases_are_local_midnights_and_spans()
    {
        var time = new FixedTime(DateTimeOffset.Parse("2026-11-21T15:30:00Z"));
        Commands.HistoryCommand.ParseSince("today", time).ShouldBe(DateTimeOffset.Parse("2026-11-21T00:00:00Z"));
        Commands.HistoryCommand.ParseSince("yesterday", time).ShouldBe(DateTimeOffset.Parse("2026-11-20T00:00:00Z"));
        Commands.HistoryCommand.ParseSince("3h", time).ShouldBe(DateTimeOffset.Parse("2026-11-21T12:30:00Z"));
        Commands.HistoryCommand.ParseSince("2026-11-01", time).ShouldBe(DateTimeOffset.Parse("2026-11-01T00:00:00Z"));
        Commands.HistoryCommand.ParseSince("soon", time).ShouldBeNull();
        await Task.CompletedTask;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}

public sealed class DataDirectoryErrorTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_database_from_a_newer_easel_is_refused_and_left_alone()
    {
        var db = Path.Combine(_cli.Home, "easel.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 999;";
            command.ExecuteNonQuery();
        }
        var before = await File.ReadAllBytesAsync(db, TestContext.Current.CancellationToken);

        var run = await _cli.RunAsync("generate", "a cat");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("newer Easel");
        run.Stderr.ShouldNotContain("   at ");
        (await File.ReadAllBytesAsync(db, TestContext.Current.CancellationToken)).ShouldBe(before);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_gets_a_plain_message()
    {
        await File.WriteAllTextAsync(Path.Combine(_cli.Home, "easel.db"), "not a database, just text", TestContext.Current.CancellationToken);
        var run = await _cli.RunAsync("history");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("is not an Easel database");
        run.Stderr.ShouldNotContain("   at ");
    }
}
