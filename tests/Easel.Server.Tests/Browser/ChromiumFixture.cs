using Microsoft.Playwright;

namespace Easel.Server.Tests.Browser;

/// <summary>
/// One headless Chromium shared by the tests of a class (starting a browser is the slow part);
/// each test gets its own context, so cookies and storage never leak between tests.
/// Playwright drives Debian's Chromium: its own browser download is not used.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Live updates, image rendering and page loads get this long before an expectation fails.</summary>
    public const float ExpectTimeoutMs = 30_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing: the browser tests drive Debian's Chromium at {ExecutablePath}. " +
                "Run the tests with scripts/test.sh, which installs it, or install it with 'apt-get install chromium'.");
        }
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Tests run as root, where Chromium refuses its sandbox.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A fresh page (in its own context) on <paramref name="server"/>, watched for console errors.</summary>
    internal async Task<StudioTab> OpenAsync(ServerHarness server, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(ExpectTimeoutMs);
        context.SetDefaultNavigationTimeout(ExpectTimeoutMs);
        return await StudioTab.OpenAsync(context);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
