using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Providers.Sketch;
using Easel.Storage;

namespace Easel.Cli;

/// <summary>
/// What commands need, created on first use so that `--help` and usage errors never touch the
/// data directory.
/// </summary>
internal sealed class EaselServices(Func<string, string?> environment, TimeProvider time) : IDisposable
{
    private EaselStore? _store;

    public TimeProvider Time => time;

    public DataDirectory Data { get; } = DataDirectory.Resolve(environment);

    public ProviderRegistry Providers { get; } = new([new SketchImageProvider()]);

    public EaselStore Store => _store ??= OpenStore();

    public OrderRunner CreateOrderRunner() => new(Providers, Store.Orders, Store.Images, Store.Blobs, time);

    private EaselStore OpenStore()
    {
        try
        {
            return EaselStore.Open(Data);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot use the data directory {Data.Root} (set EASEL_HOME to choose another): {ex.Message}", ex);
        }
    }

    public void Dispose() => _store?.Dispose();
}
