using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Language;

public sealed class AnthropicModelTests : LanguageModelConformance
{
    internal override async Task<ILanguageFake> StartFakeAsync() => await AnthropicFake.StartAsync();

    protected override ILanguageModel CreateModel(ProviderConnection connection) => new AnthropicModel(connection, "claude-sonnet-4-5");

    protected override string Vendor => "Anthropic";

    private static Dictionary<string, string> RequestIdHeader(string id) => new() { ["request-id"] = id };

    [Fact]
    public async Task Sends_the_documented_messages_request_with_a_forced_tool()
    {
        await Model().GenerateJsonAsync(Request(), Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path).ShouldBe(("POST", "/v1/messages"));
        sent.Header("x-api-key").ShouldBe(Key);
        sent.Header("anthropic-version").ShouldBe("2023-06-01");
        sent.Header("authorization").ShouldBeNull();
        var body = JsonNode.Parse(sent.Body)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["model", "max_tokens", "system", "messages", "tools", "tool_choice"]);
        body["model"]!.GetValue<string>().ShouldBe("claude-sonnet-4-5");
        body["max_tokens"]!.GetValue<int>().ShouldBe(AnthropicModel.DefaultMaxTokens);
        body["system"]!.GetValue<string>().ShouldBe("You judge images. Answer in JSON.");
        JsonNode.DeepEquals(body["messages"], JsonNode.Parse($$$"""
            [{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{Convert.ToBase64String(Image)}}}"}},
              {"type":"text","text":"The user asked for: \"a red fox in the snow\"."}
            ]}]
            """)).ShouldBeTrue(body["messages"]!.ToJsonString());
        var tool = body["tools"]!.AsArray().ShouldHaveSingleItem()!;
        tool["name"]!.GetValue<string>().ShouldBe("verdict");
        tool["description"]!.GetValue<string>().ShouldBe("A verdict on one image.");
        JsonNode.DeepEquals(tool["input_schema"], JsonNode.Parse(VerdictSchema.Json)).ShouldBeTrue();
        JsonNode.DeepEquals(body["tool_choice"], JsonNode.Parse("""{"type":"tool","name":"verdict"}""")).ShouldBeTrue();
    }

    [Fact]
    public async Task Reads_the_tool_call_even_after_some_text()
    {
        Fake.Server.Interrupt(200, Message("""
            [{"type":"text","text":"Let me look at the image."},
             {"type":"tool_use","id":"toolu_1","name":"verdict","input":{"verdict":"a fox","score":64,"tags":["fox"],"ok":true}}]
            """, "tool_use"), headers: RequestIdHeader("req_tool"));
        var reply = await Model().GenerateJsonAsync(Request(), Ct);
        JsonNode.DeepEquals(JsonNode.Parse(reply.Json), JsonNode.Parse("""{"verdict":"a fox","score":64,"tags":["fox"],"ok":true}""")).ShouldBeTrue();
        reply.Usage.ShouldBe(new ModelUsage(1500, 90));
        reply.Model.ShouldBe("claude-sonnet-4-5-20250929");
    }

    [Fact]
    public async Task The_refusal_carries_the_request_id()
    {
        Fake.Next(Conformance.FakeScenario.Refused);
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Message.ShouldBe("Anthropic refused the request (refusal, request id req_011CAnthropicFake).");
    }

    [Fact]
    public async Task Overload_is_retried_and_reads_as_overload_when_it_persists()
    {
        for (var i = 0; i < 4; i++)
            Fake.Next(Conformance.FakeScenario.ServerError);
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Status.ShouldBe(529);
        error.Message.ShouldBe("Anthropic is overloaded (overloaded_error, request id req_011CAnthropicFake): Overloaded.");
        Fake.Server.Requests.Count.ShouldBe(4);
    }

    [Fact]
    public async Task An_api_error_is_retried_too()
    {
        Fake.Server.Interrupt(500, """{"type":"error","error":{"type":"api_error","message":"Internal server error"}}""", headers: RequestIdHeader("req_500"));
        var reply = await Model().GenerateJsonAsync(Request(), Ct);
        reply.Json.ShouldStartWith("{");
        Fake.Server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_answer_cut_at_max_tokens_names_the_limit()
    {
        Fake.Server.Interrupt(200, Message("""[{"type":"text","text":"The image shows"}]""", "max_tokens"), headers: RequestIdHeader("req_max"));
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe("Anthropic stopped at its output limit (4096 tokens) before the answer was complete, request id req_max.");
    }

    [Fact]
    public async Task No_credit_is_not_mistaken_for_a_bad_request()
    {
        Fake.Server.Interrupt(400, """{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}""",
            headers: RequestIdHeader("req_credit"));
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.QuotaExceeded);
        error.Message.ShouldStartWith("Anthropic says the account has no credit left (invalid_request_error, request id req_credit): Your credit balance is too low");
    }

    [Fact]
    public async Task A_bad_image_type_is_invalid_and_says_which_field()
    {
        var request = Request() with { Images = [new ModelImage(Image, "image/tiff")] };
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(request, Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldContain("media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'");
    }

    [Fact]
    public async Task The_output_limit_is_configurable()
    {
        using var model = new AnthropicModel(new ProviderConnection { Vendor = Vendor, BaseUrl = Fake.Server.BaseUrl, ApiKey = Key, Time = Time }, maxTokens: 1000);
        model.Model.ShouldBe(AnthropicModel.DefaultModel);
        await model.GenerateJsonAsync(Request(), Ct);
        JsonNode.Parse(Fake.Server.Last.Body)!["max_tokens"]!.GetValue<int>().ShouldBe(1000);
    }

    private static string Message(string content, string stopReason) => new JsonObject
    {
        ["id"] = "msg_x",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = "claude-sonnet-4-5-20250929",
        ["content"] = JsonNode.Parse(content),
        ["stop_reason"] = stopReason,
        ["usage"] = new JsonObject { ["input_tokens"] = 1500, ["output_tokens"] = 90 },
    }.ToJsonString();
}
