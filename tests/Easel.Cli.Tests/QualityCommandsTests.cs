using System.Text.Json;
using Easel.Imaging;
using Easel.Imaging.Png;

namespace Easel.Cli.Tests;

/// <summary>What a person does around the quality loop from the command line: review, regenerate, vary, upscale, presets and references.</summary>
public sealed class QualityCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<(string OrderId, List<string> ImageIds)> GenerateAsync(int count = 1, string prompt = "a red fox in the snow", params string[] extra)
    {
        var run = await _cli.RunAsync(["generate", prompt, "-n", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--size", "128x128", "--max-iterations", "1", "--json", .. extra]);
        run.ExitCode.ShouldBe(0, run.ToString());
        var json = run.Json();
        return (json.GetProperty("order_id").GetString()!, json.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList());
    }

    private async Task<JsonElement> ShowAsync(string imageId)
    {
        var run = await _cli.RunAsync("show", imageId, "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        return run.Json();
    }

    private async Task<List<(string Id, string Review, string? Parent)>> ReviewJsonAsync(string orderId)
    {
        var run = await _cli.RunAsync("review", orderId, "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        return run.Json().GetProperty("images").EnumerateArray()
            .Select(i => (i.GetProperty("id").GetString()!, i.GetProperty("review").GetString()!, i.GetProperty("parent_id").GetString())).ToList();
    }

    [Fact]
    public async Task Review_in_a_terminal_approves_one_image_and_regenerates_the_other_in_its_slot()
    {
        var (orderId, images) = await GenerateAsync(count: 2);

        // Image 1: Approve. Image 2: Regenerate, then approve the new image shown in its place.
        var (run, keysLeft) = await _cli.RunInTerminalAsync(
            [ConsoleKey.Enter, ConsoleKey.DownArrow, ConsoleKey.Enter, ConsoleKey.Enter], "review", orderId);
        run.ExitCode.ShouldBe(0, run.ToString());
        keysLeft.ShouldBe(0);
        run.Stdout.ShouldContain($"Image 1 of 2: {images[0]}");
        run.Stdout.ShouldContain("2 of 2 images approved.");

        var reviewed = await ReviewJsonAsync(orderId);
        reviewed.Count.ShouldBe(2);
        reviewed[0].ShouldBe((images[0], "approved", null));
        reviewed[1].Id.ShouldNotBe(images[1]);
        reviewed[1].Review.ShouldBe("approved");
        reviewed[1].Parent.ShouldBe(images[1]);
        (await ShowAsync(images[1])).GetProperty("review").GetString().ShouldBe("regenerated");
        (await ShowAsync(reviewed[1].Id)).GetProperty("derivation").GetString().ShouldBe("regenerate");
    }

    [Fact]
    public async Task Review_without_a_terminal_lists_the_images_and_records_approvals_given_as_options()
    {
        var (orderId, images) = await GenerateAsync(count: 2);
        var list = await _cli.RunAsync("review", orderId);
        list.ExitCode.ShouldBe(0, list.ToString());
        list.Stdout.ShouldContain(images[0]);
        list.Stdout.ShouldContain(images[1]);
        list.Stdout.ShouldContain($"easel review {orderId} --approve IMAGE_ID");

        (await _cli.RunAsync("review", orderId, "--approve", images[1])).ExitCode.ShouldBe(0);
        (await ReviewJsonAsync(orderId)).Select(i => i.Review).ShouldBe(["unreviewed", "approved"]);

        var (_, other) = await GenerateAsync();
        var foreign = await _cli.RunAsync("review", orderId, "--approve", other[0]);
        foreign.ExitCode.ShouldBe(2);
        foreign.Stderr.ShouldContain($"{other[0]} is not one of order {orderId}'s current images");
        var unknown = await _cli.RunAsync("review", orderId, "--approve", "img_nosuchimage");
        unknown.ExitCode.ShouldBe(1);
        unknown.Stderr.ShouldContain("There is no image 'img_nosuchimage'");
        (await _cli.RunAsync("review", "ord_nosuchorder")).ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task Regenerate_makes_a_new_image_with_the_same_request_and_a_new_seed()
    {
        var (_, images) = await GenerateAsync(extra: ["--seed", "5"]);
        var run = await _cli.RunAsync("regenerate", images[0], "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        var created = run.Json().GetProperty("images").EnumerateArray().ShouldHaveSingleItem();
        created.GetProperty("seed").GetInt64().ShouldNotBe(5);
        var shown = await ShowAsync(created.GetProperty("id").GetString()!);
        shown.GetProperty("prompt").GetString().ShouldBe("a red fox in the snow");
        shown.GetProperty("parent_id").GetString().ShouldBe(images[0]);
        (shown.GetProperty("width").GetInt32(), shown.GetProperty("height").GetInt32()).ShouldBe((128, 128));
    }

    [Fact]
    public async Task Vary_and_upscale_make_children_whose_lineage_show_prints()
    {
        var (_, images) = await GenerateAsync();
        var parent = images[0];

        var vary = await _cli.RunAsync("vary", parent, "-n", "2", "--strength", "strong", "--json");
        vary.ExitCode.ShouldBe(0, vary.ToString());
        var variations = vary.Json().GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        variations.Count.ShouldBe(2);
        foreach (var id in variations)
        {
            var shown = await ShowAsync(id);
            shown.GetProperty("derivation").GetString().ShouldBe("variation");
            shown.GetProperty("lineage").EnumerateArray().Select(l => l.GetProperty("id").GetString()).ShouldBe([parent, id]);
        }

        var upscale = await _cli.RunAsync("upscale", variations[0], "--scale", "4", "--json");
        upscale.ExitCode.ShouldBe(0, upscale.ToString());
        var big = upscale.Json().GetProperty("images").EnumerateArray().ShouldHaveSingleItem();
        (big.GetProperty("width").GetInt32(), big.GetProperty("height").GetInt32()).ShouldBe((512, 512));
        var png = PngDecoder.Decode(await File.ReadAllBytesAsync(big.GetProperty("path").GetString()!, TestContext.Current.CancellationToken));
        (png.Image.Width, png.Image.Height).ShouldBe((512, 512));
        png.Text.ShouldContain(kv => kv.Key == "easel:upscale_of" && kv.Value == variations[0]);

        var human = await _cli.RunAsync("show", big.GetProperty("id").GetString()!);
        human.ExitCode.ShouldBe(0, human.ToString());
        human.Stdout.ShouldContain($"{parent} (128x128)  →  variation {variations[0]} (128x128)  →  upscale {big.GetProperty("id").GetString()} (512x512)");
        (await _cli.RunAsync("show", parent)).Stdout.ShouldContain($"variation {variations[0]}");
    }

    [Fact]
    public async Task Bad_requests_for_derived_images_are_refused_with_the_reason()
    {
        var (_, images) = await GenerateAsync();
        var scale = await _cli.RunAsync("upscale", images[0], "--scale", "3");
        scale.ExitCode.ShouldBe(2);
        scale.Stderr.ShouldContain("Argument '3' not recognized. Must be one of:");
        var many = await _cli.RunAsync("vary", images[0], "-n", "17");
        many.ExitCode.ShouldBe(2);
        many.Stderr.ShouldContain("--count must be between 1 and 16; got 17.");
        var missing = await _cli.RunAsync("regenerate", "img_nosuchimage");
        missing.ExitCode.ShouldBe(1);
        missing.Stderr.ShouldContain("There is no image 'img_nosuchimage'");
        var upscaler = await _cli.RunAsync("upscale", images[0], "--provider", "nope");
        upscaler.ExitCode.ShouldBe(2);
        upscaler.Stderr.ShouldContain("Unknown upscaler 'nope'. Known upscalers: builtin.");
    }

    [Fact]
    public async Task Presets_are_listed_user_presets_are_used_and_broken_ones_reported()
    {
        var folder = Path.Combine(_cli.Home, ".config", "easel", "presets");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "mine.json"), """
            { "name": "mine", "description": "My shop's look.", "prompt_details": ["pastel backdrop"],
              "criteria": [{ "name": "crisp", "description": "Sharp.", "check": "sharpness" }] }
            """, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.json"), "{ \"name\": ", TestContext.Current.CancellationToken);

        var list = await _cli.RunAsync("presets", "--json");
        list.ExitCode.ShouldBe(0, list.ToString());
        var names = list.Json().GetProperty("presets").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        names.ShouldContain("jewelry");
        names.ShouldContain("mine");
        list.Json().GetProperty("problems").EnumerateArray().ShouldHaveSingleItem().GetString()!.ShouldContain("broken.json");

        var run = await _cli.RunAsync("generate", "a silver ring", "--preset", "MINE", "--size", "128x128", "--threshold", "95", "--max-iterations", "2", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Json().GetProperty("prompt_history")[1].GetString()!.ShouldContain("pastel backdrop", customMessage: "the preset's detail reaches the prompter");

        var unknown = await _cli.RunAsync("generate", "a silver ring", "--preset", "nope");
        unknown.ExitCode.ShouldBe(2);
        unknown.Stderr.ShouldContain("There is no preset named 'nope'. Known presets:");
    }

    [Fact]
    public async Task Loop_options_out_of_range_are_usage_errors()
    {
        foreach (var (option, value, message) in new[]
        {
            ("--max-iterations", "0", "--max-iterations must be between 1 and 10; got 0."),
            ("--threshold", "101", "--threshold must be between 0 and 100; got 101."),
            ("--candidates", "9", "--candidates must be between 1 and 8; got 9."),
        })
        {
            var run = await _cli.RunAsync("generate", "a cat", option, value);
            run.ExitCode.ShouldBe(2, run.ToString());
            run.Stderr.ShouldContain(message);
        }
    }

    [Fact]
    public async Task References_are_checked_before_anything_is_spent_and_kept_with_the_order()
    {
        var red = new RgbaImage(32, 32);
        for (var i = 0; i < red.Pixels.Length; i += 4)
            (red.Pixels[i], red.Pixels[i + 3]) = (220, 255);
        var path = Path.Combine(_cli.Home, "ref.png");
        await File.WriteAllBytesAsync(path, PngEncoder.Encode(red), TestContext.Current.CancellationToken);

        var (orderId, _) = await GenerateAsync(extra: ["--refs", path]);
        Directory.EnumerateFiles(Path.Combine(_cli.Home, "images", "refs")).ShouldHaveSingleItem().ShouldEndWith(".png");

        foreach (var (source, message) in new[]
        {
            ("http://127.0.0.1/cat.png", "127.0.0.1"),
            ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
            ("file:///etc/passwd", "file"),
            (Path.Combine(_cli.Home, "missing.png"), "missing.png"),
        })
        {
            var run = await _cli.RunAsync("generate", "a cat", "--refs", source);
            run.ExitCode.ShouldBe(2, run.ToString());
            run.Stderr.ShouldContain("--refs:");
            run.Stderr.ShouldContain(message);
        }
        var orders = await _cli.RunAsync("orders", "--json");
        orders.Json().GetProperty("orders").GetArrayLength().ShouldBe(1, "a refused reference places no order");
        orders.Json().GetProperty("orders")[0].GetProperty("order_id").GetString().ShouldBe(orderId);
    }
}
