namespace Easel.Storage;

/// <summary>
/// Where Easel keeps its data: <c>$EASEL_HOME</c>, else <c>$XDG_DATA_HOME/easel</c>, else
/// <c>~/.local/share/easel</c>. Holds <c>easel.db</c>, <c>images/</c> and <c>thumbs/</c>.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "easel.db");

    public string ImagesPath => Path.Combine(Root, "images");

    public string ThumbsPath => Path.Combine(Root, "thumbs");

    /// <summary>Resolves from the process environment.</summary>
    public static DataDirectory Resolve() => Resolve(Environment.GetEnvironmentVariable);

    /// <param name="environment">Looks up an environment variable; null when unset.</param>
    public static DataDirectory Resolve(Func<string, string?> environment) =>
        new(XdgPaths.Resolve(environment, "EASEL_HOME", "XDG_DATA_HOME", Path.Combine(".local", "share")));

    /// <summary>Creates the root, images and thumbs folders if missing.</summary>
    public DataDirectory EnsureCreated()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(ImagesPath);
        Directory.CreateDirectory(ThumbsPath);
        return this;
    }

    public override string ToString() => Root;
}

/// <summary>
/// Where Easel's configuration lives: <c>$EASEL_CONFIG_HOME</c>, else
/// <c>$XDG_CONFIG_HOME/easel</c>, else <c>~/.config/easel</c>. Only resolved; nothing is read yet.
/// </summary>
public sealed class ConfigDirectory
{
    public ConfigDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Root { get; }

    public static ConfigDirectory Resolve() => Resolve(Environment.GetEnvironmentVariable);

    /// <param name="environment">Looks up an environment variable; null when unset.</param>
    public static ConfigDirectory Resolve(Func<string, string?> environment) =>
        new(XdgPaths.Resolve(environment, "EASEL_CONFIG_HOME", "XDG_CONFIG_HOME", ".config"));

    public override string ToString() => Root;
}

internal static class XdgPaths
{
    private const string AppFolder = "easel";

    public static string Resolve(Func<string, string?> environment, string easelVariable, string xdgVariable, string homeRelativeDefault)
    {
        ArgumentNullException.ThrowIfNull(environment);

        // Easel's own variable is the user's explicit choice: "~/x" and relative paths are honoured.
        if (environment(easelVariable) is { Length: > 0 } easel && !string.IsNullOrWhiteSpace(easel))
            return Path.GetFullPath(ExpandTilde(easel, environment));

        // The XDG spec says to ignore empty or relative values.
        if (environment(xdgVariable) is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg))
            return Path.Combine(xdg, AppFolder);

        return Path.Combine(Home(environment), homeRelativeDefault, AppFolder);
    }

    private static string ExpandTilde(string path, Func<string, string?> environment)
    {
        if (path == "~")
            return Home(environment);
        if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
            return Path.Combine(Home(environment), path[2..]);
        return path;
    }

    private static string Home(Func<string, string?> environment)
    {
        if (environment("HOME") is { Length: > 0 } home && Path.IsPathFullyQualified(home))
            return home;
        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (profile.Length > 0)
            return profile;
        throw new InvalidOperationException("Cannot find the home directory: set HOME or EASEL_HOME.");
    }
}
