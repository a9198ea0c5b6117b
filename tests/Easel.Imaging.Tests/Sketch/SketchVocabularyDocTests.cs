using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Easel.Imaging.Sketch;

namespace Easel.Imaging.Tests.Sketch;

/// <summary>docs/sketch-vocabulary.md must list every word the renderer understands.</summary>
public sealed partial class SketchVocabularyDocTests
{
    [Fact]
    public void Every_vocabulary_word_is_documented()
    {
        var doc = Normalise(File.ReadAllText(DocPath()));
        var missing = Vocabulary.Terms.Keys.Where(word => !doc.Contains(" " + Normalise(word).Trim() + " ", StringComparison.Ordinal)).Order().ToList();
        missing.ShouldBeEmpty("words the renderer understands but docs/sketch-vocabulary.md does not list");
    }

    [Fact]
    public void The_doc_names_at_least_twelve_colours_and_every_style()
    {
        var doc = File.ReadAllText(DocPath());
        foreach (var color in new[] { "red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white", "grey", "gold", "silver", "teal" })
            doc.ShouldContain($"| {color}");
        foreach (var style in new[] { "watercolor", "pixel-art", "flat", "minimal", "photographic", "cyberpunk", "neon" })
            doc.ShouldContain($"| {style} |");
    }

    private static string Normalise(string text) => " " + NonWord().Replace(text.ToLowerInvariant(), " ") + " ";

    [GeneratedRegex(@"[^a-z0-9&#]+")]
    private static partial Regex NonWord();

    private static string DocPath([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(source), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "docs", "sketch-vocabulary.md");
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        throw new FileNotFoundException("docs/sketch-vocabulary.md was not found above the test sources or the working directory.");
    }
}
