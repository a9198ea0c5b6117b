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

    public EaselStore Store => _store ??= EaselStore.Open(Data);

    public OrderRunner CreateOrderRunner() => new(Providers, Store.Orders, Store.Images, Store.Blobs, time);

    public void Dispose() => _store?.Dispose();
}
