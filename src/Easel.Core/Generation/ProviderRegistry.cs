namespace Easel.Core.Generation;

/// <summary>The image providers this installation knows, by name.</summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, IImageProvider> _providers = new(StringComparer.OrdinalIgnoreCase);

    public ProviderRegistry(IEnumerable<IImageProvider> providers)
    {
        foreach (var provider in providers)
            _providers.Add(provider.Name, provider);
    }

    /// <summary>Name used when the user does not choose one.</summary>
    public const string DefaultProvider = "sketch";

    public IReadOnlyCollection<string> Names => _providers.Keys;

    public bool TryGet(string name, out IImageProvider provider) => _providers.TryGetValue(name, out provider!);
}
