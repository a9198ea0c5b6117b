using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Easel.Cli.Tests;

/// <summary>
/// A real `easel generate` of 40 images (10 calls of 4) is killed with SIGKILL at different points;
/// `easel worker` must then finish the order with every image made exactly once, every file
/// intact, nothing left over on disk, and no stored batch made again.
/// </summary>
public sealed class CrashSafetyTests
{
    private const int Images = 40;
    private const int Batches = 10;

    // 768x768 makes each call of 4 long enough on a small machine to land kills between and within calls.
    // One pass: this test is about batches; the loop's own test is below.
    private static readonly string[] Generate = ["generate", "a lighthouse on a cliff in a storm, oil painting", "-n", "40", "--yes", "--size", "768x768", "--max-iterations", "1"];

    // The built-in evaluator never gives 95, so every slot is refined to the limit: 4 + 4 + 4 images in 9 calls.
    private static readonly string[] Loop = ["generate", "a teal and gold dragon over a dark stormy sea at night", "-n", "4", "--size", "512x512", "--max-iterations", "3", "--threshold", "95"];

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public static TheoryData<string> Scenarios => ["order placed", "one batch stored", "half way", "files being written", "worker killed while resuming"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_killed_order_is_finished_by_the_worker_with_every_image_made_once(string scenario)
    {
        using var cli = new CliHarness();
        var db = new ReadOnlyDatabase(cli.Home);
        var clock = Stopwatch.StartNew();
        var hits = new List<string>();

        KillResult first;
        using (var generate = cli.StartProcess(Generate))
        {
            first = scenario switch
            {
                "order placed" => await KillWhenAsync(generate, db, s => s.OrderId is not null),
                "one batch stored" => await KillWhenAsync(generate, db, s => s.DoneBatches >= 1),
                "half way" => await KillWhenAsync(generate, db, s => s.DoneBatches >= 4),
                // Files are listed as pending just before they are written; if that moment is missed, kill late instead.
                "files being written" => await KillWhenAsync(generate, db, s => s.PendingFiles > 0 || s.DoneBatches >= 8),
                "worker killed while resuming" => await KillWhenAsync(generate, db, s => s.DoneBatches >= 1),
                _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
            };
        }
        Report(hits, "generate", first);

        if (scenario == "worker killed while resuming")
        {
            var baseline = first.After?.LastBatchStartedSeq ?? 0;
            using var worker = cli.StartProcess("worker");
            var second = await KillWhenAsync(worker, db, s => s.LastBatchStartedSeq > baseline);
            Report(hits, "worker", second);
        }

        var resume = await cli.RunProcessAsync("worker");
        resume.ExitCode.ShouldBe(0, resume.ToString());
        resume.Stderr.ShouldContain("No work left.");

        var orderId = db.Snapshot()?.OrderId;
        orderId.ShouldNotBeNull("the order was placed before any kill");
        await VerifyIntactAsync(cli, db, orderId);

        var attempts = db.Attempts(orderId);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{scenario}: kill points hit: {(hits.Count > 0 ? string.Join("; ", hits) : "none (the order finished first)")}. " +
            $"Provider calls: {attempts} for {Batches} batches. Wall time {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task A_loop_killed_between_iterations_resumes_at_the_same_iteration_without_repeating_stored_work()
    {
        using var cli = new CliHarness();
        var db = new ReadOnlyDatabase(cli.Home);
        KillResult killed;
        using (var generate = cli.StartProcess(Loop))
            killed = await KillWhenAsync(generate, db, s => s.Refinements >= 2);
        var hits = new List<string>();
        Report(hits, "generate", killed, batches: 9);

        var resume = await cli.RunProcessAsync("worker");
        resume.ExitCode.ShouldBe(0, resume.ToString());
        var orderId = db.Snapshot()!.OrderId!;
        var show = await cli.RunAsync("orders", "show", orderId, "--json");
        show.Json().GetProperty("status").GetString().ShouldBe("completed", show.ToString());

        // Every slot went through iterations 1, 2 and 3 exactly once, each image scored, each file intact.
        var rows = db.Images(orderId);
        rows.Select(r => (r.Slot, r.Iteration)).Order().ShouldBe(
            from slot in Enumerable.Range(0, 4) from iteration in Enumerable.Range(1, 3) select (slot, iteration));
        rows.ShouldAllBe(r => r.Scored);
        foreach (var row in rows)
            Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(row.Path, TestContext.Current.CancellationToken))).ShouldBe(row.Sha256);
        var files = Directory.EnumerateFiles(Path.Combine(cli.Home, "images"), "*",
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order().ToList();
        files.ShouldBe(rows.Select(r => r.Path).Order().ToList(), "files on disk that no image row owns");

        // No batch stored before the kill was started again, and each slot was refined exactly twice.
        var events = show.Json().GetProperty("events").EnumerateArray()
            .Select(e => new Event(e.GetProperty("seq").GetInt64(), e.GetProperty("kind").GetString()!, e.GetProperty("batch") is { ValueKind: JsonValueKind.Number } b ? b.GetInt32() : null))
            .ToList();
        events.Count(e => e.Kind == "refined").ShouldBe(8);
        foreach (var done in events.Where(e => e.Kind == "batch_finished"))
            events.ShouldNotContain(e => e.Kind == "batch_started" && e.Batch == done.Batch && e.Seq > done.Seq, $"batch {done.Batch} was made again");
        TestContext.Current.TestOutputHelper?.WriteLine($"loop: {(hits.Count > 0 ? hits[0] : "missed the kill point")}; provider calls {db.Attempts(orderId)} for 9 batches.");
    }

    /// <summary>Polls the database until <paramref name="condition"/> holds, then kills the process; or lets it finish.</summary>
    private static async Task<KillResult> KillWhenAsync(EaselProcess process, ReadOnlyDatabase db, Func<Snapshot, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        Snapshot? at = null;
        var killed = false;
        while (!process.HasExited)
        {
            if (db.Snapshot() is { } s && condition(s))
            {
                process.Kill();
                killed = true;
                at = s;
                break;
            }
            if (clock.Elapsed > Deadline)
                throw new TimeoutException($"The kill point was neither reached nor passed within {Deadline}.");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        var run = await process.WaitAsync(Deadline);
        return new KillResult(killed, run, at, db.Snapshot());
    }

    private static void Report(List<string> hits, string what, KillResult result, int batches = Batches)
    {
        // A kill counts as landed when the order was still unfinished once the process was gone.
        if (result.Killed && result.After?.Status != "completed")
        {
            var state = result.After ?? result.At!;
            hits.Add($"{what} killed with {state.DoneBatches}/{batches} batches stored, {state.InFlightBatches} in flight, {state.PendingFiles} files pending (exit {result.Run.ExitCode})");
        }
        else
        {
            result.Run.ExitCode.ShouldBe(0, result.Run.ToString());
            TestContext.Current.TestOutputHelper?.WriteLine($"{what}: missed the kill point; the order finished first.");
        }
    }

    private static async Task VerifyIntactAsync(CliHarness cli, ReadOnlyDatabase db, string orderId)
    {
        var show = await cli.RunAsync("orders", "show", orderId, "--json");
        show.ExitCode.ShouldBe(0, show.ToString());
        var order = show.Json();
        order.GetProperty("status").GetString().ShouldBe("completed", show.ToString());
        order.GetProperty("images_made").GetInt32().ShouldBe(Images);
        var batches = order.GetProperty("batches").EnumerateArray().ToList();
        batches.Count.ShouldBe(Batches);
        batches.ShouldAllBe(b => b.GetProperty("status").GetString() == "done");

        // One image row per slot, each with its file, byte for byte.
        var rows = db.Images(orderId);
        rows.Count.ShouldBe(Images);
        rows.Select(r => r.Slot).Order().ShouldBe(Enumerable.Range(0, Images));
        foreach (var row in rows)
        {
            File.Exists(row.Path).ShouldBeTrue($"slot {row.Slot}: {row.Path} is missing");
            var bytes = await File.ReadAllBytesAsync(row.Path, TestContext.Current.CancellationToken);
            Convert.ToHexStringLower(SHA256.HashData(bytes)).ShouldBe(row.Sha256, $"slot {row.Slot}: {row.Path} is not the file that was recorded");
        }

        // Every file under images/, hidden temp files included, belongs to a row.
        var files = Directory.EnumerateFiles(Path.Combine(cli.Home, "images"), "*",
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order().ToList();
        files.ShouldBe(rows.Select(r => r.Path).Order().ToList(), "files on disk that no image row owns");

        // The audit trail, as `orders show` prints it: no batch stored once was started again.
        var events = order.GetProperty("events").EnumerateArray()
            .Select(e => new Event(e.GetProperty("seq").GetInt64(), e.GetProperty("kind").GetString()!, e.GetProperty("batch") is { ValueKind: JsonValueKind.Number } b ? b.GetInt32() : null))
            .ToList();
        events.Select(e => e.Kind).ShouldContain("requested");
        events.Select(e => e.Kind).ShouldContain("started");
        events[^1].Kind.ShouldBe("completed");
        events.Count(e => e.Kind == "completed").ShouldBe(1);
        var finished = events.Where(e => e.Kind == "batch_finished").ToList();
        finished.Select(e => e.Batch).Order().ShouldBe(Enumerable.Range(0, Batches).Cast<int?>(), "each batch is stored exactly once");
        foreach (var done in finished)
        {
            events.ShouldNotContain(e => e.Kind == "batch_started" && e.Batch == done.Batch && e.Seq > done.Seq,
                $"batch {done.Batch} was started again after it was stored");
        }
    }

    private sealed record Event(long Seq, string Kind, int? Batch);

    private sealed record KillResult(bool Killed, CliRun Run, Snapshot? At, Snapshot? After);
}

/// <summary>Where the only order of a data directory stands, read straight from the database.</summary>
internal sealed record Snapshot(string? OrderId, string? Status, int DoneBatches, int InFlightBatches, int PendingFiles, long LastBatchStartedSeq, int Refinements = 0);

internal sealed record ImageRow(int Slot, int Iteration, string Path, string Sha256, bool Scored);

/// <summary>
/// Reads easel.db read-only while `easel` processes write it (and are killed). Any failure to read,
/// such as a file not yet created or a table not yet made, reads as "nothing yet".
/// </summary>
internal sealed class ReadOnlyDatabase(string home)
{
    static ReadOnlyDatabase() => SQLitePCL.Batteries_V2.Init();

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(home, "easel.db"),
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = false,
    }.ToString();

    public Snapshot? Snapshot()
    {
        if (!File.Exists(Path.Combine(home, "easel.db")))
            return null;
        try
        {
            using var connection = Open();
            string? id = null, status = null;
            using (var command = Command(connection, "SELECT id, status FROM orders ORDER BY created_at LIMIT 1;"))
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                    (id, status) = (reader.GetString(0), reader.GetString(1));
            }
            if (id is null)
                return new Snapshot(null, null, 0, 0, 0, 0);
            using var batches = Command(connection, """
                SELECT coalesce(sum(status = 'done'), 0), coalesce(sum(status = 'in_flight'), 0),
                       coalesce(sum(CASE WHEN status = 'in_flight' THEN json_array_length(pending_files) ELSE 0 END), 0),
                       (SELECT coalesce(max(seq), 0) FROM order_events WHERE kind = 'batch_started'),
                       (SELECT count(*) FROM order_events WHERE kind = 'refined')
                FROM batches WHERE order_id = $id;
                """, ("$id", id));
            using var row = batches.ExecuteReader();
            row.Read();
            return new Snapshot(id, status, row.GetInt32(0), row.GetInt32(1), row.GetInt32(2), row.GetInt64(3), row.GetInt32(4));
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    public List<ImageRow> Images(string orderId)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT slot, iteration, path, sha256, evaluation IS NOT NULL FROM images WHERE order_id = $id;", ("$id", orderId));
        using var reader = command.ExecuteReader();
        var rows = new List<ImageRow>();
        while (reader.Read())
        {
            var stored = reader.GetString(2);
            // Paths inside the data directory are stored relative to it.
            var path = Path.IsPathFullyQualified(stored) ? stored : Path.GetFullPath(Path.Combine(home, stored));
            rows.Add(new ImageRow(reader.GetInt32(0), reader.GetInt32(1), path, reader.GetString(3), reader.GetBoolean(4)));
        }
        return rows;
    }

    /// <summary>Provider calls started for the order, over all batches.</summary>
    public long Attempts(string orderId)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT coalesce(sum(attempts), 0) FROM batches WHERE order_id = $id;", ("$id", orderId));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }
}
