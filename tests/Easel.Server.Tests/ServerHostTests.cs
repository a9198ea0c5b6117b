using System.Net;

namespace Easel.Server.Tests;

public sealed class ServerHostTests
{
    [Fact]
    public async Task Health_answers_and_says_this_server_runs_the_orders()
    {
        await using var server = await ServerHarness.StartAsync();
        var response = await server.Client.GetAsync("/health", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("Healthy");
        server.Services.Worker.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_post_from_another_site_is_refused_before_it_reaches_the_api()
    {
        await using var server = await ServerHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = new StringContent("{}") };
        request.Headers.Add("Origin", "http://evil.example");
        var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("another web site");
    }

    [Fact]
    public async Task A_loopback_server_refuses_requests_addressed_to_another_host_name()
    {
        await using var server = await ServerHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = "attacker.example";
        var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_openapi_document_is_served()
    {
        await using var server = await ServerHarness.StartAsync();
        var json = await server.Client.GetStringAsync("/api/v1/openapi.json", TestContext.Current.CancellationToken);
        json.ShouldContain("\"openapi\"");
        json.ShouldContain("Easel API");
    }

    [Fact]
    public async Task The_keys_that_sign_sessions_are_readable_by_the_owner_only()
    {
        await using var server = await ServerHarness.StartAsync();
        var keys = Path.Combine(server.Services.Data.Root, "keys");
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Windows has no Unix file modes.");
            return;
        }
        File.GetUnixFileMode(keys).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
