using Easel.Providers.Http;
using Easel.Providers.Language;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Tests.Language;

public sealed class LanguageModelsTests
{
    private static ProviderConnection Connection(string vendor) => new() { Vendor = vendor, BaseUrl = new Uri("http://127.0.0.1:9/") };

    [Theory]
    [InlineData("openai", typeof(OpenAIChatModel), "gpt-4o")]
    [InlineData("Anthropic", typeof(AnthropicModel), "claude-sonnet-4-5")]
    [InlineData("gemini", typeof(GeminiModel), "gemini-2.5-flash")]
    [InlineData(" ollama ", typeof(OllamaModel), "llava")]
    public void Creates_each_vendor_with_its_documented_default_model(string name, Type type, string model)
    {
        var created = LanguageModels.Create(name, Connection("X"), null);
        created.ShouldBeOfType(type);
        created.Model.ShouldBe(model);
        created.Name.ShouldBe(name.Trim().ToLowerInvariant());
        var chat = created.ShouldBeAssignableTo<IChatClient>().ShouldNotBeNull("an agent drives every vendor through IChatClient");
        chat.GetService<ChatClientMetadata>().ShouldNotBeNull().DefaultModelId.ShouldBe(model);
        chat.Dispose();
    }

    [Fact]
    public void A_configured_model_replaces_the_default()
    {
        using var created = (IDisposable)LanguageModels.Create("gemini", Connection("Gemini"), "models/gemini-2.5-pro");
        ((GeminiModel)created).Model.ShouldBe("gemini-2.5-pro");
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var error = Should.Throw<ArgumentException>(() => LanguageModels.Create("mistral", Connection("Mistral"), null));
        error.Message.ShouldStartWith("There is no language model called \"mistral\"; choose one of openai, anthropic, gemini, ollama, or builtin.");
    }

    [Fact]
    public void Builtin_is_not_a_language_model()
    {
        var error = Should.Throw<ArgumentException>(() => LanguageModels.Create("builtin", Connection("Easel"), null));
        error.Message.ShouldStartWith("\"builtin\" is not a language model");
    }

    [Fact]
    public void Each_vendor_says_where_it_lives_and_which_key_it_needs()
    {
        LanguageModels.All.Select(m => (m.Name, m.Vendor, m.KeyVariable)).ShouldBe(
        [
            ("openai", "OpenAI", "OPENAI_API_KEY"),
            ("anthropic", "Anthropic", "ANTHROPIC_API_KEY"),
            ("gemini", "Gemini", "GEMINI_API_KEY"),
            ("ollama", "Ollama", null),
        ]);
        LanguageModels.Find("OLLAMA").ShouldNotBeNull().DefaultBaseUrl.ShouldBe(new Uri("http://localhost:11434/"));
    }
}
