using System.Diagnostics;
using Easel.Core;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Storage;

namespace Easel.Bench;

/// <summary>What a seeded gallery holds, so the report can say which words are common and which rare.</summary>
/// <param name="WordRows">For each word the queries use, how many prompts contain it.</param>
/// <param name="End">The newest image's time; the oldest is <paramref name="Span"/> before it.</param>
internal sealed record SeededGallery(int Images, int Orders, DateTimeOffset End, TimeSpan Span, double SeedSeconds, long DatabaseBytes, IReadOnlyDictionary<string, int> WordRows, IReadOnlyDictionary<string, int> ProviderRows);

/// <summary>
/// Fills a fresh data directory with a realistic gallery through the store itself (its schema, its
/// JSON, its triggers): orders of 1-8 images spread over months, prompts drawn from a vocabulary with
/// Zipf-like word frequencies (a few words in a fifth of all prompts, most in a handful), several
/// providers, scores, failed evaluations and review statuses. Image files are not written: search
/// never opens them.
/// </summary>
internal static class GallerySeed
{
    /// <summary>In about a fifth of the prompts (the most frequent subject; also a prefix of "catalog", "cathedral"…).</summary>
    public const string CommonWord = "cat";

    /// <summary>In a handful of prompts, spread over the whole period.</summary>
    public const string RareWord = "axolotl";

    public static readonly string[] Subjects =
    [
        "cat", "fox", "lighthouse", "castle", "dragon", "robot", "forest", "city", "mountain", "portrait", "ship", "garden", "owl",
        "horse", "river", "bridge", "tree", "village", "astronaut", "wolf", "deer", "bear", "whale", "balloon", "train", "temple",
        "waterfall", "desert", "island", "library", "market", "knight", "wizard", "cottage", "windmill", "butterfly", "tiger", "elephant",
        "giraffe", "penguin", "rabbit", "squirrel", "hummingbird", "jellyfish", "octopus", "turtle", "lion", "eagle", "heron", "koi",
        "cathedral", "catalog", "teapot", "bicycle", "motorcycle", "car", "tram", "airship", "submarine", "volcano", "glacier", "canyon",
        "meadow", "orchard", "vineyard", "harbor", "pier", "tower", "ruins", "pagoda", "mosque", "skyscraper", "alley", "cafe", "bakery",
        "bookshop", "greenhouse", "observatory", "lantern", "ring", "necklace", "earrings", "watch", "sneaker", "handbag", "chair",
        "lamp", "vase", "guitar", "violin", "piano", "chessboard", "clock", "compass", "map", "crown", "sword", "shield", "helmet",
    ];

    public static readonly string[] Adjectives =
    [
        "red", "golden", "blue", "tiny", "ancient", "misty", "glowing", "silver", "cozy", "giant", "quiet", "colorful", "dark", "bright",
        "frozen", "rusty", "elegant", "wild", "sleepy", "majestic", "crystal", "wooden", "neon", "pastel", "stormy", "sunny", "abandoned",
        "futuristic", "medieval", "whimsical", "serene", "dramatic", "playful", "lonely", "busy", "snowy", "green", "purple", "orange",
        "white", "black", "pink", "emerald", "amber", "ivory", "copper", "velvet", "marble", "paper", "glass",
    ];

    public static readonly string[] Settings =
    [
        "in a snowy forest", "on a cliff", "at the beach", "in the city", "on a mountain top", "in a meadow", "under the sea", "in space",
        "in a library", "on a rooftop", "by a lake", "in the desert", "in a jungle", "on a quiet street", "in a studio", "on a table",
        "in the rain", "in a field of flowers", "near a waterfall", "in an old kitchen", "on a frozen lake", "in a cave", "above the clouds",
        "in a night market", "on a plain background", "in a greenhouse", "at a train station", "on a sailing boat", "in a misty valley",
        "in a candlelit room",
    ];

    public static readonly string[] Times =
    [
        "at sunset", "at dawn", "at night", "at golden hour", "at noon", "at twilight", "under a full moon", "on a rainy afternoon",
        "in winter", "in autumn", "in spring", "in summer",
    ];

    public static readonly string[] Styles =
    [
        "watercolor", "oil painting", "pixel art", "photographic", "flat illustration", "cyberpunk", "neon", "pencil sketch", "ink drawing",
        "low poly", "isometric", "studio photo", "film still", "children's book illustration", "art deco poster", "ukiyo-e", "claymation",
        "charcoal", "pastel drawing", "3d render",
    ];

    /// <summary>Words that each appear in a few prompts, for searches that find little.</summary>
    public static readonly string[] RareWords =
    [
        "axolotl", "quokka", "pangolin", "narwhal", "okapi", "capybara", "fennec", "tapir", "ibis", "marmoset", "manatee", "lemur",
        "zeppelin", "astrolabe", "sextant", "orrery", "harpsichord", "theremin", "zither", "sitar", "mandolin", "accordion", "gramophone",
        "kaleidoscope", "hourglass", "abacus", "quill", "inkwell", "samovar", "tagine", "wok", "croissant", "baklava", "mochi", "churros",
        "bonsai", "kintsugi", "origami", "mosaic", "fresco", "tapestry", "stained", "gargoyle", "obelisk", "ziggurat", "minaret",
        "aqueduct", "lighthouse-keeper", "cartographer", "alchemist", "blacksmith", "beekeeper", "falconer", "glassblower", "puppeteer",
    ];

    public static readonly (string Name, string Model, double Weight)[] Providers =
    [
        ("sketch", "sketch-1", 0.45), ("openai", "gpt-image-1", 0.2), ("gemini", "gemini-2.5-flash-image", 0.1),
        ("imagen", "imagen-4.0-generate-001", 0.08), ("stability", "stable-image-core", 0.07), ("replicate", "black-forest-labs/flux-schnell", 0.06),
        ("comfyui", "sdxl", 0.04),
    ];

    /// <summary>Seeds <paramref name="images"/> images ending at <paramref name="now"/> and spread over <paramref name="span"/>.</summary>
    public static async Task<SeededGallery> SeedAsync(DataDirectory data, int images, DateTimeOffset now, TimeSpan span, int seed, TextWriter log, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        using var store = EaselStore.Open(data);

        // Order times, oldest first, as a real gallery grows: rows are inserted in the order images were made.
        var orderCount = 0;
        var written = 0;
        var words = new Dictionary<string, int>(StringComparer.Ordinal) { [CommonWord] = 0, [RareWord] = 0 };
        var providers = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = now - span;
        // The mean order is about 3 images; order times are uniform over the span.
        var times = new List<DateTimeOffset>();
        while (times.Count * 3 < images * 1.1)
            times.Add(start + span * random.NextDouble());
        times.Sort();

        foreach (var at in times)
        {
            if (written >= images)
                break;
            var count = Math.Min(images - written, random.NextDouble() switch { < 0.35 => 1, < 0.6 => 2, < 0.8 => 4, < 0.92 => 6, _ => 8 });
            var (provider, model) = Pick(random);
            var prompt = Prompt(random);
            var order = new Order
            {
                Id = Ids.New("ord", at),
                Prompt = prompt,
                NegativePrompt = random.NextDouble() < 0.2 ? "blurry, text, watermark" : null,
                Count = count,
                Size = new ImageSize(1024, 1024),
                Seed = random.NextInt64(0, uint.MaxValue),
                Provider = provider,
                Model = model,
                ImagesPerCall = 4,
                Status = OrderStatus.Completed,
                CreatedAt = at,
                CompletedAt = at.AddSeconds(5 + count),
            };
            await store.Orders.CreateAsync(order, [], null, [], cancellationToken);
            orderCount++;
            providers[provider] = providers.GetValueOrDefault(provider) + count;

            for (var slot = 0; slot < count; slot++)
            {
                // A batch of 4 shares its creation time, to the millisecond: ties the gallery order breaks by id.
                var createdAt = at.AddSeconds(2 + slot / 4 * 3);
                var id = Ids.New("img", createdAt);
                await store.Images.AddAsync(new ImageRecord
                {
                    Id = id,
                    OrderId = order.Id,
                    Slot = slot,
                    Prompt = prompt,
                    NegativePrompt = order.NegativePrompt,
                    Parameters = new ImageParameters(1024, 1024, null, Background.Opaque, null),
                    Provider = provider,
                    Model = model,
                    Seed = order.Seed + slot,
                    CreatedAt = createdAt,
                    GenerationTime = TimeSpan.FromMilliseconds(random.Next(200, 20_000)),
                    Path = Path.Combine(data.ImagesPath, createdAt.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture), id + ".png"),
                    Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id))),
                    Width = 1024,
                    Height = 1024,
                    Evaluation = Verdict(random),
                    Review = random.NextDouble() switch { < 0.8 => ReviewStatus.Unreviewed, < 0.95 => ReviewStatus.Approved, _ => ReviewStatus.Regenerated },
                    ReviewedAt = null,
                }, cancellationToken);
                written++;
                foreach (var word in words.Keys)
                    if (ContainsWord(prompt, word))
                        words[word]++;
            }
            if (orderCount % 5000 == 0)
                log.WriteLine($"  seeded {written:N0} images ({clock.Elapsed.TotalSeconds:0} s)");
        }

        return new SeededGallery(written, orderCount, now, span, clock.Elapsed.TotalSeconds, new FileInfo(data.DatabasePath).Length, words, providers);
    }

    private static (string Name, string Model) Pick(Random random)
    {
        var x = random.NextDouble() * Providers.Sum(p => p.Weight);
        foreach (var (name, model, weight) in Providers)
        {
            if ((x -= weight) < 0)
                return (name, model);
        }
        return (Providers[0].Name, Providers[0].Model);
    }

    /// <summary>"a golden fox in a snowy forest at sunset, watercolor": parts drawn with Zipf-like odds (1/rank).</summary>
    internal static string Prompt(Random random)
    {
        var parts = new List<string>();
        var subject = Zipf(random, Subjects);
        parts.Add(random.NextDouble() < 0.7 ? $"a {Zipf(random, Adjectives)} {subject}" : $"a {subject}");
        if (random.NextDouble() < 0.7)
            parts.Add(Zipf(random, Settings));
        if (random.NextDouble() < 0.5)
            parts.Add(Zipf(random, Times));
        if (random.NextDouble() < 0.03)
            parts.Add("with a " + RareWords[random.Next(RareWords.Length)]);
        var prompt = string.Join(' ', parts);
        return random.NextDouble() < 0.8 ? $"{prompt}, {Zipf(random, Styles)}" : prompt;
    }

    private static string Zipf(Random random, string[] words)
    {
        // Harmonic weights: the first word is about 1/H(n) of draws (a fifth for 100 words).
        var total = 0.0;
        for (var i = 1; i <= words.Length; i++)
            total += 1.0 / i;
        var x = random.NextDouble() * total;
        for (var i = 0; i < words.Length; i++)
        {
            x -= 1.0 / (i + 1);
            if (x < 0)
                return words[i];
        }
        return words[^1];
    }

    private static Evaluation? Verdict(Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.04)
            return null; // not evaluated (yet)
        if (roll < 0.05)
            return Evaluation.Failed("builtin", "the evaluator timed out");
        // Most images land between 60 and 95, as the quality loop leaves them.
        var score = (int)Math.Clamp(Math.Round(78 + 10 * Gaussian(random)), 0, 100);
        return new Evaluation(score,
            [
                new CriterionResult("sharpness", Math.Min(100, score + 5), true, "edges are crisp"),
                new CriterionResult("color:match", score, score >= 70, score >= 70 ? "the colours the prompt names are present" : "the named colour covers too little of the image", score >= 70 ? null : "vivid colour"),
                new CriterionResult("composition", Math.Max(0, score - 5), score >= 75, "the subject sits near the centre"),
            ],
            score >= 80 ? "Good enough: nothing to change." : "The named colour covers too little of the image; make the subject larger and its colour vivid.",
            ["the subject itself: whether it is what the prompt says"],
            "builtin");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static bool ContainsWord(string prompt, string word) =>
        prompt.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Any(w => w.StartsWith(word, StringComparison.Ordinal));
}
