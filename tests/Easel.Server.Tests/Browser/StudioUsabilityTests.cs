using System.Text.RegularExpressions;
using Easel.Server.Tests.Studio;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Easel.Server.Tests.Browser;

/// <summary>The studio in a real browser: at phone width, from the keyboard, and without script or policy errors.</summary>
public sealed partial class StudioUsabilityTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_page_fits_a_phone_screen_without_scrolling_sideways()
    {
        await using var server = await ServerHarness.StartKestrelAsync();
        var pages = await EveryPageAsync(server);
        await using var tab = await chromium.OpenAsync(server, width: 360, height: 740);
        var page = tab.Page;

        var wide = new List<string>();
        foreach (var url in pages)
        {
            await page.GotoAsync(url);
            await PageChecks.WaitForImagesAsync(page, "main img", 0);
            if (await PageChecks.SidewaysScrollAsync(page) is { } problem)
                wide.Add($"{url}: {problem}");
        }
        // The plan and an error summary are shown on the Create page only after a check.
        await page.GotoAsync("/");
        await page.GetByLabel("Prompt", new() { Exact = true }).FillAsync("a lighthouse on a cliff in a storm with very long words like lighthousekeeperscottage");
        await page.GetByLabel("Count").FillAsync("12");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check plan" }).ClickAsync();
        await Expect(page.Locator("#plan [data-needs-approval]")).ToBeVisibleAsync();
        if (await PageChecks.SidewaysScrollAsync(page) is { } withPlan)
            wide.Add($"/ with a plan: {withPlan}");
        await page.GetByLabel("Count").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        if (await PageChecks.SidewaysScrollAsync(page) is { } withErrors)
            wide.Add($"/ with errors: {withErrors}");

        wide.ShouldBeEmpty("pages wider than a 360 px phone:\n" + string.Join("\n", wide));
        tab.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Tab_reaches_the_prompt_and_Enter_on_Place_order_places_it()
    {
        await using var server = await ServerHarness.StartKestrelAsync();
        await using var tab = await chromium.OpenAsync(server);
        var page = tab.Page;
        await page.GotoAsync("/");

        var prompt = page.GetByLabel("Prompt", new() { Exact = true });
        (await PageChecks.TabToAsync(page, prompt)).ShouldBeTrue("Tab never reached the prompt");
        await page.Keyboard.TypeAsync("a paper boat on a pond");
        var place = page.GetByRole(AriaRole.Button, new() { Name = "Place order" });
        (await PageChecks.TabToAsync(page, place)).ShouldBeTrue("Tab never reached Place order");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(OrderPage());
        await Expect(page.Locator("h1")).ToHaveTextAsync("a paper boat on a pond");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("Finished: 1 of 1 images. 0 approved so far.");
        await PageChecks.WaitForImagesAsync(page, "#sheet .image-grid img", 1);
        tab.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Slash_jumps_to_the_gallery_search_but_types_normally_in_other_fields()
    {
        await using var server = await ServerHarness.StartKestrelAsync();
        await StudioOrders.CompletedAsync(server, "a green meadow with poppies");
        await using var tab = await chromium.OpenAsync(server);
        var page = tab.Page;
        await page.GotoAsync("/gallery");

        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" });
        await Expect(search).Not.ToBeFocusedAsync();
        await page.Keyboard.PressAsync("/");
        await Expect(search).ToBeFocusedAsync();
        await Expect(search).ToHaveValueAsync("");

        await page.Keyboard.TypeAsync("meadow/poppies");
        await Expect(search).ToHaveValueAsync("meadow/poppies");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"/gallery\?q=meadow%2Fpoppies"));
        await Expect(search).ToHaveValueAsync("meadow/poppies");
        tab.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task No_page_logs_a_script_error_or_breaks_the_content_security_policy()
    {
        await using var server = await ServerHarness.StartKestrelAsync();
        var pages = await EveryPageAsync(server);
        await using var tab = await chromium.OpenAsync(server);
        var page = tab.Page;

        foreach (var url in pages)
        {
            await page.GotoAsync(url);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            await PageChecks.WaitForImagesAsync(page, "img", 0);
        }
        // The scripted parts: the plan, the live order page, the approvals list and the gallery's next page.
        await page.GotoAsync("/");
        await page.GetByLabel("Prompt", new() { Exact = true }).FillAsync("a kite over the dunes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check plan" }).ClickAsync();
        await Expect(page.Locator("#plan .plan-cost")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Expect(page.Locator("#live-status")).ToHaveTextAsync(new Regex("^Finished"));
        await PageChecks.WaitForImagesAsync(page, "#sheet img", 1);
        // One image a page: the gallery scrolls on by itself until every image is there.
        await page.GotoAsync("/gallery?limit=1");
        await Expect(page.Locator("#gallery-end")).ToBeVisibleAsync();
        await Expect(page.Locator("#results > li")).ToHaveCountAsync(3);

        tab.ShouldHaveNoProblems();
    }

    /// <summary>Every studio page, with data: a finished order and its image, and an order waiting for approval.</summary>
    private static async Task<IReadOnlyList<string>> EveryPageAsync(ServerHarness server)
    {
        var done = await StudioOrders.CompletedAsync(server, "a lighthouse on a cliff at dusk", count: 2);
        var image = (await server.Services.Store.Images.ListByOrderAsync(done.Id, Cancel))[0];
        var waiting = await StudioOrders.PlaceAsync(server, "a harbour full of sailing boats at dawn", count: 6);
        return
        [
            "/",
            "/orders",
            $"/orders/{done.Id}",
            $"/orders/{waiting.Order.Id}",
            "/approvals",
            "/gallery",
            "/gallery?q=lighthouse",
            $"/images/{image.Id}",
            "/signin",
        ];
    }

    [GeneratedRegex(@"/orders/[^/?#]+$")]
    private static partial Regex OrderPage();
}
