using Dapper;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Microsoft.Data.Sqlite;

namespace Easel.Storage.Sqlite;

internal sealed class SqliteOrderStore(SqliteDatabase database) : IOrderStore
{
    private const string Columns = """
        id AS Id, prompt AS Prompt, negative_prompt AS NegativePrompt, count AS Count, width AS Width, height AS Height,
        aspect_ratio AS AspectRatio, style AS Style, background AS Background, seed AS Seed, provider AS Provider,
        model AS Model, status AS Status, created_at AS CreatedAt, completed_at AS CompletedAt, error AS Error
        """;

    public async Task CreateAsync(Order order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (string.IsNullOrWhiteSpace(order.Id))
            throw new ArgumentException("An order needs an id.", nameof(order));
        const string sql = """
            INSERT INTO orders (id, prompt, negative_prompt, count, width, height, aspect_ratio, style, background,
                                seed, provider, model, status, created_at, completed_at, error)
            VALUES (@Id, @Prompt, @NegativePrompt, @Count, @Width, @Height, @AspectRatio, @Style, @Background,
                    @Seed, @Provider, @Model, @Status, @CreatedAt, @CompletedAt, @Error);
            """;
        var row = new
        {
            order.Id,
            order.Prompt,
            order.NegativePrompt,
            order.Count,
            order.Size.Width,
            order.Size.Height,
            order.AspectRatio,
            order.Style,
            Background = EnumText<Background>.ToText(order.Background),
            order.Seed,
            order.Provider,
            order.Model,
            Status = EnumText<OrderStatus>.ToText(order.Status),
            CreatedAt = UnixTime.ToMilliseconds(order.CreatedAt),
            CompletedAt = UnixTime.ToMilliseconds(order.CompletedAt),
            order.Error,
        };

        await using var connection = database.OpenConnection();
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, row, cancellationToken: cancellationToken));
        }
        catch (SqliteException e) when (SqliteErrors.IsDuplicateKey(e))
        {
            throw new InvalidOperationException($"An order with id '{order.Id}' already exists.", e);
        }
    }

    public async Task UpdateStatusAsync(string orderId, OrderStatus status, DateTimeOffset? completedAt, string? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        const string sql = "UPDATE orders SET status = @status, completed_at = @completedAt, error = @error WHERE id = @orderId;";
        await using var connection = database.OpenConnection();
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { orderId, status = EnumText<OrderStatus>.ToText(status), completedAt = UnixTime.ToMilliseconds(completedAt), error },
            cancellationToken: cancellationToken));
        if (changed == 0)
            throw new KeyNotFoundException($"Order '{orderId}' does not exist.");
    }

    public async Task<Order?> FindAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = database.OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM orders WHERE id = @id;", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToOrder(row);
    }

    private static Order ToOrder(OrderRow row) => new()
    {
        Id = row.Id,
        Prompt = row.Prompt,
        NegativePrompt = row.NegativePrompt,
        Count = checked((int)row.Count),
        Size = new ImageSize(checked((int)row.Width), checked((int)row.Height)),
        AspectRatio = row.AspectRatio,
        Style = row.Style,
        Background = EnumText<Background>.Parse(row.Background),
        Seed = row.Seed,
        Provider = row.Provider,
        Model = row.Model,
        Status = EnumText<OrderStatus>.Parse(row.Status),
        CreatedAt = UnixTime.FromMilliseconds(row.CreatedAt),
        CompletedAt = UnixTime.FromMilliseconds(row.CompletedAt),
        Error = row.Error,
    };

    /// <summary>A row as SQLite returns it (integers are 64-bit).</summary>
    private sealed class OrderRow
    {
        public string Id { get; init; } = "";
        public string Prompt { get; init; } = "";
        public string? NegativePrompt { get; init; }
        public long Count { get; init; }
        public long Width { get; init; }
        public long Height { get; init; }
        public string? AspectRatio { get; init; }
        public string? Style { get; init; }
        public string Background { get; init; } = "";
        public long Seed { get; init; }
        public string Provider { get; init; } = "";
        public string Model { get; init; } = "";
        public string Status { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? CompletedAt { get; init; }
        public string? Error { get; init; }
    }
}
