using Easel.Core.Generation;
using Easel.Providers.Http;
using Easel.Providers.OpenAI;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Easel.Providers.Tests;

/// <summary>What every vendor call is protected from, whatever the vendor: huge answers, credentials in addresses, redirects.</summary>
public sealed class VendorHttpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GenerationRequest Request() => new("a fox", null, new ImageSize(1024, 1024), "watercolor", Background.Opaque, [1]);

    [Fact]
    public async Task An_answer_larger_than_the_limit_is_refused_without_retrying()
    {
        var big = new string('x', 3 << 20);
        await using var server = await FakeServer.StartAsync(app => app.MapPost("/v1/images/generations", () => Results.Text(big, "application/json")));
        using var provider = new OpenAIImageProvider(new ProviderConnection
        {
            Vendor = "OpenAI", BaseUrl = server.BaseUrl, ApiKey = "k", MaxResponseBytes = 1 << 20, Time = new InstantDelays(),
        });
        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe("OpenAI answered with 3 MB; Easel reads at most 1 MB from a vendor.");
        server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_so_a_key_header_never_travels_to_another_host()
    {
        await using var elsewhere = await FakeServer.StartAsync(app => app.MapPost("/steal", () => Results.Ok()));
        await using var server = await FakeServer.StartAsync(app => app.MapPost("/v1/images/generations",
            () => Results.Redirect(new Uri(elsewhere.BaseUrl, "steal").ToString(), permanent: true, preserveMethod: true)));
        using var provider = new OpenAIImageProvider(new ProviderConnection { Vendor = "OpenAI", BaseUrl = server.BaseUrl, ApiKey = "k", Time = new InstantDelays() });
        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(), Ct));
        error.Message.ShouldStartWith("OpenAI failed (308");
        elsewhere.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unreachable_server_is_named_without_any_credentials_in_its_address()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var provider = new OpenAIImageProvider(new ProviderConnection
        {
            Vendor = "OpenAI", BaseUrl = new Uri($"http://me:secret@127.0.0.1:{port}/"), ApiKey = "k",
            Retry = new RetryOptions { MaxRetries = 0 },
        });
        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(), Ct));
        error.Message.ShouldStartWith($"OpenAI could not be reached at http://127.0.0.1:{port}");
        error.Message.ShouldNotContain("secret");
    }

    [Fact]
    public async Task The_images_api_hears_the_style_in_the_prompt()
    {
        await using var fake = await OpenAIFake.StartAsync();
        using var provider = new OpenAIImageProvider(new ProviderConnection { Vendor = "OpenAI", BaseUrl = fake.Server.BaseUrl, ApiKey = OpenAIFake.Key });
        await provider.GenerateAsync(Request(), Ct);
        fake.Server.Last.Text.ShouldContain("\"prompt\":\"a fox\\n\\nStyle: watercolor.\"");
    }
}
