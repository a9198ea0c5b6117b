using System.Net.Http.Headers;
using Easel.Server;
using Easel.Workflows;
using Easel.Workflows.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Easel.Server.Tests;

/// <summary>
/// A whole Easel server on a temporary data directory: on the in-memory test host for API tests,
/// or on a real Kestrel port (<see cref="StartKestrelAsync"/>) for the browser.
/// </summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    public const string RequesterToken = "requester-token-0123456789";
    public const string ApproverToken = "approver-token-0123456789";

    private ServerHarness(string home, EaselServices services, WebApplication app, Uri baseAddress, HttpClient client)
    {
        Home = home;
        Services = services;
        App = app;
        BaseAddress = baseAddress;
        Client = client;
    }

    /// <summary>Root of the temporary folder: data in <c>data/</c>, configuration in <c>config/</c>.</summary>
    public string Home { get; }

    public EaselServices Services { get; }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client for the server (no token set).</summary>
    public HttpClient Client { get; }

    /// <summary>Leave the folder on disposal, for a restart on the same data.</summary>
    public bool KeepHome { get; set; }

    /// <summary>Starts on the in-memory test host.</summary>
    /// <param name="config">config.json contents, or null for none.</param>
    /// <param name="tokens">Configure requester and approver tokens (<see cref="RequesterToken"/>, <see cref="ApproverToken"/>).</param>
    /// <param name="home">Reuse this folder (a restart); null makes a new one.</param>
    public static Task<ServerHarness> StartAsync(string? config = null, bool tokens = false, IDictionary<string, string?>? environment = null, string? home = null) =>
        StartAsync(config, tokens, environment, kestrel: false, home);

    /// <summary>Starts on a free loopback port with real Kestrel, for browsers and other processes.</summary>
    public static Task<ServerHarness> StartKestrelAsync(string? config = null, bool tokens = false, IDictionary<string, string?>? environment = null) =>
        StartAsync(config, tokens, environment, kestrel: true, home: null);

    private static async Task<ServerHarness> StartAsync(string? config, bool tokens, IDictionary<string, string?>? environment, bool kestrel, string? home)
    {
        home ??= Directory.CreateTempSubdirectory("easel-server-").FullName;
        Directory.CreateDirectory(Path.Combine(home, "config"));
        if (config is not null)
            await File.WriteAllTextAsync(Path.Combine(home, "config", "config.json"), config);
        var env = new Dictionary<string, string?>
        {
            ["EASEL_HOME"] = Path.Combine(home, "data"),
            ["EASEL_CONFIG_HOME"] = Path.Combine(home, "config"),
            ["HOME"] = home,
            ["USER"] = "tester",
        };
        if (tokens)
        {
            env["EASEL_Server__RequesterToken"] = RequesterToken;
            env["EASEL_Server__ApproverToken"] = ApproverToken;
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            env[key] = value;

        var services = new EaselServices(env, TimeProvider.System);
        var url = new Uri(kestrel ? "http://127.0.0.1:0" : "http://localhost");
        var options = new ServerOptions([url], services.Settings.Server);
        services.ReferenceLimits = new Providers.References.ReferenceOptions { AllowedFolders = services.Settings.Server.ReferenceFolders };
        var app = EaselServer.Build(services, options, builder =>
        {
            builder.Logging.ClearProviders();
            if (!kestrel)
                builder.WebHost.UseTestServer();
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        Uri baseAddress;
        HttpClient client;
        if (kestrel)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            baseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            client = new HttpClient { BaseAddress = baseAddress };
        }
        else
        {
            client = app.GetTestClient();
            baseAddress = client.BaseAddress!;
        }
        return new ServerHarness(home, services, app, baseAddress, client);
    }

    /// <summary>A client that sends <paramref name="token"/> as its bearer token.</summary>
    public HttpClient ClientWithToken(string token)
    {
        var client = App.Services.GetService<IServer>() is TestServer test ? test.CreateClient() : new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        await Services.DisposeAsync();
        if (KeepHome)
            return;
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
