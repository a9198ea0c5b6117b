using System.Text.Json.Nodes;
using Easel.Providers.Google;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Google;

/// <summary>Google's own wire details: RetryInfo durations, and a fake that says no where the Gemini API does.</summary>
public sealed class GoogleWireTests : IAsyncLifetime
{
    private const string Key = GoogleFake.Key;
    private GoogleFake? _fake;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fake = await GoogleFake.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
            await _fake.DisposeAsync();
    }

    [Theory]
    [InlineData("7s", 7_000)]
    [InlineData("3.2s", 3_200)]
    [InlineData("0.5s", 500)]
    [InlineData("11.893074872s", 11_893.074872)]
    [InlineData(" 2s ", 2_000)]
    public void RetryInfo_durations_are_read(string text, double milliseconds) =>
        GoogleErrors.ParseDuration(text).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));

    [Theory]
    [InlineData("7")]
    [InlineData("s")]
    [InlineData("-3s")]
    [InlineData("1m")]
    public void Durations_not_in_protobuf_form_are_ignored(string text) =>
        GoogleErrors.ParseDuration(text).ShouldBeNull();

    [Fact]
    public void The_retry_delay_is_found_among_other_details()
    {
        var error = GoogleErrors.Read("""
            {"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED","details":[
              {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel"}]},
              {"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"41s"}]}}
            """u8.ToArray());
        error.RetryDelay.ShouldBe(TimeSpan.FromSeconds(41));
        (error.Status, error.Message).ShouldBe(("RESOURCE_EXHAUSTED", "slow down"));
    }

    [Theory]
    // Missing prompt.
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"  "}]}]}""")]
    [InlineData("""{"contents":[]}""")]
    // Aspect ratio Gemini does not make.
    [InlineData("""{"contents":[{"parts":[{"text":"a fox"}]}],"generationConfig":{"imageConfig":{"aspectRatio":"7:3"}}}""")]
    // Field names Google does not know (snake case where camel case is written, a made-up one).
    [InlineData("""{"contents":[{"parts":[{"text":"a fox"}]}],"generationConfig":{"image_config":{"aspectRatio":"1:1"}}}""")]
    [InlineData("""{"contents":[{"parts":[{"text":"a fox"}]}],"negativePrompt":"text"}""")]
    // Inline data that is not base64, or not an image type Gemini reads.
    [InlineData("""{"contents":[{"parts":[{"text":"a fox"},{"inlineData":{"mimeType":"image/png","data":"@@@"}}]}]}""")]
    [InlineData("""{"contents":[{"parts":[{"text":"a fox"},{"inlineData":{"mimeType":"image/gif","data":"R0lGODlh"}}]}]}""")]
    [InlineData("""{"contents":[{"parts":[{"text":"a fox"}]}],"generationConfig":{"responseModalities":["PICTURE"]}}""")]
    public async Task The_Gemini_fake_rejects_what_Gemini_rejects(string json) =>
        (await PostAsync("gemini-2.5-flash-image:generateContent", json)).ShouldBe((400, "INVALID_ARGUMENT"));

    [Theory]
    [InlineData("""{"instances":[{"prompt":""}],"parameters":{"sampleCount":1}}""")]
    [InlineData("""{"instances":[],"parameters":{"sampleCount":1}}""")]
    [InlineData("""{"instances":[{"prompt":"a fox"}],"parameters":{"sampleCount":1,"aspectRatio":"21:9"}}""")]
    [InlineData("""{"instances":[{"prompt":"a fox"}],"parameters":{"sampleCount":5}}""")]
    [InlineData("""{"instances":[{"prompt":"a fox"}],"parameters":{"personGeneration":"everyone"}}""")]
    public async Task The_Imagen_fake_rejects_what_Imagen_rejects(string json) =>
        (await PostAsync("imagen-4.0-generate-001:predict", json)).ShouldBe((400, "INVALID_ARGUMENT"));

    [Fact]
    public async Task The_fake_answers_valid_calls_and_checks_the_key_and_the_model()
    {
        const string gemini = """{"contents":[{"parts":[{"text":"a fox"}]}],"generationConfig":{"responseModalities":["TEXT","IMAGE"],"imageConfig":{"aspectRatio":"16:9"}}}""";
        (await PostAsync("gemini-2.5-flash-image:generateContent", gemini)).ShouldBe((200, null));
        (await PostAsync("imagen-4.0-fast-generate-001:predict", """{"instances":[{"prompt":"a fox"}]}""")).ShouldBe((200, null));
        (await PostAsync("gemini-2.5-flash-image:generateContent", gemini, key: null)).ShouldBe((403, "PERMISSION_DENIED"));
        (await PostAsync("gemini-2.5-flash-image:generateContent", gemini, key: "AIza-wrong")).ShouldBe((400, "INVALID_ARGUMENT"));
        (await PostAsync("gemini-2.5-flash-image:predict", gemini)).ShouldBe((404, "NOT_FOUND"));
        (await PostAsync("gemini-2.5-flash:generateContent", gemini)).ShouldBe((400, "INVALID_ARGUMENT"), "a text model makes no images");
    }

    private async Task<(int Status, string? GoogleStatus)> PostAsync(string call, string json, string? key = Key)
    {
        using var http = new HttpClient { BaseAddress = _fake!.Server.BaseUrl };
        using var message = new HttpRequestMessage(HttpMethod.Post, $"v1beta/models/{call}")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        if (key is not null)
            message.Headers.Add("x-goog-api-key", key);
        using var response = await http.SendAsync(message, Ct);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))?["error"];
        return ((int)response.StatusCode, error?["status"]?.GetValue<string>());
    }
}
