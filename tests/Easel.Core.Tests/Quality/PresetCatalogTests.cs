using System.Text;
using Easel.Core.Quality;

namespace Easel.Core.Tests.Quality;

public sealed class PresetCatalogTests : IDisposable
{
    private const string Valid = """
        {
          "name": "rings",
          "description": "Rings on marble",
          "prompt_details": ["on white marble"],
          "criteria": [
            { "name": "sparkle", "description": "Stones glitter", "weight": 2, "check": "sparkle", "suggestion": "glittering stones" },
            { "name": "materials", "description": "Metals as described" }
          ]
        }
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "easel-presets-" + Guid.NewGuid().ToString("N"));

    public PresetCatalogTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string fileName, string content)
    {
        var path = Path.Combine(_folder, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Every_built_in_preset_loads_and_is_complete()
    {
        var catalog = PresetCatalog.Load();

        catalog.Problems.ShouldBeEmpty();
        catalog.All.Select(p => p.Name).ShouldBe(["jewelry", "landscape", "portrait", "product"]);
        foreach (var preset in catalog.All)
        {
            preset.Source.ShouldBe("built-in");
            preset.Description.ShouldNotBeNullOrWhiteSpace();
            preset.PrompterInstructions.ShouldNotBeEmpty(preset.Name);
            preset.PromptDetails.ShouldNotBeEmpty(preset.Name);
            preset.EvaluatorInstructions.ShouldNotBeNullOrWhiteSpace(preset.Name);
            preset.Criteria.ShouldNotBeEmpty(preset.Name);
            preset.Criteria.ShouldAllBe(c => c.Weight > 0 && c.Weight <= 10 && c.Description.Length > 0);
            preset.Criteria.Where(c => c.Check != null).ShouldAllBe(c => PresetChecks.All.Contains(c.Check!));
            preset.Criteria.ShouldContain(c => c.Check == null, $"{preset.Name} has something only a model can judge");
        }
    }

    [Fact]
    public void The_jewelry_preset_checks_sparkle_sharpness_background_and_exposure()
    {
        var jewelry = PresetCatalog.Load().Get("jewelry");

        jewelry.Criteria.Where(c => c.Check != null).Select(c => c.Check).ShouldBe(
            [PresetChecks.Sparkle, PresetChecks.Sharpness, PresetChecks.PlainBackground, PresetChecks.Exposure],
            ignoreOrder: true);
        jewelry.Criteria.ShouldContain(c => c.Name == "materials" && c.Check == null);
    }

    [Fact]
    public void Find_ignores_case_and_returns_null_for_an_unknown_name()
    {
        var catalog = PresetCatalog.Load();

        catalog.Find("JEWELRY")!.Name.ShouldBe("jewelry");
        catalog.Find(" Portrait ")!.Name.ShouldBe("portrait");
        catalog.Find("cats").ShouldBeNull();
        Should.Throw<PresetException>(() => catalog.Get("cats")).Message.ShouldBe(
            "There is no preset named 'cats'. Known presets: jewelry, landscape, portrait, product.");
    }

    [Fact]
    public void A_missing_user_folder_means_only_the_built_in_presets()
    {
        var catalog = PresetCatalog.Load(Path.Combine(_folder, "absent"));

        catalog.Problems.ShouldBeEmpty();
        catalog.All.Count.ShouldBe(PresetCatalog.BuiltIn.Count);
    }

    [Fact]
    public void A_user_preset_is_added_with_its_file_as_source()
    {
        var path = Write("rings.json", Valid);

        var rings = PresetCatalog.Load(_folder).Find("rings")!;

        rings.Source.ShouldBe(path);
        rings.Description.ShouldBe("Rings on marble");
        rings.PromptDetails.ShouldBe(["on white marble"]);
        rings.Criteria.ShouldBe([
            new PresetCriterion("sparkle", "Stones glitter", 2, "sparkle", "glittering stones"),
            new PresetCriterion("materials", "Metals as described", 1.0, null, null),
        ]);
    }

    [Fact]
    public void A_user_preset_overrides_the_built_in_one_of_the_same_name_and_says_so()
    {
        var path = Write("my-jewelry.json", Valid.Replace("\"rings\"", "\"jewelry\""));

        var catalog = PresetCatalog.Load(_folder);
        var jewelry = catalog.Find("jewelry")!;

        jewelry.Description.ShouldBe("Rings on marble");
        jewelry.Source.ShouldBe($"{path} (overrides the built-in preset)");
        catalog.All.Count(p => p.Name == "jewelry").ShouldBe(1);
        catalog.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void Comments_trailing_commas_and_a_byte_order_mark_are_accepted()
    {
        var text = "// my rings\n" + Valid.Replace("\"on white marble\"]", "\"on white marble\", /* more later */]");
        File.WriteAllBytes(Path.Combine(_folder, "rings.json"), [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)]);

        var catalog = PresetCatalog.Load(_folder);

        catalog.Problems.ShouldBeEmpty();
        catalog.Find("rings").ShouldNotBeNull();
    }

    [Theory]
    [InlineData("{\n  \"name\": \"rings\",\n  \"description\" \"oops\"\n}", "is not valid JSON at line 3")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\"", "is not valid JSON at line 1")]
    [InlineData("", "is empty")]
    [InlineData("[1, 2]", "is not a preset")]
    [InlineData("null", "holds null")]
    [InlineData("{ \"description\": \"x\" }", "\"name\" is missing")]
    [InlineData("{ \"name\": \"rings\" }", "\"description\" is missing")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"  \" }", "\"description\" is missing")]
    [InlineData("{ \"name\": \"My Rings!\", \"description\": \"x\" }", "the name 'My Rings!' may contain only lower-case letters, digits and single dashes, at most 40 characters (for example 'my-rings')")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"criteria\": [{ \"name\": \"s\", \"description\": \"d\", \"check\": \"glitter\" }] }", "criteria[0] ('s') has the unknown check 'glitter'; known checks: sharpness, sparkle, plain_background, brightness, contrast, colorfulness, exposure")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"criteria\": [{ \"name\": \"s\", \"description\": \"d\", \"weight\": 0 }] }", "criteria[0] ('s') has weight 0; a weight must be more than 0 and at most 10")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"criteria\": [{ \"name\": \"s\", \"description\": \"d\", \"weight\": 10.5 }] }", "has weight 10.5; a weight must be more than 0 and at most 10")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"criteria\": [{ \"name\": \" \", \"description\": \"d\" }] }", "criteria[0] has an empty name")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"criteria\": [{ \"name\": \"s\", \"description\": \"d\" }, { \"name\": \"S\", \"description\": \"e\" }] }", "criteria[1] repeats the name 'S' of criteria[0]")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"criteria\": [{ \"name\": \"s\" }] }", "criteria[0] ('s') has no description")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"prompt_details\": [\"ok\", \" \"] }", "prompt_details[1] is empty")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"prompt_detail\": [] }", "unknown field 'prompt_detail' at line 1")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"criteria\": [{ \"name\": \"s\", \"description\": \"d\", \"chek\": \"sparkle\" }] }", "unknown field 'chek' in a criterion")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"criteria\": [{ \"name\": \"s\", \"description\": \"d\", \"weight\": \"heavy\" }] }", "criteria[0].weight has the wrong type at line 1")]
    [InlineData("{ \"name\": \"rings\", \"description\": \"x\", \"prompt_details\": \"one\" }", "prompt_details has the wrong type at line 1")]
    public void Each_invalid_file_is_reported_with_its_specific_problem(string content, string problem)
    {
        var path = Write("rings.json", content);

        var catalog = PresetCatalog.Load(_folder);

        catalog.Problems.Count.ShouldBe(1);
        catalog.Problems[0].File.ShouldBe(path);
        catalog.Problems[0].Message.ShouldStartWith($"{path}: ");
        catalog.Problems[0].Message.ShouldContain(problem);
        Should.Throw<PresetException>(() => PresetCatalog.LoadFile(path)).Message.ShouldBe(catalog.Problems[0].Message);
    }

    [Fact]
    public void Several_problems_in_one_file_are_all_reported()
    {
        var path = Write("rings.json", "{ \"name\": \"Bad Name\", \"criteria\": [{ \"name\": \"s\", \"description\": \"d\", \"weight\": -1 }] }");

        var message = Should.Throw<PresetException>(() => PresetCatalog.LoadFile(path)).Message;

        message.ShouldContain("the name 'Bad Name'");
        message.ShouldContain("\"description\" is missing");
        message.ShouldContain("has weight -1");
    }

    [Fact]
    public void A_file_over_one_megabyte_is_refused_unread()
    {
        var path = Write("huge.json", "{\"name\": \"huge\", \"description\": \"" + new string('x', 1024 * 1024) + "\"}");

        var problem = PresetCatalog.Load(_folder).Problems.ShouldHaveSingleItem();

        problem.Message.ShouldBe($"{path}: is 1.0 MB; a preset file may be at most 1 MB.");
        problem.Name.ShouldBe("huge");
    }

    [Fact]
    public void An_unreadable_file_is_reported()
    {
        var path = Path.Combine(_folder, "gone.json");
        File.CreateSymbolicLink(path, Path.Combine(_folder, "missing-target.json"));

        var problem = PresetCatalog.Load(_folder).Problems.ShouldHaveSingleItem();

        problem.Message.ShouldStartWith($"{path}: cannot be read: ");
    }

    [Fact]
    public void A_broken_file_does_not_hide_the_good_ones_and_asking_for_it_reports_its_problem()
    {
        Write("rings.json", Valid);
        var broken = Write("necklaces.json", "{ \"name\": \"necklaces\", \"description\": \"x\", \"criteria\": [{ \"name\": \"s\", \"description\": \"d\", \"check\": \"shine\" }] }");
        var garbled = Write("bracelets.json", "{ not json");

        var catalog = PresetCatalog.Load(_folder);

        catalog.Find("rings").ShouldNotBeNull();
        catalog.Find("jewelry").ShouldNotBeNull();
        catalog.Problems.Select(p => p.Name).ShouldBe(["bracelets", "necklaces"]);
        var error = Should.Throw<PresetException>(() => catalog.Find("Necklaces"));
        error.Message.ShouldStartWith($"{broken}: ");
        error.Message.ShouldContain("unknown check 'shine'");
        error.File.ShouldBe(broken);
        Should.Throw<PresetException>(() => catalog.Find("bracelets")).Message.ShouldStartWith($"{garbled}: is not valid JSON at line 1");
    }

    [Fact]
    public void A_broken_override_is_reported_rather_than_silently_replaced_by_the_built_in()
    {
        var path = Write("jewelry.json", "{ \"name\": \"jewelry\", \"description\": \"mine\", \"criteria\": [{ \"name\": \"s\", \"description\": \"d\", \"weight\": 50 }] }");

        var catalog = PresetCatalog.Load(_folder);

        catalog.Problems.ShouldHaveSingleItem().Message.ShouldEndWith("(the built-in preset 'jewelry' is not used while this file is broken)");
        Should.Throw<PresetException>(() => catalog.Find("jewelry")).Message.ShouldStartWith($"{path}: ");
        catalog.Find("product").ShouldNotBeNull();
    }

    [Fact]
    public void Two_user_files_with_the_same_name_keep_the_first()
    {
        var first = Write("a.json", Valid);
        var second = Write("b.json", Valid.Replace("Rings on marble", "Second"));

        var catalog = PresetCatalog.Load(_folder);

        catalog.Find("rings")!.Source.ShouldBe(first);
        catalog.Problems.ShouldHaveSingleItem().Message.ShouldBe(
            $"{second}: defines the preset 'rings', which {first} already defines; this file is ignored.");
    }

    [Fact]
    public void Other_files_in_the_folder_are_ignored()
    {
        Write("notes.txt", "not a preset");
        Write("rings.json", Valid);

        var catalog = PresetCatalog.Load(_folder);

        catalog.Problems.ShouldBeEmpty();
        catalog.All.Count.ShouldBe(PresetCatalog.BuiltIn.Count + 1);
    }
}
