using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers;
using Easel.Providers.Mcp;
using Easel.Storage;
using Easel.Workflows.Configuration;

namespace Easel.Workflows.Tests;

/// <summary>
/// <c>McpProviders:NAME</c>: image tools of other MCP servers configured as providers, with every
/// bad key or value named with where it came from, and names that cannot be confused with Easel's own.
/// </summary>
public sealed class McpProviderSettingsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "easel-mcp-settings-tests", Guid.NewGuid().ToString("N"));

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

    private const string Flux = """
        {
          // Comments and trailing commas are fine, as everywhere in config.json.
          "McpProviders": {
            "Flux": {
              "Command": "npx",
              "Arguments": ["-y", "flux-mcp-server", "--stdio"],
              "Environment": { "FLUX_API_KEY": "fx-secret-0123456789" },
              "WorkingDirectory": "/srv/flux",
              "Tool": "generate_image",
              "ToolArguments": { "prompt": "{prompt}", "seed": "{seed}", "size": "{width}x{height}", "steps": 4, "safe": false, "extra": { "lora": ["a", "b"] }, "unused": null },
              "ImagesPerCall": 4,
              "Timeout": "10m",
              "CostPerImage": 0.003,
            },
          },
          "Providers": { "flux": { "Concurrency": 3, "ImagesPerMinute": 30 } },
        }
        """;

    [Fact]
    public void Reads_an_mcp_provider_with_its_arguments_in_their_json_types()
    {
        var settings = Load(Flux);

        var flux = settings.McpProviders["FLUX"];
        flux.Name.ShouldBe("flux", "the name users type is lower case, whatever the file says");
        flux.Command.ShouldBe("npx");
        flux.Arguments.ShouldBe(["-y", "flux-mcp-server", "--stdio"]);
        flux.Environment.ShouldBe(new Dictionary<string, string> { ["FLUX_API_KEY"] = "fx-secret-0123456789" });
        flux.WorkingDirectory.ShouldBe("/srv/flux");
        flux.Tool.ShouldBe("generate_image");
        flux.ImagesPerCall.ShouldBe(4);
        flux.Timeout.ShouldBe(TimeSpan.FromMinutes(10));
        flux.CostPerImage.ShouldBe(0.003m);
        var arguments = flux.ToolArguments;
        arguments["prompt"].GetString().ShouldBe("{prompt}");
        arguments["size"].GetString().ShouldBe("{width}x{height}");
        arguments["steps"].ValueKind.ShouldBe(JsonValueKind.Number);
        arguments["steps"].GetInt32().ShouldBe(4);
        arguments["safe"].ValueKind.ShouldBe(JsonValueKind.False);
        arguments["extra"].GetRawText().ShouldBe("""{ "lora": ["a", "b"] }""");
        arguments["unused"].ValueKind.ShouldBe(JsonValueKind.Null);
        settings.Providers["flux"].Concurrency.ShouldBe(3, "limits stay in Providers:NAME like every provider's");
        settings.Providers["flux"].ImagesPerMinute.ShouldBe(30);
    }

    [Fact]
    public void Environment_variables_set_and_override_mcp_settings_as_text()
    {
        var settings = Load(Flux,
            ("EASEL_McpProviders__flux__Command", "uvx"),
            ("EASEL_McpProviders__flux__ToolArguments__prompt", "{prompt}, photo"),
            ("EASEL_McpProviders__flux__ToolArguments__steps", "8"),
            ("EASEL_McpProviders__local__Command", "/opt/sd/server"),
            ("EASEL_McpProviders__local__Tool", "txt2img"),
            ("EASEL_McpProviders__local__Arguments__0", "--port"),
            ("EASEL_McpProviders__local__Arguments__1", "0"));

        var flux = settings.McpProviders["flux"];
        flux.Command.ShouldBe("uvx");
        flux.ToolArguments["prompt"].GetString().ShouldBe("{prompt}, photo");
        flux.ToolArguments["steps"].GetString().ShouldBe("8", "a variable holds text: typed constants belong in config.json");
        flux.ToolArguments["safe"].ValueKind.ShouldBe(JsonValueKind.False);
        var local = settings.McpProviders["local"];
        local.Arguments.ShouldBe(["--port", "0"]);
        local.ImagesPerCall.ShouldBe(1);
        local.Timeout.ShouldBe(TimeSpan.FromMinutes(5));
        local.CostPerImage.ShouldBe(0m);
        local.ToolArguments.ShouldBeEmpty();
    }

    [Fact]
    public void Without_the_section_there_are_none()
    {
        Load(null).McpProviders.ShouldBeEmpty();
        Load("""{ "McpProviders": {} }""").McpProviders.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "Comand": "x" } } }""", "McpProviders:flux:Comand in",
        "is not a setting; an MCP provider's settings are Command, Arguments, Environment, WorkingDirectory, Tool, ToolArguments, ImagesPerCall, Timeout, CostPerImage.")]
    [InlineData("""{ "McpProviders": { "flux": { "Tool": "t" } } }""", "McpProviders:flux:Command in",
        "is missing; an MCP provider needs the command that starts its server, e.g. \"npx\" or \"uvx\".")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": " " } } }""", "McpProviders:flux:Tool in",
        "is missing; an MCP provider needs the name of the server's tool that makes images.")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "ImagesPerCall": 11 } } }""", "McpProviders:flux:ImagesPerCall in",
        "must be between 1 and 10; got 11.")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "ImagesPerCall": "four" } } }""", "McpProviders:flux:ImagesPerCall in",
        "must be a whole number; got \"four\".")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "Timeout": "soon" } } }""", "McpProviders:flux:Timeout in",
        "must be a duration such as 300s or 10m, at most 1d; got \"soon\".")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "CostPerImage": -0.5 } } }""", "McpProviders:flux:CostPerImage in",
        "must not be negative; got -0.5.")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "CostPerImage": "1,50" } } }""", "McpProviders:flux:CostPerImage in",
        "must be an amount in US dollars with a decimal point, e.g. 1.50; got \"1,50\".")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "WorkingDirectory": "srv/flux" } } }""", "McpProviders:flux:WorkingDirectory in",
        "must be an absolute folder path; got \"srv/flux\".")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "ToolArguments": { "prompt": "{promt}" } } } }""", "McpProviders:flux:ToolArguments:prompt in",
        "uses {promt}, which is not a placeholder; the placeholders are {prompt}, {negative_prompt}, {width}, {height}, {aspect_ratio}, {seed}, {count}, {style}, {format}.")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "ToolArguments": "{prompt}" } } }""", "McpProviders:flux:ToolArguments in",
        "must be a section of settings; got \"{prompt}\".")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "Environment": { "KEY": { "nested": 1 } } } } }""", "McpProviders:flux:Environment:KEY in",
        "must be a single value, not a section.")]
    [InlineData("""{ "McpProviders": { "flux": { "Command": ["npx"], "Tool": "t" } } }""", "McpProviders:flux:Command in",
        "must be a single value, not a section.")]
    [InlineData("""{ "McpProviders": { "flux mcp": { "Command": "npx", "Tool": "t" } } }""", "McpProviders:flux mcp in",
        "is not a usable provider name; use up to 40 letters, digits, '-' and '_', starting with a letter, e.g. McpProviders:flux.")]
    [InlineData("""{ "McpProviders": { "2flux": { "Command": "npx", "Tool": "t" } } }""", "McpProviders:2flux in",
        "is not a usable provider name; use up to 40 letters, digits, '-' and '_', starting with a letter, e.g. McpProviders:flux.")]
    [InlineData("""{ "McpProviders": "flux" }""", "McpProviders in", "must be a section of settings; got \"flux\".")]
    public void A_bad_setting_names_the_key_and_the_file(string json, string where, string problem)
    {
        var message = Should.Throw<ConfigurationException>(() => Load(json)).Message;
        message.ShouldStartWith(where);
        message.ShouldEndWith(problem);
    }

    [Theory]
    [InlineData("sketch")]
    [InlineData("OpenAI")]
    [InlineData("builtin")]
    [InlineData("anthropic")]
    [InlineData("stability-fast")]
    public void A_name_of_easels_own_providers_is_refused(string name)
    {
        var message = Should.Throw<ConfigurationException>(() => Load($$"""{ "McpProviders": { "{{name}}": { "Command": "npx", "Tool": "t" } } }""")).Message;
        message.ShouldBe($"McpProviders:{name} in {ConfigPath} has the name of Easel's own provider '{name.ToLowerInvariant()}'; give the MCP provider another name, e.g. McpProviders:flux.");
    }

    [Fact]
    public void A_bad_value_from_a_variable_names_the_variable_and_never_an_environment_value()
    {
        var message = Should.Throw<ConfigurationException>(() => Load(Flux, ("EASEL_McpProviders__flux__Timeout", "forever"))).Message;
        message.ShouldBe("EASEL_McpProviders__flux__Timeout must be a duration such as 300s or 10m, at most 1d; got \"forever\".");

        var environment = Should.Throw<ConfigurationException>(() => Load("""{ "McpProviders": { "flux": { "Command": "npx", "Tool": "t", "Environment": { "A=B": "fx-secret-0123456789" } } } }""")).Message;
        environment.ShouldBe($"McpProviders:flux:Environment:A=B in {ConfigPath} must be a variable name (without '=') with a text value.");
    }

    [Fact]
    public void The_catalog_lists_mcp_providers_and_the_registry_can_use_them()
    {
        var settings = Load(Flux);

        var statuses = ProviderCatalog.Describe(settings.Connections, TimeProvider.System, mcpProviders: settings.McpProviders);
        var flux = statuses.Single(s => s.Definition.Name == "flux");
        flux.Configured.ShouldBeTrue();
        flux.Definition.Vendor.ShouldBe(McpImageProvider.Vendor);
        flux.Definition.Kind.ShouldBe(ProviderKind.Image);
        ProviderCatalog.Registry(statuses).TryGet("Flux", out var provider).ShouldBeTrue();
        provider.ShouldBeOfType<McpImageProvider>();
        provider.Capabilities.MaxImagesPerCall.ShouldBe(4);
        provider.Capabilities.SupportsSeed.ShouldBeTrue();
        provider.Capabilities.SupportsNegativePrompt.ShouldBeFalse();
        provider.Capabilities.PricePerImage.ShouldBe(0.003m);
        provider.Capabilities.Model.ShouldBe("generate_image");
        // The catalog made the provider but started nothing: the server starts on the first call.
        ((McpImageProvider)provider).Dispose();
    }
}
