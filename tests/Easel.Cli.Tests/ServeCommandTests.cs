using System.Net;
using System.Net.Sockets;

namespace Easel.Cli.Tests;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_refuses_to_listen_beyond_this_machine_without_tokens()
    {
        using var cli = new CliHarness();
        var run = await cli.RunAsync("serve", "--urls", "http://0.0.0.0:5080");
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain("0.0.0.0:5080");
        run.Stderr.ShouldContain("Server:RequesterToken");
        run.Stderr.ShouldContain("Server:ApproverToken");
    }

    [Theory]
    [InlineData("localhost:5080", "is not an http(s) address")]
    [InlineData("https://127.0.0.1:5080", "plain http")]
    [InlineData("http://127.0.0.1:5080/studio", "only scheme, host and port")]
    [InlineData("http://user:pw@127.0.0.1:5080", "must not carry a user name or password")]
    public async Task Serve_explains_an_address_it_cannot_use(string urls, string expected)
    {
        using var cli = new CliHarness();
        var run = await cli.RunAsync("serve", "--urls", urls);
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain(expected);
        run.Stderr.ShouldNotContain("pw@");
    }

    [Fact]
    public async Task A_requester_token_equal_to_the_approver_token_is_refused_without_showing_it()
    {
        using var cli = new CliHarness();
        cli.Environment["EASEL_Server__RequesterToken"] = "same-secret-token-0001";
        cli.Environment["EASEL_Server__ApproverToken"] = "same-secret-token-0001";
        var run = await cli.RunAsync("serve", "--urls", "http://0.0.0.0:5080");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("must differ");
        (run.Stdout + run.Stderr).ShouldNotContain("same-secret-token-0001");
    }

    [Fact]
    public async Task Serve_answers_until_it_is_told_to_stop_then_exits_cleanly()
    {
        using var cli = new CliHarness();
        var port = FreePort();
        using var server = cli.StartProcess("serve", "--urls", $"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitForHealthAsync(http, server);

        var studio = await http.GetStringAsync("/", TestContext.Current.CancellationToken);
        studio.ShouldContain("Easel");
        (await http.GetAsync("/api/v1/orders", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        server.Terminate();
        var run = await server.WaitAsync(TimeSpan.FromSeconds(60));
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stderr.ShouldContain($"http://127.0.0.1:{port}");
        run.Stderr.ShouldContain("Stopped.");
    }

    [Fact]
    public async Task With_tokens_an_exposed_server_starts_and_the_api_wants_a_token()
    {
        using var cli = new CliHarness();
        cli.Environment["EASEL_Server__RequesterToken"] = "requester-secret-0123456789";
        cli.Environment["EASEL_Server__ApproverToken"] = "approver-secret-0123456789";
        var port = FreePort();
        using var server = cli.StartProcess("serve", "--urls", $"http://0.0.0.0:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitForHealthAsync(http, server);

        var anonymous = await http.GetAsync("/api/v1/orders", TestContext.Current.CancellationToken);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orders");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "requester-secret-0123456789");
        (await http.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        server.Terminate();
        var run = await server.WaitAsync(TimeSpan.FromSeconds(60));
        (run.Stdout + run.Stderr).ShouldNotContain("secret-0123456789");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForHealthAsync(HttpClient http, EaselProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (server.HasExited)
                throw new InvalidOperationException($"easel serve exited early: {await server.WaitAsync(TimeSpan.FromSeconds(5))}");
            try
            {
                if ((await http.GetAsync("/health", TestContext.Current.CancellationToken)).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("easel serve did not answer /health within 60 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
