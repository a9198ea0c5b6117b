using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Language;

public sealed class OllamaModelTests : LanguageModelConformance
{
    internal override async Task<ILanguageFake> StartFakeAsync() => await OllamaFake.StartAsync();

    protected override ILanguageModel CreateModel(ProviderConnection connection) => new OllamaModel(connection, "llava");

    protected override string Vendor => "Ollama";

    private OllamaModel Local(string? model) =>
        new(new ProviderConnection { Vendor = Vendor, BaseUrl = Fake.Server.BaseUrl, Time = Time }, model);

    [Fact]
    public async Task Sends_the_documented_chat_request_with_raw_base64_images_and_the_schema_as_format()
    {
        await Model().GenerateJsonAsync(Request(), Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path).ShouldBe(("POST", "/api/chat"));
        sent.Header("authorization").ShouldBeNull();
        var body = JsonNode.Parse(sent.Body)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["model", "messages", "format", "stream", "options"]);
        body["model"]!.GetValue<string>().ShouldBe("llava");
        var messages = body["messages"]!.AsArray();
        messages.Count.ShouldBe(2);
        messages[0]!["role"]!.GetValue<string>().ShouldBe("system");
        messages[0]!["content"]!.GetValue<string>().ShouldBe(
            "You judge images. Answer in JSON.\n\nAnswer with one JSON object that follows this JSON Schema:\n" + JsonNode.Parse(VerdictSchema.Json)!.ToJsonString());
        messages[0]!["images"].ShouldBeNull();
        JsonNode.DeepEquals(messages[1], JsonNode.Parse($$"""
            {"role":"user","content":"The user asked for: \"a red fox in the snow\".","images":["{{Convert.ToBase64String(Image)}}"]}
            """)).ShouldBeTrue(messages[1]!.ToJsonString());
        JsonNode.DeepEquals(body["format"], JsonNode.Parse(VerdictSchema.Json)).ShouldBeTrue();
        body["stream"]!.GetValue<bool>().ShouldBeFalse();
        body["options"]!["temperature"]!.GetValue<double>().ShouldBe(0);
    }

    [Fact]
    public async Task Works_without_any_key()
    {
        using var model = Local(null);
        model.Model.ShouldBe("llava");
        var reply = await model.GenerateJsonAsync(Request(), Ct);
        reply.Usage.ShouldBe(new ModelUsage(612, 84));
        reply.Model.ShouldBe("llava");
    }

    [Fact]
    public async Task A_model_not_pulled_says_how_to_pull_it_and_is_not_retried()
    {
        using var model = Local("qwen2.5vl:7b");
        var error = await Should.ThrowAsync<ProviderException>(() => model.GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.NotFound);
        error.Message.ShouldBe("Ollama does not have the model qwen2.5vl:7b: run \"ollama pull qwen2.5vl:7b\" where Ollama runs, or choose another model (model \"qwen2.5vl:7b\" not found, try pulling it first).");
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_tagged_model_is_sent_as_written()
    {
        using var model = Local("llama3.2-vision:11b");
        await model.GenerateJsonAsync(Request(), Ct);
        Fake.Calls.ShouldHaveSingleItem().Model.ShouldBe("llama3.2-vision:11b");
    }

    [Fact]
    public async Task A_server_that_is_not_running_reads_as_unreachable()
    {
        var port = Fake.Server.BaseUrl.Port;
        await Fake.DisposeAsync();
        using var model = new OllamaModel(new ProviderConnection
        {
            Vendor = Vendor, BaseUrl = new Uri($"http://127.0.0.1:{port}/"), Time = Time, Retry = new RetryOptions { MaxRetries = 0 },
        });
        var error = await Should.ThrowAsync<ProviderException>(() => model.GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unavailable);
        error.Message.ShouldStartWith($"Ollama could not be reached at http://127.0.0.1:{port}");
    }

    [Fact]
    public async Task A_runner_crash_is_a_server_error_with_ollamas_words()
    {
        for (var i = 0; i < 4; i++)
            Fake.Next(Conformance.FakeScenario.ServerError);
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Message.ShouldBe("Ollama failed with a server error (500): llama runner process has terminated: exit status 2.");
    }
}
