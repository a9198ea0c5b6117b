using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Easel.Server.Tests.Browser;

/// <summary>
/// The studio end to end in a real browser, as a person uses it: create a large order, approve part
/// of it, watch the images arrive, regenerate one and find it again in the gallery.
/// </summary>
public sealed partial class StudioJourneyTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Prompt = "a red fox in a snowy forest at sunset";

    [Fact]
    public async Task A_six_image_order_is_approved_in_part_arrives_live_is_regenerated_and_found_in_the_gallery()
    {
        await using var server = await ServerHarness.StartKestrelAsync();
        await using var tab = await chromium.OpenAsync(server);
        var page = tab.Page;

        // Create: describe the images and check the plan before placing anything.
        await page.GotoAsync("/");
        await page.GetByLabel("Prompt", new() { Exact = true }).ClickAsync();
        await page.Keyboard.TypeAsync(Prompt);
        await page.GetByLabel("Count").FillAsync("6");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check plan" }).ClickAsync();
        var plan = page.Locator("#plan");
        await Expect(plan.Locator("[data-needs-approval]")).ToContainTextAsync("6 images is more than the 4 allowed without approval");
        await Expect(plan.Locator(".plan-cost")).ToHaveTextAsync(Money());
        await Screenshots.SaveAsync(page, "create");

        // The order page opens its live event stream as soon as it shows.
        var stream = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync(),
            response => EventStream().IsMatch(response.Url));
        await Expect(page).ToHaveURLAsync(OrderPage());
        stream.Status.ShouldBe(200, "the order's event stream was refused");
        (await stream.HeaderValueAsync("content-type")).ShouldStartWith("text/event-stream");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("Waiting for approval; nothing is made until someone decides.");
        await Expect(page.Locator("[data-order-status]")).ToHaveTextAsync("awaiting approval");
        var orderId = await page.Locator("#sheet").GetAttributeAsync("data-order");
        // Marks this document: if the page reloaded, the mark would be gone.
        await page.EvaluateAsync("() => { window.easelTestMark = 'same page'; }");

        // Approvals, in a second tab, while the order page stays open in the first.
        var approvals = await tab.NewPageAsync();
        await approvals.GotoAsync("/");
        var nav = approvals.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.Locator("#pending-count")).ToContainTextAsync("1");
        await nav.GetByRole(AriaRole.Link, new() { Name = "Approvals" }).ClickAsync();
        await Expect(approvals).ToHaveURLAsync(new Regex("/approvals$"));
        var listed = approvals.Locator("article.approval", new() { HasText = Prompt });
        await Expect(listed).ToHaveCountAsync(1);
        var requestId = await listed.GetAttributeAsync("id");
        var request = approvals.Locator($"[id='{requestId}']");
        await Expect(request.GetByRole(AriaRole.Link, new() { Name = Prompt })).ToHaveAttributeAsync("href", $"/orders/{orderId}");
        await Expect(request.Locator("[data-countdown]")).ToHaveTextAsync(Countdown());
        await Expect(request).ToContainTextAsync("6 images is more than the 4 allowed without approval");
        await Screenshots.SaveAsync(approvals, "approvals");

        await request.GetByLabel("How many to approve").FillAsync("4");
        await request.GetByLabel("Note").FillAsync("Four are enough for the poster");
        await request.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Expect(approvals.Locator("#flash")).ToContainTextAsync($"Approved 4 of 6 images of order {orderId}.");
        await Expect(approvals.Locator("article.approval")).ToHaveCountAsync(0);
        await approvals.CloseAsync();

        // The order page, untouched since: the four approved images arrive by themselves.
        var contact = page.Locator("#sheet .image-grid");
        await Expect(contact.Locator("img")).ToHaveCountAsync(4);
        await Expect(page.Locator("#slot-5")).ToHaveCountAsync(0);
        await PageChecks.WaitForImagesAsync(page, "#sheet .image-grid img", 4);
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("Finished: 4 of 4 images. 0 approved so far.");
        await Expect(page.Locator(".decision-line")).ToContainTextAsync("(4 of 6 images)");
        await Expect(page.Locator(".decision-line")).ToContainTextAsync("Four are enough for the poster");
        await Expect(page.Locator("#pending-count")).ToBeHiddenAsync();
        (await page.EvaluateAsync<string?>("() => window.easelTestMark")).ShouldBe("same page", "the order page reloaded instead of updating in place");
        await Screenshots.SaveAsync(page, "order");

        // Regenerate the second image; the message links to the new order.
        var original = await ImageIdAsync(page.Locator("#slot-2"));
        await page.Locator("#slot-2").GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();
        var flash = page.Locator("#flash");
        await Expect(flash).ToContainTextAsync("Regenerating image 2 in a new order");
        await flash.GetByRole(AriaRole.Link, new() { Name = "Follow the new order" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(OrderPage());
        var newOrderId = await page.Locator("#sheet").GetAttributeAsync("data-order");
        newOrderId.ShouldNotBe(orderId);
        await Expect(page.Locator(".order-spec")).ToContainTextAsync($"regeneration of {original}");
        await Expect(page.Locator("#sheet .image-grid img")).ToHaveCountAsync(1);
        await PageChecks.WaitForImagesAsync(page, "#sheet .image-grid img", 1);
        var regenerated = await ImageIdAsync(page.Locator("#sheet .image-grid li").First);
        regenerated.ShouldNotBe(original);

        // Gallery: "/" jumps to the search box; one word of the prompt finds the new image.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Gallery" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/gallery$"));
        await page.Keyboard.PressAsync("/");
        var search = page.GetByRole(AriaRole.Searchbox);
        await Expect(search).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("fox");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"/gallery\?q=fox"));
        var found = page.Locator($"#results a[href='/images/{regenerated}']");
        await Expect(found).ToBeVisibleAsync();
        await Expect(found).ToContainTextAsync("red fox");
        await PageChecks.WaitForImagesAsync(page, "#results img", 5);
        await Screenshots.SaveAsync(page, "gallery");

        // Its detail page traces it back to the image it replaced.
        await found.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/images/{Regex.Escape(regenerated)}$"));
        var lineage = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Lineage" }) });
        await Expect(lineage.GetByRole(AriaRole.Link, new() { Name = original })).ToHaveAttributeAsync("href", $"/images/{original}");
        await Expect(lineage.Locator(".lineage__self")).ToContainTextAsync("regeneration");
        await Expect(lineage.Locator(".lineage__self")).ToContainTextAsync("this image");
        await Expect(page.Locator(".prompt-text")).ToHaveTextAsync(Prompt);
        await PageChecks.WaitForImagesAsync(page, ".detail-figure img", 1);
        await Screenshots.SaveAsync(page, "image");

        if (Screenshots.Folder is not null)
        {
            await page.SetViewportSizeAsync(360, 740);
            await page.GotoAsync($"/orders/{orderId}");
            await Screenshots.SaveAsync(page, "phone");
        }
        tab.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task A_request_placed_in_another_tab_shows_up_in_Approvals_without_a_reload()
    {
        await using var server = await ServerHarness.StartKestrelAsync();
        await using var tab = await chromium.OpenAsync(server);
        var approvals = tab.Page;
        await approvals.GotoAsync("/approvals");
        await Expect(approvals.Locator("#approvals")).ToContainTextAsync("Nothing waits for approval.");
        await Expect(approvals.Locator("#pending-count")).ToBeHiddenAsync();
        await approvals.EvaluateAsync("() => { window.easelTestMark = 'same page'; }");

        var create = await tab.NewPageAsync();
        await create.GotoAsync("/");
        await create.GetByLabel("Prompt", new() { Exact = true }).FillAsync("eight paper lanterns over a river");
        await create.GetByLabel("Count").FillAsync("8");
        await create.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Expect(create.Locator("#live-status")).ToHaveTextAsync("Waiting for approval; nothing is made until someone decides.");

        var listed = approvals.Locator("article.approval", new() { HasText = "eight paper lanterns over a river" });
        await Expect(listed).ToBeVisibleAsync();
        await Expect(listed.Locator("[data-countdown]")).ToHaveTextAsync(Countdown());
        await Expect(approvals.Locator("#pending-count")).ToBeVisibleAsync();
        await Expect(approvals.Locator("#pending-count")).ToContainTextAsync("1");
        (await approvals.EvaluateAsync<string?>("() => window.easelTestMark")).ShouldBe("same page", "Approvals reloaded instead of updating in place");

        // Rejected from Approvals: the order page in the other tab learns it live too.
        await listed.GetByLabel("Note").FillAsync("Too many for a test");
        await listed.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Expect(approvals.Locator("#flash")).ToContainTextAsync("Rejected order");
        await Expect(approvals.Locator("article.approval")).ToHaveCountAsync(0);
        await Expect(create.Locator("[data-order-status]")).ToHaveTextAsync("rejected");
        await Expect(create.Locator(".decision-line")).ToContainTextAsync("Too many for a test");
        tab.ShouldHaveNoProblems();
    }

    /// <summary>The id of the image a card links to.</summary>
    private static async Task<string> ImageIdAsync(ILocator card)
    {
        var href = await card.Locator("a[href^='/images/']").First.GetAttributeAsync("href");
        href.ShouldNotBeNull();
        return href["/images/".Length..];
    }

    [GeneratedRegex(@"/orders/[^/?#]+$")]
    private static partial Regex OrderPage();

    [GeneratedRegex(@"/api/v1/orders/[^/]+/events")]
    private static partial Regex EventStream();

    [GeneratedRegex(@"^\$\d")]
    private static partial Regex Money();

    [GeneratedRegex(@"^(\d+d \d+h|\d+h \d\dm|\d+m \d\ds) left$")]
    private static partial Regex Countdown();
}
