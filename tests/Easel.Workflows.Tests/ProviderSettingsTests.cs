using Easel.Core.Generation;
using Easel.Providers;
using Easel.Storage;
using Easel.Workflows.Configuration;

namespace Easel.Workflows.Tests;

/// <summary>How an installation configures vendors: keys, addresses, models, timeouts, language roles.</summary>
public sealed class ProviderSettingsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "easel-provider-settings-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private string ConfigPath => Path.Combine(_root, "config.json");

    private EaselSettings Load(string? json, params (string Name, string Value)[] environment)
    {
        Directory.CreateDirectory(_root);
        if (json is not null)
            File.WriteAllText(ConfigPath, json);
        return EaselSettings.Load(new ConfigDirectory(_root), environment.Select(v => KeyValuePair.Create(v.Name, v.Value)));
    }

    [Fact]
    public void Reads_key_address_model_and_timeout_per_provider()
    {
        var settings = Load("""
            { "Providers": { "openai": { "ApiKey": "sk-file", "BaseUrl": "http://127.0.0.1:9000/", "Model": "gpt-image-2", "Timeout": "10m", "Concurrency": 2 },
                             "comfyui": { "BaseUrl": "http://127.0.0.1:8188", "Workflow": "/srv/flux.json" } } }
            """);
        var openai = settings.Connections["OPENAI"];
        openai.ApiKey.ShouldBe("sk-file");
        openai.ApiKeySource.ShouldBe($"Providers:openai:ApiKey in {ConfigPath}");
        openai.BaseUrl.ShouldBe(new Uri("http://127.0.0.1:9000/"));
        openai.Model.ShouldBe("gpt-image-2");
        openai.Timeout.ShouldBe(TimeSpan.FromMinutes(10));
        settings.Providers["openai"].Concurrency.ShouldBe(2);
        settings.Connections["comfyui"].Workflow.ShouldBe("/srv/flux.json");
    }

    [Fact]
    public void The_vendors_usual_key_variables_fill_in_and_explicit_settings_win()
    {
        var settings = Load(null, ("OPENAI_API_KEY", "sk-env"), ("GEMINI_API_KEY", "g-env"), ("EASEL_Providers__gemini__ApiKey", "g-easel"), ("REPLICATE_API_TOKEN", "r8\r\n"));
        settings.Connections["openai"].ApiKey.ShouldBe("sk-env");
        settings.Connections["openai"].ApiKeySource.ShouldBe("OPENAI_API_KEY");
        settings.Connections["openai-responses"].ApiKey.ShouldBe("sk-env", "one OpenAI key serves both OpenAI providers");
        settings.Connections["gemini"].ApiKey.ShouldBe("g-easel");
        settings.Connections["gemini"].ApiKeySource.ShouldBe("EASEL_Providers__gemini__ApiKey");
        settings.Connections["imagen"].ApiKey.ShouldBe("g-env");
        settings.Connections["replicate"].ApiKey.ShouldBe("r8");
        settings.Connections.ContainsKey("stability").ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{ "Providers": { "openai": { "Concurency": 2 } } }""", "Providers:openai:Concurency in", "is not a setting; a provider's settings are Concurrency, ImagesPerMinute, ApiKey, BaseUrl, Model, Timeout, Workflow.")]
    [InlineData("""{ "Providers": { "openai": { "BaseUrl": "ftp://x" } } }""", "Providers:openai:BaseUrl in", "must be an http(s) URL such as http://127.0.0.1:7860; got \"ftp://x\".")]
    [InlineData("""{ "Providers": { "openai": { "Timeout": "soon" } } }""", "Providers:openai:Timeout in", "must be a duration such as 300s or 10m, at most 1d; got \"soon\".")]
    [InlineData("""{ "Language": { "Evaluator": { "Provider": "openai", "Temperature": 1 } } }""", "Language:Evaluator:Temperature in", "is not a setting; a language role has Provider and Model.")]
    [InlineData("""{ "Providers": { "ollama": { "BaseUrl": "http://me:secret@127.0.0.1:11434" } } }""", "Providers:ollama:BaseUrl in", "must not carry a user name or password; put credentials in the provider's ApiKey.")]
    [InlineData("""{ "Providers": { "openai": { "Timeout": "100d" } } }""", "Providers:openai:Timeout in", "must be a duration such as 300s or 10m, at most 1d; got \"100d\".")]
    [InlineData("""{ "Language": { "Evaluater": { "Provider": "openai" } } }""", "Language:Evaluater in", "is not a setting; Language has Evaluator, Prompter, Agent.")]
    [InlineData("""{ "Language": { "Evaluator": { "Model": "gpt-4o" } } }""", "Language:Evaluator:Model", "names a model but Language:Evaluator:Provider names no language model; set it (openai, anthropic, gemini, ollama).")]
    public void A_bad_provider_setting_names_the_key_and_the_file(string json, string where, string problem)
    {
        var message = Should.Throw<ConfigurationException>(() => Load(json)).Message;
        message.ShouldStartWith(where);
        message.ShouldEndWith(problem);
    }

    [Fact]
    public void Language_roles_default_to_the_built_in_rules()
    {
        var none = Load(null);
        none.Evaluator.ShouldBe(new LanguageRole(null, null));
        var set = Load("""{ "Language": { "Evaluator": { "Provider": "anthropic", "Model": "claude-x" }, "Prompter": { "Provider": "builtin" } } }""");
        set.Evaluator.ShouldBe(new LanguageRole("anthropic", "claude-x"));
        set.Prompter.ShouldBe(new LanguageRole(null, null));
    }

    [Fact]
    public void The_catalog_makes_configured_vendors_usable_and_says_what_the_others_need()
    {
        var settings = Load(null, ("OPENAI_API_KEY", "sk-env"));
        var statuses = ProviderCatalog.Describe(settings.Connections, TimeProvider.System);
        var registry = ProviderCatalog.Registry(statuses);
        registry.TryGet("sketch", out _).ShouldBeTrue();
        registry.TryGet("openai", out var openai).ShouldBeTrue();
        openai.Capabilities.Model.ShouldBe("gpt-image-1.5");
        registry.TryGetUpscaler("builtin", out _).ShouldBeTrue();

        var without = ProviderCatalog.Describe(Load(null).Connections, TimeProvider.System);
        without.Single(s => s.Definition.Name == "openai" && s.Definition.Kind == ProviderKind.Image).Problem.ShouldBe("set OPENAI_API_KEY or Providers:openai:ApiKey");
        ProviderCatalog.Registry(without).TryGet("openai", out _).ShouldBeFalse();
    }

    [Fact]
    public void Every_vendor_has_its_real_address_and_local_servers_need_theirs()
    {
        foreach (var definition in ProviderCatalog.Definitions.Where(d => d.KeyVariable is not null))
            definition.DefaultBaseUrl.ShouldNotBeNull(definition.Name).Scheme.ShouldBe("https", definition.Name);
        ProviderCatalog.Definitions.Single(d => d.Name == "gemini" && d.Kind == ProviderKind.Image).DefaultBaseUrl
            .ShouldBe(new Uri("https://generativelanguage.googleapis.com/"));
        ProviderCatalog.Definitions.Single(d => d.Name == "stability-creative").DefaultBaseUrl.ShouldBe(new Uri("https://api.stability.ai/"));
        ProviderCatalog.Definitions.Single(d => d.Name == "automatic1111").NeedsSetup(new ProviderSettings())
            .ShouldBe("set Providers:automatic1111:BaseUrl (e.g. http://127.0.0.1:7860)");
    }
}
