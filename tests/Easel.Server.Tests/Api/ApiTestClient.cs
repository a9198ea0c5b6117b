using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Easel.Server.Tests.Api;

/// <summary>What API tests do over and over: send JSON, read JSON, wait for an order to finish.</summary>
internal static class ApiTestClient
{
    /// <summary>A quick order: small images, one pass of the quality loop.</summary>
    public static object SmallOrder(string prompt, int count = 1, string size = "256x256") =>
        new { prompt, count, size, maxIterations = 1 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsync(url, JsonContent.Create(body), Ct);

    public static Task<HttpResponseMessage> PostRawJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    /// <summary>Reads a problem response and checks it is one: the status, problem+json and a detail sentence.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    /// <summary>Places an order and checks it was accepted.</summary>
    public static async Task<JsonElement> PlaceAsync(this HttpClient client, object order)
    {
        var response = await client.PostJsonAsync("/api/v1/orders", order);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.JsonAsync();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/orders/{body.Id()}");
        return body;
    }

    /// <summary>Polls the order until it reaches an end state.</summary>
    public static async Task<JsonElement> WaitForOrderAsync(this HttpClient client, string orderId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            var order = await client.GetJsonAsync($"/api/v1/orders/{orderId}");
            if (order.GetProperty("status").GetString() is "completed" or "partially_completed" or "failed" or "rejected" or "expired" or "cancelled")
                return order;
            await Task.Delay(50, timeout.Token);
        }
    }

    public static string Id(this JsonElement element) => element.GetProperty("id").GetString()!;

    public static string Text(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    /// <summary>Each slot's best image of an order view.</summary>
    public static List<JsonElement> FinalImages(this JsonElement order) =>
        order.GetProperty("images").EnumerateArray().Where(i => i.GetProperty("final").GetBoolean()).ToList();

    public static bool IsPng(byte[] bytes) => bytes.Length > 8 && bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 });
}
