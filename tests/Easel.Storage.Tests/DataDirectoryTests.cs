namespace Easel.Storage.Tests;

public sealed class DataDirectoryTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        map.TryAdd("HOME", "/home/ada");
        return name => map.GetValueOrDefault(name);
    }

    [Fact]
    public void Easel_home_wins_over_xdg_and_home()
    {
        var data = DataDirectory.Resolve(Env(("EASEL_HOME", "/srv/easel"), ("XDG_DATA_HOME", "/xdg/data")));

        data.Root.ShouldBe("/srv/easel");
        data.DatabasePath.ShouldBe("/srv/easel/easel.db");
        data.ImagesPath.ShouldBe("/srv/easel/images");
        data.ThumbsPath.ShouldBe("/srv/easel/thumbs");
    }

    [Fact]
    public void Xdg_data_home_is_used_when_easel_home_is_unset_or_empty()
    {
        DataDirectory.Resolve(Env(("XDG_DATA_HOME", "/xdg/data"))).Root.ShouldBe("/xdg/data/easel");
        DataDirectory.Resolve(Env(("EASEL_HOME", ""), ("XDG_DATA_HOME", "/xdg/data"))).Root.ShouldBe("/xdg/data/easel");
    }

    [Fact]
    public void The_home_default_applies_when_neither_is_set_or_xdg_is_relative()
    {
        DataDirectory.Resolve(Env()).Root.ShouldBe("/home/ada/.local/share/easel");
        DataDirectory.Resolve(Env(("XDG_DATA_HOME", ""))).Root.ShouldBe("/home/ada/.local/share/easel");
        // The XDG spec: relative values are invalid and ignored.
        DataDirectory.Resolve(Env(("XDG_DATA_HOME", "relative/data"))).Root.ShouldBe("/home/ada/.local/share/easel");
    }

    [Fact]
    public void Easel_home_may_start_with_a_tilde_or_be_relative()
    {
        DataDirectory.Resolve(Env(("EASEL_HOME", "~/pictures/easel/"))).Root.ShouldBe("/home/ada/pictures/easel");
        DataDirectory.Resolve(Env(("EASEL_HOME", "rel"))).Root.ShouldBe(Path.Combine(Environment.CurrentDirectory, "rel"));
    }

    [Fact]
    public void Config_directory_follows_the_same_order()
    {
        ConfigDirectory.Resolve(Env(("EASEL_CONFIG_HOME", "/etc/easel"), ("XDG_CONFIG_HOME", "/xdg/config"))).Root.ShouldBe("/etc/easel");
        ConfigDirectory.Resolve(Env(("XDG_CONFIG_HOME", "/xdg/config"))).Root.ShouldBe("/xdg/config/easel");
        ConfigDirectory.Resolve(Env()).Root.ShouldBe("/home/ada/.config/easel");
        // Data settings do not leak into config resolution.
        ConfigDirectory.Resolve(Env(("EASEL_HOME", "/srv/easel"))).Root.ShouldBe("/home/ada/.config/easel");
    }

    [Fact]
    public void Ensure_created_makes_the_folders_and_is_repeatable()
    {
        using var temp = new TempDirectory();
        var data = new DataDirectory(temp.Combine("a", "b"));
        Directory.Exists(data.Root).ShouldBeFalse();

        data.EnsureCreated().EnsureCreated();

        Directory.Exists(data.ImagesPath).ShouldBeTrue();
        Directory.Exists(data.ThumbsPath).ShouldBeTrue();
    }
}
