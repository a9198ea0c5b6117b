using Easel.Storage;

namespace Easel.Workflows;

/// <summary>
/// At most one process per data directory runs the order worker. SQLite cannot host a Quartz
/// cluster, and a second scheduler starting on the same tables would treat the first one's
/// running jobs as crashed and run them again. An exclusive lock on a file is released by the
/// operating system when its process ends, however it ends (SIGKILL included).
/// </summary>
public sealed class WorkerLease : IDisposable
{
    private readonly FileStream _lock;

    private WorkerLease(FileStream @lock) => _lock = @lock;

    /// <summary>Takes the lease, or returns null when another process holds it.</summary>
    public static WorkerLease? TryAcquire(DataDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        directory.EnsureCreated();
        var path = Path.Combine(directory.Root, "worker.lock");
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix.
            return new WorkerLease(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    public void Dispose() => _lock.Dispose();
}
