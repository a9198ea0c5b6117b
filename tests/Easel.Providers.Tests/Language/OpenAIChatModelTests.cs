using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Language;

public sealed class OpenAIChatModelTests : LanguageModelConformance
{
    internal override async Task<ILanguageFake> StartFakeAsync() => await OpenAIChatFake.StartAsync();

    protected override ILanguageModel CreateModel(ProviderConnection connection) => new OpenAIChatModel(connection, "gpt-4o");

    protected override string Vendor => "OpenAI";

    [Fact]
    public async Task Sends_the_documented_chat_completions_request()
    {
        await Model().GenerateJsonAsync(Request(), Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path).ShouldBe(("POST", "/v1/chat/completions"));
        sent.Header("authorization").ShouldBe($"Bearer {Key}");
        sent.ContentType.ShouldNotBeNull().ShouldStartWith("application/json");
        var body = JsonNode.Parse(sent.Body)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["model", "messages", "response_format"]);
        body["model"]!.GetValue<string>().ShouldBe("gpt-4o");
        JsonNode.DeepEquals(body["messages"], JsonNode.Parse($$$"""
            [
              {"role":"system","content":[{"type":"text","text":"You judge images. Answer in JSON."}]},
              {"role":"user","content":[
                {"type":"text","text":"The user asked for: \"a red fox in the snow\"."},
                {"type":"image_url","image_url":{"url":"data:image/png;base64,{{{Convert.ToBase64String(Image)}}}","detail":"high"}}
              ]}
            ]
            """)).ShouldBeTrue(body["messages"]!.ToJsonString());
        var format = body["response_format"]!;
        format["type"]!.GetValue<string>().ShouldBe("json_schema");
        format["json_schema"]!["name"]!.GetValue<string>().ShouldBe("verdict");
        format["json_schema"]!["description"]!.GetValue<string>().ShouldBe("A verdict on one image.");
        format["json_schema"]!["strict"]!.GetValue<bool>().ShouldBeTrue();
        JsonNode.DeepEquals(format["json_schema"]!["schema"], JsonNode.Parse(VerdictSchema.Json)).ShouldBeTrue();
    }

    [Fact]
    public async Task Reports_the_model_version_that_answered_and_the_tokens()
    {
        var reply = await Model().GenerateJsonAsync(Request(), Ct);
        reply.Model.ShouldBe("gpt-4o-2024-08-06");
        reply.Usage.ShouldBe(new ModelUsage(1210, 96));
    }

    [Fact]
    public async Task The_refusal_quotes_the_model()
    {
        Fake.Next(Conformance.FakeScenario.Refused);
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Message.ShouldBe("OpenAI refused the request (I'm sorry, I can't help with that request, request id req_chat_0001).");
    }

    [Fact]
    public async Task A_content_filter_stop_is_a_refusal()
    {
        Fake.Server.Interrupt(200, ReplyJson(new JsonObject { ["role"] = "assistant", ["content"] = null }, "content_filter"),
            headers: new Dictionary<string, string> { ["x-request-id"] = "req_filter" });
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe("OpenAI refused the request (content_filter, request id req_filter).");
    }

    [Fact]
    public async Task An_answer_cut_at_the_output_limit_says_so()
    {
        Fake.Server.Interrupt(200, ReplyJson(new JsonObject { ["role"] = "assistant", ["content"] = "{\"verdict\":\"a red fo" }, "length"),
            headers: new Dictionary<string, string> { ["x-request-id"] = "req_long" });
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe("OpenAI stopped at its output limit before the answer was complete, request id req_long.");
    }

    [Fact]
    public async Task A_schema_strict_mode_rejects_is_reported_as_invalid()
    {
        var loose = new OutputSchema("loose", "", """{"type":"object","properties":{"a":{"type":"string"}}}""");
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request() with { Schema = loose }, Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldStartWith("OpenAI rejected the request (response_format");
        error.Message.ShouldContain("'additionalProperties' is required to be supplied and to be false");
    }

    [Fact]
    public async Task A_quota_error_is_not_mistaken_for_a_rate_limit()
    {
        Fake.Server.Interrupt(429, """{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""");
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.QuotaExceeded);
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Json_in_a_code_fence_is_unwrapped()
    {
        Fake.Answer("```json\n{\"verdict\":\"fox\",\"score\":1,\"tags\":[],\"ok\":false}\n```");
        var reply = await Model().GenerateJsonAsync(Request(), Ct);
        reply.Json.ShouldBe("{\"verdict\":\"fox\",\"score\":1,\"tags\":[],\"ok\":false}");
    }

    [Fact]
    public void The_model_is_configurable_with_a_documented_default()
    {
        var connection = new ProviderConnection { Vendor = "OpenAI", BaseUrl = new Uri("http://127.0.0.1:9/") };
        using var standard = new OpenAIChatModel(connection);
        standard.Model.ShouldBe(OpenAIChatModel.DefaultModel);
        using var chosen = new OpenAIChatModel(connection, " gpt-4.1-mini ");
        chosen.Model.ShouldBe("gpt-4.1-mini");
    }

    private static string ReplyJson(JsonObject message, string finishReason) => new JsonObject
    {
        ["id"] = "chatcmpl-x",
        ["object"] = "chat.completion",
        ["model"] = "gpt-4o-2024-08-06",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
    }.ToJsonString();
}
