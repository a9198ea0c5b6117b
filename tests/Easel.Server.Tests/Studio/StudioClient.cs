using System.Net;
using System.Text.RegularExpressions;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Easel.Server.Tests.Studio;

/// <summary>
/// A browser-like client for the studio on the test host: keeps cookies (session, anti-forgery,
/// messages), does not follow redirects (so tests can see them), and reads the anti-forgery token
/// from the page a form is on, as a browser would send it.
/// </summary>
internal sealed partial class StudioClient : IDisposable
{
    private readonly HttpClient _http;

    public StudioClient(ServerHarness server)
    {
        HttpMessageHandler handler = server.App.Services.GetService<IServer>() is TestServer test
            ? new CookieContainerHandler { InnerHandler = test.CreateHandler() }
            : new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        _http = new HttpClient(handler) { BaseAddress = server.BaseAddress };
    }

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url, Cancel);

    public async Task<string> GetPageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _http.GetAsync(url, Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(expected, $"GET {url}: {html[..Math.Min(html.Length, 600)]}");
        return html;
    }

    /// <summary>Posts <paramref name="fields"/> with the anti-forgery token of the page at <paramref name="formPage"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields, Dictionary<string, string>? headers = null)
    {
        var token = TokenOf(await GetPageAsync(formPage));
        return await PostAsync(action, [.. fields, new("__easel_af", token)], headers);
    }

    /// <summary>Posts a multipart form (the Create form with files) with the token of the page at <paramref name="formPage"/>.</summary>
    public async Task<HttpResponseMessage> PostMultipartAsync(string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields, IEnumerable<(string Field, string FileName, byte[] Bytes)> files)
    {
        var token = TokenOf(await GetPageAsync(formPage));
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
            content.Add(new StringContent(value), name);
        content.Add(new StringContent(token), "__easel_af");
        foreach (var (field, fileName, bytes) in files)
            content.Add(new ByteArrayContent(bytes), field, fileName);
        return await _http.PostAsync(action, content, Cancel);
    }

    public async Task<HttpResponseMessage> PostAsync(string action, IEnumerable<KeyValuePair<string, string>> fields, Dictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
        foreach (var (name, value) in headers ?? [])
            request.Headers.Add(name, value);
        return await _http.SendAsync(request, Cancel);
    }

    /// <summary>Signs in on /signin with a token (server with tokens).</summary>
    public async Task SignInAsync(string token, string name)
    {
        var response = await PostFormAsync("/signin", "/signin", [new("Token", token), new("Name", name)]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    public static string TokenOf(string html)
    {
        var match = TokenPattern().Match(html);
        match.Success.ShouldBeTrue("the page has no anti-forgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<string> ReadAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync(Cancel);

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__easel_af\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>Orders placed straight through Core, and waiting for the worker to finish them.</summary>
internal static class StudioOrders
{
    public static async Task<PlacedOrder> PlaceAsync(ServerHarness server, string prompt, int count = 1)
    {
        var spec = new OrderSpec
        {
            Prompt = prompt,
            Count = count,
            Size = new ImageSize(128, 128),
            Loop = LoopSettings.Once,
        };
        var placed = await server.Services.Orders.PlaceAsync(spec, new PlaceOptions(server.Services.Settings.Approval, "tester"), TestContext.Current.CancellationToken);
        server.Services.Nudge();
        return placed;
    }

    /// <summary>Waits until the worker has finished the order (a generous guard, not a timing assertion).</summary>
    public static async Task<Order> FinishedAsync(ServerHarness server, string orderId)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            var order = await server.Services.Store.Orders.FindAsync(orderId, guard.Token);
            if (order!.Status.IsFinished())
                return order;
            server.Services.Nudge();
            await Task.Delay(50, guard.Token);
        }
    }

    public static async Task<Order> CompletedAsync(ServerHarness server, string prompt, int count = 1)
    {
        var placed = await PlaceAsync(server, prompt, count);
        var order = await FinishedAsync(server, placed.Order.Id);
        order.Status.ShouldBe(OrderStatus.Completed, order.Error);
        return order;
    }
}
