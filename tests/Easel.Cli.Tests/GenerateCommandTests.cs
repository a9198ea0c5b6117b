using System.Security.Cryptography;
using System.Text.Json;
using Easel.Imaging.Png;

namespace Easel.Cli.Tests;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Json_result_describes_real_recorded_images()
    {
        var run = await _cli.RunAsync("generate", "a red fox in a snowy forest at sunset, watercolor", "--json", "--size", "320x240", "--seed", "42", "--max-iterations", "1");
        run.ExitCode.ShouldBe(0, run.ToString());
        var json = run.Json();

        json.GetProperty("order_id").GetString()!.ShouldStartWith("ord_");
        json.GetProperty("final_score").GetInt32().ShouldBeInRange(0, 100);
        json.GetProperty("iterations").GetInt32().ShouldBe(1);
        json.GetProperty("cost").GetDecimal().ShouldBe(0m);
        json.GetProperty("prompt_history").EnumerateArray().Select(p => p.GetString()).ShouldBe(["a red fox in a snowy forest at sunset, watercolor"]);
        var feedback = json.GetProperty("feedback_history").EnumerateArray().ShouldHaveSingleItem().GetString()!;
        feedback.ShouldContain("Not checked offline", customMessage: "the built-in evaluator says what it cannot judge");
        var image = json.GetProperty("images").EnumerateArray().ShouldHaveSingleItem();
        var path = image.GetProperty("path").GetString()!;
        json.GetProperty("best_image").GetString().ShouldBe(path);
        json.GetProperty("image_history").EnumerateArray().Select(p => p.GetString()).ShouldBe([path]);
        image.GetProperty("score").GetInt32().ShouldBe(json.GetProperty("final_score").GetInt32());
        path.ShouldStartWith(_cli.Home);
        image.GetProperty("width").GetInt32().ShouldBe(320);
        image.GetProperty("height").GetInt32().ShouldBe(240);
        image.GetProperty("seed").GetInt64().ShouldBe(42);

        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Convert.ToHexStringLower(SHA256.HashData(bytes)).ShouldBe(image.GetProperty("sha256").GetString());
        var png = PngDecoder.Decode(bytes);
        (png.Image.Width, png.Image.Height).ShouldBe((320, 240));
        png.Text.ShouldContain(kv => kv.Key == "easel:order_id" && kv.Value == json.GetProperty("order_id").GetString());
    }

    [Fact]
    public async Task The_loop_refines_below_the_threshold_and_reports_every_iteration()
    {
        // The built-in evaluator never gives 95 (it cannot see the subject), so all three iterations run.
        const string prompt = "a teal and gold dragon over a dark stormy sea at night";
        var run = await _cli.RunAsync("generate", prompt, "--json", "--size", "256x256", "--seed", "3", "--threshold", "95", "--max-iterations", "3", "--candidates", "2");
        run.ExitCode.ShouldBe(0, run.ToString());
        var json = run.Json();

        json.GetProperty("iterations").GetInt32().ShouldBe(3);
        run.Stderr.ShouldContain("The built-in evaluator gives at most 90 (it cannot see the subject), so a threshold of 95 is never reached: every image is made 3 times.");
        var prompts = json.GetProperty("prompt_history").EnumerateArray().Select(p => p.GetString()!).ToList();
        prompts.Count.ShouldBe(3);
        prompts[0].ShouldBe(prompt);
        prompts.Skip(1).ShouldAllBe(p => p.StartsWith(prompt) && p.Length > prompt.Length, "refinements keep the user's words and add to them");
        var images = json.GetProperty("image_history").EnumerateArray().Select(p => p.GetString()!).ToList();
        images.Count.ShouldBe(6, "2 candidates in each of 3 iterations");
        json.GetProperty("feedback_history").GetArrayLength().ShouldBe(6);
        images.ShouldContain(json.GetProperty("best_image").GetString()!);

        // The best image is the highest-scored of the six, as `easel show` reports them.
        var scores = new List<int>();
        foreach (var path in images)
        {
            var id = Path.GetFileNameWithoutExtension(path);
            var show = await _cli.RunAsync("show", id, "--json");
            scores.Add(show.Json().GetProperty("score").GetInt32());
        }
        json.GetProperty("final_score").GetInt32().ShouldBe(scores.Max());
        scores.IndexOf(scores.Max()).ShouldBe(images.IndexOf(json.GetProperty("best_image").GetString()!));
    }

    [Fact]
    public async Task Several_images_get_consecutive_seeds_and_distinct_pictures()
    {
        // Six is more than may run without approval: --yes approves up front.
        var run = await _cli.RunAsync("generate", "a lighthouse by the sea", "-n", "6", "--size", "128x128", "--seed", "10", "--yes", "--json", "--max-iterations", "1");
        run.ExitCode.ShouldBe(0, run.ToString());
        var images = run.Json().GetProperty("images").EnumerateArray().ToList();
        images.Count.ShouldBe(6);
        images.Select(i => i.GetProperty("seed").GetInt64()).ShouldBe([10, 11, 12, 13, 14, 15]);
        var pixels = images.Select(i => Convert.ToHexString(SHA256.HashData(PngDecoder.Decode(File.ReadAllBytes(i.GetProperty("path").GetString()!)).Image.Pixels)));
        pixels.Distinct().Count().ShouldBe(6);
        run.Stderr.ShouldContain("6/6 images");
    }

    [Fact]
    public async Task Same_seed_and_prompt_give_the_same_pixels()
    {
        async Task<byte[]> Render()
        {
            var run = await _cli.RunAsync("generate", "a castle on a hill at night", "--size", "160x120", "--seed", "5", "--json");
            run.ExitCode.ShouldBe(0, run.ToString());
            var path = run.Json().GetProperty("best_image").GetString()!;
            return PngDecoder.Decode(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)).Image.Pixels;
        }
        (await Render()).ShouldBe(await Render());
    }

    [Fact]
    public async Task Aspect_ratio_and_transparent_background_are_honoured()
    {
        var run = await _cli.RunAsync("generate", "a gold ring with a blue gem, product shot", "--aspect-ratio", "16:9", "--background", "transparent", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        var image = run.Json().GetProperty("images")[0];
        (image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32()).ShouldBe((1344, 768));
        var decoded = PngDecoder.Decode(await File.ReadAllBytesAsync(image.GetProperty("path").GetString()!, TestContext.Current.CancellationToken)).Image;
        decoded.Pixels[3].ShouldBe((byte)0, "the corner is background and must be transparent");
        decoded.IsOpaque().ShouldBeFalse();
    }

    [Fact]
    public async Task Out_copies_deliverables_without_overwriting()
    {
        var outDir = Path.Combine(_cli.Home, "deliver");
        var first = await _cli.RunAsync("generate", "a red bicycle", "-n", "2", "--size", "96x96", "--out", outDir, "--json");
        var second = await _cli.RunAsync("generate", "a red bicycle", "-n", "2", "--size", "96x96", "--out", outDir, "--json");
        first.ExitCode.ShouldBe(0, first.ToString());
        second.ExitCode.ShouldBe(0, second.ToString());

        var copies = new[] { first, second }.SelectMany(r => r.Json().GetProperty("images").EnumerateArray())
            .Select(i => i.GetProperty("copy").GetString()!).ToList();
        copies.Distinct().Count().ShouldBe(4);
        copies.ShouldAllBe(c => Path.GetDirectoryName(c) == outDir && File.Exists(c));
        Directory.GetFiles(outDir).Length.ShouldBe(4);
        Path.GetFileName(copies[0]).ShouldStartWith("a-red-bicycle");
    }

    [Fact]
    public async Task Human_output_is_a_table_of_the_files()
    {
        var run = await _cli.RunAsync("generate", "a teal vintage car in the city", "-n", "2", "--size", "96x96");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("done: 2 of 2 images");
        run.Stdout.Split('\n').Count(l => l.Contains(".png")).ShouldBe(2);
    }

    [Theory]
    [InlineData("--count must be between 1 and 1000; got 0", "-n", "0")]
    [InlineData("--count must be between 1 and 1000; got 10000", "--count", "10000")]
    [InlineData("7x7 is out of range", "--size", "7x7")]
    [InlineData("99999x99999 is out of range", "--size", "99999x99999")]
    [InlineData("'big' is not a size", "--size", "big")]
    [InlineData("Unknown style 'cubism'", "--style", "cubism")]
    [InlineData("Unknown provider 'dalle'", "--provider", "dalle")]
    [InlineData("is not an aspect ratio", "--aspect-ratio", "wide")]
    [InlineData("--seed must be between", "--seed", "-1")]
    [InlineData("not both", "--size", "512x512", "--aspect-ratio", "1:1")]
    [InlineData("'sepia'", "--background", "sepia")]
    public async Task Bad_flags_exit_2_with_a_specific_message_and_make_nothing(string message, params string[] flags)
    {
        var run = await _cli.RunAsync(["generate", "a cat", .. flags]);
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain(message);
        run.Stdout.ShouldBeEmpty();
        Directory.Exists(Path.Combine(_cli.Home, "images")).ShouldBeFalse();
    }

    [Fact]
    public async Task Empty_prompt_is_a_usage_error()
    {
        var run = await _cli.RunAsync("generate", "   ");
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("The prompt is empty");
    }

    [Fact]
    public async Task Out_pointing_at_a_file_is_a_usage_error_before_any_work()
    {
        var file = Path.Combine(_cli.Home, "not-a-dir");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        var run = await _cli.RunAsync("generate", "a cat", "--out", file);
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain("is a file, not a folder");
        Directory.Exists(Path.Combine(_cli.Home, "images")).ShouldBeFalse();
    }

    [Fact]
    public async Task The_real_executable_prints_only_json_on_stdout_and_logs_on_stderr()
    {
        var run = await _cli.RunProcessAsync("generate", "a purple bird at dawn", "-n", "2", "--size", "128x128", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Json().GetProperty("images").GetArrayLength().ShouldBe(2);
        run.Stderr.ShouldContain("2/2 images");

        var bad = await _cli.RunProcessAsync("generate", "a cat", "-n", "0");
        bad.ExitCode.ShouldBe(2, bad.ToString());
        bad.Stdout.ShouldBeEmpty();
    }
}

public sealed class SlugTests
{
    [Theory]
    [InlineData("a red fox in a snowy forest at sunset, watercolor", "a-red-fox-in-a-snowy-forest-at-sunset")]
    [InlineData("Café   au lait!", "caf-au-lait")]
    [InlineData("🦊🦊", "image")]
    [InlineData("supercalifragilisticexpialidocious-and-then-some-more-letters", "supercalifragilisticexpialidocious-and")]
    public void Copies_are_named_after_whole_words_of_the_prompt(string prompt, string slug) =>
        Commands.GenerateCommand.Slug(prompt).ShouldBe(slug);
}
