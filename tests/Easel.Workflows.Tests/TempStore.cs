using Easel.Storage;

namespace Easel.Workflows.Tests;

/// <summary>
/// A data directory in a fresh temp folder with an open store on it. More instances on the same
/// directory stand for other processes. Everything is closed and deleted on dispose.
/// </summary>
internal sealed class TempStore : IDisposable
{
    private readonly List<EaselStore> _opened = [];

    public TempStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "easel-workflows-tests", Guid.NewGuid().ToString("N"));
        Data = new DataDirectory(Root);
        Store = OpenAnother();
    }

    public string Root { get; }

    public DataDirectory Data { get; }

    /// <summary>The store this test mostly works through.</summary>
    public EaselStore Store { get; private set; }

    /// <summary>Another store instance on the same directory, as a second process would open it.</summary>
    public EaselStore OpenAnother()
    {
        var store = EaselStore.Open(Data);
        _opened.Add(store);
        return store;
    }

    /// <summary>Closes <see cref="Store"/> and opens a new one, as a later run of Easel would.</summary>
    public EaselStore Reopen()
    {
        Store.Dispose();
        _opened.Remove(Store);
        Store = OpenAnother();
        return Store;
    }

    /// <summary>Every image file below the data directory's images folder.</summary>
    public IReadOnlyList<string> ImageFiles() =>
        Directory.Exists(Data.ImagesPath) ? Directory.GetFiles(Data.ImagesPath, "*", SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        foreach (var store in _opened)
            store.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open elsewhere: the temp folder is cleaned by the system later.
        }
    }
}
