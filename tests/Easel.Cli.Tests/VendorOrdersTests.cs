using System.Text;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Cli.Tests;

/// <summary>
/// Orders placed through the CLI against a vendor's fake server (OpenAI's Images API): the
/// configuration reaches the client, parameters reach the wire, cost is recorded, refusals read
/// plainly, and the API key appears nowhere it could leak.
/// </summary>
public sealed class VendorOrdersTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private OpenAIFake _fake = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await OpenAIFake.StartAsync();
        _cli.Environment["OPENAI_API_KEY"] = OpenAIFake.Key;
        _cli.Environment["EASEL_Providers__openai__BaseUrl"] = _fake.Server.BaseUrl.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _fake.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Quality_format_and_size_reach_the_vendor_and_the_cost_is_recorded()
    {
        var run = await _cli.RunAsync("generate", "a red fox", "--provider", "openai", "-n", "2", "--aspect-ratio", "16:9",
            "--quality", "high", "--format", "jpeg", "--max-iterations", "1", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());

        var sent = _fake.Server.Requests.ShouldHaveSingleItem();
        sent.Path.ShouldBe("/v1/images/generations");
        sent.Text.ShouldContain("\"quality\":\"high\"");
        sent.Text.ShouldContain("\"output_format\":\"jpeg\"");
        sent.Text.ShouldContain("\"size\":\"1536x1024\"", customMessage: "16:9 is fitted to OpenAI's nearest size");
        sent.Text.ShouldContain("\"n\":2");

        var json = run.Json();
        json.GetProperty("cost").GetDecimal().ShouldBe(2 * 0.2505m, "the price table: high quality, landscape");
        // The fake answers with PNG bytes whatever was asked: Easel names files by what they are.
        json.GetProperty("images").EnumerateArray().ShouldAllBe(i => i.GetProperty("path").GetString()!.EndsWith(".png"));
    }

    [Fact]
    public async Task What_a_provider_cannot_do_is_refused_before_anything_is_spent()
    {
        var transparentJpeg = await _cli.RunAsync("generate", "a logo", "--provider", "openai", "--background", "transparent", "--format", "jpeg");
        transparentJpeg.ExitCode.ShouldBe(2);
        transparentJpeg.Stderr.ShouldContain("A JPEG cannot be transparent: use --format png or webp.");
        var sketchQuality = await _cli.RunAsync("generate", "a logo", "--quality", "high");
        sketchQuality.ExitCode.ShouldBe(2);
        sketchQuality.Stderr.ShouldContain("sketch has no quality setting");
        var seed = await _cli.RunAsync("generate", "a logo", "--provider", "openai", "--seed", "3");
        seed.ExitCode.ShouldBe(2);
        seed.Stderr.ShouldContain("openai does not take a seed.");
        _fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_refusal_ends_the_order_with_the_vendors_reason_and_request_id()
    {
        _fake.Next(FakeScenario.Refused);
        var run = await _cli.RunAsync("generate", "something forbidden", "--provider", "openai", "--max-iterations", "1");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("OpenAI refused the prompt (moderation_blocked, request id req_fake_0001)");
        _fake.Server.Requests.Count.ShouldBe(1, "a refusal is not retried");
    }

    [Fact]
    public async Task Without_a_key_the_provider_says_how_to_configure_it()
    {
        _cli.Environment.Remove("OPENAI_API_KEY");
        var run = await _cli.RunAsync("generate", "a cat", "--provider", "openai");
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("The provider 'openai' is not configured: set OPENAI_API_KEY or Providers:openai:ApiKey.");
    }

    [Fact]
    public async Task The_api_key_appears_nowhere_after_successful_and_failed_orders()
    {
        var outputs = new StringBuilder();
        foreach (var args in new[]
        {
            new[] { "generate", "a red fox", "--provider", "openai", "-n", "2", "--max-iterations", "2", "--threshold", "95", "--json" },
            ["generate", "a blue bird", "--provider", "openai", "--max-iterations", "1"],
            ["providers", "--json"],
            ["providers"],
            ["doctor"],
            ["history", "--json"],
        })
        {
            var run = await _cli.RunAsync(args);
            outputs.Append(run.Stdout).Append(run.Stderr);
        }
        _fake.Next(FakeScenario.Refused);
        var refused = await _cli.RunAsync("generate", "forbidden", "--provider", "openai", "--max-iterations", "1");
        outputs.Append(refused.Stdout).Append(refused.Stderr);
        for (var i = 0; i < 4; i++)
            _fake.Next(FakeScenario.ServerError);
        var failed = await _cli.RunAsync("generate", "unlucky", "--provider", "openai", "--max-iterations", "1");
        outputs.Append(failed.Stdout).Append(failed.Stderr);
        var orders = await _cli.RunAsync("orders", "--json");
        outputs.Append(orders.Stdout);

        _fake.Server.Requests.ShouldAllBe(r => r.Header("authorization") == $"Bearer {OpenAIFake.Key}", "the key did reach the vendor");
        outputs.ToString().ShouldNotContain(OpenAIFake.Key);
        outputs.ToString().ShouldContain("key from OPENAI_API_KEY");
        // Every file Easel wrote: the database (and its WAL), images with their PNG text chunks, logs.
        foreach (var file in Directory.EnumerateFiles(_cli.Home, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            Encoding.UTF8.GetString(bytes).ShouldNotContain(OpenAIFake.Key, customMessage: $"{file} holds the key");
            Encoding.Latin1.GetString(bytes).ShouldNotContain(OpenAIFake.Key, customMessage: $"{file} holds the key");
        }
    }
}
