using Easel.Storage;
using Easel.Workflows.Configuration;

namespace Easel.Workflows.Tests;

public sealed class EaselSettingsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "easel-settings-tests", Guid.NewGuid().ToString("N"));

    private ConfigDirectory Config => new(_root);

    private string ConfigPath => Path.Combine(_root, "config.json");

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private void WriteConfig(string json)
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(ConfigPath, json);
    }

    private EaselSettings Load(params (string Name, string Value)[] environment) =>
        EaselSettings.Load(Config, environment.Select(v => KeyValuePair.Create(v.Name, v.Value)));

    private string LoadFails(params (string Name, string Value)[] environment) =>
        Should.Throw<ConfigurationException>(() => Load(environment)).Message;

    [Fact]
    public void Defaults_apply_when_the_folder_does_not_exist()
    {
        var settings = Load(("HOME", "/home/ada"), ("EASEL_HOME", "/srv/easel"));

        settings.ConfigFile.ShouldBeNull();
        settings.Approval.MaxImagesWithoutApproval.ShouldBe(4);
        settings.Approval.MaxCostWithoutApproval.ShouldBe(1.00m);
        settings.Approval.Timeout.ShouldBe(TimeSpan.FromHours(24));
        settings.Providers.ShouldBeEmpty();
    }

    [Fact]
    public void Defaults_apply_when_the_folder_has_no_config_file_or_an_empty_one()
    {
        Directory.CreateDirectory(_root);
        Load().ConfigFile.ShouldBeNull();

        WriteConfig("  \n");
        var settings = Load();
        settings.ConfigFile.ShouldBe(ConfigPath);
        settings.Approval.MaxImagesWithoutApproval.ShouldBe(4);
    }

    [Fact]
    public void Reads_the_file_with_comments_trailing_commas_and_unknown_sections()
    {
        WriteConfig("""
            {
              // Ask before anything big.
              "Approval": { "MaxImagesWithoutApproval": 10, "MaxCostWithoutApproval": 2.50, "Timeout": "2d", },
              "Providers": { "sketch": { "Concurrency": 2, "ImagesPerMinute": 30, "Model": "any" } },
              "Gallery": { "Anything": true },
            }
            """);

        var settings = Load();

        settings.ConfigFile.ShouldBe(ConfigPath);
        settings.Approval.MaxImagesWithoutApproval.ShouldBe(10);
        settings.Approval.MaxCostWithoutApproval.ShouldBe(2.50m);
        settings.Approval.Timeout.ShouldBe(TimeSpan.FromDays(2));
        settings.Providers["sketch"].Concurrency.ShouldBe(2);
        settings.Providers["sketch"].ImagesPerMinute.ShouldBe(30);
    }

    [Fact]
    public void Environment_overrides_the_file_setting_by_setting()
    {
        WriteConfig("""{ "Approval": { "MaxImagesWithoutApproval": 10, "Timeout": "2d" }, "Providers": { "sketch": { "Concurrency": 2 } } }""");

        var settings = Load(
            ("EASEL_Approval__MaxImagesWithoutApproval", "20"),
            ("EASEL_APPROVAL__MAXCOSTWITHOUTAPPROVAL", "0.25"),
            ("EASEL_Providers__SKETCH__ImagesPerMinute", "12"),
            ("OTHER_Approval__Timeout", "1s"));

        settings.Approval.MaxImagesWithoutApproval.ShouldBe(20);
        settings.Approval.MaxCostWithoutApproval.ShouldBe(0.25m);
        settings.Approval.Timeout.ShouldBe(TimeSpan.FromDays(2));
        settings.Providers["sketch"].Concurrency.ShouldBe(2);
        settings.Providers["sketch"].ImagesPerMinute.ShouldBe(12);
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("00:05:00", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.00:00:00", 86_400)]
    public void Timeout_accepts_both_duration_forms(string text, int seconds)
    {
        WriteConfig($$"""{ "Approval": { "Timeout": "{{text}}" } }""");
        Load().Approval.Timeout.ShouldBe(TimeSpan.FromSeconds(seconds));
        Load(("EASEL_Approval__Timeout", text)).Approval.Timeout.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void Provider_names_are_case_insensitive_and_unset_limits_stay_null()
    {
        WriteConfig("""{ "Providers": { "OpenAI": { "Concurrency": 4 }, "sketch": {} } }""");

        var settings = Load(("EASEL_Providers__openai__ImagesPerMinute", "50"), ("EASEL_Providers__replicate__Concurrency", "3"));

        settings.Providers["openai"].Concurrency.ShouldBe(4);
        settings.Providers["OPENAI"].ImagesPerMinute.ShouldBe(50);
        settings.Providers["Replicate"].Concurrency.ShouldBe(3);
        settings.Providers["Replicate"].ImagesPerMinute.ShouldBeNull();
        settings.Providers["sketch"].Concurrency.ShouldBeNull();
        settings.Providers.ContainsKey("stability").ShouldBeFalse();
    }

    [Fact]
    public void Json_null_leaves_the_default()
    {
        WriteConfig("""{ "Approval": { "Timeout": null } }""");
        Load().Approval.Timeout.ShouldBe(TimeSpan.FromHours(24));
    }

    [Fact]
    public void A_bad_number_in_the_file_names_the_key_the_file_and_the_value()
    {
        WriteConfig("""{ "Approval": { "MaxImagesWithoutApproval": "many" } }""");
        LoadFails().ShouldBe($"Approval:MaxImagesWithoutApproval in {ConfigPath} must be a whole number; got \"many\".");
    }

    [Theory]
    [InlineData("EASEL_Approval__MaxImagesWithoutApproval", "2.5", "EASEL_Approval__MaxImagesWithoutApproval must be a whole number; got \"2.5\".")]
    [InlineData("EASEL_Approval__MaxImagesWithoutApproval", "99999999999", "EASEL_Approval__MaxImagesWithoutApproval must be a whole number; got \"99999999999\".")]
    [InlineData("EASEL_Approval__MaxCostWithoutApproval", "1,50", "EASEL_Approval__MaxCostWithoutApproval must be an amount in US dollars with a decimal point, e.g. 1.50; got \"1,50\".")]
    [InlineData("EASEL_Approval__Timeout", "5x", "EASEL_Approval__Timeout: '5x' is not a duration; use a number and a unit, e.g. 90s, 5m, 24h, 2d.")]
    [InlineData("EASEL_Approval__Timeout", "0s", "EASEL_Approval__Timeout: '0s' is zero; a duration must be more than zero.")]
    [InlineData("EASEL_Approval__Timeout", "-5m", "EASEL_Approval__Timeout: '-5m' is negative;")]
    [InlineData("EASEL_Approval__Timeout", "", "EASEL_Approval__Timeout: '' is not a duration;")]
    [InlineData("EASEL_Approval__Timeout", "400d", "EASEL_Approval__Timeout must be more than 0 and at most 366 days; got 400.00:00:00.")]
    [InlineData("EASEL_Approval__MaxImagesWithoutApproval", "-1", "EASEL_Approval__MaxImagesWithoutApproval must be 0 or more; got -1.")]
    [InlineData("EASEL_Approval__MaxCostWithoutApproval", "-0.01", "EASEL_Approval__MaxCostWithoutApproval must be 0 or more; got -0.01.")]
    [InlineData("EASEL_Providers__sketch__Concurrency", "0", "EASEL_Providers__sketch__Concurrency must be between 1 and 64; got 0.")]
    [InlineData("EASEL_Providers__sketch__ImagesPerMinute", "lots", "EASEL_Providers__sketch__ImagesPerMinute must be a whole number; got \"lots\".")]
    [InlineData("EASEL_Approval__Timout", "5m", "EASEL_Approval__Timout is not a setting; the settings in Approval are MaxImagesWithoutApproval, MaxCostWithoutApproval, Timeout.")]
    [InlineData("EASEL_Approval", "yes", "EASEL_Approval must be a section of settings; got \"yes\".")]
    [InlineData("EASEL_Providers__sketch", "fast", "EASEL_Providers__sketch must be a section of settings; got \"fast\".")]
    public void A_bad_environment_variable_is_named_with_its_value(string name, string value, string message)
    {
        var error = LoadFails((name, value));
        if (message.EndsWith('.'))
            error.ShouldBe(message);
        else
            error.ShouldStartWith(message);
    }

    [Fact]
    public void Validation_failures_name_the_file_when_the_file_set_the_value()
    {
        WriteConfig("""{ "Approval": { "Timeout": "00:00:00" }, "Providers": { "Sketch": { "ImagesPerMinute": 0 } } }""");
        LoadFails().ShouldBe($"Approval:Timeout in {ConfigPath}: '00:00:00' is zero; a duration must be more than zero.");

        WriteConfig("""{ "Providers": { "Sketch": { "ImagesPerMinute": 0 } } }""");
        LoadFails().ShouldBe($"Providers:Sketch:ImagesPerMinute in {ConfigPath} must be between 1 and 100000; got 0.");
    }

    [Fact]
    public void An_unknown_approval_key_in_the_file_lists_the_known_ones()
    {
        WriteConfig("""{ "Approval": { "MaxImages": 10 } }""");
        LoadFails().ShouldBe(
            $"Approval:MaxImages in {ConfigPath} is not a setting; the settings in Approval are MaxImagesWithoutApproval, MaxCostWithoutApproval, Timeout.");
    }

    [Fact]
    public void A_section_where_a_value_belongs_is_refused()
    {
        WriteConfig("""{ "Approval": { "Timeout": { "Hours": 5 } } }""");
        LoadFails().ShouldBe($"Approval:Timeout in {ConfigPath} must be a single value, not a section.");
    }

    [Theory]
    [InlineData("{\n  \"Approval\": {\n    x: 1\n  }\n}", "is not valid JSON (line 3): 'x' is an invalid start of a property name.")]
    [InlineData("{ \"Approval\": { \"Timeout\": \"5m\" }", "is not valid JSON (line 1):")]
    [InlineData("[1, 2]", "is not valid JSON: Top-level JSON element must be an object.")]
    [InlineData("{ \"Approval\": { \"Timeout\": \"5m\", \"timeout\": \"6m\" } }", "is not valid JSON: A duplicate key 'Approval:timeout' was found.")]
    public void Invalid_json_names_the_file_and_the_line(string json, string message)
    {
        WriteConfig(json);
        LoadFails().ShouldStartWith($"{ConfigPath} {message}");
    }

    [Fact]
    public void A_config_path_that_is_a_folder_is_refused()
    {
        Directory.CreateDirectory(ConfigPath);
        LoadFails().ShouldBe($"{ConfigPath} is a folder; the configuration must be a JSON file.");
    }

    [Fact]
    public void A_broken_link_as_config_file_is_refused()
    {
        Directory.CreateDirectory(_root);
        var target = Path.Combine(_root, "missing", "target.json");
        File.CreateSymbolicLink(ConfigPath, target);
        LoadFails().ShouldBe($"Cannot read {ConfigPath}: it links to {target}, which does not exist.");
    }

    [Fact]
    public void An_unreadable_config_file_is_refused_with_the_reason()
    {
        WriteConfig("{}");
        if (OperatingSystem.IsWindows())
            Assert.Skip("Unix permissions only.");
        else
            File.SetUnixFileMode(ConfigPath, UnixFileMode.None);
        Assert.SkipWhen(CanRead(ConfigPath), "Running as root: permissions do not stop reading.");

        LoadFails().ShouldStartWith($"Cannot read {ConfigPath}: Access to the path");

        static bool CanRead(string path)
        {
            try
            {
                File.ReadAllBytes(path);
                return true;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
