using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Language;

public sealed class GeminiModelTests : LanguageModelConformance
{
    internal override async Task<ILanguageFake> StartFakeAsync() => await GeminiChatFake.StartAsync();

    protected override ILanguageModel CreateModel(ProviderConnection connection) => new GeminiModel(connection, "gemini-2.5-flash");

    protected override string Vendor => "Gemini";

    [Fact]
    public async Task Sends_the_documented_generate_content_request_with_the_schema_in_geminis_dialect()
    {
        await Model().GenerateJsonAsync(Request(), Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path, sent.Query).ShouldBe(("POST", "/v1beta/models/gemini-2.5-flash:generateContent", ""));
        sent.Header("x-goog-api-key").ShouldBe(Key);
        var body = JsonNode.Parse(sent.Body)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["systemInstruction", "contents", "generationConfig"]);
        JsonNode.DeepEquals(body["systemInstruction"], JsonNode.Parse("""{"parts":[{"text":"You judge images. Answer in JSON."}]}""")).ShouldBeTrue();
        JsonNode.DeepEquals(body["contents"], JsonNode.Parse($$$"""
            [{"role":"user","parts":[
              {"text":"The user asked for: \"a red fox in the snow\"."},
              {"inlineData":{"mimeType":"image/png","data":"{{{Convert.ToBase64String(Image)}}}"}}
            ]}]
            """)).ShouldBeTrue(body["contents"]!.ToJsonString());
        JsonNode.DeepEquals(body["generationConfig"], JsonNode.Parse("""
            {"responseMimeType":"application/json","responseSchema":{
              "type":"OBJECT",
              "properties":{
                "verdict":{"type":"STRING","description":"What the image shows."},
                "score":{"type":"INTEGER"},
                "tags":{"type":"ARRAY","items":{"type":"STRING"}},
                "ok":{"type":"BOOLEAN"}
              },
              "required":["verdict","score","tags","ok"],
              "propertyOrdering":["verdict","score","tags","ok"]
            }}
            """)).ShouldBeTrue(body["generationConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task A_nullable_type_becomes_geminis_nullable()
    {
        var schema = new OutputSchema("maybe", "", """{"type":"object","properties":{"note":{"type":["string","null"]}},"required":["note"],"additionalProperties":false,"$schema":"x"}""");
        await Model().GenerateJsonAsync(Request() with { Schema = schema }, Ct);
        JsonNode.DeepEquals(Fake.Calls.ShouldHaveSingleItem().Schema, JsonNode.Parse("""
            {"type":"OBJECT","properties":{"note":{"nullable":true,"type":"STRING"}},"required":["note"],"propertyOrdering":["note"]}
            """)).ShouldBeTrue(Fake.Calls.Single().Schema.ToJsonString());
    }

    [Fact]
    public async Task A_blocked_prompt_is_a_refusal_naming_the_reason()
    {
        Fake.Next(Conformance.FakeScenario.Refused);
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Message.ShouldBe("Gemini refused the request (blockReason PROHIBITED_CONTENT).");
    }

    [Fact]
    public async Task A_safety_stop_is_a_refusal()
    {
        Fake.Server.Interrupt(200, """{"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH","blocked":true}]}]}""");
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe("Gemini refused the request (finishReason SAFETY).");
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Thoughts_are_not_part_of_the_answer()
    {
        Fake.Server.Interrupt(200, """
            {"candidates":[{"content":{"role":"model","parts":[
              {"text":"The fox is orange, so...","thought":true},
              {"text":"{\"verdict\":\"fox\",\"score\":5,\"tags\":[],\"ok\":false}"}
            ]},"finishReason":"STOP"}]}
            """);
        var reply = await Model().GenerateJsonAsync(Request(), Ct);
        reply.Json.ShouldBe("{\"verdict\":\"fox\",\"score\":5,\"tags\":[],\"ok\":false}");
        reply.Usage.ShouldBeNull("this answer reported no usage");
    }

    [Fact]
    public async Task A_wrong_key_is_a_400_that_still_reads_as_a_key_problem()
    {
        var error = await Should.ThrowAsync<ProviderException>(() => Model("AIza-wrong").GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unauthorized);
        error.Status.ShouldBe(400);
        error.Message.ShouldBe("Gemini did not accept the API key (400, API_KEY_INVALID): check GEMINI_API_KEY or Providers:gemini:ApiKey.");
    }

    [Fact]
    public async Task A_used_up_daily_quota_is_not_retried()
    {
        Fake.Server.Interrupt(429, """
            {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED","details":[
              {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaValue":"250"}]},
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"38s"}]}}
            """);
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.QuotaExceeded);
        error.Message.ShouldStartWith("Gemini says the daily quota is used up (RESOURCE_EXHAUSTED)");
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_fractional_retry_delay_is_honoured()
    {
        Fake.Server.Interrupt(429, """{"error":{"code":429,"message":"Resource exhausted.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"3.2s"}]}}""");
        await Model().GenerateJsonAsync(Request(), Ct);
        Time.Waits.ShouldContain(TimeSpan.FromSeconds(3.2));
    }

    [Fact]
    public async Task An_unknown_model_is_not_found()
    {
        using var model = new GeminiModel(new ProviderConnection { Vendor = Vendor, BaseUrl = Fake.Server.BaseUrl, ApiKey = Key, Time = Time }, "imagen-9");
        var error = await Should.ThrowAsync<ProviderException>(() => model.GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.NotFound);
        error.Message.ShouldStartWith("Gemini does not know this model or route (404, NOT_FOUND): models/imagen-9 is not found");
    }
}
