using Microsoft.Data.Sqlite;

namespace Easel.Storage.Sqlite;

internal static class SqliteErrors
{
    // Extended result codes (https://sqlite.org/rescode.html).
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintUnique = 2067;
    private const int ConstraintForeignKey = 787;

    public static bool IsDuplicateKey(SqliteException e) =>
        e.SqliteExtendedErrorCode is ConstraintPrimaryKey or ConstraintUnique;

    public static bool IsForeignKeyViolation(SqliteException e) =>
        e.SqliteExtendedErrorCode == ConstraintForeignKey;
}
