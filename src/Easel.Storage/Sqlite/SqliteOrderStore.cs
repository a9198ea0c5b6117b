using System.Globalization;
using System.Text.Json;
using Dapper;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Microsoft.Data.Sqlite;

namespace Easel.Storage.Sqlite;

/// <summary>
/// Orders, batches, approvals and the audit trail in SQLite. Each state change runs in one
/// <c>BEGIN IMMEDIATE</c> transaction, so its checks and writes see no other writer in between.
/// </summary>
internal sealed class SqliteOrderStore(SqliteDatabase database, SqliteImageCatalog images) : IOrderStore
{
    private const string OrderColumns = """
        id AS Id, prompt AS Prompt, negative_prompt AS NegativePrompt, count AS Count, approved_count AS ApprovedCount,
        width AS Width, height AS Height, aspect_ratio AS AspectRatio, style AS Style, background AS Background,
        seed AS Seed, provider AS Provider, model AS Model, images_per_call AS ImagesPerCall,
        estimated_cost AS EstimatedCost, status AS Status, created_at AS CreatedAt, completed_at AS CompletedAt,
        error AS Error, max_iterations AS MaxIterations, threshold AS Threshold, candidates AS Candidates, preset AS Preset,
        refs AS Refs, source_image_id AS SourceImageId, source_kind AS SourceKind, source_strength AS SourceStrength,
        source_scale AS SourceScale, quality AS Quality, format AS Format
        """;

    private const string BatchColumns = """
        order_id AS OrderId, idx AS Idx, first_slot AS FirstSlot, count AS Count, status AS Status, attempts AS Attempts,
        started_at AS StartedAt, finished_at AS FinishedAt, error AS Error, cost AS Cost, pending_files AS PendingFiles,
        iteration AS Iteration, first_candidate AS FirstCandidate, candidates AS Candidates, prompt AS Prompt,
        previous_response_id AS PreviousResponseId, remote_job_id AS RemoteJobId
        """;

    private const string SlotColumns = """
        order_id AS OrderId, slot AS Slot, iteration AS Iteration, status AS Status, prompt AS Prompt,
        best_image_id AS BestImageId, best_score AS BestScore
        """;

    private const string ApprovalColumns = """
        id AS Id, order_id AS OrderId, status AS Status, created_at AS CreatedAt, expires_at AS ExpiresAt,
        summary AS Summary, decided_at AS DecidedAt, decided_by AS DecidedBy, note AS Note, approved_count AS ApprovedCount
        """;

    private const string EventColumns = """
        seq AS Seq, order_id AS OrderId, at AS At, kind AS Kind, actor AS Actor, note AS Note, batch AS Batch,
        attempt AS Attempt, images AS Images, provider AS Provider, model AS Model, duration_ms AS DurationMs,
        cost AS Cost, error AS Error
        """;

    /// <summary>Least number of id characters (after "ord_") a prefix lookup needs.</summary>
    private const int MinPrefixLength = 4;

    public async Task CreateAsync(Order order, IReadOnlyList<Batch> batches, ApprovalRequest? approval, IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (string.IsNullOrWhiteSpace(order.Id))
            throw new ArgumentException("An order needs an id.", nameof(order));
        const string sql = """
            INSERT INTO orders (id, prompt, negative_prompt, count, approved_count, width, height, aspect_ratio, style,
                                background, seed, provider, model, images_per_call, estimated_cost, status, created_at,
                                completed_at, error, max_iterations, threshold, candidates, preset, refs,
                                source_image_id, source_kind, source_strength, source_scale, quality, format)
            VALUES (@Id, @Prompt, @NegativePrompt, @Count, @ApprovedCount, @Width, @Height, @AspectRatio, @Style,
                    @Background, @Seed, @Provider, @Model, @ImagesPerCall, @EstimatedCost, @Status, @CreatedAt,
                    @CompletedAt, @Error, @MaxIterations, @Threshold, @Candidates, @Preset, @Refs,
                    @SourceImageId, @SourceKind, @SourceStrength, @SourceScale, @Quality, @Format);
            """;
        var row = new
        {
            order.Id,
            order.Prompt,
            order.NegativePrompt,
            order.Count,
            order.ApprovedCount,
            order.Size.Width,
            order.Size.Height,
            order.AspectRatio,
            order.Style,
            Background = EnumText<Background>.ToText(order.Background),
            order.Seed,
            order.Provider,
            order.Model,
            order.ImagesPerCall,
            EstimatedCost = MoneyText(order.EstimatedCost),
            Status = order.Status.ToText(),
            CreatedAt = UnixTime.ToMilliseconds(order.CreatedAt),
            CompletedAt = UnixTime.ToMilliseconds(order.CompletedAt),
            order.Error,
            order.Loop.MaxIterations,
            order.Loop.Threshold,
            order.Loop.Candidates,
            order.Loop.Preset,
            Refs = JsonSerializer.Serialize(order.References.Select(r => r with { Path = images.ToStoredPath(r.Path) }).ToArray(), StorageJsonContext.Default.StoredReferenceArray),
            SourceImageId = order.Source?.ImageId,
            SourceKind = order.Source is { } source ? EnumText<Derivation>.ToText(source.Kind) : null,
            SourceStrength = order.Source?.Strength is { } strength ? EnumText<VariationStrength>.ToText(strength) : null,
            SourceScale = order.Source?.Scale,
            Quality = EnumText<ImageQuality>.ToText(order.Quality),
            Format = EnumText<ImageFormat>.ToText(order.Format),
        };

        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, row, transaction, cancellationToken: cancellationToken));
        }
        catch (SqliteException e) when (SqliteErrors.IsDuplicateKey(e))
        {
            throw new InvalidOperationException($"An order with id '{order.Id}' already exists.", e);
        }
        await InsertBatchesAsync(connection, transaction, order.Id, batches, cancellationToken);
        if (batches.Count > 0)
            await InsertSlotsAsync(connection, transaction, order.Id, order.TargetCount, order.Prompt, cancellationToken);
        if (approval is not null)
            await InsertApprovalAsync(connection, transaction, approval, cancellationToken);
        foreach (var e in events)
            await AppendAsync(connection, transaction, e, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Order?> FindAsync(string idOrPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrPrefix);
        var key = idOrPrefix.Trim().ToLowerInvariant();
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            return null;
        if (!key.Contains('_', StringComparison.Ordinal))
            key = "ord_" + key;

        await using var connection = database.OpenConnection();
        var exact = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM orders WHERE id = @key;", new { key }, cancellationToken: cancellationToken));
        if (exact is not null)
            return ToOrder(exact);
        if (key.Length - (key.IndexOf('_', StringComparison.Ordinal) + 1) < MinPrefixLength)
            return null;

        // A range on the primary key instead of LIKE (see SqliteImageCatalog).
        var upper = string.Concat(key.AsSpan(0, key.Length - 1), ((char)(key[^1] + 1)).ToString());
        var rows = (await connection.QueryAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM orders WHERE id >= @key AND id < @upper ORDER BY id LIMIT 4;",
            new { key, upper }, cancellationToken: cancellationToken))).AsList();
        return rows.Count switch
        {
            0 => null,
            1 => ToOrder(rows[0]),
            _ => throw new AmbiguousIdException(idOrPrefix.Trim(), rows.Select(r => r.Id).ToList()),
        };
    }

    public async Task<IReadOnlyList<Order>> ListAsync(IReadOnlyCollection<OrderStatus>? statuses, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = database.OpenConnection();
        var filter = statuses is { Count: > 0 } ? "WHERE status IN @statuses" : "";
        var rows = await connection.QueryAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM orders {filter} ORDER BY created_at DESC, id DESC LIMIT @limit;",
            new { statuses = statuses?.Select(s => s.ToText()).ToArray() ?? [], limit }, cancellationToken: cancellationToken));
        return rows.Select(ToOrder).ToList();
    }

    public async Task<IReadOnlyList<OrderEvent>> EventsAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            $"SELECT {EventColumns} FROM order_events WHERE order_id = @orderId ORDER BY seq;", new { orderId }, cancellationToken: cancellationToken));
        return rows.Select(ToEvent).ToList();
    }

    public async Task<IReadOnlyList<OrderEvent>> EventsAfterAsync(long seq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            $"SELECT {EventColumns} FROM order_events WHERE seq > @seq ORDER BY seq LIMIT @limit;", new { seq, limit }, cancellationToken: cancellationToken));
        return rows.Select(ToEvent).ToList();
    }

    public async Task<long> LastEventSeqAsync(CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT coalesce(max(seq), 0) FROM order_events;", cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<BatchState>> BatchesAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        var rows = await connection.QueryAsync<BatchRow>(new CommandDefinition(
            $"SELECT {BatchColumns} FROM batches WHERE order_id = @orderId ORDER BY idx;", new { orderId }, cancellationToken: cancellationToken));
        return rows.Select(ToBatch).ToList();
    }

    public async Task<ApprovalRequest?> FindApprovalAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        return await FindApprovalAsync(connection, null, requestId, cancellationToken);
    }

    public async Task<ApprovalRequest?> ApprovalForOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        var row = await connection.QueryFirstOrDefaultAsync<ApprovalRow>(new CommandDefinition(
            $"SELECT {ApprovalColumns} FROM approvals WHERE order_id = @orderId ORDER BY created_at DESC LIMIT 1;",
            new { orderId }, cancellationToken: cancellationToken));
        return row is null ? null : ToApproval(row);
    }

    public async Task<DecisionOutcome> DecideAsync(ApprovalDecision decision, IReadOnlyList<Batch> batches, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var request = await FindApprovalAsync(connection, transaction, decision.RequestId, cancellationToken);
        if (request is null)
            return new DecisionOutcome(DecisionResult.NotFound, null);
        if (request.Status != ApprovalStatus.Pending)
            return new DecisionOutcome(DecisionResult.AlreadyDecided, request);
        if (request.ExpiresAt <= now)
        {
            await ExpireAsync(connection, transaction, request, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new DecisionOutcome(DecisionResult.Expired, request with { Status = ApprovalStatus.Expired, DecidedAt = now });
        }
        var orderStatus = await OrderStatusAsync(connection, transaction, request.OrderId, cancellationToken);
        if (orderStatus != OrderStatus.AwaitingApproval)
            return new DecisionOutcome(DecisionResult.Stale, request);

        var approvedCount = decision.Approve ? decision.Count ?? request.Summary.Count : (int?)null;
        var status = decision.Approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE approvals SET status = @status, decided_at = @at, decided_by = @by, note = @note, approved_count = @approvedCount
            WHERE id = @id AND status = 'pending';
            """,
            new { id = request.Id, status = EnumText<ApprovalStatus>.ToText(status), at = UnixTime.ToMilliseconds(now), by = decision.DecidedBy, note = decision.Note, approvedCount },
            transaction, cancellationToken: cancellationToken));

        if (decision.Approve)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE orders SET status = 'queued', approved_count = @approvedCount WHERE id = @id AND status = 'awaiting_approval';",
                new { id = request.OrderId, approvedCount }, transaction, cancellationToken: cancellationToken));
            await InsertBatchesAsync(connection, transaction, request.OrderId, batches, cancellationToken);
            var prompt = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT prompt FROM orders WHERE id = @id;", new { id = request.OrderId }, transaction, cancellationToken: cancellationToken));
            await InsertSlotsAsync(connection, transaction, request.OrderId, approvedCount!.Value, prompt!, cancellationToken);
            await AppendAsync(connection, transaction, new OrderEvent
            {
                OrderId = request.OrderId, At = now, Kind = OrderEventKind.Approved, Actor = decision.DecidedBy, Note = decision.Note, Images = approvedCount,
            }, cancellationToken);
            await AppendAsync(connection, transaction, new OrderEvent
            {
                OrderId = request.OrderId, At = now, Kind = OrderEventKind.Queued, Actor = OrderEvent.System, Images = approvedCount,
            }, cancellationToken);
        }
        else
        {
            var error = $"Rejected by {decision.DecidedBy}" + (decision.Note is { Length: > 0 } n ? $": {n}" : ".");
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE orders SET status = 'rejected', completed_at = @at, error = @error WHERE id = @id AND status = 'awaiting_approval';",
                new { id = request.OrderId, at = UnixTime.ToMilliseconds(now), error }, transaction, cancellationToken: cancellationToken));
            await AppendAsync(connection, transaction, new OrderEvent
            {
                OrderId = request.OrderId, At = now, Kind = OrderEventKind.Rejected, Actor = decision.DecidedBy, Note = decision.Note,
            }, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new DecisionOutcome(DecisionResult.Decided, request with
        {
            Status = status, DecidedAt = now, DecidedBy = decision.DecidedBy, Note = decision.Note, ApprovedCount = approvedCount,
        });
    }

    public async Task<IReadOnlyList<string>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = UnixTime.ToMilliseconds(now);
        await using var connection = database.OpenConnection();
        // Most calls find nothing: check before taking the write lock.
        var any = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM approvals WHERE status = 'pending' AND expires_at <= @at;", new { at }, cancellationToken: cancellationToken));
        if (any == 0)
            return [];

        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var due = (await connection.QueryAsync<ApprovalRow>(new CommandDefinition(
            $"SELECT {ApprovalColumns} FROM approvals WHERE status = 'pending' AND expires_at <= @at ORDER BY expires_at;",
            new { at }, transaction, cancellationToken: cancellationToken))).Select(ToApproval).ToList();
        var expired = new List<string>();
        foreach (var request in due)
        {
            if (await ExpireAsync(connection, transaction, request, now, cancellationToken))
                expired.Add(request.OrderId);
        }
        await transaction.CommitAsync(cancellationToken);
        return expired;
    }

    public async Task<bool> CancelAsync(string orderId, string actor, string? note, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var status = await OrderStatusAsync(connection, transaction, orderId, cancellationToken)
            ?? throw new KeyNotFoundException($"Order '{orderId}' does not exist.");
        if (status.IsFinished())
            return false;
        var at = UnixTime.ToMilliseconds(now);
        var error = $"Cancelled by {actor}" + (note is { Length: > 0 } ? $": {note}" : ".");
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET status = 'cancelled', completed_at = @at, error = @error WHERE id = @orderId;",
            new { orderId, at, error }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE approvals SET status = 'cancelled', decided_at = @at, decided_by = @actor WHERE order_id = @orderId AND status = 'pending';",
            new { orderId, at, actor }, transaction, cancellationToken: cancellationToken));
        await AppendAsync(connection, transaction, new OrderEvent
        {
            OrderId = orderId, At = now, Kind = OrderEventKind.Cancelled, Actor = actor, Note = note,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> StartAsync(string orderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET status = 'running' WHERE id = @orderId AND status = 'queued';",
            new { orderId }, transaction, cancellationToken: cancellationToken));
        if (changed == 0)
            return false;
        await AppendAsync(connection, transaction, new OrderEvent
        {
            OrderId = orderId, At = now, Kind = OrderEventKind.Started, Actor = OrderEvent.System,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<BatchState?> BeginBatchAsync(string orderId, int index, string provider, string model, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        if (await OrderStatusAsync(connection, transaction, orderId, cancellationToken) != OrderStatus.Running)
            return null;
        var row = await connection.QuerySingleOrDefaultAsync<BatchRow>(new CommandDefinition(
            $"SELECT {BatchColumns} FROM batches WHERE order_id = @orderId AND idx = @index;",
            new { orderId, index }, transaction, cancellationToken: cancellationToken));
        if (row is null)
            return null;
        var before = ToBatch(row);
        if (before.Status is BatchStatus.Done or BatchStatus.Failed)
            return null;

        var attempt = before.Attempts + 1;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE batches SET status = 'in_flight', attempts = @attempt, started_at = @at, finished_at = NULL, error = NULL
            WHERE order_id = @orderId AND idx = @index;
            """,
            new { orderId, index, attempt, at = UnixTime.ToMilliseconds(now) }, transaction, cancellationToken: cancellationToken));
        await AppendAsync(connection, transaction, new OrderEvent
        {
            OrderId = orderId,
            At = now,
            Kind = OrderEventKind.BatchStarted,
            Actor = OrderEvent.System,
            Batch = index,
            Attempt = attempt,
            Images = before.Count * before.Candidates,
            Provider = provider,
            Model = model,
            Note = before.Status == BatchStatus.InFlight
                ? "The previous attempt was interrupted before its images were stored, so the batch is made again; a paid provider may have charged for that attempt."
                : null,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return before with { Attempts = attempt };
    }

    public async Task SetRemoteJobAsync(string orderId, int index, int attempt, string jobId, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE batches SET remote_job_id = @jobId WHERE order_id = @orderId AND idx = @index AND attempts = @attempt AND status = 'in_flight';",
            new { orderId, index, attempt, jobId }, write.Transaction, cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
    }

    public async Task SetPendingFilesAsync(string orderId, int index, int attempt, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(paths.Select(images.ToStoredPath).ToArray(), StorageJsonContext.Default.StringArray);
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE batches SET pending_files = @json WHERE order_id = @orderId AND idx = @index AND attempts = @attempt AND status = 'in_flight';",
            new { orderId, index, attempt, json }, write.Transaction, cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> CompleteBatchAsync(BatchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE batches SET status = 'done', finished_at = @at, cost = @cost, pending_files = '[]', error = NULL
            WHERE order_id = @orderId AND idx = @index AND attempts = @attempt AND status = 'in_flight';
            """,
            new { orderId = result.OrderId, index = result.Index, attempt = result.Attempt, at = UnixTime.ToMilliseconds(result.At), cost = MoneyText(result.Cost) },
            transaction, cancellationToken: cancellationToken));
        if (changed == 0)
            return false;
        foreach (var image in result.Images)
            await images.InsertAsync(connection, transaction, image, cancellationToken);
        await AppendAsync(connection, transaction, new OrderEvent
        {
            OrderId = result.OrderId,
            At = result.At,
            Kind = OrderEventKind.BatchFinished,
            Actor = OrderEvent.System,
            Batch = result.Index,
            Attempt = result.Attempt,
            Images = result.Images.Count,
            Provider = result.Provider,
            Model = result.Model,
            Duration = result.Duration,
            Cost = result.Cost,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> FailBatchAsync(string orderId, int index, int attempt, string error, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE batches SET status = 'failed', finished_at = @at, error = @error, pending_files = '[]'
            WHERE order_id = @orderId AND idx = @index AND attempts = @attempt AND status = 'in_flight';
            """,
            new { orderId, index, attempt, at = UnixTime.ToMilliseconds(now), error }, transaction, cancellationToken: cancellationToken));
        if (changed == 0)
            return false;
        var (provider, model) = await connection.QuerySingleAsync<(string, string)>(new CommandDefinition(
            "SELECT provider, model FROM orders WHERE id = @orderId;", new { orderId }, transaction, cancellationToken: cancellationToken));
        await AppendAsync(connection, transaction, new OrderEvent
        {
            OrderId = orderId,
            At = now,
            Kind = OrderEventKind.BatchFailed,
            Actor = OrderEvent.System,
            Batch = index,
            Attempt = attempt,
            Images = 0,
            Provider = provider,
            Model = model,
            Duration = duration,
            Error = error,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<OrderStatus?> TryFinishAsync(string orderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var order = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM orders WHERE id = @orderId;", new { orderId }, transaction, cancellationToken: cancellationToken));
        if (order is null || order.Status != OrderStatus.Running.ToText())
            return null;
        var open = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM batches WHERE order_id = @orderId AND status IN ('pending', 'in_flight');",
            new { orderId }, transaction, cancellationToken: cancellationToken));
        if (open > 0)
            return null;
        var (slots, unsettled, filled) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition(
            "SELECT count(*), count(*) FILTER (WHERE status <> 'done'), count(best_image_id) FROM slots WHERE order_id = @orderId;",
            new { orderId }, transaction, cancellationToken: cancellationToken));
        if (unsettled > 0)
            return null; // a slot still waits to be judged or refined

        // Slots with a final image; orders stored before the loop existed count their images.
        var made = slots > 0 ? filled : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM images WHERE order_id = @orderId;", new { orderId }, transaction, cancellationToken: cancellationToken));
        var errors = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT error FROM batches WHERE order_id = @orderId AND status = 'failed' ORDER BY idx;",
            new { orderId }, transaction, cancellationToken: cancellationToken))).AsList();
        var target = order.ApprovedCount ?? order.Count;
        var status = made >= target ? OrderStatus.Completed : made == 0 ? OrderStatus.Failed : OrderStatus.PartiallyCompleted;
        string? error = null;
        if (status != OrderStatus.Completed)
        {
            error = errors.Count == 0
                ? $"{made} of {target} images were made."
                : $"{errors.Count} of {errors.Count + await DoneBatchesAsync()} provider calls failed: {errors[0]}";
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET status = @status, completed_at = @at, error = @error WHERE id = @orderId;",
            new { orderId, status = status.ToText(), at = UnixTime.ToMilliseconds(now), error }, transaction, cancellationToken: cancellationToken));
        await AppendAsync(connection, transaction, new OrderEvent
        {
            OrderId = orderId,
            At = now,
            Kind = status switch
            {
                OrderStatus.Completed => OrderEventKind.Completed,
                OrderStatus.PartiallyCompleted => OrderEventKind.PartiallyCompleted,
                _ => OrderEventKind.Failed,
            },
            Actor = OrderEvent.System,
            Images = (int)made,
            Error = error,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return status;

        async Task<long> DoneBatchesAsync() => await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM batches WHERE order_id = @orderId AND status = 'done';", new { orderId }, transaction, cancellationToken: cancellationToken));
    }

    public async Task<BatchState?> FindBatchAsync(string orderId, int index, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<BatchRow>(new CommandDefinition(
            $"SELECT {BatchColumns} FROM batches WHERE order_id = @orderId AND idx = @index;", new { orderId, index }, cancellationToken: cancellationToken));
        return row is null ? null : ToBatch(row);
    }

    public async Task<IReadOnlyList<SlotState>> SlotsAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        var rows = await connection.QueryAsync<SlotRow>(new CommandDefinition(
            $"SELECT {SlotColumns} FROM slots WHERE order_id = @orderId ORDER BY slot;", new { orderId }, cancellationToken: cancellationToken));
        return rows.Select(ToSlot).ToList();
    }

    public async Task<IReadOnlyList<int>> AdvanceSlotAsync(SlotAdvance advance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advance);
        if (advance.Batches.Count == 0)
            throw new ArgumentException("A slot advance needs at least one batch.", nameof(advance));
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        if (await OrderStatusAsync(connection, transaction, advance.OrderId, cancellationToken) != OrderStatus.Running)
            return [];
        var next = advance.FromIteration + 1;
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE slots SET iteration = @next, prompt = @Prompt
            WHERE order_id = @OrderId AND slot = @Slot AND iteration = @FromIteration AND status = 'generating';
            """,
            new { next, advance.Prompt, advance.OrderId, advance.Slot, advance.FromIteration }, transaction, cancellationToken: cancellationToken));
        if (changed == 0)
            return [];
        var first = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT coalesce(max(idx), -1) + 1 FROM batches WHERE order_id = @OrderId;", new { advance.OrderId }, transaction, cancellationToken: cancellationToken));
        var batches = advance.Batches.Select((b, i) => b with { Index = checked((int)first + i), Iteration = next, Prompt = advance.Prompt }).ToList();
        await InsertBatchesAsync(connection, transaction, advance.OrderId, batches, cancellationToken);
        await AppendAsync(connection, transaction, new OrderEvent
        {
            OrderId = advance.OrderId,
            At = advance.At,
            Kind = OrderEventKind.Refined,
            Actor = OrderEvent.System,
            Note = advance.Note + $" Iteration {next} prompt: {advance.Prompt}",
            Batch = batches[0].Index,
            Images = batches.Sum(b => b.Images),
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return batches.Select(b => b.Index).ToList();
    }

    public async Task<bool> SettleSlotAsync(string orderId, int slot, int iteration, string? bestImageId, int? bestScore, CancellationToken cancellationToken, (string Note, DateTimeOffset At)? stopped = null)
    {
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE slots SET status = 'done', best_image_id = @bestImageId, best_score = @bestScore
            WHERE order_id = @orderId AND slot = @slot AND iteration = @iteration AND status = 'generating';
            """,
            new { orderId, slot, iteration, bestImageId, bestScore }, write.Transaction, cancellationToken: cancellationToken));
        if (changed > 0 && stopped is { } why)
        {
            await AppendAsync(connection, write.Transaction, new OrderEvent
            {
                OrderId = orderId, At = why.At, Kind = OrderEventKind.RefinementStopped, Actor = OrderEvent.System, Note = why.Note,
            }, cancellationToken);
        }
        await write.Transaction.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public async Task<int> CountImagesAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM images WHERE order_id = @orderId;", new { orderId }, cancellationToken: cancellationToken));
    }

    /// <summary>Marks a pending request expired and, if its order still waits for it, the order too.</summary>
    private static async Task<bool> ExpireAsync(SqliteConnection connection, SqliteTransaction transaction, ApprovalRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = UnixTime.ToMilliseconds(now);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE approvals SET status = 'expired', decided_at = @at WHERE id = @id AND status = 'pending';",
            new { id = request.Id, at }, transaction, cancellationToken: cancellationToken));
        if (changed == 0)
            return false;
        var error = $"No decision was made by the deadline ({request.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC); nothing was generated.";
        var orders = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET status = 'expired', completed_at = @at, error = @error WHERE id = @orderId AND status = 'awaiting_approval';",
            new { orderId = request.OrderId, at, error }, transaction, cancellationToken: cancellationToken));
        await AppendAsync(connection, transaction, new OrderEvent
        {
            OrderId = request.OrderId, At = now, Kind = OrderEventKind.Expired, Actor = OrderEvent.System, Note = error,
        }, cancellationToken);
        return orders > 0;
    }

    private static async Task<OrderStatus?> OrderStatusAsync(SqliteConnection connection, SqliteTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        var text = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM orders WHERE id = @orderId;", new { orderId }, transaction, cancellationToken: cancellationToken));
        return text is null ? null : ParseStatus(text);
    }

    private static async Task<ApprovalRequest?> FindApprovalAsync(SqliteConnection connection, SqliteTransaction? transaction, string requestId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ApprovalRow>(new CommandDefinition(
            $"SELECT {ApprovalColumns} FROM approvals WHERE id = @requestId;", new { requestId }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : ToApproval(row);
    }

    private static async Task InsertBatchesAsync(SqliteConnection connection, SqliteTransaction transaction, string orderId, IReadOnlyList<Batch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO batches (order_id, idx, first_slot, count, status, iteration, first_candidate, candidates, prompt, previous_response_id)
                VALUES (@orderId, @Index, @FirstSlot, @Count, 'pending', @Iteration, @FirstCandidate, @Candidates, @Prompt, @PreviousResponseId);
                """,
                new { orderId, batch.Index, batch.FirstSlot, batch.Count, batch.Iteration, batch.FirstCandidate, batch.Candidates, batch.Prompt, batch.PreviousResponseId },
                transaction, cancellationToken: cancellationToken));
        }
    }

    private static async Task InsertSlotsAsync(SqliteConnection connection, SqliteTransaction transaction, string orderId, int count, string prompt, CancellationToken cancellationToken)
    {
        for (var slot = 0; slot < count; slot++)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO slots (order_id, slot, iteration, status, prompt) VALUES (@orderId, @slot, 1, 'generating', @prompt);",
                new { orderId, slot, prompt }, transaction, cancellationToken: cancellationToken));
        }
    }

    private static async Task InsertApprovalAsync(SqliteConnection connection, SqliteTransaction transaction, ApprovalRequest request, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO approvals (id, order_id, status, created_at, expires_at, summary, decided_at, decided_by, note, approved_count)
            VALUES (@Id, @OrderId, @Status, @CreatedAt, @ExpiresAt, @Summary, @DecidedAt, @DecidedBy, @Note, @ApprovedCount);
            """,
            new
            {
                request.Id,
                request.OrderId,
                Status = EnumText<ApprovalStatus>.ToText(request.Status),
                CreatedAt = UnixTime.ToMilliseconds(request.CreatedAt),
                ExpiresAt = UnixTime.ToMilliseconds(request.ExpiresAt),
                Summary = JsonSerializer.Serialize(request.Summary, StorageJsonContext.Default.ApprovalSummary),
                DecidedAt = UnixTime.ToMilliseconds(request.DecidedAt),
                request.DecidedBy,
                request.Note,
                request.ApprovedCount,
            },
            transaction, cancellationToken: cancellationToken));
    }

    private static Task AppendAsync(SqliteConnection connection, SqliteTransaction transaction, OrderEvent e, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO order_events (order_id, at, kind, actor, note, batch, attempt, images, provider, model, duration_ms, cost, error)
            VALUES (@OrderId, @At, @Kind, @Actor, @Note, @Batch, @Attempt, @Images, @Provider, @Model, @DurationMs, @Cost, @Error);
            """,
            new
            {
                e.OrderId,
                At = UnixTime.ToMilliseconds(e.At),
                Kind = e.Kind.ToText(),
                e.Actor,
                e.Note,
                e.Batch,
                e.Attempt,
                e.Images,
                e.Provider,
                e.Model,
                DurationMs = e.Duration is { } d ? (long?)Math.Round(d.TotalMilliseconds) : null,
                Cost = e.Cost is { } c ? MoneyText(c) : null,
                e.Error,
            },
            transaction, cancellationToken: cancellationToken));

    private static string MoneyText(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal ParseMoney(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static OrderStatus ParseStatus(string text) =>
        OrderStatusExtensions.TryParse(text, out var status)
            ? status
            : throw new InvalidDataException($"The database holds order status '{text}', which this Easel does not know.");

    private Order ToOrder(OrderRow row) => new()
    {
        Id = row.Id,
        Prompt = row.Prompt,
        NegativePrompt = row.NegativePrompt,
        Count = checked((int)row.Count),
        ApprovedCount = row.ApprovedCount is { } a ? checked((int)a) : null,
        Size = new ImageSize(checked((int)row.Width), checked((int)row.Height)),
        AspectRatio = row.AspectRatio,
        Style = row.Style,
        Background = EnumText<Background>.Parse(row.Background),
        Seed = row.Seed,
        Provider = row.Provider,
        Model = row.Model,
        ImagesPerCall = checked((int)row.ImagesPerCall),
        EstimatedCost = ParseMoney(row.EstimatedCost),
        Status = ParseStatus(row.Status),
        CreatedAt = UnixTime.FromMilliseconds(row.CreatedAt),
        CompletedAt = UnixTime.FromMilliseconds(row.CompletedAt),
        Error = row.Error,
        Loop = new LoopSettings
        {
            MaxIterations = checked((int)row.MaxIterations), Threshold = checked((int)row.Threshold), Candidates = checked((int)row.Candidates), Preset = row.Preset,
        },
        References = JsonSerializer.Deserialize(row.Refs, StorageJsonContext.Default.StoredReferenceArray)?
            .Select(r => r with { Path = images.FromStoredPath(r.Path) }).ToList() ?? [],
        Quality = EnumText<ImageQuality>.Parse(row.Quality),
        Format = EnumText<ImageFormat>.Parse(row.Format),
        Source = row.SourceImageId is null || row.SourceKind is null ? null : new OrderSource(
            row.SourceImageId,
            EnumText<Derivation>.Parse(row.SourceKind),
            row.SourceStrength is { } strength ? EnumText<VariationStrength>.Parse(strength) : null,
            row.SourceScale is { } scale ? checked((int)scale) : null),
    };

    private static SlotState ToSlot(SlotRow row) => new(
        row.OrderId, checked((int)row.Slot), checked((int)row.Iteration), EnumText<SlotStatus>.Parse(row.Status), row.Prompt,
        row.BestImageId, row.BestScore is { } score ? checked((int)score) : null);

    private BatchState ToBatch(BatchRow row) => new()
    {
        OrderId = row.OrderId,
        Index = checked((int)row.Idx),
        FirstSlot = checked((int)row.FirstSlot),
        Count = checked((int)row.Count),
        Status = EnumText<BatchStatus>.Parse(row.Status),
        Attempts = checked((int)row.Attempts),
        StartedAt = UnixTime.FromMilliseconds(row.StartedAt),
        FinishedAt = UnixTime.FromMilliseconds(row.FinishedAt),
        Error = row.Error,
        Cost = row.Cost is { } c ? ParseMoney(c) : null,
        PendingFiles = (JsonSerializer.Deserialize(row.PendingFiles, StorageJsonContext.Default.StringArray) ?? []).Select(images.FromStoredPath).ToList(),
        Iteration = checked((int)row.Iteration),
        FirstCandidate = checked((int)row.FirstCandidate),
        Candidates = checked((int)row.Candidates),
        Prompt = row.Prompt,
        PreviousResponseId = row.PreviousResponseId,
        RemoteJobId = row.RemoteJobId,
    };

    private static ApprovalRequest ToApproval(ApprovalRow row) => new()
    {
        Id = row.Id,
        OrderId = row.OrderId,
        Status = EnumText<ApprovalStatus>.Parse(row.Status),
        CreatedAt = UnixTime.FromMilliseconds(row.CreatedAt),
        ExpiresAt = UnixTime.FromMilliseconds(row.ExpiresAt),
        Summary = JsonSerializer.Deserialize(row.Summary, StorageJsonContext.Default.ApprovalSummary)
            ?? throw new InvalidDataException($"Approval request '{row.Id}' has no summary."),
        DecidedAt = UnixTime.FromMilliseconds(row.DecidedAt),
        DecidedBy = row.DecidedBy,
        Note = row.Note,
        ApprovedCount = row.ApprovedCount is { } a ? checked((int)a) : null,
    };

    private static OrderEvent ToEvent(EventRow row) => new()
    {
        Seq = row.Seq,
        OrderId = row.OrderId,
        At = UnixTime.FromMilliseconds(row.At),
        Kind = EnumText<OrderEventKind>.Parse(row.Kind),
        Actor = row.Actor,
        Note = row.Note,
        Batch = row.Batch is { } b ? checked((int)b) : null,
        Attempt = row.Attempt is { } t ? checked((int)t) : null,
        Images = row.Images is { } i ? checked((int)i) : null,
        Provider = row.Provider,
        Model = row.Model,
        Duration = row.DurationMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        Cost = row.Cost is { } c ? ParseMoney(c) : null,
        Error = row.Error,
    };

    /// <summary>Rows as SQLite returns them (integers are 64-bit).</summary>
    private sealed class OrderRow
    {
        public string Id { get; init; } = "";
        public string Prompt { get; init; } = "";
        public string? NegativePrompt { get; init; }
        public long Count { get; init; }
        public long? ApprovedCount { get; init; }
        public long Width { get; init; }
        public long Height { get; init; }
        public string? AspectRatio { get; init; }
        public string? Style { get; init; }
        public string Background { get; init; } = "";
        public long Seed { get; init; }
        public string Provider { get; init; } = "";
        public string Model { get; init; } = "";
        public long ImagesPerCall { get; init; }
        public string EstimatedCost { get; init; } = "0";
        public string Status { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? CompletedAt { get; init; }
        public string? Error { get; init; }
        public long MaxIterations { get; init; } = 1;
        public long Threshold { get; init; }
        public long Candidates { get; init; } = 1;
        public string? Preset { get; init; }
        public string Refs { get; init; } = "[]";
        public string? SourceImageId { get; init; }
        public string? SourceKind { get; init; }
        public string? SourceStrength { get; init; }
        public long? SourceScale { get; init; }
        public string Quality { get; init; } = "auto";
        public string Format { get; init; } = "png";
    }

    private sealed class BatchRow
    {
        public string OrderId { get; init; } = "";
        public long Idx { get; init; }
        public long FirstSlot { get; init; }
        public long Count { get; init; }
        public string Status { get; init; } = "";
        public long Attempts { get; init; }
        public long? StartedAt { get; init; }
        public long? FinishedAt { get; init; }
        public string? Error { get; init; }
        public string? Cost { get; init; }
        public string PendingFiles { get; init; } = "[]";
        public long Iteration { get; init; } = 1;
        public long FirstCandidate { get; init; }
        public long Candidates { get; init; } = 1;
        public string? Prompt { get; init; }
        public string? PreviousResponseId { get; init; }
        public string? RemoteJobId { get; init; }
    }

    private sealed class SlotRow
    {
        public string OrderId { get; init; } = "";
        public long Slot { get; init; }
        public long Iteration { get; init; }
        public string Status { get; init; } = "";
        public string Prompt { get; init; } = "";
        public string? BestImageId { get; init; }
        public long? BestScore { get; init; }
    }

    private sealed class ApprovalRow
    {
        public string Id { get; init; } = "";
        public string OrderId { get; init; } = "";
        public string Status { get; init; } = "";
        public long CreatedAt { get; init; }
        public long ExpiresAt { get; init; }
        public string Summary { get; init; } = "";
        public long? DecidedAt { get; init; }
        public string? DecidedBy { get; init; }
        public string? Note { get; init; }
        public long? ApprovedCount { get; init; }
    }

    private sealed class EventRow
    {
        public long Seq { get; init; }
        public string OrderId { get; init; } = "";
        public long At { get; init; }
        public string Kind { get; init; } = "";
        public string? Actor { get; init; }
        public string? Note { get; init; }
        public long? Batch { get; init; }
        public long? Attempt { get; init; }
        public long? Images { get; init; }
        public string? Provider { get; init; }
        public string? Model { get; init; }
        public long? DurationMs { get; init; }
        public string? Cost { get; init; }
        public string? Error { get; init; }
    }
}
