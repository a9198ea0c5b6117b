using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Storage.Sqlite;
using Easel.Storage.Sqlite.Migrations;

namespace Easel.Storage.Tests;

public sealed class MigrationTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2025, 3, 3, 8, 0, 0, 123, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DbPath => _temp.Combine("easel.db");

    /// <summary>A database as an earlier Easel left it: the real migrations up to <paramref name="version"/> only.</summary>
    private static SqliteDatabase OpenAtVersion(string path, int version, DateTimeOffset at) =>
        SqliteDatabase.Open(path, EmbeddedMigrations.All.Take(version).ToList(), new FixedTime(at));

    [Fact]
    public void A_fresh_file_gets_the_latest_schema_in_wal_mode_with_a_record_of_each_migration()
    {
        using (var db = SqliteDatabase.Open(DbPath, new FixedTime(Monday)))
        {
            db.SchemaVersion.ShouldBe(SqliteDatabase.LatestSchemaVersion);
            db.Path.ShouldBe(DbPath);
        }

        using var raw = RawSqlite.Open(DbPath);
        Convert.ToInt32(raw.Scalar("PRAGMA user_version;")).ShouldBe(RawSqlite.LatestVersion);
        raw.Scalar("PRAGMA journal_mode;").ShouldBe("wal");
        var migrations = raw.Migrations();
        migrations.Select(m => m.Version).ShouldBe(Enumerable.Range(1, RawSqlite.LatestVersion).Select(v => (long)v));
        migrations[0].Name.ShouldBe("initial");
        migrations.ShouldAllBe(m => m.AppliedAt == Monday.ToUnixTimeMilliseconds());
        foreach (var name in new[] { "orders", "images", "images_fts", "images_fts_insert", "images_fts_delete", "images_fts_update", "images_created_at", "images_order_id",
                                   "batches", "approvals", "approvals_pending", "order_events", "order_events_no_update", "order_events_no_delete",
                                   "slots", "images_parent_id", "images_provider", "images_review" })
            Convert.ToInt32(raw.Scalar($"SELECT count(*) FROM sqlite_master WHERE name = '{name}';")).ShouldBe(1, name);
    }

    [Fact]
    public void Connections_get_foreign_keys_and_synchronous_normal_and_leave_busy_waits_to_the_driver()
    {
        using var db = SqliteDatabase.Open(DbPath);
        for (var i = 0; i < 2; i++) // the second connection comes from the pool
        {
            using var connection = db.OpenConnection();
            // SQLite's own busy handler would sleep whole seconds (no usleep in the bundled build).
            Convert.ToInt32(connection.Scalar("PRAGMA busy_timeout;")).ShouldBe(0);
            Convert.ToInt32(connection.Scalar("PRAGMA foreign_keys;")).ShouldBe(1);
            Convert.ToInt32(connection.Scalar("PRAGMA synchronous;")).ShouldBe(1); // NORMAL
            connection.Scalar("PRAGMA journal_mode;").ShouldBe("wal");
        }
    }

    [Fact]
    public async Task A_writer_waits_for_another_connections_write_lock_instead_of_failing()
    {
        using var db = SqliteDatabase.Open(DbPath);
        using var holder = db.OpenConnection();
        using var held = holder.BeginTransaction(); // BEGIN IMMEDIATE: holds the write lock
        var release = Task.Run(async () =>
        {
            await Task.Delay(400, TestContext.Current.CancellationToken);
            held.Commit();
        }, TestContext.Current.CancellationToken);

        using var writer = db.OpenConnection();
        writer.Execute("""
            INSERT INTO orders (id, prompt, count, width, height, background, seed, provider, model, status, created_at)
            VALUES ('ord_wait', 'a fox', 1, 64, 64, 'opaque', 1, 'sketch', 'sketch-1', 'queued', 0);
            """);
        await release;
        Convert.ToInt32(writer.Scalar("SELECT count(*) FROM orders WHERE id = 'ord_wait';")).ShouldBe(1);
    }

    [Fact]
    public void Opening_again_changes_nothing_and_keeps_the_data()
    {
        using (var db = SqliteDatabase.Open(DbPath, new FixedTime(Monday)))
        using (var connection = db.OpenConnection())
        {
            connection.Execute("""
                INSERT INTO orders (id, prompt, count, width, height, background, seed, provider, model, status, created_at)
                VALUES ('ord_1', 'a fox', 1, 64, 64, 'opaque', 1, 'sketch', 'sketch-1', 'running', 0);
                """);
        }

        using (var again = SqliteDatabase.Open(DbPath, new FixedTime(Monday.AddDays(1))))
            again.SchemaVersion.ShouldBe(SqliteDatabase.LatestSchemaVersion);

        using var raw = RawSqlite.Open(DbPath);
        raw.Migrations().ShouldAllBe(m => m.AppliedAt == Monday.ToUnixTimeMilliseconds());
        raw.Migrations().Count.ShouldBe(RawSqlite.LatestVersion);
        raw.Scalar("SELECT prompt FROM orders WHERE id = 'ord_1';").ShouldBe("a fox");
    }

    [Fact]
    public void A_database_from_a_newer_easel_is_refused_and_left_untouched()
    {
        var newer = RawSqlite.LatestVersion + 1;
        using (var raw = RawSqlite.Open(DbPath))
            raw.Execute($"CREATE TABLE future (x); PRAGMA user_version = {newer};");

        var error = Should.Throw<UnsupportedSchemaVersionException>(() => SqliteDatabase.Open(DbPath));

        error.Message.ShouldContain("newer Easel");
        error.Message.ShouldContain(DbPath);
        error.DatabaseVersion.ShouldBe(newer);
        error.SupportedVersion.ShouldBe(RawSqlite.LatestVersion);
        using var after = RawSqlite.Open(DbPath);
        Convert.ToInt32(after.Scalar("PRAGMA user_version;")).ShouldBe(newer);
        after.Scalar("PRAGMA journal_mode;").ShouldBe("delete");
        Convert.ToInt32(after.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations';")).ShouldBe(0);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_reported_clearly()
    {
        File.WriteAllText(DbPath, "these are my notes, not a database, and they are long enough to fill a header page");

        var error = Should.Throw<InvalidDataException>(() => SqliteDatabase.Open(DbPath));

        error.Message.ShouldContain("not an Easel database");
        File.ReadAllText(DbPath).ShouldStartWith("these are my notes");
    }

    [Fact]
    public void Concurrent_openers_of_a_fresh_file_all_succeed_and_apply_each_migration_once()
    {
        const int openers = 4;
        using var start = new Barrier(openers);
        var errors = new Exception?[openers];
        var versions = new int[openers];
        var threads = Enumerable.Range(0, openers).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                using var db = SqliteDatabase.Open(DbPath);
                versions[i] = db.SchemaVersion;
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        errors.ShouldAllBe(e => e == null);
        versions.ShouldAllBe(v => v == RawSqlite.LatestVersion);
        using var raw = RawSqlite.Open(DbPath);
        raw.Migrations().Count.ShouldBe(RawSqlite.LatestVersion);
    }

    [Fact]
    public async Task A_second_opener_waits_for_the_first_migration_and_then_skips_it()
    {
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var loads = 0;
        var initialSql = EmbeddedMigrations.All[0].LoadSql();
        Migration[] migrations =
        [
            new(1, "initial", () =>
            {
                // The first opener holds the write lock here until released.
                if (Interlocked.Increment(ref loads) == 1)
                {
                    inside.Set();
                    release.Wait(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken).ShouldBeTrue();
                }
                return initialSql;
            }),
        ];

        var first = Task.Factory.StartNew(() => SqliteDatabase.Open(DbPath, migrations, TimeProvider.System), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        inside.Wait(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken).ShouldBeTrue();
        var second = Task.Factory.StartNew(() => SqliteDatabase.Open(DbPath, migrations, TimeProvider.System), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // Give the second opener time to reach BEGIN IMMEDIATE. It cannot finish (or fail) while
        // the first holds the write lock, however slow the machine.
        await Task.Delay(200, TestContext.Current.CancellationToken);
        second.IsCompleted.ShouldBeFalse("the second opener must wait while the first holds the write lock");
        release.Set();

        using var a = await first;
        using var b = await second;
        a.SchemaVersion.ShouldBe(1);
        b.SchemaVersion.ShouldBe(1);
        loads.ShouldBe(1);
        using var raw = RawSqlite.Open(DbPath);
        raw.Migrations().Count.ShouldBe(1);
    }

    [Fact]
    public void A_migration_applied_by_another_process_after_this_one_looked_is_skipped()
    {
        using var db = SqliteDatabase.Open(DbPath);
        using var connection = db.OpenConnection();

        // As if this process had read version 0 just before another one migrated the file.
        var version = Migrator.Migrate(connection, EmbeddedMigrations.All, observedVersion: 0, TimeProvider.System, DbPath);

        version.ShouldBe(RawSqlite.LatestVersion);
        connection.Migrations().Count.ShouldBe(RawSqlite.LatestVersion);
    }

    [Fact]
    public void A_failing_migration_is_rolled_back_completely_and_named_in_the_error()
    {
        Migration[] broken =
        [
            new(1, "first", () => "CREATE TABLE a (x);"),
            new(2, "second", () => "CREATE TABLE b (x); INSERT INTO missing_table VALUES (1);"),
        ];

        var error = Should.Throw<InvalidOperationException>(() => SqliteDatabase.Open(DbPath, broken, TimeProvider.System));

        error.Message.ShouldContain("migration 2 (second)");
        error.Message.ShouldContain("missing_table");
        using (var raw = RawSqlite.Open(DbPath))
        {
            Convert.ToInt32(raw.Scalar("PRAGMA user_version;")).ShouldBe(1);
            Convert.ToInt32(raw.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'a';")).ShouldBe(1);
            Convert.ToInt32(raw.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'b';")).ShouldBe(0);
            raw.Migrations().Select(m => m.Version).ShouldBe([1L]);
        }

        Migration[] fixedMigrations = [broken[0], new(2, "second", () => "CREATE TABLE b (x);")];
        using var db = SqliteDatabase.Open(DbPath, fixedMigrations, TimeProvider.System);
        db.SchemaVersion.ShouldBe(2);
    }

    [Fact]
    public async Task A_version_1_database_is_upgraded_and_its_orders_and_images_read_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = new DataDirectory(_temp.Combine("home"));
        data.EnsureCreated();
        // A file as the previous Easel left it: the real first migration only, and its rows.
        using (var v1 = OpenAtVersion(data.DatabasePath, 1, Monday))
        using (var connection = v1.OpenConnection())
        {
            v1.SchemaVersion.ShouldBe(1);
            connection.Execute("""
                INSERT INTO orders (id, prompt, negative_prompt, count, width, height, aspect_ratio, style, background, seed, provider, model, status, created_at, completed_at, error)
                VALUES ('ord_01old0000000000000000001', 'a red fox in the snow', 'blurry', 2, 1024, 768, '4:3', 'watercolor', 'opaque', 42, 'sketch', 'sketch-1', 'completed', 1741000000000, 1741000001000, NULL),
                       ('ord_01old0000000000000000002', 'a blue whale', NULL, 3, 512, 512, NULL, NULL, 'transparent', 7, 'sketch', 'sketch-1', 'failed', 1741000002000, 1741000003000, 'provider refused');
                INSERT INTO images (id, order_id, slot, prompt, negative_prompt, parameters, provider, model, seed, created_at, generation_ms, path, sha256, width, height)
                VALUES ('img_01old0000000000000000001', 'ord_01old0000000000000000001', 0, 'a red fox in the snow', 'blurry',
                        '{"width":1024,"height":768,"style":"watercolor","background":"opaque","aspect_ratio":"4:3"}', 'sketch', 'sketch-1', 42,
                        1741000000500, 250, 'images/2025/03/03/img_01old0000000000000000001.png', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 1024, 768);
                """);
        }

        using var store = EaselStore.Open(data, new FixedTime(Monday.AddDays(1)));

        store.Database.SchemaVersion.ShouldBe(RawSqlite.LatestVersion);
        using (var raw = RawSqlite.Open(data.DatabasePath))
        {
            Convert.ToInt32(raw.Scalar("PRAGMA user_version;")).ShouldBe(RawSqlite.LatestVersion);
            raw.Migrations().Select(m => (m.Version, m.AppliedAt)).ShouldBe(
                [(1L, Monday.ToUnixTimeMilliseconds()), .. Enumerable.Range(2, RawSqlite.LatestVersion - 1).Select(v => ((long)v, Monday.AddDays(1).ToUnixTimeMilliseconds()))]);
        }
        var fox = await store.Orders.FindAsync("01old0000000000000000001", ct);
        fox.ShouldNotBeNull();
        fox.Status.ShouldBe(OrderStatus.Completed);
        fox.ImagesPerCall.ShouldBe(4);
        fox.EstimatedCost.ShouldBe(0m);
        fox.ApprovedCount.ShouldBeNull();
        fox.TargetCount.ShouldBe(2);
        fox.Prompt.ShouldBe("a red fox in the snow");
        fox.CreatedAt.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1741000000000));
        var whale = (await store.Orders.FindAsync("ord_01old0000000000000000002", ct))!;
        whale.Status.ShouldBe(OrderStatus.Failed);
        whale.Error.ShouldBe("provider refused");
        whale.ImagesPerCall.ShouldBe(4);
        (await store.Orders.ListAsync(null, 10, ct)).Select(o => o.Id).ShouldBe(["ord_01old0000000000000000002", "ord_01old0000000000000000001"]);
        (await store.Orders.EventsAsync(fox.Id, ct)).ShouldBeEmpty();
        (await store.Orders.BatchesAsync(fox.Id, ct)).ShouldBeEmpty();
        // Finished before the loop existed: one pass, nothing left to judge.
        fox.Loop.ShouldBe(LoopSettings.Once);
        fox.References.ShouldBeEmpty();
        fox.Source.ShouldBeNull();
        (await store.Orders.SlotsAsync(fox.Id, ct)).ShouldBeEmpty();
        (await store.Orders.CountImagesAsync(fox.Id, ct)).ShouldBe(1);
        (await store.Images.FindAsync("img_01old0000000000000000001", ct))!.Path
            .ShouldBe(Path.Combine(data.ImagesPath, "2025", "03", "03", "img_01old0000000000000000001.png"));
        (await store.Images.SearchAsync(new ImageQuery("fox"), ct)).Single().OrderId.ShouldBe(fox.Id);
        // Finished old orders stay finished.
        (await store.Orders.CancelAsync(fox.Id, "ada", null, Monday.AddDays(1), ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_version_2_database_gets_slots_for_the_orders_still_to_run_and_reads_back_as_one_pass()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = new DataDirectory(_temp.Combine("home"));
        data.EnsureCreated();
        using (var v2 = OpenAtVersion(data.DatabasePath, 2, Monday))
        using (var connection = v2.OpenConnection())
        {
            v2.SchemaVersion.ShouldBe(2);
            connection.Execute("""
                INSERT INTO orders (id, prompt, count, approved_count, width, height, background, seed, provider, model, images_per_call, estimated_cost, status, created_at, completed_at)
                VALUES ('ord_v2queued', 'a red fox in the snow', 3, NULL, 64, 64, 'opaque', 1, 'sketch', 'sketch-1', 4, '0', 'queued', 1741000000000, NULL),
                       ('ord_v2running', 'a blue whale', 5, 2, 64, 64, 'opaque', 2, 'sketch', 'sketch-1', 2, '0', 'running', 1741000001000, NULL),
                       ('ord_v2done', 'a green frog', 1, NULL, 64, 64, 'opaque', 3, 'sketch', 'sketch-1', 4, '0', 'completed', 1741000002000, 1741000003000);
                INSERT INTO batches (order_id, idx, first_slot, count, status, attempts)
                VALUES ('ord_v2queued', 0, 0, 3, 'pending', 0),
                       ('ord_v2running', 0, 0, 2, 'done', 1),
                       ('ord_v2done', 0, 0, 1, 'done', 1);
                INSERT INTO images (id, order_id, slot, prompt, parameters, provider, model, seed, created_at, generation_ms, path, sha256, width, height)
                VALUES ('img_v2whale0', 'ord_v2running', 0, 'a blue whale', '{"width":64,"height":64,"style":null,"background":"opaque","aspect_ratio":null}', 'sketch', 'sketch-1', 2, 1741000001500, 10, 'images/2025/03/03/img_v2whale0.png', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 64, 64),
                       ('img_v2whale1', 'ord_v2running', 1, 'a blue whale', '{"width":64,"height":64,"style":null,"background":"opaque","aspect_ratio":null}', 'sketch', 'sketch-1', 3, 1741000001600, 10, 'images/2025/03/03/img_v2whale1.png', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 64, 64),
                       ('img_v2frog0', 'ord_v2done', 0, 'a green frog', '{"width":64,"height":64,"style":null,"background":"opaque","aspect_ratio":null}', 'sketch', 'sketch-1', 3, 1741000002500, 10, 'images/2025/03/03/img_v2frog0.png', 'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc', 64, 64);
                """);
        }

        using var store = EaselStore.Open(data, new FixedTime(Monday.AddDays(1)));

        store.Database.SchemaVersion.ShouldBe(RawSqlite.LatestVersion);
        (await store.Orders.SlotsAsync("ord_v2queued", ct)).ShouldBe(
            Enumerable.Range(0, 3).Select(i => new SlotState("ord_v2queued", i, 1, SlotStatus.Generating, "a red fox in the snow", null, null)));
        // Only the approved part of a running order is made.
        (await store.Orders.SlotsAsync("ord_v2running", ct)).ShouldBe(
            Enumerable.Range(0, 2).Select(i => new SlotState("ord_v2running", i, 1, SlotStatus.Generating, "a blue whale", null, null)));
        (await store.Orders.SlotsAsync("ord_v2done", ct)).ShouldBeEmpty();

        foreach (var id in new[] { "ord_v2queued", "ord_v2running", "ord_v2done" })
        {
            var order = (await store.Orders.FindAsync(id, ct))!;
            order.Loop.ShouldBe(LoopSettings.Once, id);
            (order.Loop.MaxIterations, order.Loop.Threshold, order.Loop.Candidates, order.Loop.Preset).ShouldBe((1, 0, 1, null), id);
            order.References.ShouldBeEmpty(id);
            order.Source.ShouldBeNull(id);
            (await store.Orders.BatchesAsync(id, ct)).ShouldAllBe(b => b.Iteration == 1 && b.FirstCandidate == 0 && b.Candidates == 1 && b.Prompt == null && b.PreviousResponseId == null);
        }
        var images = (await store.Images.ListByOrderAsync("ord_v2running", ct)).Concat(await store.Images.ListByOrderAsync("ord_v2done", ct)).ToList();
        images.Count.ShouldBe(3);
        foreach (var image in images)
        {
            (image.Iteration, image.Candidate, image.Evaluation, image.Score, image.ResponseId, image.ParentId, image.Derivation)
                .ShouldBe((1, 0, null, null, null, null, null), image.Id);
            (image.Review, image.ReviewedAt, image.ReviewedBy).ShouldBe((ReviewStatus.Unreviewed, null, null), image.Id);
        }

        // The running order finishes once its slots are judged, as a new one would.
        (await store.Orders.TryFinishAsync("ord_v2running", Monday.AddDays(1), ct)).ShouldBeNull();
        await store.Orders.SettleSlotsAsync(store.Images, "ord_v2running", ct);
        (await store.Orders.TryFinishAsync("ord_v2running", Monday.AddDays(1), ct)).ShouldBe(OrderStatus.Completed);
    }

    [Fact]
    public async Task A_version_2_order_of_the_largest_size_gets_a_slot_for_every_image()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = new DataDirectory(_temp.Combine("home"));
        data.EnsureCreated();
        using (var v2 = OpenAtVersion(data.DatabasePath, 2, Monday))
        using (var connection = v2.OpenConnection())
        {
            connection.Execute($"""
                INSERT INTO orders (id, prompt, count, width, height, background, seed, provider, model, status, created_at)
                VALUES ('ord_v2big', 'a fox', {OrderSpec.MaxCount}, 64, 64, 'opaque', 1, 'sketch', 'sketch-1', 'queued', 0);
                """);
        }

        using var store = EaselStore.Open(data);

        var slots = await store.Orders.SlotsAsync("ord_v2big", ct);
        slots.Count.ShouldBe(OrderSpec.MaxCount);
        slots[^1].Slot.ShouldBe(OrderSpec.MaxCount - 1);
    }

    [Fact]
    public async Task A_version_4_gallery_is_found_by_its_words_and_filters_after_the_upgrade()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = new DataDirectory(_temp.Combine("home"));
        data.EnsureCreated();
        using (var v4 = OpenAtVersion(data.DatabasePath, 4, Monday))
        using (var connection = v4.OpenConnection())
        {
            connection.Execute("""
                INSERT INTO orders (id, prompt, count, width, height, background, seed, provider, model, status, created_at)
                VALUES ('ord_v4', 'a red fox', 3, 64, 64, 'opaque', 1, 'sketch', 'sketch-1', 'completed', 1741000000000);
                INSERT INTO images (id, order_id, slot, prompt, negative_prompt, parameters, provider, model, created_at, generation_ms, path, sha256, width, height, score, review_status)
                VALUES ('img_v4a', 'ord_v4', 0, 'a red fox in the snow', 'whale', '{"width":64,"height":64,"background":"opaque"}', 'sketch', 'sketch-1',
                        1741000000001, 5, 'images/a.png', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 64, 64, 91, 'approved'),
                       ('img_v4b', 'ord_v4', 1, 'a red fox at dusk', NULL, '{"width":64,"height":64,"background":"opaque"}', 'openai', 'gpt-image-1',
                        1741000000002, 5, 'images/b.png', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 64, 64, 40, 'unreviewed'),
                       ('img_v4c', 'ord_v4', 2, 'a blue whale', NULL, '{"width":64,"height":64,"background":"opaque"}', 'sketch', 'sketch-1',
                        1741000000003, 5, 'images/c.png', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 64, 64, NULL, 'unreviewed');
                """);
        }

        using var store = EaselStore.Open(data, new FixedTime(Monday.AddDays(1)));

        async Task<string[]> Ids(ImageQuery query) => (await store.Images.SearchAsync(query, ct)).Select(i => i.Id).ToArray();
        (await Ids(new ImageQuery("fox"))).ShouldBe(["img_v4b", "img_v4a"]);
        (await Ids(new ImageQuery("whale"))).ShouldBe(["img_v4c"]); // the text index was rebuilt from prompts only
        (await Ids(new ImageQuery("fox") { Provider = "Sketch", MinScore = 90, Review = ReviewStatus.Approved })).ShouldBe(["img_v4a"]);
        (await Ids(new ImageQuery { MaxScore = 50 })).ShouldBe(["img_v4b"]);
        (await store.Images.ProvidersAsync(ct)).ShouldBe(["openai", "sketch"]);
        using var raw = RawSqlite.Open(data.DatabasePath);
        raw.Execute("INSERT INTO images_fts (images_fts, rank) VALUES ('integrity-check', 1);");
    }

    [Fact]
    public void Embedded_migrations_are_numbered_from_one_without_gaps_and_hold_no_transaction_statements()
    {
        var all = EmbeddedMigrations.All;

        all.Select(m => m.Version).ShouldBe(Enumerable.Range(1, all.Count));
        SqliteDatabase.LatestSchemaVersion.ShouldBe(all.Count);
        foreach (var migration in all)
        {
            var sql = migration.LoadSql();
            sql.ShouldNotBeNullOrWhiteSpace();
            // The migrator owns the transaction; a COMMIT inside a file would break atomicity.
            sql.ShouldNotContain("COMMIT", Case.Insensitive);
            sql.ShouldNotContain("BEGIN TRANSACTION", Case.Insensitive);
        }
    }
}
