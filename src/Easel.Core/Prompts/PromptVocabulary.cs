using Easel.Core.Generation;
using Easel.Core.Quality.Builtin;

namespace Easel.Core.Prompts;

/// <summary>What a prompt is mainly of: it decides which setting, medium, light and framing suit it.</summary>
internal enum SubjectKind
{
    Thing,
    Person,
    Pet,
    Wildlife,
    Bird,
    SeaLife,
    Fantasy,
    Scenery,
    Urban,
    Food,
    Building,
    Vehicle,
    Boat,
    Aircraft,
    Product,
    Graphic,
}

/// <summary>
/// The words the built-in prompt refiner reads and the phrases it proposes, per kind of subject.
/// Each list of phrases is ordered best first: the first goes into the main suggestion, the later
/// ones into the alternatives, so the same prompt always gets the same advice.
/// </summary>
internal static class PromptVocabulary
{
    /// <param name="Settings">Where the subject is, for prompts too short to say (joined with a space: "a cat curled up on …").</param>
    /// <param name="Beauty">Instead of "beautiful", "lovely", "stunning".</param>
    /// <param name="Impress">Instead of "cool", "awesome", "amazing".</param>
    /// <param name="Good">Instead of "nice", "good".</param>
    /// <param name="PhotoTechnique">Camera words that suit a photograph of this kind of subject.</param>
    internal sealed record Advice(
        string[] Settings, string[] Media, string[] Lighting, string[] Framing,
        string Beauty, string Impress, string Good, string PhotoTechnique);

    private static readonly string[] AnimalLight = ["warm golden-hour light", "soft overcast light", "early-morning backlight"];

    private static readonly Dictionary<SubjectKind, Advice> Advices = new()
    {
        [SubjectKind.Person] = new(
            ["on a busy city street", "in a cozy, book-lined study", "on a windswept hilltop"],
            ["portrait photograph", "oil painting", "digital illustration", "charcoal drawing"],
            ["soft window light", "dramatic rim lighting", "warm golden-hour light", "soft studio light"],
            ["head-and-shoulders framing", "medium shot", "full-body shot", "close-up"],
            "elegant", "confident", "smiling", "85mm lens, shallow depth of field"),
        [SubjectKind.Pet] = new(
            ["curled up on a cozy armchair", "sitting on a windowsill", "in a grassy backyard"],
            ["photograph", "watercolor painting", "digital illustration", "children's book illustration"],
            ["soft natural window light", "warm golden-hour light", "soft studio light"],
            ["close-up at eye level", "full-body shot", "wide shot"],
            "bright-eyed", "alert, poised", "playful", "shallow depth of field, sharp focus on the eyes"),
        [SubjectKind.Wildlife] = new(
            ["in a misty pine forest", "in a snowy meadow", "on a rocky outcrop"],
            ["wildlife photograph", "watercolor painting", "oil painting", "digital illustration"],
            AnimalLight,
            ["close-up at eye level", "full-body shot", "wide shot in its habitat"],
            "bright-eyed", "alert, poised", "playful", "telephoto lens, shallow depth of field"),
        [SubjectKind.Bird] = new(
            ["perched on a mossy branch", "in flight over a misty lake", "perched on a weathered fence post"],
            ["wildlife photograph", "watercolor painting", "vintage naturalist illustration", "digital illustration"],
            AnimalLight,
            ["close-up at eye level", "full-body side view", "wide shot"],
            "bright-eyed", "alert, poised", "playful", "telephoto lens, shallow depth of field"),
        [SubjectKind.SeaLife] = new(
            ["in clear turquoise water", "above a coral reef", "in the deep open ocean"],
            ["underwater photograph", "watercolor painting", "digital illustration"],
            ["sunbeams filtering through the water", "soft diffused underwater light", "dramatic light from above"],
            ["close-up", "wide shot", "side view"],
            "shimmering", "graceful", "playful", "wide-angle lens, crisp detail"),
        [SubjectKind.Fantasy] = new(
            ["on a craggy mountain peak", "in an ancient overgrown ruin", "in an enchanted forest"],
            ["digital painting", "concept art", "oil painting", "3D render"],
            ["dramatic cinematic lighting", "moody volumetric light", "ethereal glow"],
            ["low-angle hero shot", "wide shot", "close-up"],
            "iridescent", "towering", "friendly", "sharp focus, cinematic depth of field"),
        [SubjectKind.Scenery] = new(
            ["with a lone tree in the foreground", "with a winding path leading into the distance", "with a small wooden cabin"],
            ["landscape photograph", "oil painting", "watercolor painting", "digital matte painting"],
            ["at golden hour", "in soft morning light", "at blue hour", "under dramatic storm light"],
            ["wide shot", "panoramic view", "low-angle wide shot", "aerial view"],
            "vividly colored", "dramatic", "serene", "wide-angle lens, deep focus"),
        [SubjectKind.Urban] = new(
            ["after rain, with reflections on wet streets", "with crowds of people", "seen from a rooftop"],
            ["street photograph", "watercolor sketch", "digital painting"],
            ["at blue hour with glowing windows", "at golden hour", "neon-lit at night"],
            ["wide shot", "eye-level street view", "aerial view"],
            "vividly colored", "dramatic", "lively", "wide-angle lens, deep focus"),
        [SubjectKind.Food] = new(
            ["on a rustic wooden table", "on a white marble countertop", "on a ceramic plate"],
            ["food photograph", "watercolor illustration", "3D render"],
            ["soft diffused daylight", "soft studio light", "warm candlelight"],
            ["overhead flat lay", "close-up at a 45-degree angle", "macro close-up"],
            "artfully plated", "glistening, freshly made", "freshly made", "shallow depth of field, crisp detail"),
        [SubjectKind.Building] = new(
            ["on a grassy hilltop", "on a quiet cobblestone street", "beside a calm lake"],
            ["architectural photograph", "watercolor painting", "ink and wash sketch", "3D render"],
            ["at golden hour", "at blue hour with warm lit windows", "soft overcast light"],
            ["wide shot", "low-angle view", "symmetrical front view"],
            "ornate", "towering", "well-kept", "wide-angle lens, straight verticals"),
        [SubjectKind.Vehicle] = new(
            ["on an open coastal road", "on a rain-soaked city street", "on a desert highway"],
            ["automotive photograph", "3D render", "vintage poster illustration"],
            ["at golden hour", "soft studio light", "neon-lit at night"],
            ["three-quarter front view", "low-angle shot", "side profile"],
            "gleaming", "sleek", "well-kept", "low angle, crisp reflections"),
        [SubjectKind.Boat] = new(
            ["on a calm harbor", "on rough open seas", "moored at a wooden pier"],
            ["photograph", "oil painting", "watercolor painting"],
            ["at golden hour", "in soft morning mist", "under a stormy sky"],
            ["wide shot", "side profile", "low-angle view from the water"],
            "gleaming", "sleek", "well-kept", "wide-angle lens, crisp detail"),
        [SubjectKind.Aircraft] = new(
            ["against a clear sky", "above the clouds", "in orbit above a planet"],
            ["photograph", "3D render", "digital painting"],
            ["at golden hour", "bright midday sun", "dramatic backlight"],
            ["wide shot", "low-angle view", "side profile"],
            "gleaming", "sleek", "well-kept", "telephoto lens, crisp detail"),
        [SubjectKind.Product] = new(
            ["on a clean white seamless background", "on a marble pedestal", "on a wooden tabletop"],
            ["product photograph", "3D render", "minimalist illustration"],
            ["soft studio light", "dramatic side lighting", "soft diffused light"],
            ["centered close-up", "three-quarter view", "overhead flat lay"],
            "elegant", "bold", "well-crafted", "macro lens, crisp detail"),
        [SubjectKind.Graphic] = new(
            ["on a plain white background", "on a solid dark background", "on a textured paper background"],
            ["flat vector design", "minimalist graphic design", "retro screen print"],
            [],
            ["centered composition", "centered with generous margins"],
            "elegant", "bold", "clean", "crisp edges"),
        [SubjectKind.Thing] = new(
            ["against a simple, uncluttered background", "on a wooden tabletop", "on a clean white surface"],
            ["photograph", "digital illustration", "watercolor painting", "3D render"],
            ["soft studio light", "warm golden-hour light", "dramatic side lighting"],
            ["centered composition", "close-up", "wide shot"],
            "elegant", "bold", "well-crafted", "sharp focus, shallow depth of field"),
    };

    public static Advice For(SubjectKind kind) => Advices[kind];

    private static readonly (SubjectKind Kind, string[] Words)[] SubjectWords =
    [
        (SubjectKind.Person, ["person", "people", "man", "men", "woman", "women", "girl", "boy", "child", "children", "kid", "baby", "lady",
            "gentleman", "guy", "portrait", "face", "selfie", "bride", "groom", "couple", "family", "king", "queen", "princess", "prince",
            "knight", "wizard", "witch", "warrior", "astronaut", "chef", "doctor", "nurse", "dancer", "musician", "farmer", "soldier",
            "student", "teacher", "grandmother", "grandfather", "grandma", "grandpa", "character", "superhero", "samurai", "ninja",
            "pirate", "cowboy", "businessman", "businesswoman", "athlete", "skater", "surfer", "monk", "scientist", "detective", "teenager",
            "fisherman", "sailor", "painter", "artist", "singer", "guitarist", "boxer", "runner", "hiker", "traveler", "traveller",
            "mother", "father", "daughter", "son", "grandparent", "elder", "toddler", "ballerina", "geisha", "viking", "cyclist"]),
        (SubjectKind.Pet, ["cat", "kitten", "kitty", "dog", "puppy", "pup", "rabbit", "bunny", "hamster", "guinea", "parrot", "goldfish"]),
        (SubjectKind.Bird, ["bird", "owl", "eagle", "hawk", "falcon", "robin", "sparrow", "hummingbird", "heron", "crow", "raven",
            "swan", "flamingo", "peacock", "kingfisher", "penguin", "duck", "goose", "pigeon", "seagull", "toucan"]),
        (SubjectKind.SeaLife, ["fish", "whale", "dolphin", "shark", "octopus", "jellyfish", "turtle", "seal", "coral", "squid", "orca", "manta"]),
        (SubjectKind.Wildlife, ["animal", "fox", "wolf", "bear", "lion", "tiger", "leopard", "cheetah", "horse", "deer", "stag", "moose",
            "elephant", "giraffe", "zebra", "monkey", "gorilla", "panda", "koala", "kangaroo", "squirrel", "hedgehog", "otter", "raccoon",
            "badger", "frog", "snake", "lizard", "butterfly", "bee", "cow", "sheep", "goat", "pig", "chicken", "lamb", "mouse", "rhino",
            "hippo", "camel", "bison", "buffalo", "lynx", "jaguar", "sloth", "chameleon", "dinosaur", "insect", "spider", "beetle", "ant"]),
        (SubjectKind.Fantasy, ["dragon", "unicorn", "phoenix", "griffin", "gryphon", "fairy", "elf", "goblin", "troll", "monster", "robot",
            "alien", "mermaid", "centaur", "golem", "demon", "angel", "creature", "spirit", "ghost", "cyborg", "android", "mech", "kraken",
            "vampire", "zombie", "dwarf", "orc", "sorceress", "titan"]),
        (SubjectKind.Urban, ["city", "cityscape", "skyline", "street", "town", "village", "alley", "downtown", "metropolis", "market",
            "square", "neighborhood", "neighbourhood", "harbor", "harbour", "port", "subway", "station"]),
        (SubjectKind.Scenery, ["landscape", "sunset", "sunrise", "sky", "mountain", "beach", "lake", "forest", "ocean", "sea", "river",
            "waterfall", "valley", "field", "meadow", "desert", "island", "coast", "coastline", "canyon", "glacier", "countryside", "view",
            "scenery", "hill", "jungle", "volcano", "cliff", "garden", "park", "woods", "woodland", "prairie", "tundra", "fjord", "lagoon",
            "pond", "stream", "aurora", "galaxy", "nebula", "planet", "moon", "storm", "seascape", "vista", "dune", "reef", "cave", "orchard"]),
        (SubjectKind.Food, ["food", "meal", "dish", "cake", "pizza", "burger", "hamburger", "coffee", "tea", "sushi", "salad", "pasta",
            "bread", "cookie", "cupcake", "soup", "breakfast", "dinner", "lunch", "dessert", "fruit", "apple", "strawberry", "chocolate",
            "cocktail", "wine", "beer", "croissant", "pancake", "donut", "doughnut", "noodles", "ramen", "taco", "sandwich", "steak", "pie",
            "latte", "smoothie", "icecream", "macaron", "cheese", "curry", "dumpling", "bagel", "waffle", "muffin", "lemonade", "tart"]),
        (SubjectKind.Building, ["house", "castle", "cabin", "cottage", "church", "cathedral", "temple", "tower", "lighthouse", "bridge",
            "building", "skyscraper", "barn", "palace", "ruins", "ruin", "windmill", "mansion", "villa", "hut", "shrine", "pagoda",
            "monastery", "library", "museum", "cafe", "restaurant", "shop", "bakery", "interior", "room", "kitchen", "bedroom", "office",
            "treehouse", "fortress", "greenhouse", "mosque", "chapel", "architecture"]),
        (SubjectKind.Vehicle, ["car", "truck", "motorcycle", "motorbike", "bike", "bicycle", "bus", "tractor", "van", "jeep", "scooter",
            "train", "tram", "locomotive", "racecar", "taxi", "limousine", "convertible", "suv"]),
        (SubjectKind.Boat, ["boat", "ship", "sailboat", "yacht", "canoe", "kayak", "ferry", "submarine", "galleon", "schooner", "gondola"]),
        (SubjectKind.Aircraft, ["plane", "airplane", "aeroplane", "jet", "helicopter", "rocket", "spaceship", "spacecraft", "starship",
            "balloon", "airship", "zeppelin", "drone", "ufo", "satellite", "shuttle"]),
        (SubjectKind.Product, ["bottle", "perfume", "watch", "shoe", "sneaker", "phone", "smartphone", "headphones", "handbag", "ring",
            "necklace", "bracelet", "earrings", "jewelry", "jewellery", "lamp", "chair", "sofa", "vase", "cup", "candle", "teapot",
            "backpack", "sunglasses", "glasses", "laptop", "camera", "guitar", "violin", "piano", "toy", "teddy", "plush", "lipstick",
            "cosmetics", "soap", "skincare", "furniture", "clock", "keyboard", "speaker", "jar", "package", "packaging", "dress", "jacket",
            "sign", "signboard", "billboard", "shirt", "t-shirt", "tshirt", "hoodie", "mug", "book", "box"]),
        (SubjectKind.Graphic, ["logo", "icon", "poster", "banner", "sticker", "emblem", "badge", "flyer", "infographic", "wallpaper",
            "pattern", "typography", "monogram", "mascot", "card", "invitation", "postcard", "thumbnail", "cover", "label"]),
    ];

    private static readonly Dictionary<string, SubjectKind> KindOfWord = BuildKinds();

    private static Dictionary<string, SubjectKind> BuildKinds()
    {
        var map = new Dictionary<string, SubjectKind>(StringComparer.Ordinal);
        foreach (var (kind, words) in SubjectWords)
        {
            foreach (var word in words)
                map.TryAdd(word, kind);
        }
        return map;
    }

    /// <summary>The kind of subject a word names, plurals included ("foxes", "puppies"), or null.</summary>
    public static SubjectKind? KindOf(string word)
    {
        if (word.Length < 2)
            return null;
        if (KindOfWord.TryGetValue(word, out var kind))
            return kind;
        if (word.EndsWith("ies", StringComparison.Ordinal) && KindOfWord.TryGetValue(word[..^3] + "y", out kind))
            return kind;
        if (word.EndsWith("es", StringComparison.Ordinal) && KindOfWord.TryGetValue(word[..^2], out kind))
            return kind;
        if (word.EndsWith('s') && KindOfWord.TryGetValue(word[..^1], out kind))
            return kind;
        if (word is "men" or "women" or "children" or "mice" or "geese" or "people")
            return word is "mice" or "geese" ? SubjectKind.Wildlife : SubjectKind.Person;
        return null;
    }

    private static string[] Topic(string member) => BuiltinPrompter.Topics.First(t => t.Contains(member));

    /// <summary>Words that say what the picture is made as: the quality loop's style words, the named styles, and art terms.</summary>
    public static readonly string[] MediumWords =
    [
        .. Topic("watercolor"),
        .. ImageStyles.Known.Select(s => s.Replace('-', ' ')),
        "gouache", "acrylic", "charcoal", "ink", "graphite", "pencil", "crayon", "pastels", "linocut", "woodcut", "etching", "engraving",
        "lithograph", "screen print", "collage", "mosaic", "sculpture", "statue", "figurine", "claymation", "origami", "papercut",
        "paper cut", "stained glass", "graffiti", "mural", "poster", "logo", "icon", "sticker", "tattoo", "emoji", "low poly", "lowpoly",
        "isometric", "vaporwave", "synthwave", "ukiyo e", "art nouveau", "art deco", "impressionist", "impressionism", "cubist", "surreal",
        "surrealist", "baroque", "renaissance", "pop art", "manga", "comic", "concept art", "matte painting", "cgi", "octane",
        "unreal engine", "blender", "lego", "voxel", "polaroid", "dslr", "35mm", "analog", "kodak", "minimalist", "line art", "lineart",
        "doodle", "storybook", "chibi", "pixar", "ghibli", "steampunk", "engraved", "embroidery", "needlepoint", "chalk", "marker",
        "airbrush", "fresco", "tapestry", "sketched", "drawn", "artwork", "design", "flat lay",
    ];

    /// <summary>Words that already say how the picture is lit, or the time of day that lights it.</summary>
    public static readonly string[] LightWords =
    [
        .. Topic("lighting"),
        .. Topic("golden hour"),
        "candle", "candles", "candlelight", "candlelit", "lamp", "lamplight", "lantern", "lanterns", "sunbeam", "sunbeams", "sunlit",
        "rim light", "spotlight", "spotlit", "illuminated", "luminous", "backlighting", "daylight", "sun", "sunny", "moon", "moonlit",
        "firelight", "torchlight", "fluorescent", "volumetric", "god rays", "rays", "stormy", "starlit", "starry", "noir", "sunshine",
    ];

    /// <summary>Words that already say where the camera is or how the picture is framed.</summary>
    public static readonly string[] FramingWords =
    [
        .. Topic("macro"),
        "close up", "closeup", "portrait", "shot", "angle", "view", "centered", "centred", "symmetrical", "symmetry", "panorama",
        "panoramic", "composition", "framing", "framed", "zoomed", "cropped", "fisheye", "pov", "foreground", "rule of thirds",
        "eye level", "from above", "from below", "profile", "selfie", "landscape orientation", "vista",
    ];

    /// <summary>Words that already name colours or a palette beyond what the colour reader finds.</summary>
    public static readonly string[] PaletteWords =
    [
        "palette", "color", "colors", "colour", "colours", "colored", "coloured", "tones", "toned", "hues", "tinted", "sepia",
        "monochrome", "black and white", "grayscale", "greyscale", "pastel", "muted", "vibrant", "vivid", "saturated", "desaturated",
    ];

    /// <summary>Words that already describe lettering, for prompts with text in the image.</summary>
    public static readonly string[] LetteringWords =
    [
        "font", "lettering", "letters", "typeface", "typography", "serif", "sans", "script", "handwritten", "calligraphy", "bold",
        "legible", "readable", "stencil", "block letters", "cursive", "uppercase", "capitals",
    ];

    /// <summary>Things that carry writing: "a sign that says …" asks for text in the image.</summary>
    public static readonly HashSet<string> TextNouns =
    [
        "sign", "signs", "signboard", "poster", "posters", "banner", "label", "shirt", "t-shirt", "tshirt", "tee", "mug", "logo", "card",
        "cover", "title", "caption", "headline", "billboard", "storefront", "shopfront", "sticker", "badge", "text", "word", "words",
        "lettering", "letters", "plaque", "menu", "chalkboard", "blackboard", "whiteboard", "board", "book", "magazine", "newspaper",
        "note", "screen", "bubble", "placard", "flag", "cake", "tattoo", "neon", "marquee", "cap", "hat", "sweater", "hoodie",
        "envelope", "letter", "invitation", "postcard", "package", "box", "bottle", "can", "jar", "bag", "door", "wall", "graffiti",
        "meme", "thumbnail", "slide", "button", "website", "cup", "sweatshirt", "jersey", "tag", "stamp", "coin", "ticket", "map",
    ];

    /// <summary>The technique words of flat graphics, which need no lighting.</summary>
    public const string FlatTechnique = "bold flat shapes, limited palette";

    /// <summary>Technique words by medium, most specific first: the first whose words the prompt has wins.</summary>
    public static readonly (string[] Mediums, string Technique)[] Techniques =
    [
        (["watercolor", "watercolour"], "soft wet-on-wet washes, visible paper texture"),
        (["oil painting", "oil on canvas", "oils"], "visible brushstrokes, rich textured paint"),
        (["digital painting", "concept art", "matte painting"], "painterly detail, atmospheric depth"),
        (["pixel art", "pixel", "8 bit", "16 bit"], "limited color palette, crisp pixel edges"),
        (["3d", "render", "rendering", "cgi", "octane", "blender", "unreal engine", "low poly", "voxel"], "soft global illumination, detailed materials"),
        (["charcoal", "pencil", "graphite", "sketch", "ink", "drawing", "line art", "etching"], "confident linework, subtle shading"),
        (["anime", "manga", "chibi", "cel"], "clean line art, cel shading"),
        (["vector", "flat", "minimal", "minimalist", "logo", "icon", "graphic design", "screen print", "sticker"], FlatTechnique),
        (["cyberpunk", "neon", "synthwave", "vaporwave"], "glowing neon accents, reflections on wet surfaces"),
        (["cartoon", "comic", "illustration", "storybook", "children s book"], "clean linework, rich textures"),
        (["painting", "painted", "gouache", "acrylic", "impressionist", "fresco"], "visible brushstrokes, rich texture"),
    ];

    /// <summary>Words that mean the picture is a photograph; its technique words depend on the subject.</summary>
    public static readonly string[] PhotoWords =
    [
        "photo", "photograph", "photography", "photographic", "photorealistic", "realistic", "dslr", "35mm", "polaroid", "analog",
        "kodak", "cinematic", "film", "shot on",
    ];

    /// <summary>Palettes to suggest when the prompt names no colours, best first.</summary>
    public static readonly string[] Palettes = ["warm, harmonious color palette", "cool, muted color palette", "vibrant complementary colors"];

    /// <summary>Finishing words for any image, when nothing more specific is missing, and what each does.</summary>
    public static readonly (string Phrase, string Why)[] Finishes =
    [
        ("fine detail, sharp focus", "asks for crisp detail, which models otherwise soften"),
        ("clear focal point, balanced composition", "tells the model where the eye should go"),
        ("subtle atmospheric depth", "separates the foreground from the background"),
    ];

    /// <summary>Words of praise that say nothing about how the picture looks.</summary>
    public static readonly Dictionary<string, VagueKind> VagueWords = new(StringComparer.Ordinal)
    {
        ["beautiful"] = VagueKind.Beauty, ["pretty"] = VagueKind.Beauty, ["lovely"] = VagueKind.Beauty, ["gorgeous"] = VagueKind.Beauty,
        ["stunning"] = VagueKind.Beauty, ["wonderful"] = VagueKind.Beauty, ["breathtaking"] = VagueKind.Beauty, ["magnificent"] = VagueKind.Beauty,
        ["cool"] = VagueKind.Impress, ["awesome"] = VagueKind.Impress, ["amazing"] = VagueKind.Impress, ["epic"] = VagueKind.Impress,
        ["fantastic"] = VagueKind.Impress, ["great"] = VagueKind.Impress, ["incredible"] = VagueKind.Impress, ["perfect"] = VagueKind.Impress,
        ["interesting"] = VagueKind.Impress, ["impressive"] = VagueKind.Impress, ["spectacular"] = VagueKind.Impress, ["fabulous"] = VagueKind.Impress,
        ["nice"] = VagueKind.Good, ["good"] = VagueKind.Good,
    };

    /// <summary>Words after which a vague word is not vague: "cool tones", "great white shark", "good quality".</summary>
    public static readonly Dictionary<string, string[]> NotVagueBefore = new(StringComparer.Ordinal)
    {
        ["cool"] = ["tones", "tone", "toned", "colors", "colours", "color", "colour", "blue", "light", "lighting", "palette", "hues", "hue",
            "white", "gray", "grey", "green", "temperature", "shades", "shade", "breeze", "air", "water", "mist", "night", "evening", "morning"],
        ["great"] = ["dane", "danes", "wall", "barrier", "white", "lakes", "britain", "plains", "horned", "blue", "hall", "grey", "gray",
            "gatsby", "pyramid", "sphinx", "depression", "war", "fire", "egret", "ape", "apes", "tit", "crested"],
        ["good"] = ["quality", "morning", "night", "luck", "boy", "friday"],
        ["perfect"] = ["symmetry", "circle", "square", "storm", "reflection", "reflections"],
        ["pretty"] = ["much", "big", "small", "large", "dark", "bright", "simple", "close", "far", "sure", "good"],
    };

    /// <summary>The concrete words for a vague one, by what it describes.</summary>
    public static string Concrete(VagueKind vague, SubjectKind kind) => vague switch
    {
        VagueKind.Beauty => For(kind).Beauty,
        VagueKind.Impress => For(kind).Impress,
        _ => For(kind).Good,
    };

    /// <summary>The named style (<c>--style</c>) a medium phrase matches, or null ("watercolor painting": watercolor).</summary>
    public static string? StyleOf(string medium)
    {
        foreach (var word in medium.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("photograph", StringComparison.OrdinalIgnoreCase))
                return "photographic";
            if (ImageStyles.Normalize(word) is { } style)
                return style;
        }
        return null;
    }
}

internal enum VagueKind
{
    Beauty,
    Impress,
    Good,
}
