using System.Net;
using System.Text.RegularExpressions;
using Easel.Core.Gallery;
using Easel.Core.Orders;

namespace Easel.Server.Tests.Studio;

public sealed partial class StudioPagesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_page_answers_with_its_heading_and_the_shared_navigation()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var order = await StudioOrders.CompletedAsync(server, "a lighthouse at night");
        var image = (await server.Services.Store.Images.ListByOrderAsync(order.Id, Cancel))[0];

        var pages = new Dictionary<string, string>
        {
            ["/"] = "<h1>Create</h1>",
            ["/orders"] = "<h1>Orders</h1>",
            ["/approvals"] = "<h1>Approvals</h1>",
            ["/gallery"] = "<h1>Gallery</h1>",
            [$"/orders/{order.Id}"] = "Contact sheet",
            [$"/images/{image.Id}"] = "Lineage",
            ["/signin"] = "<h1>Sign in</h1>",
        };
        foreach (var (url, marker) in pages)
        {
            var html = await client.GetPageAsync(url);
            html.ShouldContain(marker, customMessage: url);
            html.ShouldContain("class=\"skip-link\" href=\"#main\"", customMessage: url);
            html.ShouldContain("<main id=\"main\"", customMessage: url);
            html.ShouldContain("<footer", customMessage: url);
            if (url != "/signin")
            {
                foreach (var nav in new[] { ">Create</a>", ">Orders</a>", "<span>Approvals</span>", ">Gallery</a>" })
                    html.ShouldContain(nav, customMessage: url);
            }
        }
    }

    [Fact]
    public async Task Pages_carry_no_inline_script_style_or_event_handlers()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var order = await StudioOrders.CompletedAsync(server, "a red fox in the snow");
        var image = (await server.Services.Store.Images.ListByOrderAsync(order.Id, Cancel))[0];
        await StudioOrders.PlaceAsync(server, "six cats waiting", 6);

        foreach (var url in new[] { "/", "/orders", "/approvals", "/gallery", $"/orders/{order.Id}", $"/images/{image.Id}", "/signin", $"/orders/{order.Id}?handler=Sheet" })
        {
            var html = await client.GetPageAsync(url);
            InlineScript().IsMatch(html).ShouldBeFalse($"{url} has an inline <script>");
            html.ShouldNotContain("<style", Case.Insensitive, $"{url} has a <style> block");
            StyleAttribute().IsMatch(html).ShouldBeFalse($"{url} has a style attribute");
            HandlerAttribute().IsMatch(html).ShouldBeFalse($"{url} has an on* handler attribute");
        }
        var layout = await client.GetPageAsync("/");
        layout.ShouldContain("<script src=\"/assets/studio.js\" defer></script>");
        layout.ShouldContain("<link rel=\"stylesheet\" href=\"/assets/studio.css\">");
    }

    [Fact]
    public async Task The_stylesheet_and_script_are_served_from_the_assembly()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var css = await client.GetAsync("/assets/studio.css");
        css.StatusCode.ShouldBe(HttpStatusCode.OK);
        css.Content.Headers.ContentType!.MediaType.ShouldBe("text/css");
        (await StudioClient.ReadAsync(css)).ShouldContain("prefers-color-scheme: dark");
        var js = await client.GetAsync("/assets/studio.js");
        js.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StudioClient.ReadAsync(js)).ShouldContain("EventSource");
    }

    [Fact]
    public async Task Create_with_an_empty_prompt_shows_the_error_next_to_the_field_and_keeps_the_values()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var response = await client.PostFormAsync("/", "/", [new("Prompt", "  "), new("Count", "3"), new("NegativePrompt", "no <b>text</b>"), new("Style", "neon")]);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await StudioClient.ReadAsync(response);
        html.ShouldContain("<p class=\"field-error\" id=\"prompt-error\">The prompt is empty");
        html.ShouldContain("aria-invalid=\"true\" aria-describedby=\"prompt-hint prompt-error\"");
        html.ShouldContain("id=\"count\" name=\"Count\" type=\"number\" inputmode=\"numeric\" min=\"1\" max=\"1000\" value=\"3\"");
        html.ShouldContain("value=\"no &lt;b&gt;text&lt;/b&gt;\"");
        html.ShouldContain("<option value=\"neon\" selected=\"selected\">");
        (await server.Services.Store.Orders.ListAsync(null, 10, Cancel)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_reports_numbers_that_are_not_numbers_by_field()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var response = await client.PostFormAsync("/", "/", [new("Prompt", "a cat"), new("Count", "many"), new("Shape", "custom"), new("Size", "huge")]);
        var html = await StudioClient.ReadAsync(response);
        html.ShouldContain("id=\"count-error\">Count must be a whole number; got &#x27;many&#x27;.");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Check_plan_shows_the_cost_and_that_six_images_need_approval()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var response = await client.PostFormAsync("/", "/?handler=Quote", [new("Prompt", "six watercolor cats"), new("Count", "6"), new("Shape", "16:9")]);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await StudioClient.ReadAsync(response);
        html.ShouldContain("<h1>Create</h1>");
        html.ShouldContain("formaction=\"/?handler=Quote\">Check plan</button>");
        html.ShouldContain("<dt>Provider</dt><dd>sketch");
        html.ShouldContain("<dt>Cost</dt><dd class=\"plan-cost\">$0.00</dd>");
        html.ShouldContain("Needs approval");
        html.ShouldContain("6 images is more than the 4 allowed without approval");
        html.ShouldContain("×");
        html.ShouldContain(">six watercolor cats</textarea>");
        (await server.Services.Store.Orders.ListAsync(null, 10, Cancel)).ShouldBeEmpty();

        // The script asks for the plan alone.
        var fragment = await client.PostFormAsync("/", "/?handler=Quote", [new("Prompt", "two cats"), new("Count", "2"), new("UploadCount", "0")],
            new() { ["X-Easel-Fragment"] = "1" });
        var plan = await StudioClient.ReadAsync(fragment);
        plan.ShouldNotContain("<html");
        plan.ShouldContain("Runs at once: no approval needed.");
    }

    [Fact]
    public async Task Placing_an_order_redirects_to_its_page_and_a_post_without_the_antiforgery_token_is_refused()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        await client.GetPageAsync("/");
        var refused = await client.PostAsync("/", [new("Prompt", "a red fox"), new("Count", "1")]);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await server.Services.Store.Orders.ListAsync(null, 10, Cancel)).ShouldBeEmpty();

        var response = await client.PostFormAsync("/", "/", [new("Prompt", "a red fox in a snowy forest"), new("Count", "2"), new("MaxIterations", "1"), new("Shape", "custom"), new("Size", "128x128")]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.OriginalString;
        location.ShouldStartWith("/orders/ord_");
        var orderId = location["/orders/".Length..];
        var order = await server.Services.Store.Orders.FindAsync(orderId, Cancel);
        order!.Prompt.ShouldBe("a red fox in a snowy forest");
        order.Count.ShouldBe(2);
        order.Size.Width.ShouldBe(128);

        var page = await client.GetPageAsync(location);
        page.ShouldContain("<blockquote class=\"prompt-text\">a red fox in a snowy forest</blockquote>");
        page.ShouldContain("aria-live=\"polite\"");
        page.ShouldContain($"data-sheet-url=\"/orders/{orderId}?handler=Sheet\"");
    }

    [Fact]
    public async Task Prompts_are_encoded_wherever_they_are_shown()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var order = await StudioOrders.CompletedAsync(server, "<script>alert(1)</script> a fox");
        var image = (await server.Services.Store.Images.ListByOrderAsync(order.Id, Cancel))[0];
        foreach (var url in new[] { "/orders", $"/orders/{order.Id}", $"/images/{image.Id}", "/gallery" })
        {
            var html = await client.GetPageAsync(url);
            html.ShouldNotContain("<script>alert(1)</script>", customMessage: url);
            html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;", customMessage: url);
        }
    }

    [Fact]
    public async Task The_approvals_page_lists_a_pending_six_image_order_and_approve_part_approves_four()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var placed = await StudioOrders.PlaceAsync(server, "six watercolor cats", 6);
        var request = placed.Approval.ShouldNotBeNull();

        var html = await client.GetPageAsync("/approvals");
        html.ShouldContain($"id=\"{request.Id}\"");
        html.ShouldContain("six watercolor cats");
        html.ShouldContain("6 images is more than the 4 allowed without approval");
        html.ShouldContain("data-countdown=");
        html.ShouldContain(" left</span>");
        html.ShouldContain(">How many to approve</label>");
        html.ShouldContain(">Approve all</button>");
        html.ShouldContain(">Reject</button>");
        html.ShouldContain("<span class=\"count-badge\" id=\"pending-count\"><span class=\"visually-hidden\">, </span>1<span class=\"visually-hidden\"> pending</span></span>");

        var response = await client.PostFormAsync("/approvals", "/approvals?handler=ApprovePart",
            [new("requestId", request.Id), new("count", "4"), new("note", "four is plenty")]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/approvals");
        var decided = await server.Services.Store.Orders.FindApprovalAsync(request.Id, Cancel);
        decided!.Status.ShouldBe(ApprovalStatus.Approved);
        decided.ApprovedCount.ShouldBe(4);
        decided.Note.ShouldBe("four is plenty");
        decided.DecidedBy.ShouldBe("tester");

        var after = await client.GetPageAsync("/approvals");
        after.ShouldContain($"Approved 4 of 6 images of order {placed.Order.Id}.");
        after.ShouldContain("Nothing waits for approval.");
        after.ShouldContain("Recently decided");

        // A second decision loses to the first, and says so.
        var late = await client.PostFormAsync("/", "/approvals?handler=Reject", [new("requestId", request.Id)]);
        late.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetPageAsync("/approvals")).ShouldContain("was already approved by tester");
    }

    [Fact]
    public async Task Approve_part_without_a_number_is_refused_with_a_message()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var placed = await StudioOrders.PlaceAsync(server, "six dogs", 6);
        var response = await client.PostFormAsync("/approvals", "/approvals?handler=ApprovePart", [new("requestId", placed.Approval!.Id), new("count", "")]);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await StudioClient.ReadAsync(response)).ShouldContain("Type how many images to approve");
        (await server.Services.Store.Orders.FindApprovalAsync(placed.Approval.Id, Cancel))!.Status.ShouldBe(ApprovalStatus.Pending);
    }

    [Fact]
    public async Task An_approver_decides_from_the_order_page_and_returns_to_it()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var placed = await StudioOrders.PlaceAsync(server, "six parrots", 6);
        var page = $"/orders/{placed.Order.Id}";
        var html = await client.GetPageAsync(page);
        html.ShouldContain("Waiting for approval");
        html.ShouldContain($"href=\"/approvals#{placed.Approval!.Id}\"");

        var response = await client.PostFormAsync(page, "/approvals?handler=Reject", [new("requestId", placed.Approval.Id), new("returnUrl", page), new("note", "too many")]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe(page);
        (await server.Services.Store.Orders.FindAsync(placed.Order.Id, Cancel))!.Status.ShouldBe(OrderStatus.Rejected);
        (await client.GetPageAsync(page)).ShouldContain($"Rejected order {placed.Order.Id}.");

        // Only local addresses are followed after a decision.
        var other = await StudioOrders.PlaceAsync(server, "six owls", 6);
        var away = await client.PostFormAsync("/approvals", "/approvals?handler=Reject", [new("requestId", other.Approval!.Id), new("returnUrl", "https://evil.example/")]);
        away.Headers.Location!.OriginalString.ShouldBe("/approvals");
    }

    [Fact]
    public async Task Review_flow_approve_each_image_and_the_order_page_shows_the_final_result()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var order = await StudioOrders.CompletedAsync(server, "a hot air balloon over hills", 2);
        var images = await server.Services.Store.Images.ListByOrderAsync(order.Id, Cancel);
        var page = $"/orders/{order.Id}";

        var sheet = await client.GetPageAsync(page);
        sheet.ShouldContain("Contact sheet");
        foreach (var image in images)
        {
            sheet.ShouldContain($"src=\"/api/v1/images/{image.Id}/thumbnail\"");
            sheet.ShouldContain($"<input type=\"hidden\" name=\"imageId\" value=\"{image.Id}\">");
        }
        foreach (var button in new[] { ">Approve</button>", ">Regenerate</button>", ">Vary</button>", ">Upscale</button>" })
            sheet.ShouldContain(button);
        sheet.ShouldNotContain("Final result");

        foreach (var image in images)
        {
            var response = await client.PostFormAsync(page, $"{page}?handler=Approve", [new("imageId", image.Id)]);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            response.Headers.Location!.OriginalString.ShouldBe($"{page}#slot-{image.Slot + 1}");
        }
        var final = await client.GetPageAsync(page);
        final.ShouldContain("Final result");
        final.ShouldContain("all 2 images approved");
        foreach (var image in images)
            final.ShouldContain($"href=\"/api/v1/images/{image.Id}/file?download=1\" download");
        (await server.Services.Store.Images.ListByOrderAsync(order.Id, Cancel)).ShouldAllBe(i => i.Review == ReviewStatus.Approved);
    }

    [Fact]
    public async Task The_sheet_handler_returns_only_the_live_part_of_the_order_page()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var order = await StudioOrders.CompletedAsync(server, "a green meadow");
        var html = await client.GetPageAsync($"/orders/{order.Id}?handler=Sheet");
        html.ShouldNotContain("<html");
        html.ShouldContain("class=\"sheet\" data-watch=\"\" data-status=\"completed\"");
        html.ShouldContain("Images done");

        var missing = await client.GetAsync("/orders/ord_nothing_here");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await StudioClient.ReadAsync(missing)).ShouldContain("There is no such order.");
    }

    [Fact]
    public async Task Regenerate_places_a_new_order_and_the_image_pages_show_the_lineage()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var order = await StudioOrders.CompletedAsync(server, "a sailing boat at dawn");
        var original = (await server.Services.Store.Images.ListByOrderAsync(order.Id, Cancel))[0];
        var page = $"/orders/{order.Id}";

        var response = await client.PostFormAsync(page, $"{page}?handler=Regenerate", [new("imageId", original.Id)]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var flash = await client.GetPageAsync(page);
        var newOrderId = NewOrder().Match(flash).Groups[1].Value;
        newOrderId.ShouldNotBeNullOrEmpty();
        flash.ShouldContain($"Regenerating image 1 in a new order, {newOrderId}.");
        flash.ShouldContain($"href=\"/orders/{newOrderId}\"");

        var regenerated = await StudioOrders.FinishedAsync(server, newOrderId);
        regenerated.Status.ShouldBe(OrderStatus.Completed);
        var replacement = (await server.Services.Store.Images.ListByOrderAsync(newOrderId, Cancel))[0];

        var detail = await client.GetPageAsync($"/images/{replacement.Id}");
        detail.ShouldContain($"href=\"/images/{original.Id}\"");
        detail.ShouldContain("<span class=\"lineage__how\">regeneration</span>");
        detail.ShouldContain("(this image,");

        var parent = await client.GetPageAsync($"/images/{original.Id}");
        parent.ShouldContain("Made from this image");
        parent.ShouldContain($"href=\"/images/{replacement.Id}\"");
        parent.ShouldContain(">regenerated</span>");

        // The original order's slot now shows the regenerated image.
        var sheet = await client.GetPageAsync(page);
        sheet.ShouldContain($"src=\"/api/v1/images/{replacement.Id}/thumbnail\"");
        sheet.ShouldContain($"Regenerated in <a href=\"/orders/{newOrderId}\">");
    }

    [Fact]
    public async Task Image_detail_shows_metadata_evaluation_and_download()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var order = await StudioOrders.CompletedAsync(server, "a golden ring on velvet");
        var image = (await server.Services.Store.Images.ListByOrderAsync(order.Id, Cancel))[0];
        var html = await client.GetPageAsync($"/images/{image.Id}");
        html.ShouldContain("<blockquote class=\"prompt-text\">a golden ring on velvet</blockquote>");
        html.ShouldContain($"<dt>Provider</dt><dd>{image.Provider}</dd>");
        html.ShouldContain($"<dt>Seed</dt><dd>{image.Seed}</dd>");
        html.ShouldContain("<dt>Generation time</dt>");
        html.ShouldContain("<dt>Cost</dt><dd>$0.00");
        html.ShouldContain($"href=\"/api/v1/images/{image.Id}/file?download=1\" download>Download</a>");
        html.ShouldContain($"Score {image.Score}");
        html.ShouldContain("class=\"criterion__comment\"");
        html.ShouldContain($"href=\"/orders/{order.Id}\"");

        var approved = await client.PostFormAsync($"/images/{image.Id}", $"/images/{image.Id}?handler=Approve", []);
        approved.Headers.Location!.OriginalString.ShouldBe($"/images/{image.Id}");
        (await client.GetPageAsync($"/images/{image.Id}")).ShouldContain($"Approved image 1 ({image.Id}).");

        (await client.GetAsync("/images/img_missing")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Gallery_search_finds_the_matching_image_and_older_pages_follow_by_cursor()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var fox = await StudioOrders.CompletedAsync(server, "a red fox in the snow");
        var whale = await StudioOrders.CompletedAsync(server, "a blue whale in deep water");
        var foxImage = (await server.Services.Store.Images.ListByOrderAsync(fox.Id, Cancel))[0];
        var whaleImage = (await server.Services.Store.Images.ListByOrderAsync(whale.Id, Cancel))[0];

        var search = await client.GetPageAsync("/gallery?q=whale");
        search.ShouldContain($"href=\"/images/{whaleImage.Id}\"");
        search.ShouldNotContain($"href=\"/images/{foxImage.Id}\"");
        search.ShouldContain("value=\"whale\"");
        search.ShouldContain(">Search</button>");

        var first = await client.GetPageAsync("/gallery?limit=1");
        first.ShouldContain($"href=\"/images/{whaleImage.Id}\"");
        first.ShouldNotContain($"href=\"/images/{foxImage.Id}\"");
        var older = OlderLink().Match(first);
        older.Success.ShouldBeTrue("the first page links to older images");
        var next = System.Net.WebUtility.HtmlDecode(older.Groups[1].Value);
        next.ShouldContain("after=");
        next.ShouldNotContain("offset", Case.Insensitive);

        var second = await client.GetPageAsync(next);
        second.ShouldContain($"href=\"/images/{foxImage.Id}\"");
        second.ShouldNotContain($"href=\"/images/{whaleImage.Id}\"");
        second.ShouldNotContain(">Older</a>");

        // The script's infinite scroll asks for the next page's items alone.
        var fragment = await client.GetPageAsync(System.Net.WebUtility.HtmlDecode(PageLink().Match(first).Groups[1].Value));
        fragment.ShouldNotContain("<html");
        fragment.ShouldContain("data-items");
        fragment.ShouldContain($"href=\"/images/{foxImage.Id}\"");
    }

    [Fact]
    public async Task Gallery_explains_filters_it_cannot_read()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var html = await client.GetPageAsync("/gallery?from=yesterday&minScore=500&after=%%%");
        html.ShouldContain("From date &#x27;yesterday&#x27; is not a date like 2026-11-21");
        html.ShouldContain("Minimum score must be a whole number from 0 to 100");
        html.ShouldContain("The page link is damaged");
    }

    [Fact]
    public async Task Orders_lists_recent_orders_with_their_status()
    {
        await using var server = await ServerHarness.StartAsync();
        using var client = new StudioClient(server);
        var done = await StudioOrders.CompletedAsync(server, "a quiet harbour");
        var waiting = await StudioOrders.PlaceAsync(server, "six harbours", 6);
        var html = await client.GetPageAsync("/orders");
        html.ShouldContain($"href=\"/orders/{done.Id}\">a quiet harbour</a>");
        html.ShouldContain(">completed</span>");
        html.ShouldContain(">awaiting approval</span>");
        html.ShouldContain($"href=\"/approvals#{waiting.Approval!.Id}\">Decide</a>");

        var filtered = await client.GetPageAsync("/orders?status=awaiting_approval");
        filtered.ShouldContain("six harbours");
        filtered.ShouldNotContain("a quiet harbour");
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<[^>]+\\sstyle\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex("<[^>]+\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HandlerAttribute();

    [GeneratedRegex("a new order, (ord_[A-Za-z0-9_-]+)")]
    private static partial Regex NewOrder();

    [GeneratedRegex("href=\"([^\"]+)\" rel=\"next\" id=\"older\"")]
    private static partial Regex OlderLink();

    [GeneratedRegex("data-next-page=\"([^\"]+)\"")]
    private static partial Regex PageLink();
}
