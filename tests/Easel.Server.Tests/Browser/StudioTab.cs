using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Easel.Server.Tests.Browser;

/// <summary>
/// A browser context on the studio with its first page, collecting every console error, uncaught
/// script error and Content-Security-Policy violation from all of its pages.
/// </summary>
internal sealed class StudioTab : IAsyncDisposable
{
    /// <summary>Chromium logs CSP refusals itself; this makes each one an explicit, readable console error too.</summary>
    private const string ReportCspViolations = """
        document.addEventListener("securitypolicyviolation", function (e) {
          console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline code") + " on " + location.pathname);
        });
        """;

    private readonly ConcurrentQueue<string> _problems = new();

    private StudioTab(IBrowserContext context) => Context = context;

    public IBrowserContext Context { get; }

    public IPage Page { get; private set; } = null!;

    /// <summary>Console errors, uncaught exceptions and CSP violations so far, each with the page it came from.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    public static async Task<StudioTab> OpenAsync(IBrowserContext context)
    {
        var tab = new StudioTab(context);
        await context.AddInitScriptAsync(ReportCspViolations);
        context.Page += (_, page) => tab.Watch(page);
        tab.Page = await context.NewPageAsync();
        return tab;
    }

    /// <summary>Another tab in the same browser session (same user, same cookies).</summary>
    public Task<IPage> NewPageAsync() => Context.NewPageAsync();

    private void Watch(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                _problems.Enqueue($"console error on {PathOf(page)}: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => _problems.Enqueue($"uncaught error on {PathOf(page)}: {error}");
    }

    /// <summary>Fails with every problem seen, so one run shows them all.</summary>
    public void ShouldHaveNoProblems() =>
        Problems.ShouldBeEmpty("the browser reported problems:\n" + string.Join("\n", Problems));

    private static string PathOf(IPage page) => Uri.TryCreate(page.Url, UriKind.Absolute, out var url) ? url.PathAndQuery : page.Url;

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
