using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Workflows.Agent;

namespace Easel.Workflows.Tests.Agent;

/// <summary>
/// The offline request parser behind <c>easel ask</c>: what a person types becomes an order with
/// every field right and nothing extra, a question when the count or the subject is missing, and
/// the answer appended on its own line completes the order.
/// </summary>
public sealed class RequestParserTests
{
    private static readonly string[] Providers = ["sketch", "openai", "gemini", "imagen", "replicate", "stability", "automatic1111", "comfyui", "my-flux"];

    private static RequestParse Parse(string request) => RequestParser.Parse(request, Providers);

    /// <summary>Every field of an order and the question, so a field taken by mistake fails the comparison.</summary>
    private sealed record Expected
    {
        public int? Count { get; init; }
        public string? Prompt { get; init; }
        public string? Size { get; init; }
        public string? AspectRatio { get; init; }
        public string? Style { get; init; }
        public string? NegativePrompt { get; init; }
        public long? Seed { get; init; }
        public string? Background { get; init; }
        public string? Provider { get; init; }
        public string? Quality { get; init; }
        public string? Format { get; init; }
        public int? MaxIterations { get; init; }
        public int? Threshold { get; init; }
        public int? Candidates { get; init; }
        public string? Preset { get; init; }
        public string? References { get; init; }
        public string? Question { get; init; }

        public static Expected Of(RequestParse parse) => new()
        {
            Count = parse.Order.Count,
            Prompt = parse.Order.Prompt,
            Size = parse.Order.Size,
            AspectRatio = parse.Order.AspectRatio,
            Style = parse.Order.Style,
            NegativePrompt = parse.Order.NegativePrompt,
            Seed = parse.Order.Seed,
            Background = parse.Order.Background,
            Provider = parse.Order.Provider,
            Quality = parse.Order.Quality,
            Format = parse.Order.Format,
            MaxIterations = parse.Order.MaxIterations,
            Threshold = parse.Order.Threshold,
            Candidates = parse.Order.Candidates,
            Preset = parse.Order.Preset,
            References = parse.Order.References is { } references ? string.Join(" ", references) : null,
            Question = parse.Question,
        };
    }

    private const string HowMany = "How many images would you like?";
    private const string WhatOf = "What should the images show?";
    private const string Both = "How many images would you like, and what should they show?";

    private static readonly Dictionary<string, Expected> _phrasings = new()
    {
        // The example, and counts in digits and words.
        ["Generate 6 images of cats in watercolor style at 16:9, no text"] = new() { Count = 6, Prompt = "cats", Style = "watercolor", AspectRatio = "16:9", NegativePrompt = "text" },
        ["six pictures of a dog"] = new() { Count = 6, Prompt = "a dog" },
        ["Make twelve images of a lighthouse"] = new() { Count = 12, Prompt = "a lighthouse" },
        ["twenty-one renders of a robot"] = new() { Count = 21, Prompt = "a robot" },
        ["twenty one images of a bus"] = new() { Count = 21, Prompt = "a bus" },
        ["one hundred and twenty images of a bus"] = new() { Count = 120, Prompt = "a bus" },
        ["a dozen images of sunflowers"] = new() { Count = 12, Prompt = "sunflowers" },
        ["half a dozen pictures of a red barn"] = new() { Count = 6, Prompt = "a red barn" },
        ["two dozen icons of weather"] = new() { Count = 24, Prompt = "an icon of weather" },
        ["a couple of images of a cat"] = new() { Count = 2, Prompt = "a cat" },
        ["a pair of pictures of shoes"] = new() { Count = 2, Prompt = "shoes" },
        ["a few images of a forest"] = new() { Count = 3, Prompt = "a forest" },
        ["several images of a forest"] = new() { Prompt = "a forest", Question = HowMany },
        ["Generate an image of a cat"] = new() { Count = 1, Prompt = "a cat" },
        ["Draw a picture of a mountain"] = new() { Count = 1, Prompt = "a mountain" },
        ["a single image of a bus"] = new() { Count = 1, Prompt = "a bus" },
        ["3 more images of a bus"] = new() { Count = 3, Prompt = "a bus" },
        ["3 variations of a logo for a coffee shop"] = new() { Count = 3, Prompt = "a logo for a coffee shop" },
        ["3 different versions of a sunset over the sea"] = new() { Count = 3, Prompt = "a sunset over the sea" },
        ["Make 3 options for a poster"] = new() { Count = 3, Prompt = "a poster" },
        ["4 shots of a beach"] = new() { Count = 4, Prompt = "a beach" },
        ["3 wallpapers of mountains"] = new() { Count = 3, Prompt = "a wallpaper of mountains" },
        ["5 icons of a rocket"] = new() { Count = 5, Prompt = "an icon of a rocket" },
        ["3 logos for a coffee shop"] = new() { Count = 3, Prompt = "a logo for a coffee shop" },
        ["Generate a portrait of my dog"] = new() { Count = 1, Prompt = "a portrait of my dog" },
        ["Generate 6 cat images"] = new() { Count = 6, Prompt = "cat" },
        ["a futuristic cityscape at sunset, 4 images"] = new() { Count = 4, Prompt = "a futuristic cityscape at sunset" },
        ["make 4 of a red fox"] = new() { Count = 4, Prompt = "a red fox" },
        ["Please can you make me 4 pictures of a futuristic cityscape at sunset?"] = new() { Count = 4, Prompt = "a futuristic cityscape at sunset" },
        ["Could you please generate 3 pictures of a lighthouse for me, thanks!"] = new() { Count = 3, Prompt = "a lighthouse" },
        ["I'd like 3 images of a cozy cabin in the woods, snow falling, warm light"] = new() { Count = 3, Prompt = "a cozy cabin in the woods, snow falling, warm light" },
        ["Generate 1500 images of a cat"] = new() { Count = 1500, Prompt = "a cat" },
        ["Cats in the snow x6"] = new() { Count = 6, Prompt = "Cats in the snow" },
        ["Create 4 minimalist logo designs for a tech startup"] = new() { Count = 4, Prompt = "a logo design for a tech startup", Style = "minimal" },
        ["Generate PNGs of a cat"] = new() { Prompt = "a cat", Format = "png", Question = HowMany },

        // Numbers that belong to the subject.
        ["Generate 2 pictures of a cat with 3 kittens"] = new() { Count = 2, Prompt = "a cat with 3 kittens" },
        ["Make 4 images of a 1920s jazz club"] = new() { Count = 4, Prompt = "a 1920s jazz club" },
        ["Generate a poster of the top 10 movies"] = new() { Count = 1, Prompt = "a poster of the top 10 movies" },
        ["3 images of two cats playing"] = new() { Count = 3, Prompt = "two cats playing" },
        ["draw 3 cats"] = new() { Prompt = "3 cats", Question = HowMany },
        ["Generate 3 images of a clock at 10:30"] = new() { Count = 3, Prompt = "a clock at 10:30" },
        ["4k images of a mountain"] = new() { Prompt = "a mountain", Quality = "high", Question = HowMany },

        // Sizes and shapes.
        ["Generate 2 images of a city at 1024x768"] = new() { Count = 2, Prompt = "a city", Size = "1024x768" },
        ["3 images of a field 1920 by 1080"] = new() { Count = 3, Prompt = "a field", Size = "1920x1080" },
        ["3 images of a field 1536×1024"] = new() { Count = 3, Prompt = "a field", Size = "1536x1024" },
        ["a 16:9 image of a beach"] = new() { Count = 1, Prompt = "a beach", AspectRatio = "16:9" },
        ["3 images of a valley in 4:3"] = new() { Count = 3, Prompt = "a valley", AspectRatio = "4:3" },
        ["3 images of a valley, aspect ratio 3:2"] = new() { Count = 3, Prompt = "a valley", AspectRatio = "3:2" },
        ["3 widescreen images of a desert"] = new() { Count = 3, Prompt = "a desert", AspectRatio = "16:9" },
        ["a square image of a flower"] = new() { Count = 1, Prompt = "a flower", AspectRatio = "1:1" },
        ["Create 2 images of Times Square at night"] = new() { Count = 2, Prompt = "Times Square at night" },
        ["Create 2 images of a town square, square format"] = new() { Count = 2, Prompt = "a town square", AspectRatio = "1:1" },
        ["2 portraits of my dog in portrait mode"] = new() { Count = 2, Prompt = "a portrait of my dog", AspectRatio = "2:3" },
        ["5 tall images of a tower"] = new() { Count = 5, Prompt = "a tower", AspectRatio = "2:3" },
        ["3 images of a tall tower"] = new() { Count = 3, Prompt = "a tall tower" },
        ["Make 3 phone wallpapers of a forest"] = new() { Count = 3, Prompt = "a wallpaper of a forest", AspectRatio = "9:16" },
        ["Make 2 instagram stories about coffee"] = new() { Count = 2, Prompt = "coffee", AspectRatio = "9:16" },
        ["4 images of a beach in landscape orientation"] = new() { Count = 4, Prompt = "a beach", AspectRatio = "3:2" },
        ["2 images of a city, cinematic aspect ratio"] = new() { Count = 2, Prompt = "a city", AspectRatio = "21:9" },
        ["a cinematic shot of a car"] = new() { Count = 1, Prompt = "a cinematic shot of a car" },
        ["2 images of a galaxy, vertical"] = new() { Count = 2, Prompt = "a galaxy", AspectRatio = "2:3" },
        ["2 images of a horse, 1:5"] = new() { Count = 2, Prompt = "a horse, 1:5" },
        ["2 images of a horse, aspect ratio 1:5"] = new() { Count = 2, Prompt = "a horse", AspectRatio = "1:5" },
        ["an image of a lake at 1024x768, 4:3"] = new() { Count = 1, Prompt = "a lake", Size = "1024x768" },

        // Styles.
        ["Generate 6 images of cats as pixel art"] = new() { Count = 6, Prompt = "cats", Style = "pixel-art" },
        ["6 images of a knight, 8-bit"] = new() { Count = 6, Prompt = "a knight", Style = "pixel-art" },
        ["3 images of a harbour in watercolour"] = new() { Count = 3, Prompt = "a harbour", Style = "watercolor" },
        ["4 photorealistic images of a tiger"] = new() { Count = 4, Prompt = "a tiger", Style = "photographic" },
        ["a photo of a cat"] = new() { Count = 1, Prompt = "a cat", Style = "photographic" },
        ["4 images of a cyberpunk city"] = new() { Count = 4, Prompt = "a city", Style = "cyberpunk" },
        ["4 images of a neon sign"] = new() { Count = 4, Prompt = "a neon sign" },
        ["4 images of a street in neon"] = new() { Count = 4, Prompt = "a street", Style = "neon" },
        ["2 images of a house, flat design"] = new() { Count = 2, Prompt = "a house", Style = "flat" },
        ["a flat icon of a house"] = new() { Count = 1, Prompt = "an icon of a house", Style = "flat" },
        ["2 minimalist posters of a mountain"] = new() { Count = 2, Prompt = "a poster of a mountain", Style = "minimal" },
        ["Generate a watercolor of a fox"] = new() { Count = 1, Prompt = "a fox", Style = "watercolor" },
        ["Generate 2 images of an 8-bit castle"] = new() { Count = 2, Prompt = "a castle", Style = "pixel-art" },
        ["a watercolor painting of a fox in pixel art style"] = new() { Count = 1, Prompt = "a watercolor painting of a fox", Style = "pixel-art" },
        ["2 images of a starry night in the style of Van Gogh"] = new() { Count = 2, Prompt = "a starry night in the style of Van Gogh" },
        ["Generate 2 images of a cat, make them neon"] = new() { Count = 2, Prompt = "a cat", Style = "neon" },

        // Negatives.
        ["Generate 6 images of cats, no text, no watermarks"] = new() { Count = 6, Prompt = "cats", NegativePrompt = "text, watermarks" },
        ["3 images of a park without people"] = new() { Count = 3, Prompt = "a park", NegativePrompt = "people" },
        ["3 images of a sky, avoid blur"] = new() { Count = 3, Prompt = "a sky", NegativePrompt = "blur" },
        ["3 images of a street, don't include logos"] = new() { Count = 3, Prompt = "a street", NegativePrompt = "logos" },
        ["3 images of a road, exclude cars"] = new() { Count = 3, Prompt = "a road", NegativePrompt = "cars" },
        ["3 images of fruit but not bananas"] = new() { Count = 3, Prompt = "fruit", NegativePrompt = "bananas" },
        ["4 images of a car, no text and no logos"] = new() { Count = 4, Prompt = "a car", NegativePrompt = "text, logos" },
        ["4 images of a cat (no text)"] = new() { Count = 4, Prompt = "a cat", NegativePrompt = "text" },
        ["Generate 3 images of a sign that says no parking"] = new() { Count = 3, Prompt = "a sign that says no parking" },
        ["Generate 6 images of cats. Make them in watercolor style. No text."] = new() { Count = 6, Prompt = "cats", Style = "watercolor", NegativePrompt = "text" },

        // Seeds and providers.
        ["Generate 6 images of cats with seed 42"] = new() { Count = 6, Prompt = "cats", Seed = 42 },
        ["Generate 6 images of cats, seed=42"] = new() { Count = 6, Prompt = "cats", Seed = 42 },
        ["Generate 6 images of cats using seed #7"] = new() { Count = 6, Prompt = "cats", Seed = 7 },
        ["Generate 2 images of a cat using OpenAI"] = new() { Count = 2, Prompt = "a cat", Provider = "openai" },
        ["2 images of a cat with gemini"] = new() { Count = 2, Prompt = "a cat", Provider = "gemini" },
        ["2 images of a cat on replicate"] = new() { Count = 2, Prompt = "a cat", Provider = "replicate" },
        ["2 images of a cat via sketch"] = new() { Count = 2, Prompt = "a cat", Provider = "sketch" },
        ["2 images of a cat from imagen"] = new() { Count = 2, Prompt = "a cat", Provider = "imagen" },
        ["2 images of a cat using my-flux"] = new() { Count = 2, Prompt = "a cat", Provider = "my-flux" },
        ["2 images of a cat with a hat"] = new() { Count = 2, Prompt = "a cat with a hat" },
        ["Make 3 images of a sketch of a cat"] = new() { Count = 3, Prompt = "a sketch of a cat" },
        ["Generate 2 images of a gemini constellation"] = new() { Count = 2, Prompt = "a gemini constellation" },
        ["Generate 6 images of cats, using seed 42 and openai"] = new() { Count = 6, Prompt = "cats", Seed = 42, Provider = "openai" },

        // Quality, format, background.
        ["2 images of a cat in high quality"] = new() { Count = 2, Prompt = "a cat", Quality = "high" },
        ["2 high-quality images of a cat"] = new() { Count = 2, Prompt = "a cat", Quality = "high" },
        ["a low quality draft of a logo"] = new() { Count = 1, Prompt = "a logo", Quality = "low" },
        ["2 images of a cat in HD"] = new() { Count = 2, Prompt = "a cat", Quality = "high" },
        ["2 images of a cat as jpeg"] = new() { Count = 2, Prompt = "a cat", Format = "jpeg" },
        ["2 images of a cat as jpg"] = new() { Count = 2, Prompt = "a cat", Format = "jpeg" },
        ["2 images of a cat in webp format"] = new() { Count = 2, Prompt = "a cat", Format = "webp" },
        ["Generate 3 transparent PNGs of a cat"] = new() { Count = 3, Prompt = "a cat", Format = "png", Background = "transparent" },
        ["2 icons of a cat on a transparent background"] = new() { Count = 2, Prompt = "an icon of a cat", Background = "transparent" },
        ["2 images of a cat, no background"] = new() { Count = 2, Prompt = "a cat", Background = "transparent" },

        // The quality loop.
        ["2 images of a cat, up to 3 iterations"] = new() { Count = 2, Prompt = "a cat", MaxIterations = 3 },
        ["2 images of a cat, max 2 tries"] = new() { Count = 2, Prompt = "a cat", MaxIterations = 2 },
        ["2 images of a cat, threshold 80"] = new() { Count = 2, Prompt = "a cat", Threshold = 80 },
        ["2 images of a cat, score at least 80"] = new() { Count = 2, Prompt = "a cat", Threshold = 80 },
        ["2 images of a cat until it scores 85"] = new() { Count = 2, Prompt = "a cat", Threshold = 85 },
        ["2 images of a cat, best of 3"] = new() { Count = 2, Prompt = "a cat", Candidates = 3 },
        ["6 images of a cat with up to 3 iterations and a threshold of 85 and best of 2"] = new() { Count = 6, Prompt = "a cat", MaxIterations = 3, Threshold = 85, Candidates = 2 },
        ["2 images of a dog, pick the best of 4, max 5 attempts, min score 70"] = new() { Count = 2, Prompt = "a dog", MaxIterations = 5, Threshold = 70, Candidates = 4 },
        ["an image of a fox, no refinement"] = new() { Count = 1, Prompt = "a fox", MaxIterations = 1 },
        ["Generate 3 images of a cat using the product preset"] = new() { Count = 3, Prompt = "a cat", Preset = "product" },

        // Everything at once, quotes, references.
        ["Give me 8 images of a samurai with openai at 3:2, seed 123, high quality, as webp"] = new() { Count = 8, Prompt = "a samurai", AspectRatio = "3:2", Seed = 123, Provider = "openai", Quality = "high", Format = "webp" },
        ["make 4 images of \"a red fox, snow\""] = new() { Count = 4, Prompt = "a red fox, snow" },
        ["make 4 images of \"a red fox, no snow, 16:9\""] = new() { Count = 4, Prompt = "a red fox, no snow, 16:9" },
        ["Generate 4 images of a \"Hello\" sign"] = new() { Count = 4, Prompt = "a \"Hello\" sign" },
        ["3 images of a cat based on https://example.com/cat.png"] = new() { Count = 3, Prompt = "a cat", References = "https://example.com/cat.png" },
        ["Generate 4 images: a red fox in the snow"] = new() { Count = 4, Prompt = "a red fox in the snow" },
        ["In watercolor style, generate 6 images of cats"] = new() { Count = 6, Prompt = "cats", Style = "watercolor" },
    };

    public static TheoryData<string> Phrasings => [.. _phrasings.Keys];

    /// <summary>Phrasings that ask for what the order's checks refuse: kept as asked, so the person reads why.</summary>
    private static readonly string[] OutOfRange = ["Generate 1500 images of a cat", "2 images of a horse, aspect ratio 1:5"];

    [Theory]
    [MemberData(nameof(Phrasings))]
    public void Understands_the_request_with_every_field_right_and_nothing_extra(string request)
    {
        Expected.Of(Parse(request)).ShouldBe(_phrasings[request]);
    }

    [Theory]
    [MemberData(nameof(Phrasings))]
    public void An_order_without_a_question_passes_the_order_checks_that_need_no_services(string request)
    {
        var parsed = Parse(request);
        if (parsed.Question is not null || OutOfRange.Contains(request))
            return;
        var order = parsed.Order;

        order.Prompt.ShouldNotBeNullOrWhiteSpace();
        order.Prompt!.Length.ShouldBeLessThanOrEqualTo(OrderSpec.MaxPromptLength);
        order.Count.ShouldNotBeNull().ShouldBeInRange(1, OrderSpec.MaxCount);
        (order.Size is null || order.AspectRatio is null).ShouldBeTrue("a size and an aspect ratio together are refused");
        if (order.Size is not null)
            ImageSize.TryParse(order.Size, out _, out var sizeError).ShouldBeTrue(sizeError);
        if (order.AspectRatio is not null)
            ImageSize.TryFromAspectRatio(order.AspectRatio, 1024 * 1024, out _, out var ratioError).ShouldBeTrue(ratioError);
        if (order.Style is not null)
            ImageStyles.Normalize(order.Style).ShouldBe(order.Style);
        if (order.Quality is not null)
            ImageOptionsText.TryParseQuality(order.Quality, out _).ShouldBeTrue();
        if (order.Format is not null)
            ImageOptionsText.TryParseFormat(order.Format, out _).ShouldBeTrue();
        order.Background.ShouldBeOneOf(null, "opaque", "transparent");
        if (order.Seed is { } seed)
            seed.ShouldBeInRange(0, uint.MaxValue);
        new LoopSettings
        {
            MaxIterations = order.MaxIterations ?? LoopSettings.DefaultMaxIterations,
            Threshold = order.Threshold ?? LoopSettings.DefaultThreshold,
            Candidates = order.Candidates ?? 1,
        }.Validate().ShouldBeNull();
        if (order.Provider is not null)
            Providers.ShouldContain(order.Provider);
    }

    [Fact]
    public void Says_what_it_understood_in_short_lines()
    {
        Parse("Generate 6 images of cats in watercolor style at 16:9, no text, seed 42, using openai").Understood.ShouldBe(
        [
            "6 images", "prompt \"cats\"", "style watercolor", "aspect ratio 16:9", "without: text", "seed 42", "provider openai",
        ]);
        Parse("an image of a fox at 1024x768 in high quality as webp with a transparent background, up to 2 iterations, threshold 90, best of 3").Understood.ShouldBe(
        [
            "1 image", "prompt \"a fox\"", "size 1024x768", "quality high", "format webp", "background transparent", "up to 2 iterations",
            "threshold 90", "best of 3",
        ]);
    }

    [Fact]
    public void Asks_how_many_when_the_count_is_missing()
    {
        var parsed = Parse("Generate images of red foxes in the snow");

        parsed.Question.ShouldBe(HowMany);
        parsed.Order.Count.ShouldBeNull();
        parsed.Order.Prompt.ShouldBe("red foxes in the snow");
        Parse("Draw a cat").Question.ShouldBe(HowMany);
    }

    [Fact]
    public void Asks_what_the_images_show_when_the_subject_is_missing()
    {
        Parse("Generate 6 images").Question.ShouldBe(WhatOf);
        Parse("Please make me four pictures in watercolor style at 16:9, no text").Question.ShouldBe(WhatOf);
        Parse("Generate 6 logos").Question.ShouldBe(WhatOf);
        Parse("Generate 6 cute pictures").Question.ShouldBe(WhatOf);
        Parse("a dozen").Question.ShouldBe(WhatOf);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Generate images")]
    [InlineData("Can you please make some pictures for me?")]
    [InlineData("at 16:9, no text, using openai")]
    public void Asks_for_both_in_one_question_when_both_are_missing(string request)
    {
        var parsed = Parse(request);

        parsed.Question.ShouldBe(Both);
        parsed.Order.Count.ShouldBeNull();
        parsed.Order.Prompt.ShouldBeNull();
    }

    [Theory]
    [InlineData("Generate images of cats", "6", 6, "cats")]
    [InlineData("Generate images of cats", "six", 6, "cats")]
    [InlineData("Generate images of cats", "a dozen", 12, "cats")]
    [InlineData("Generate images of cats", "6 please", 6, "cats")]
    [InlineData("Generate images of cats", "make it twenty-one", 21, "cats")]
    [InlineData("Generate 6 images", "red foxes in the snow", 6, "red foxes in the snow")]
    [InlineData("Generate 6 images in watercolor style", "a lighthouse at dusk", 6, "a lighthouse at dusk")]
    [InlineData("Generate images", "6 red foxes", 6, "red foxes")]
    [InlineData("Generate images", "6 images of red foxes", 6, "red foxes")]
    [InlineData("Generate 6 cute pictures", "cats", 6, "cute cats")]
    [InlineData("Generate 6 cute pictures", "a kitten", 6, "a cute kitten")]
    [InlineData("Generate 6 logos", "for a coffee shop", 6, "a logo for a coffee shop")]
    public void An_answer_on_its_own_line_completes_the_request(string request, string answer, int count, string prompt)
    {
        Parse(request).Question.ShouldNotBeNull();

        var parsed = Parse(request + "\n" + answer);

        parsed.Question.ShouldBeNull();
        parsed.Order.Count.ShouldBe(count);
        parsed.Order.Prompt.ShouldBe(prompt);
    }

    [Fact]
    public void Two_answers_complete_a_request_that_lacked_both()
    {
        var text = "Generate images in watercolor style";
        Parse(text).Question.ShouldBe(Both);

        text += "\n6";
        Parse(text).Question.ShouldBe(WhatOf);

        text += "\nred foxes in the snow";
        var parsed = Parse(text);
        parsed.Question.ShouldBeNull();
        parsed.Order.Count.ShouldBe(6);
        parsed.Order.Prompt.ShouldBe("red foxes in the snow");
        parsed.Order.Style.ShouldBe("watercolor");
    }

    [Fact]
    public void Counts_beyond_the_limit_are_kept_for_the_order_checks_to_report()
    {
        Parse("Generate 5000 images of a cat").Order.Count.ShouldBe(5000);
        Parse("Generate 0 images of a cat").Order.Count.ShouldBe(0);
        Parse("Generate 99999999999999 images of a cat").Order.Count.ShouldBe(int.MaxValue);
    }

    [Fact]
    public void Provider_names_are_matched_case_insensitively_and_given_as_the_installation_spells_them()
    {
        RequestParser.Parse("2 images of a cat using OPENAI", ["OpenAI"]).Order.Provider.ShouldBe("OpenAI");
        RequestParser.Parse("2 images of a cat using openai", []).Order.Provider.ShouldBeNull();
        RequestParser.Parse("2 images of a cat using openai", []).Order.Prompt.ShouldBe("a cat using openai");
    }

    [Fact]
    public void Is_deterministic()
    {
        const string request = "Could you make a dozen square pictures of a lighthouse at dusk, no people, seed 7, best of 2?";
        var first = Parse(request);
        var second = Parse(request);

        Expected.Of(second).ShouldBe(Expected.Of(first));
        second.Understood.ShouldBe(first.Understood);
    }

    public static TheoryData<string> Awkward =>
    [
        "",
        " \t\r\n ",
        "\"",
        "\"\"\"",
        "make 4 images of \"a red fox",
        "🦊🦊🦊 4 images of 🦊",
        "\u0000\u0001\u0002 6 images of a cat\u0007",
        "\uD83D 6 images of a cat \uDE00",
        "((((((((",
        "no no no no no",
        "6 images of a cat\r\nno text\r\n",
        "1024x768x512 images",
        "99999999999999999999999999 images of a cat",
        "seed 99999999999999999999999999",
        "16:0 image of a cat at 0:9",
        string.Concat(Enumerable.Repeat("Generate 6 images of a cat at 16:9, no text, ", 2_500)),
        string.Concat(Enumerable.Repeat("please ", 15_000)),
        new string('a', 100_000),
        string.Concat(Enumerable.Repeat("\"a", 20_000)),
    ];

    [Theory]
    [MemberData(nameof(Awkward))]
    public void Awkward_input_gives_an_answer_not_an_exception(string request)
    {
        var parsed = Parse(request);

        parsed.Order.ShouldNotBeNull();
        parsed.Understood.ShouldNotBeNull();
        if (parsed.Question is null)
            parsed.Order.Prompt.ShouldNotBeNullOrWhiteSpace();
    }

    private static readonly string[] Grammar =
    [
        "generate", "make", "please", "can", "you", "6", "six", "a", "an", "dozen", "half", "couple", "of", "images", "pictures",
        "photo", "logos", "cats", "a red fox", "in", "at", "with", "on", "using", "via", "watercolor", "style", "pixel art", "neon",
        "16:9", "4:3", "1024x768", "by", "1920", "square", "portrait", "widescreen", "no", "text", "without", "people", "avoid",
        "but not", "don't include", "seed", "42", "#", "=", "openai", "gemini", "sketch", "high", "quality", "hd", "draft", "as",
        "jpeg", "webp", "png", "transparent", "background", "up to", "3", "iterations", "tries", "threshold", "score", "until",
        "it", "scores", "best of", "candidates", "preset", "product", ",", ".", ":", "-", "(", ")", "\"", "'", "\n", "…", "🦊",
        "’", "×", "https://example.com/a.png", "twenty-one", "one hundred", "several", "the", "and", "or", "for", "me",
    ];

    [Fact]
    public void Random_mixes_of_the_grammar_and_junk_never_throw_and_never_give_an_empty_prompt_without_a_question()
    {
        var random = new Random(20261121);
        for (var run = 0; run < 500; run++)
        {
            var words = new List<string>();
            var length = random.Next(0, 24);
            for (var k = 0; k < length; k++)
            {
                words.Add(random.Next(8) == 0
                    ? new string((char)random.Next(0, 0x3000), random.Next(1, 4))
                    : Grammar[random.Next(Grammar.Length)]);
            }
            var request = string.Join(random.Next(4) == 0 ? "" : " ", words);

            var parsed = Parse(request);

            if (parsed.Question is null)
            {
                parsed.Order.Prompt.ShouldNotBeNullOrWhiteSpace(request);
                parsed.Order.Count.ShouldNotBeNull(request);
            }
            if (parsed.Order.Prompt is { } prompt)
                prompt.ShouldBe(prompt.Trim(), request);
        }
    }
}
