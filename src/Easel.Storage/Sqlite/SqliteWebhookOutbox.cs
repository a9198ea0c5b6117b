using Dapper;
using Easel.Core.Notifications;

namespace Easel.Storage.Sqlite;

/// <summary>Webhook deliveries and the audit-trail cursor in SQLite (tables <c>webhook_deliveries</c>, <c>webhook_cursor</c>).</summary>
internal sealed class SqliteWebhookOutbox(SqliteDatabase database) : IWebhookOutbox
{
    private const string Columns = """
        id AS Id, event_seq AS EventSeq, hook AS Hook, type AS Type, order_id AS OrderId, payload AS Payload,
        created_at AS CreatedAt, status AS Status, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
        last_attempt_at AS LastAttemptAt, response_status AS ResponseStatus, last_error AS LastError
        """;

    public async Task<long> CursorAsync(long startSeq, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startSeq);
        await using var connection = database.OpenConnection();
        var current = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT last_seq FROM webhook_cursor WHERE id = 1;", cancellationToken: cancellationToken));
        if (current is { } seq)
            return seq;
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        // Another process may have started first: its cursor wins.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT OR IGNORE INTO webhook_cursor (id, last_seq) VALUES (1, @startSeq);", new { startSeq }, write.Transaction, cancellationToken: cancellationToken));
        var stored = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_seq FROM webhook_cursor WHERE id = 1;", transaction: write.Transaction, cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<bool> EnqueueAsync(long fromSeq, long toSeq, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_cursor SET last_seq = @toSeq WHERE id = 1 AND last_seq = @fromSeq;",
            new { fromSeq, toSeq }, transaction, cancellationToken: cancellationToken));
        if (moved == 0)
            return false;
        foreach (var d in deliveries)
        {
            // OR IGNORE: an event already queued for this hook (by another process) is not queued twice.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT OR IGNORE INTO webhook_deliveries (id, event_seq, hook, type, order_id, payload, created_at, status, attempts, next_attempt_at)
                VALUES (@Id, @EventSeq, @Hook, @Type, @OrderId, @Payload, @CreatedAt, 'pending', 0, @NextAttemptAt);
                """,
                new
                {
                    d.Id, d.EventSeq, d.Hook, d.Type, d.OrderId, d.Payload,
                    CreatedAt = UnixTime.ToMilliseconds(d.CreatedAt),
                    NextAttemptAt = UnixTime.ToMilliseconds(d.NextAttemptAt ?? d.CreatedAt),
                },
                transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<WebhookDelivery>> DueAsync(IReadOnlyCollection<string> hooks, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        if (hooks.Count == 0)
            return [];
        await using var connection = database.OpenConnection();
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at <= @now AND hook IN @hooks
            ORDER BY event_seq, hook LIMIT @limit;
            """,
            new { now = UnixTime.ToMilliseconds(now), hooks, limit }, cancellationToken: cancellationToken));
        return rows.Select(ToDelivery).ToList();
    }

    public async Task<DateTimeOffset?> NextDueAsync(IReadOnlyCollection<string> hooks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        if (hooks.Count == 0)
            return null;
        await using var connection = database.OpenConnection();
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending' AND hook IN @hooks;",
            new { hooks }, cancellationToken: cancellationToken));
        return UnixTime.FromMilliseconds(next);
    }

    public async Task<bool> ClaimAsync(string deliveryId, int attemptsBefore, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = @now, next_attempt_at = @until
            WHERE id = @deliveryId AND status = 'pending' AND attempts = @attemptsBefore AND next_attempt_at <= @now;
            """,
            new { deliveryId, attemptsBefore, now = UnixTime.ToMilliseconds(now), until = UnixTime.ToMilliseconds(until) },
            write.Transaction, cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
        return claimed == 1;
    }

    public async Task<bool> RecordAsync(WebhookAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if ((attempt.Status == WebhookDeliveryStatus.Pending) != attempt.NextAttemptAt.HasValue)
            throw new ArgumentException("A pending delivery needs its next attempt time, and only a pending one.", nameof(attempt));
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries
            SET status = @status, next_attempt_at = @next, last_attempt_at = @at, response_status = @responseStatus, last_error = @error
            WHERE id = @id AND status = 'pending' AND attempts = @number;
            """,
            new
            {
                id = attempt.DeliveryId,
                number = attempt.Attempt,
                status = EnumText<WebhookDeliveryStatus>.ToText(attempt.Status),
                next = UnixTime.ToMilliseconds(attempt.NextAttemptAt),
                at = UnixTime.ToMilliseconds(attempt.At),
                responseStatus = attempt.ResponseStatus,
                error = attempt.Error,
            },
            write.Transaction, cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
        return changed == 1;
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListAsync(string? orderId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM webhook_deliveries WHERE @orderId IS NULL OR order_id = @orderId ORDER BY event_seq DESC, hook LIMIT @limit;",
            new { orderId, limit }, cancellationToken: cancellationToken));
        return rows.Select(ToDelivery).ToList();
    }

    private static WebhookDelivery ToDelivery(Row row) => new()
    {
        Id = row.Id,
        EventSeq = row.EventSeq,
        Hook = row.Hook,
        Type = row.Type,
        OrderId = row.OrderId,
        Payload = row.Payload,
        CreatedAt = UnixTime.FromMilliseconds(row.CreatedAt),
        Status = EnumText<WebhookDeliveryStatus>.Parse(row.Status),
        Attempts = (int)row.Attempts,
        NextAttemptAt = UnixTime.FromMilliseconds(row.NextAttemptAt),
        LastAttemptAt = UnixTime.FromMilliseconds(row.LastAttemptAt),
        ResponseStatus = (int?)row.ResponseStatus,
        LastError = row.LastError,
    };

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public long EventSeq { get; init; }
        public string Hook { get; init; } = "";
        public string Type { get; init; } = "";
        public string OrderId { get; init; } = "";
        public string Payload { get; init; } = "";
        public long CreatedAt { get; init; }
        public string Status { get; init; } = "";
        public long Attempts { get; init; }
        public long? NextAttemptAt { get; init; }
        public long? LastAttemptAt { get; init; }
        public long? ResponseStatus { get; init; }
        public string? LastError { get; init; }
    }
}
