using System.Text;
using System.Text.Json;
using Dapper;
using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Microsoft.Data.Sqlite;

namespace Easel.Storage.Sqlite;

/// <summary>The gallery in SQLite: one row per image, FTS5 over prompts.</summary>
internal sealed class SqliteImageCatalog(SqliteDatabase database, string dataRoot) : IImageCatalog
{
    /// <summary>Least number of id characters (after "img_") a prefix lookup needs.</summary>
    public const int MinPrefixLength = 4;

    private const string IdPrefix = "img_";

    private const string Columns = """
        id AS Id, order_id AS OrderId, slot AS Slot, prompt AS Prompt, negative_prompt AS NegativePrompt,
        parameters AS Parameters, provider AS Provider, model AS Model, seed AS Seed, created_at AS CreatedAt,
        generation_ms AS GenerationMs, path AS Path, sha256 AS Sha256, width AS Width, height AS Height,
        iteration AS Iteration, candidate AS Candidate, evaluation AS Evaluation, response_id AS ResponseId,
        parent_id AS ParentId, derivation AS Derivation, review_status AS ReviewStatus, reviewed_at AS ReviewedAt,
        reviewed_by AS ReviewedBy
        """;

    private readonly string _dataRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataRoot));

    /// <summary>
    /// Below this many prompts matching the text, a page is made from the matches themselves (each
    /// looked up and sorted: about a microsecond apiece); from it on, by walking the gallery order
    /// and keeping the rows among the matches, which fills a page after about limit × images ÷
    /// matches index entries. With 100,000 images both ways take about a millisecond at this count;
    /// either alone takes 15-25 ms on the other's worst searches.
    /// </summary>
    internal const int DefaultFewMatches = 1000;

    /// <summary>See <see cref="DefaultFewMatches"/>; tests set 0 or int.MaxValue to take one way or the other.</summary>
    internal int FewMatches { get; init; } = DefaultFewMatches;

    public async Task AddAsync(ImageRecord image, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        await InsertAsync(connection, null, image, cancellationToken);
    }

    /// <summary>Inserts one image row, inside the caller's transaction when given one.</summary>
    internal async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        Validate(image);
        const string sql = """
            INSERT INTO images (id, order_id, slot, prompt, negative_prompt, parameters, provider, model, seed,
                                created_at, generation_ms, path, sha256, width, height, iteration, candidate,
                                score, evaluation, response_id, parent_id, derivation, review_status, reviewed_at, reviewed_by)
            VALUES (@Id, @OrderId, @Slot, @Prompt, @NegativePrompt, @Parameters, @Provider, @Model, @Seed,
                    @CreatedAt, @GenerationMs, @Path, @Sha256, @Width, @Height, @Iteration, @Candidate,
                    @Score, @Evaluation, @ResponseId, @ParentId, @Derivation, @ReviewStatus, @ReviewedAt, @ReviewedBy);
            """;
        var row = new
        {
            image.Id,
            image.OrderId,
            image.Slot,
            image.Prompt,
            image.NegativePrompt,
            Parameters = JsonSerializer.Serialize(image.Parameters, StorageJsonContext.Default.ImageParameters),
            image.Provider,
            image.Model,
            image.Seed,
            CreatedAt = UnixTime.ToMilliseconds(image.CreatedAt),
            GenerationMs = (long)image.GenerationTime.TotalMilliseconds,
            Path = ToStoredPath(image.Path),
            image.Sha256,
            image.Width,
            image.Height,
            image.Iteration,
            image.Candidate,
            Score = image.Evaluation is { Error: null } judged ? Clamped(judged).Score : (int?)null,
            Evaluation = image.Evaluation is { } verdict ? JsonSerializer.Serialize(Clamped(verdict), StorageJsonContext.Default.Evaluation) : null,
            image.ResponseId,
            image.ParentId,
            Derivation = image.Derivation is { } d ? EnumText<Derivation>.ToText(d) : null,
            ReviewStatus = EnumText<ReviewStatus>.ToText(image.Review),
            ReviewedAt = UnixTime.ToMilliseconds(image.ReviewedAt),
            image.ReviewedBy,
        };

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, row, transaction, cancellationToken: cancellationToken));
        }
        catch (SqliteException e) when (SqliteErrors.IsDuplicateKey(e))
        {
            throw new InvalidOperationException($"An image with id '{image.Id}' is already in the catalog.", e);
        }
        catch (SqliteException e) when (SqliteErrors.IsForeignKeyViolation(e))
        {
            throw new InvalidOperationException($"Image '{image.Id}' belongs to order '{image.OrderId}', which does not exist.", e);
        }
    }

    public async Task<ImageRecord?> FindAsync(string idOrPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrPrefix);
        var key = idOrPrefix.Trim();
        if (key.Length == 0 || !key.All(IsIdChar))
            return null; // cannot match any id

        // A raw id ("01jd3k…") is the part after the prefix.
        if (!key.Contains('_', StringComparison.Ordinal))
            key = IdPrefix + key;

        await using var connection = database.OpenConnection();
        var found = await FindAsync(connection, idOrPrefix, key, cancellationToken);
        // Ids are lower-case; people sometimes type or paste them in capitals.
        var lower = key.ToLowerInvariant();
        if (found is null && lower != key)
            found = await FindAsync(connection, idOrPrefix, lower, cancellationToken);
        return found is null ? null : ToRecord(found);
    }

    private static async Task<ImageRow?> FindAsync(SqliteConnection connection, string input, string key, CancellationToken cancellationToken)
    {
        var tail = key.Length - (key.IndexOf('_', StringComparison.Ordinal) + 1);
        if (tail < MinPrefixLength)
        {
            // Too short to be a prefix, but it may still be a whole (short) id.
            var exact = await connection.QuerySingleOrDefaultAsync<ImageRow>(new CommandDefinition(
                $"SELECT {Columns} FROM images WHERE id = @key;", new { key }, cancellationToken: cancellationToken));
            return exact ?? throw new ArgumentException(
                $"'{input}' is too short to identify an image: give at least {MinPrefixLength} characters of the id.", "idOrPrefix");
        }

        // A range on the unique index instead of LIKE: ids are [A-Za-z0-9_-], so bumping the last
        // character gives the first string after every id that starts with the prefix.
        var upper = string.Concat(key.AsSpan(0, key.Length - 1), ((char)(key[^1] + 1)).ToString());
        var rows = (await connection.QueryAsync<ImageRow>(new CommandDefinition(
            $"SELECT {Columns} FROM images WHERE id >= @key AND id < @upper ORDER BY id LIMIT 2;",
            new { key, upper }, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
            return null;
        // The whole id sorts before every longer id it is a prefix of.
        if (rows.Count == 1 || rows[0].Id == key)
            return rows[0];

        var matches = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM images WHERE id >= @key AND id < @upper ORDER BY id;",
            new { key, upper }, cancellationToken: cancellationToken))).AsList();
        throw new AmbiguousIdException(input.Trim(), matches);
    }

    public async Task<IReadOnlyList<ImageRecord>> ListByOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        await using var connection = database.OpenConnection();
        var rows = await connection.QueryAsync<ImageRow>(new CommandDefinition(
            $"SELECT {Columns} FROM images WHERE order_id = @orderId ORDER BY slot, iteration, candidate, created_at, id;",
            new { orderId }, cancellationToken: cancellationToken));
        return rows.Select(ToRecord).ToList();
    }

    public async Task<IReadOnlyList<ImageRecord>> ChildrenAsync(string imageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(imageId);
        await using var connection = database.OpenConnection();
        var rows = await connection.QueryAsync<ImageRow>(new CommandDefinition(
            $"SELECT {Columns} FROM images WHERE parent_id = @imageId ORDER BY created_at, id;",
            new { imageId }, cancellationToken: cancellationToken));
        return rows.Select(ToRecord).ToList();
    }

    public async Task<bool> SetEvaluationAsync(string imageId, Evaluation evaluation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        evaluation = Clamped(evaluation);
        var json = JsonSerializer.Serialize(evaluation, StorageJsonContext.Default.Evaluation);
        int? score = evaluation.Error is null ? evaluation.Score : null;
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE images SET evaluation = @json, score = @score WHERE id = @imageId AND evaluation IS NULL;",
            new { imageId, json, score }, write.Transaction, cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <summary>Scores are 0-100 in the column and in the stored verdict alike, whatever an evaluator returned.</summary>
    private static Evaluation Clamped(Evaluation e) => e with { Score = Math.Clamp(e.Score, Evaluation.MinScore, Evaluation.MaxScore) };

    public async Task<bool> SetReviewAsync(string imageId, ReviewStatus status, string reviewer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenConnection();
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE images SET review_status = @status, reviewed_at = @at, reviewed_by = @reviewer WHERE id = @imageId;",
            new { imageId, status = EnumText<ReviewStatus>.ToText(status), at = UnixTime.ToMilliseconds(at), reviewer },
            write.Transaction, cancellationToken: cancellationToken));
        await write.Transaction.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public async Task<IReadOnlyList<ImageRecord>> SearchAsync(ImageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));

        var match = FtsQuery.Build(query.Text);
        await using var connection = database.OpenConnection();
        var fromMatches = match is not null && await CountMatchesAsync(connection, match, FewMatches, cancellationToken) < FewMatches;
        var (sql, parameters) = BuildSearch(query, match, fromMatches);
        var rows = await connection.QueryAsync<ImageRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.Select(ToRecord).ToList();
    }

    /// <summary>How many prompts match, counting no further than <paramref name="cap"/>: cheap, as even a one-letter prefix is one list in the text index.</summary>
    private static async Task<long> CountMatchesAsync(SqliteConnection connection, string match, int cap, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM (SELECT rowid FROM images_fts WHERE images_fts MATCH @match LIMIT @cap);",
            new { match, cap }, cancellationToken: cancellationToken));

    /// <summary>
    /// The search as one statement. Every shape reads the page in gallery order (created_at DESC,
    /// id DESC) from an index that carries the filter columns, so rows that fail a filter are skipped
    /// without reading them: images_provider or images_review when those filters are set (the
    /// planner takes one), else images_created_at. With text, <paramref name="fromMatches"/> picks
    /// between sorting the few matches and walking that index past rows that do not match.
    /// </summary>
    internal static (string Sql, DynamicParameters Parameters) BuildSearch(ImageQuery query, string? match, bool fromMatches)
    {
        var filters = new StringBuilder();
        var parameters = new DynamicParameters();
        parameters.Add("limit", query.Limit);
        if (!string.IsNullOrWhiteSpace(query.Provider))
        {
            filters.Append(" AND i.provider = @provider COLLATE NOCASE");
            parameters.Add("provider", query.Provider.Trim());
        }
        if (query.MinScore is { } minScore)
        {
            filters.Append(" AND i.score >= @minScore");
            parameters.Add("minScore", minScore);
        }
        if (query.MaxScore is { } maxScore)
        {
            filters.Append(" AND i.score <= @maxScore");
            parameters.Add("maxScore", maxScore);
        }
        if (query.Review is { } review)
        {
            filters.Append(" AND i.review_status = @review");
            parameters.Add("review", EnumText<ReviewStatus>.ToText(review));
        }
        if (query.Since is { } since)
        {
            filters.Append(" AND i.created_at >= @since");
            parameters.Add("since", UnixTime.ToMilliseconds(since));
        }

        // One upper bound, the tighter: given two, SQLite seeks to one and filters by the other, so a
        // deep page within an "until" would start reading at "until" and skip every page before it.
        var until = query.Until is { } u ? UnixTime.ToMilliseconds(u) : (long?)null;
        if (query.After is { } after && (until is null || UnixTime.ToMilliseconds(after.CreatedAt) < until))
        {
            // What comes after the cursor's image in newest-first order; this implies created_at < until.
            filters.Append(" AND (i.created_at, i.id) < (@afterCreatedAt, @afterId)");
            parameters.Add("afterCreatedAt", UnixTime.ToMilliseconds(after.CreatedAt));
            parameters.Add("afterId", after.Id);
        }
        else if (until is { } end)
        {
            // A cursor at or after "until" excludes nothing that "until" does not.
            filters.Append(" AND i.created_at < @until");
            parameters.Add("until", end);
        }

        string sql;
        if (match is null)
        {
            sql = $"SELECT {Columns} FROM images AS i WHERE 1 = 1{filters} ORDER BY i.created_at DESC, i.id DESC LIMIT @limit;";
        }
        else if (fromMatches)
        {
            // The matches drive (CROSS JOIN fixes the order, else an index on a filter column wins and
            // walks far), each looked up by rowid; only keys are sorted, then the page's rows are read.
            sql = $"""
                SELECT {Columns} FROM images WHERE seq IN (
                    SELECT i.seq FROM images_fts CROSS JOIN images AS i ON i.seq = images_fts.rowid
                    WHERE images_fts MATCH @match{filters}
                    ORDER BY i.created_at DESC, i.id DESC LIMIT @limit)
                ORDER BY created_at DESC, id DESC;
                """;
            parameters.Add("match", match);
        }
        else
        {
            // The unary + keeps the rowid from being looked up match by match (then sorted): the
            // matches become a set, probed while walking the gallery order.
            sql = $"SELECT {Columns} FROM images AS i WHERE +i.seq IN (SELECT rowid FROM images_fts WHERE images_fts MATCH @match){filters} ORDER BY i.created_at DESC, i.id DESC LIMIT @limit;";
            parameters.Add("match", match);
        }
        return (sql, parameters);
    }

    public async Task<IReadOnlyList<string>> ProvidersAsync(CancellationToken cancellationToken)
    {
        // A skip scan of images_provider: one seek per distinct provider, however many images there are.
        const string sql = """
            WITH RECURSIVE providers (name) AS (
                SELECT (SELECT provider FROM images ORDER BY provider COLLATE NOCASE LIMIT 1)
                UNION ALL
                SELECT (SELECT provider FROM images WHERE provider > providers.name COLLATE NOCASE ORDER BY provider COLLATE NOCASE LIMIT 1)
                FROM providers WHERE providers.name IS NOT NULL)
            SELECT name FROM providers WHERE name IS NOT NULL;
            """;
        await using var connection = database.OpenConnection();
        var names = await connection.QueryAsync<string>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return names.AsList();
    }

    private static void Validate(ImageRecord image)
    {
        if (string.IsNullOrWhiteSpace(image.Id))
            throw new ArgumentException("An image needs an id.", nameof(image));
        if (!Path.IsPathFullyQualified(image.Path))
            throw new ArgumentException($"Image path '{image.Path}' must be absolute.", nameof(image));
        if (image.Sha256.Length != 64 || !image.Sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"'{image.Sha256}' is not a lower-case hex SHA-256.", nameof(image));
    }

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>Inside the data directory: relative with '/' separators, so the directory can move.</summary>
    internal string ToStoredPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (full.Length > _dataRoot.Length
            && full.StartsWith(_dataRoot, StringComparison.Ordinal)
            && full[_dataRoot.Length] == Path.DirectorySeparatorChar)
        {
            return full[(_dataRoot.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/');
        }
        return full;
    }

    internal string FromStoredPath(string stored) =>
        Path.IsPathFullyQualified(stored) ? stored : Path.GetFullPath(Path.Combine(_dataRoot, stored));

    private ImageRecord ToRecord(ImageRow row) => new()
    {
        Id = row.Id,
        OrderId = row.OrderId,
        Slot = checked((int)row.Slot),
        Prompt = row.Prompt,
        NegativePrompt = row.NegativePrompt,
        Parameters = JsonSerializer.Deserialize(row.Parameters, StorageJsonContext.Default.ImageParameters)
            ?? throw new InvalidDataException($"Image '{row.Id}' has no parameters."),
        Provider = row.Provider,
        Model = row.Model,
        Seed = row.Seed,
        CreatedAt = UnixTime.FromMilliseconds(row.CreatedAt),
        GenerationTime = TimeSpan.FromMilliseconds(row.GenerationMs),
        Path = FromStoredPath(row.Path),
        Sha256 = row.Sha256,
        Width = checked((int)row.Width),
        Height = checked((int)row.Height),
        Iteration = checked((int)row.Iteration),
        Candidate = checked((int)row.Candidate),
        Evaluation = row.Evaluation is { } json ? JsonSerializer.Deserialize(json, StorageJsonContext.Default.Evaluation) : null,
        ResponseId = row.ResponseId,
        ParentId = row.ParentId,
        Derivation = row.Derivation is { } d ? EnumText<Derivation>.Parse(d) : null,
        Review = EnumText<ReviewStatus>.Parse(row.ReviewStatus),
        ReviewedAt = UnixTime.FromMilliseconds(row.ReviewedAt),
        ReviewedBy = row.ReviewedBy,
    };

    /// <summary>A row as SQLite returns it (integers are 64-bit).</summary>
    private sealed class ImageRow
    {
        public string Id { get; init; } = "";
        public string OrderId { get; init; } = "";
        public long Slot { get; init; }
        public string Prompt { get; init; } = "";
        public string? NegativePrompt { get; init; }
        public string Parameters { get; init; } = "";
        public string Provider { get; init; } = "";
        public string Model { get; init; } = "";
        public long? Seed { get; init; }
        public long CreatedAt { get; init; }
        public long GenerationMs { get; init; }
        public string Path { get; init; } = "";
        public string Sha256 { get; init; } = "";
        public long Width { get; init; }
        public long Height { get; init; }
        public long Iteration { get; init; } = 1;
        public long Candidate { get; init; }
        public string? Evaluation { get; init; }
        public string? ResponseId { get; init; }
        public string? ParentId { get; init; }
        public string? Derivation { get; init; }
        public string ReviewStatus { get; init; } = "unreviewed";
        public long? ReviewedAt { get; init; }
        public string? ReviewedBy { get; init; }
    }
}
