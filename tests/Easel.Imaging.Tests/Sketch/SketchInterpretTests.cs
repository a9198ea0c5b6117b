using Easel.Imaging.Sketch;
using static Easel.Imaging.Tests.Sketch.SketchTesting;

namespace Easel.Imaging.Tests.Sketch;

public sealed class SketchInterpretTests
{
    [Theory]
    [InlineData("a meadow", SketchTimeOfDay.Day)]
    [InlineData("a meadow at noon", SketchTimeOfDay.Day)]
    [InlineData("a meadow at dawn", SketchTimeOfDay.Dawn)]
    [InlineData("a meadow at sunrise", SketchTimeOfDay.Dawn)]
    [InlineData("a meadow at sunset", SketchTimeOfDay.Sunset)]
    [InlineData("a meadow at dusk", SketchTimeOfDay.Sunset)]
    [InlineData("a meadow in the golden hour", SketchTimeOfDay.Sunset)]
    [InlineData("a meadow at night", SketchTimeOfDay.Night)]
    [InlineData("a moonlit meadow", SketchTimeOfDay.Night)]
    [InlineData("a meadow under the stars", SketchTimeOfDay.Night)]
    public void Reads_the_time_of_day(string prompt, SketchTimeOfDay expected) =>
        Interpret(prompt).TimeOfDay.ShouldBe(expected);

    [Theory]
    [InlineData("a fox in a forest", SketchSetting.Forest)]
    [InlineData("a fox in the woods", SketchSetting.Forest)]
    [InlineData("a fox by the sea", SketchSetting.Sea)]
    [InlineData("a fox on the beach", SketchSetting.Sea)]
    [InlineData("a fox and the ocean", SketchSetting.Sea)]
    [InlineData("a fox in the desert", SketchSetting.Desert)]
    [InlineData("a fox in the mountains", SketchSetting.Mountains)]
    [InlineData("a fox in a city", SketchSetting.City)]
    [InlineData("a fox in the snow", SketchSetting.Snow)]
    [InlineData("a fox in winter", SketchSetting.Snow)]
    [InlineData("a fox, studio lighting", SketchSetting.Studio)]
    [InlineData("a fox on a white background", SketchSetting.Studio)]
    [InlineData("a perfume bottle, product shot", SketchSetting.Studio)]
    [InlineData("a fox in a meadow", SketchSetting.Meadow)]
    [InlineData("a fox", SketchSetting.Meadow)]
    public void Reads_the_setting(string prompt, SketchSetting expected) =>
        Interpret(prompt).Setting.ShouldBe(expected);

    [Fact]
    public void Snow_with_another_place_makes_that_place_snowy()
    {
        var scene = Interpret("a red fox in a snowy forest at sunset");
        scene.Setting.ShouldBe(SketchSetting.Forest);
        scene.Snowy.ShouldBeTrue();
        scene.TimeOfDay.ShouldBe(SketchTimeOfDay.Sunset);
    }

    [Theory]
    [InlineData("a fox", SketchSubjectKind.Animal, "fox")]
    [InlineData("a kitten", SketchSubjectKind.Animal, "cat")]
    [InlineData("a puppy", SketchSubjectKind.Animal, "dog")]
    [InlineData("a robin", SketchSubjectKind.Animal, "bird")]
    [InlineData("a pony", SketchSubjectKind.Animal, "horse")]
    [InlineData("a person", SketchSubjectKind.Person, "person")]
    [InlineData("a woman", SketchSubjectKind.Person, "woman")]
    [InlineData("an astronaut", SketchSubjectKind.Person, "astronaut")]
    [InlineData("a sports car", SketchSubjectKind.Vehicle, "car")]
    [InlineData("a bike", SketchSubjectKind.Vehicle, "bicycle")]
    [InlineData("a ship", SketchSubjectKind.Vehicle, "ship")]
    [InlineData("a cottage", SketchSubjectKind.Building, "house")]
    [InlineData("a castle", SketchSubjectKind.Building, "castle")]
    [InlineData("a tower", SketchSubjectKind.Building, "tower")]
    [InlineData("an engagement ring", SketchSubjectKind.Product, "ring")]
    [InlineData("a necklace", SketchSubjectKind.Product, "necklace")]
    [InlineData("earrings", SketchSubjectKind.Product, "earrings")]
    [InlineData("a bottle", SketchSubjectKind.Product, "bottle")]
    [InlineData("a perfume", SketchSubjectKind.Product, "perfume")]
    [InlineData("a cup of coffee", SketchSubjectKind.Product, "cup")]
    [InlineData("an oak", SketchSubjectKind.Plant, "tree")]
    public void Reads_the_subject(string prompt, SketchSubjectKind kind, string noun)
    {
        var subject = Interpret(prompt).Subjects.ShouldHaveSingleItem();
        subject.Kind.ShouldBe(kind);
        subject.Noun.ShouldBe(noun);
    }

    [Theory]
    [InlineData("a fox, soft light", SketchLighting.Soft)]
    [InlineData("a fox, dramatic lighting", SketchLighting.Dramatic)]
    [InlineData("a moody fox", SketchLighting.Dramatic)]
    [InlineData("a fox under neon lights", SketchLighting.Neon)]
    [InlineData("a fox", SketchLighting.Natural)]
    public void Reads_the_lighting(string prompt, SketchLighting expected) =>
        Interpret(prompt).Lighting.ShouldBe(expected);

    [Theory]
    [InlineData("a fox, watercolor", SketchStyle.Watercolor)]
    [InlineData("a fox, watercolour painting", SketchStyle.Watercolor)]
    [InlineData("a fox, pixel art", SketchStyle.PixelArt)]
    [InlineData("an 8-bit fox", SketchStyle.PixelArt)]
    [InlineData("a fox, flat design", SketchStyle.Flat)]
    [InlineData("a minimalist fox", SketchStyle.Minimal)]
    [InlineData("a photo of a fox", SketchStyle.Photographic)]
    [InlineData("a photorealistic fox", SketchStyle.Photographic)]
    [InlineData("a cyberpunk fox", SketchStyle.Cyberpunk)]
    [InlineData("a neon fox", SketchStyle.Neon)]
    [InlineData("a fox", SketchStyle.Illustration)]
    public void Reads_style_words_in_the_prompt(string prompt, SketchStyle expected) =>
        Interpret(prompt).Style.ShouldBe(expected);

    [Theory]
    [InlineData("watercolor", SketchStyle.Watercolor)]
    [InlineData("pixel-art", SketchStyle.PixelArt)]
    [InlineData("flat", SketchStyle.Flat)]
    [InlineData("minimal", SketchStyle.Minimal)]
    [InlineData("photographic", SketchStyle.Photographic)]
    [InlineData("cyberpunk", SketchStyle.Cyberpunk)]
    [InlineData("neon", SketchStyle.Neon)]
    public void The_requested_style_wins_over_style_words(string style, SketchStyle expected) =>
        Interpret("a fox, watercolor", style: style).Style.ShouldBe(expected);

    [Fact]
    public void Cyberpunk_and_neon_default_to_night_and_neon_light()
    {
        var scene = Interpret("a fox", style: "cyberpunk");
        scene.TimeOfDay.ShouldBe(SketchTimeOfDay.Night);
        scene.Lighting.ShouldBe(SketchLighting.Neon);
        Interpret("a cyberpunk street at sunset").TimeOfDay.ShouldBe(SketchTimeOfDay.Sunset);
    }

    [Fact]
    public void A_colour_before_a_subject_colours_the_subject()
    {
        var scene = Interpret("a red fox in a blue forest");
        scene.Subjects.ShouldHaveSingleItem().Color!.Value.Name.ShouldBe("red");
        scene.ElementColors["trees"].Name.ShouldBe("blue");
        scene.AccentColors.ShouldBeEmpty();
    }

    [Fact]
    public void Adjectives_between_colour_and_noun_do_not_break_the_link() =>
        Interpret("a red fluffy fox").Subjects[0].Color!.Value.Name.ShouldBe("red");

    [Fact]
    public void A_loose_colour_tints_the_scene()
    {
        var scene = Interpret("a fox in a meadow, purple and gold");
        scene.Subjects[0].Color.ShouldBeNull();
        scene.AccentColors.Select(c => c.Name).ShouldBe(["purple", "gold"]);
    }

    [Fact]
    public void Two_colours_and_parts_go_where_they_belong()
    {
        var lighthouse = Interpret("a red and white lighthouse").Subjects[0];
        lighthouse.Color!.Value.Name.ShouldBe("red");
        lighthouse.SecondColor!.Value.Name.ShouldBe("white");

        var ring = Interpret("a gold ring with a blue gem").Subjects[0];
        ring.Color!.Value.Name.ShouldBe("gold");
        ring.DetailColor!.Value.Name.ShouldBe("blue");

        Interpret("a silver ring with a ruby").Subjects[0].DetailColor!.Value.Name.ShouldBe("ruby");
        Interpret("a gold ring with a blue sapphire").Subjects[0].DetailColor!.Value.Name.ShouldBe("blue");
        Interpret("a tulip with yellow petals").Subjects[0].Color!.Value.Name.ShouldBe("yellow");
        Interpret("a woman in a green dress").Subjects[0].Color!.Value.Name.ShouldBe("green");
        Interpret("a black cat with yellow eyes").Subjects[0].DetailColor!.Value.Name.ShouldBe("yellow");
        Interpret("a house with a blue roof").Subjects[0].DetailColor!.Value.Name.ShouldBe("blue");
    }

    [Theory]
    [InlineData("a fire truck", "truck", "red")]
    [InlineData("a crow", "bird", "black")]
    [InlineData("a polar bear", "bear", "white")]
    [InlineData("a blue fire truck", "truck", "blue")]
    public void Some_words_name_a_thing_in_its_usual_colour(string prompt, string noun, string color)
    {
        var subject = Interpret(prompt).Subjects.ShouldHaveSingleItem();
        subject.Noun.ShouldBe(noun);
        subject.Color!.Value.Name.ShouldBe(color);
    }

    [Fact]
    public void Colour_modifiers_change_the_colour()
    {
        var light = Interpret("a light blue car").Subjects[0].Color!.Value;
        var dark = Interpret("a dark blue car").Subjects[0].Color!.Value;
        light.Name.ShouldBe("light blue");
        (light.R + light.G + light.B).ShouldBeGreaterThan(dark.R + dark.G + dark.B + 200);
    }

    [Fact]
    public void Hex_colours_are_understood() =>
        Interpret("a #ff8800 car").Subjects[0].Color!.Value.ShouldBe(new SketchColor("#ff8800", 0xFF, 0x88, 0x00));

    [Theory]
    [InlineData("three cats", 3)]
    [InlineData("two dogs and a house", 2)]
    [InlineData("cats", 3)]
    [InlineData("a cat", 1)]
    [InlineData("a deer", 1)]
    public void Counts_subjects(string prompt, int count) =>
        Interpret(prompt).Subjects[0].Count.ShouldBe(count);

    [Fact]
    public void No_and_without_remove_what_they_name()
    {
        var scene = Interpret("a man and a dog on a beach, no people, without clouds");
        scene.Subjects.ShouldHaveSingleItem().Noun.ShouldBe("dog");
        scene.Removed.ShouldContain("people");
        scene.Removed.ShouldContain("clouds");
    }

    [Fact]
    public void The_negative_prompt_removes_what_it_names()
    {
        var scene = Interpret("a woman and a cat in a forest", negative: "trees, people, blurry, text");
        scene.Subjects.ShouldHaveSingleItem().Noun.ShouldBe("cat");
        scene.Removed.ShouldContain("trees");
        scene.Removed.ShouldContain("people");
        scene.Removed.ShouldContain("blur");
    }

    [Fact]
    public void Negation_stops_at_the_end_of_the_clause()
    {
        var scene = Interpret("a beach without people, a dog");
        scene.Subjects.ShouldHaveSingleItem().Noun.ShouldBe("dog");
    }

    [Fact]
    public void Unknown_words_are_ignored_and_recognised_words_listed()
    {
        var scene = Interpret("a quixotic fox beside a zymurgical castle");
        scene.Subjects.Select(s => s.Noun).ShouldBe(["fox", "castle"]);
        scene.RecognizedWords.ShouldBe(["fox", "castle"]);
    }

    [Fact]
    public void An_empty_prompt_is_a_plain_daytime_meadow()
    {
        var scene = Interpret("");
        scene.Setting.ShouldBe(SketchSetting.Meadow);
        scene.TimeOfDay.ShouldBe(SketchTimeOfDay.Day);
        scene.Subjects.ShouldBeEmpty();
        scene.Style.ShouldBe(SketchStyle.Illustration);
    }

    [Fact]
    public void Describe_says_what_was_understood() =>
        Interpret("a red fox in a snowy forest at sunset, watercolor").Describe()
            .ShouldBe("a red fox (animal) in a snowy forest at sunset; watercolor");
}
