namespace Easel.Imaging.Sketch;

internal enum TermKind
{
    Color,
    ColorModifier,
    Time,
    Setting,
    Snowy,
    Subject,
    Part,
    Gem,
    Element,
    Lighting,
    Style,
    Weather,
    Season,
    Negator,
    Count,
    Size,
    Connector,
    Break,

    /// <summary>A finishing request ("sharp focus", "balanced exposure"): see <see cref="Term.Adds"/>.</summary>
    Enhancement,
}

/// <summary>One vocabulary entry: what a word (or phrase) means to the renderer.</summary>
internal sealed record Term(TermKind Kind, string Key)
{
    public SketchColor Color { get; init; }

    /// <summary>For a subject word: it names the thing in its usual colour (<see cref="Color"/>).</summary>
    public bool HasColor { get; init; }

    public SketchSubjectKind SubjectKind { get; init; }

    public int Number { get; init; }

    public float Amount { get; init; }

    /// <summary>The word also implies a second meaning (e.g. "taxi" is a yellow car, "cyberpunk" implies neon light).</summary>
    public Term? Also { get; init; }

    /// <summary>Finishing requests the word makes, whatever its kind ("high contrast" is dramatic light and more contrast).</summary>
    public SketchEnhancements Adds { get; init; }
}

/// <summary>
/// Every word the sketch renderer understands. docs/sketch-vocabulary.md documents these tables;
/// a test checks the two stay in step.
/// </summary>
internal static class Vocabulary
{
    /// <summary>The longest phrase in the table, in words.</summary>
    public const int MaxPhraseWords = 3;

    // Designer-friendly versions of each colour (not pure primaries): they read as the named colour
    // but sit well together in a picture.
    internal static readonly (string Words, uint Rgb)[] Colors =
    [
        ("red", 0xD93A32), ("crimson", 0xB81D3A), ("scarlet", 0xE0321F), ("maroon", 0x7A1F2B), ("burgundy", 0x7D1E3A),
        ("cherry", 0xC8102E),
        ("orange", 0xF08A24), ("amber", 0xF2A516), ("coral", 0xF27863), ("peach", 0xF7B58C), ("apricot", 0xF6A86A),
        ("ginger", 0xD2691E), ("rust", 0xB0452A), ("terracotta", 0xC8653F),
        ("yellow", 0xF5CF2F), ("lemon", 0xF7E14B), ("mustard", 0xD6A92A),
        ("gold|golden", 0xD4A72C),
        ("cream", 0xF3E7C9), ("beige", 0xDCC8A4), ("tan", 0xC9A176), ("khaki", 0xBDB07A), ("sandy", 0xE3C58F),
        ("brown", 0x8A5A35), ("chocolate", 0x5C3A21), ("chestnut", 0x8B4A2B), ("bronze", 0xA86A32), ("copper", 0xB8683A),
        ("green", 0x4CA04A), ("lime", 0x9BD23C), ("olive", 0x7F8C3A), ("emerald", 0x1F9D6B), ("mint", 0x98DDB8),
        ("sage", 0x9CAF88), ("forest green", 0x2F6B3A),
        ("teal", 0x1E9A9A), ("turquoise", 0x2EC4C0), ("cyan", 0x2BC8E8), ("aqua", 0x40D8D0),
        ("blue", 0x2F6FD6), ("navy|navy blue", 0x1F2D5C), ("azure", 0x3A8FE8), ("cobalt", 0x1F4FBF),
        ("sky blue|baby blue", 0x7EC3EE), ("royal blue", 0x2A4FC8), ("indigo", 0x3F3A9E),
        ("purple", 0x7E44B8), ("violet", 0x8A4FD8), ("lavender", 0xB7A2E0), ("lilac", 0xC3A3D9), ("plum", 0x7A3B69),
        ("mauve", 0xB784A7),
        ("magenta", 0xD930A0), ("fuchsia", 0xE03CB4), ("pink", 0xF28AB8), ("rose", 0xE8698C), ("hot pink", 0xF23D96),
        ("salmon", 0xF4937A), ("blush", 0xF2B5C4),
        ("black", 0x1C1C22), ("ebony|jet black", 0x16161A), ("charcoal", 0x3A3D44),
        ("white|clean white", 0xF7F7F5), ("ivory", 0xF5F0E0), ("snow white", 0xFBFCFE),
        ("grey|gray", 0x8C9096), ("silver|silvery", 0xC4C9D0), ("platinum", 0xD8DCE0), ("slate", 0x5F6B7A),
        ("ash|ashen", 0xA6A8AB),
    ];

    // Gemstones colour the stone of a piece of jewellery (or the thing itself elsewhere).
    private static readonly (string Words, uint Rgb)[] Gems =
    [
        ("diamond|diamonds|crystal", 0xE8F4FF), ("ruby|rubies", 0xC0143C), ("sapphire|sapphires", 0x1D4FA8),
        ("emerald|emeralds", 0x1F9D6B), ("amethyst", 0x9966CC), ("pearl|pearls", 0xEDE8E0), ("topaz", 0xF2A516),
        ("opal", 0xB8E0E8), ("garnet", 0x8E1B2C), ("jade", 0x3AA57A), ("onyx", 0x16161A), ("aquamarine", 0x40D8D0),
    ];

    private static readonly (string Words, string Key, float Amount)[] ColorModifiers =
    [
        ("light", "light", 0.35f), ("pale", "pale", 0.5f), ("pastel", "pastel", 0.45f), ("soft", "soft", 0.25f),
        ("dark", "dark", -0.4f), ("deep", "deep", -0.3f), ("bright|vivid|vibrant|neon", "bright", 0.3f),
        ("muted|dusty|faded", "muted", -0.5f),
    ];

    private static readonly (string Words, SketchTimeOfDay Time)[] Times =
    [
        ("dawn|sunrise|daybreak|morning|early morning|first light|break of dawn", SketchTimeOfDay.Dawn),
        ("day|daytime|noon|midday|afternoon|daylight|sunny|sunshine|blue sky", SketchTimeOfDay.Day),
        ("sunset|dusk|evening|sundown|twilight|golden hour|sunsets", SketchTimeOfDay.Sunset),
        ("night|midnight|nighttime|night time|moonlight|moonlit|starry|starlit|starry night|blue hour|nights", SketchTimeOfDay.Night),
    ];

    private static readonly (string Words, SketchSetting Setting)[] Settings =
    [
        ("forest|forests|woods|woodland|woodlands|jungle|rainforest|grove|taiga", SketchSetting.Forest),
        ("sea|ocean|beach|coast|coastline|shore|seaside|seashore|waves|island|lake|bay|harbor|harbour|lagoon|river|pond|seascape|tropical", SketchSetting.Sea),
        ("desert|dunes|dune|sahara|canyon|oasis|savanna|savannah|mesa", SketchSetting.Desert),
        ("mountain|mountains|peaks|peak|alps|alpine|summit|valley|cliffs|highlands|volcano", SketchSetting.Mountains),
        ("city|cityscape|town|street|streets|urban|skyline|downtown|metropolis|village|rooftops|neighborhood|neighbourhood", SketchSetting.City),
        ("arctic|tundra|antarctica|glacier|north pole|frozen|icy|ice", SketchSetting.Snow),
        ("studio|backdrop|product shot|product photo|product photography|packshot|catalog|catalogue|isolated|plain background|studio lighting|e commerce|ecommerce", SketchSetting.Studio),
        ("meadow|meadows|field|fields|grassland|countryside|park|garden|farm|hills|hill|prairie|plains|pasture|landscape", SketchSetting.Meadow),
    ];

    private static readonly (string Words, SketchSubjectKind Kind, string Noun)[] Subjects =
    [
        ("fox|foxes|vixen", SketchSubjectKind.Animal, "fox"),
        ("wolf|wolves", SketchSubjectKind.Animal, "wolf"),
        ("dog|dogs|puppy|puppies|hound|doggy|pup", SketchSubjectKind.Animal, "dog"),
        ("cat|cats|kitten|kittens|kitty|feline", SketchSubjectKind.Animal, "cat"),
        ("lion|lions|lioness", SketchSubjectKind.Animal, "lion"),
        ("tiger|tigers", SketchSubjectKind.Animal, "tiger"),
        ("leopard|cheetah|jaguar", SketchSubjectKind.Animal, "leopard"),
        ("horse|horses|pony|ponies|stallion|mare|foal", SketchSubjectKind.Animal, "horse"),
        ("unicorn|unicorns", SketchSubjectKind.Animal, "unicorn"),
        ("zebra|zebras", SketchSubjectKind.Animal, "zebra"),
        ("deer|stag|doe|fawn|elk|moose|reindeer|antelope", SketchSubjectKind.Animal, "deer"),
        ("cow|cows|bull|ox|cattle|calf", SketchSubjectKind.Animal, "cow"),
        ("sheep|lamb|lambs|ram", SketchSubjectKind.Animal, "sheep"),
        ("goat|goats", SketchSubjectKind.Animal, "goat"),
        ("pig|pigs|piglet", SketchSubjectKind.Animal, "pig"),
        ("bear|bears|grizzly", SketchSubjectKind.Animal, "bear"),
        ("panda|pandas", SketchSubjectKind.Animal, "panda"),
        ("rabbit|rabbits|bunny|bunnies|hare", SketchSubjectKind.Animal, "rabbit"),
        ("mouse|mice|rat|hamster", SketchSubjectKind.Animal, "mouse"),
        ("squirrel|squirrels", SketchSubjectKind.Animal, "squirrel"),
        ("elephant|elephants", SketchSubjectKind.Animal, "elephant"),
        ("giraffe|giraffes", SketchSubjectKind.Animal, "giraffe"),
        ("camel|camels", SketchSubjectKind.Animal, "camel"),
        ("dragon|dragons", SketchSubjectKind.Animal, "dragon"),
        ("dinosaur|dinosaurs|t rex|trex", SketchSubjectKind.Animal, "dinosaur"),
        ("bird|birds|robin|sparrow|finch|bluebird|songbird|chicken|hen|rooster|duck|ducks|hummingbird|kingfisher", SketchSubjectKind.Animal, "bird"),
        ("owl|owls", SketchSubjectKind.Animal, "owl"),
        ("eagle|hawk|falcon|seagull|gull|swallow", SketchSubjectKind.Animal, "eagle"),
        ("penguin|penguins", SketchSubjectKind.Animal, "penguin"),
        ("flamingo|flamingos|flamingoes|heron|crane|stork", SketchSubjectKind.Animal, "flamingo"),
        ("swan|swans|goose|geese", SketchSubjectKind.Animal, "swan"),
        ("fish|fishes|trout", SketchSubjectKind.Animal, "fish"),
        ("whale|whales|orca", SketchSubjectKind.Animal, "whale"),
        ("dolphin|dolphins|porpoise", SketchSubjectKind.Animal, "dolphin"),
        ("shark|sharks", SketchSubjectKind.Animal, "shark"),
        ("butterfly|butterflies|moth", SketchSubjectKind.Animal, "butterfly"),
        ("animal|animals|creature|creatures|pet|pets|wildlife", SketchSubjectKind.Animal, "animal"),

        ("person|persons|human|humans|figure|someone|individual|character|people|crowd|adult", SketchSubjectKind.Person, "person"),
        ("man|men|guy|gentleman|boyfriend|husband|father|dad|businessman", SketchSubjectKind.Person, "man"),
        ("woman|women|lady|ladies|girlfriend|wife|mother|mom|mum|businesswoman", SketchSubjectKind.Person, "woman"),
        ("girl|girls|daughter", SketchSubjectKind.Person, "girl"),
        ("boy|boys|son", SketchSubjectKind.Person, "boy"),
        ("child|children|kid|kids|toddler", SketchSubjectKind.Person, "child"),
        ("astronaut|astronauts|cosmonaut|spaceman", SketchSubjectKind.Person, "astronaut"),
        ("wizard|wizards|witch|witches|mage|sorcerer|sorceress|magician", SketchSubjectKind.Person, "wizard"),
        ("knight|knights|warrior|soldier|soldiers|samurai", SketchSubjectKind.Person, "knight"),
        ("king|queen|princess|prince|royal|emperor|empress", SketchSubjectKind.Person, "king"),
        ("hiker|hikers|traveler|traveller|explorer|backpacker|adventurer|wanderer", SketchSubjectKind.Person, "hiker"),
        ("couple|lovers", SketchSubjectKind.Person, "couple"),
        ("family|families", SketchSubjectKind.Person, "family"),

        ("car|cars|automobile|sedan|coupe|sports car|race car|racecar|convertible|jeep|suv", SketchSubjectKind.Vehicle, "car"),
        ("taxi|cab|taxis", SketchSubjectKind.Vehicle, "taxi"),
        ("truck|trucks|lorry|van|pickup", SketchSubjectKind.Vehicle, "truck"),
        ("bus|buses", SketchSubjectKind.Vehicle, "bus"),
        ("bicycle|bicycles|bike|bikes|cyclist|cycling", SketchSubjectKind.Vehicle, "bicycle"),
        ("motorcycle|motorcycles|motorbike|motorbikes|scooter|moped", SketchSubjectKind.Vehicle, "motorcycle"),
        ("boat|boats|sailboat|sailboats|yacht|yachts|sailing boat|canoe|dinghy", SketchSubjectKind.Vehicle, "sailboat"),
        ("ship|ships|steamship|pirate ship|galleon|ferry|cruise ship|vessel", SketchSubjectKind.Vehicle, "ship"),
        ("plane|planes|airplane|aeroplane|aircraft|jet|airliner", SketchSubjectKind.Vehicle, "plane"),
        ("train|trains|locomotive|tram|railway|steam train", SketchSubjectKind.Vehicle, "train"),
        ("rocket|rockets|spaceship|spacecraft|space shuttle", SketchSubjectKind.Vehicle, "rocket"),
        ("hot air balloon|balloon|balloons|air balloon", SketchSubjectKind.Vehicle, "balloon"),
        ("vehicle|vehicles|traffic", SketchSubjectKind.Vehicle, "vehicle"),

        ("house|houses|home|cottage|cabin|hut|barn|farmhouse|bungalow|villa|chalet|shed", SketchSubjectKind.Building, "house"),
        ("castle|castles|palace|fortress|citadel|fort", SketchSubjectKind.Building, "castle"),
        ("tower|towers|watchtower|turret", SketchSubjectKind.Building, "tower"),
        ("lighthouse|lighthouses|beacon", SketchSubjectKind.Building, "lighthouse"),
        ("skyscraper|skyscrapers|office tower|high rise|apartment", SketchSubjectKind.Building, "skyscraper"),
        ("building|buildings|architecture", SketchSubjectKind.Building, "building"),
        ("church|churches|chapel|cathedral|temple|monastery", SketchSubjectKind.Building, "church"),
        ("windmill|windmills|mill", SketchSubjectKind.Building, "windmill"),

        ("ring|rings|wedding ring|engagement ring", SketchSubjectKind.Product, "ring"),
        ("necklace|necklaces|pendant|locket|chain|choker", SketchSubjectKind.Product, "necklace"),
        ("earring|earrings|studs", SketchSubjectKind.Product, "earrings"),
        ("bracelet|bracelets|bangle|bangles", SketchSubjectKind.Product, "bracelet"),
        ("jewelry|jewellery|jewel|jewels|jewelery", SketchSubjectKind.Product, "ring"),
        ("bottle|bottles|wine|beer|wine bottle|water bottle|flask", SketchSubjectKind.Product, "bottle"),
        ("perfume|perfumes|fragrance|cologne|scent|perfume bottle", SketchSubjectKind.Product, "perfume"),
        ("cup|cups|mug|mugs|coffee|tea|teacup|latte|espresso|cappuccino", SketchSubjectKind.Product, "cup"),
        ("vase|vases|jar|jug|pot|urn", SketchSubjectKind.Product, "vase"),
        ("watch|watches|wristwatch|clock", SketchSubjectKind.Product, "watch"),
        ("phone|phones|smartphone|iphone|mobile phone|cellphone|tablet", SketchSubjectKind.Product, "phone"),
        ("product|products|item|package|packaging|box|gift", SketchSubjectKind.Product, "box"),

        ("tree|oak|maple|willow|birch|lone tree", SketchSubjectKind.Plant, "tree"),
        ("palm|palm tree|palm trees|palms", SketchSubjectKind.Plant, "palm"),
        ("flower|tulip|tulips|sunflower|sunflowers|daisy|daisies|lily|orchid|bouquet|blossom|poppy", SketchSubjectKind.Plant, "flower"),
        ("cactus|cacti|succulent", SketchSubjectKind.Plant, "cactus"),
        ("mushroom|mushrooms|toadstool", SketchSubjectKind.Plant, "mushroom"),
    ];

    // Words that name a thing in its usual colour: "a fire truck" is a red truck unless the prompt says otherwise.
    private static readonly (string Words, SketchSubjectKind Kind, string Noun, string Color)[] ColoredSubjects =
    [
        ("fire truck|firetruck|fire engine", SketchSubjectKind.Vehicle, "truck", "red"),
        ("school bus", SketchSubjectKind.Vehicle, "bus", "yellow"),
        ("crow|crows|raven|ravens|blackbird", SketchSubjectKind.Animal, "bird", "black"),
        ("cardinal|cardinals", SketchSubjectKind.Animal, "bird", "red"),
        ("canary|canaries", SketchSubjectKind.Animal, "bird", "yellow"),
        ("parrot|parrots|macaw|parakeet", SketchSubjectKind.Animal, "bird", "green"),
        ("dove|doves|pigeon|pigeons", SketchSubjectKind.Animal, "bird", "grey"),
        ("polar bear|polar bears", SketchSubjectKind.Animal, "bear", "white"),
        ("panther|panthers", SketchSubjectKind.Animal, "leopard", "black"),
        ("goldfish|koi", SketchSubjectKind.Animal, "fish", "orange"),
    ];

    // Parts take a colour and give it to the nearest subject's detail (or main, for clothes and fur).
    private static readonly (string Words, string Key)[] Parts =
    [
        ("fur|coat|feathers|plumage|body|skin|scales|paint|paintwork|shell|walls|wall", "main"),
        ("dress|shirt|jacket|clothes|clothing|suit|cloak|robe|gown|sweater|hoodie|scarf|outfit|uniform|cape|kimono", "main"),
        ("petals|petal|blossoms|leaves|leaf|foliage|canopy", "main"),
        ("eyes|eye", "detail"),
        ("hair|hat|helmet|visor", "detail"),
        ("roof|roofs", "detail"),
        ("sail|sails", "detail"),
        ("gem|gems|stone|stones|gemstone|gemstones", "detail"),
        ("cap|lid|liquid|label|strap|screen|ribbon|centre|center", "detail"),
    ];

    // Scenery words: they take a colour ("pink sky") and can be removed ("no clouds").
    private static readonly (string Words, string Key)[] Elements =
    [
        ("sky|skies|heavens", "sky"),
        ("sun|sunlight|sunbeams|sun rays", "sun"),
        ("moon|full moon|crescent moon|crescent|moons", "moon"),
        ("stars|star|starfield|galaxy|milky way|constellations", "stars"),
        ("cloud|clouds|cloudy|clouded", "clouds"),
        ("trees|pines|pine trees|pine|firs|fir trees|evergreens|birches|oaks", "trees"),
        ("water|reflection|reflections", "water"),
        ("grass|ground|earth|soil|lawn|floor|land", "ground"),
        ("sand|sands", "sand"),
        ("rocks|rock|boulders|pebbles", "rocks"),
        ("background", "background"),
        ("flowers|wildflowers|blooms|flower field", "flowers"),
        ("birds in the sky|flock|flock of birds", "birds"),
        ("rainbow|rainbows", "rainbow"),
        ("shadow|shadows", "shadow"),
        ("blur|blurry|blurred|bokeh|depth of field|out of focus", "blur"),
        ("grain|grainy|noise|noisy|film grain", "grain"),
        ("glow|glows|glowing|bloom", "glow"),
        ("text|words|letters|watermark|logo|signature|caption|typography", "text"),
        ("lights|lamps|street lights|streetlights|lanterns|window lights", "lights"),
    ];

    private static readonly (string Words, SketchLighting Lighting)[] Lightings =
    [
        ("soft|soft light|soft lighting|gentle|diffuse|diffused|dreamy|calm|serene|peaceful|pastel|cozy|cosy|warm light|ambient light|tranquil", SketchLighting.Soft),
        ("dramatic|dramatic lighting|moody|chiaroscuro|cinematic|high contrast|contrasty|spotlight|spot light|rim light|rim lighting|epic|dark|stormy light|noir|shadowy|intense", SketchLighting.Dramatic),
        ("neon|neon lights|neon lighting|glowing lights|fluorescent|synthwave|vaporwave|retrowave|blacklight|led", SketchLighting.Neon),
    ];

    private static readonly (string Words, SketchStyle Style)[] Styles =
    [
        ("watercolor|watercolour|watercolors|watercolours|water color|water colour|aquarelle|gouache|ink wash|painted|painting", SketchStyle.Watercolor),
        ("pixel|pixels|pixel art|pixelart|pixelated|8 bit|8bit|16 bit|16bit|retro game|sprite|nes|snes", SketchStyle.PixelArt),
        ("flat|flat design|flat illustration|vector|vector art|vector illustration|icon|clipart|clip art|cartoon|graphic", SketchStyle.Flat),
        ("minimal|minimalist|minimalistic|minimalism|simple|simplistic|clean|zen", SketchStyle.Minimal),
        ("photo|photograph|photographic|photorealistic|photo realistic|photorealism|realistic|hyperrealistic|hyper realistic|dslr|35mm|8k|4k|hdr", SketchStyle.Photographic),
        ("cyberpunk|cyber punk|cyber|blade runner|futuristic|sci fi|scifi|dystopian", SketchStyle.Cyberpunk),
        ("neon sign|neon art|neon style|neon glow", SketchStyle.Neon),
    ];

    private static readonly (string Words, SketchWeather Weather)[] Weathers =
    [
        ("overcast|grey sky|gray sky|gloomy", SketchWeather.Cloudy),
        ("rain|rainy|raining|rainfall|drizzle|storm|stormy|thunderstorm|downpour|showers", SketchWeather.Rain),
        ("fog|foggy|mist|misty|haze|hazy|smog", SketchWeather.Fog),
        ("snowing|snowfall|snowflakes|falling snow|blizzard|snowstorm", SketchWeather.Snowfall),
    ];

    private static readonly (string Words, string Key)[] Seasons =
    [
        ("autumn|fall|autumnal|autumn leaves|fall foliage|halloween", "autumn"),
        ("spring|springtime|cherry blossom|cherry blossoms|sakura", "spring"),
        ("summer|summertime", "summer"),
    ];

    private static readonly (string Words, int Number)[] Counts =
    [
        ("one|single|a single|lone|solitary|alone", 1), ("two|pair|a pair of|twin|twins|both|2", 2), ("three|trio|3", 3),
        ("four|4", 4), ("five|5", 5), ("six|seven|eight|many|several|group|herd|pack|flock of|crowd of|lots of|dozens|multiple|6|7|8|9|10", 5),
    ];

    private static readonly (string Words, float Scale)[] Sizes =
    [
        ("tiny|little|small|baby|mini|miniature|distant|far away", 0.72f),
        ("big|large|huge|giant|enormous|massive|colossal|towering|majestic", 1.25f),
        ("close up|closeup|portrait|macro|headshot", 1.4f),
    ];

    // Finishing requests: what a prompt refinement adds to fix a measured quality (sharpness, contrast, exposure...).
    private static readonly (string Words, SketchEnhancements Adds)[] Enhancements =
    [
        ("sharp|sharp focus|in focus|crisp|tack sharp|razor sharp|sharply focused|sharpness", SketchEnhancements.SharpFocus),
        ("fine detail|fine details|detailed|highly detailed|high detail|ultra detailed|finely detailed|intricate|intricate detail|intricate details", SketchEnhancements.FineDetail),
        ("strong contrast|more contrast|higher contrast|good contrast|defined shadows|punchy", SketchEnhancements.HighContrast),
        ("even|even lighting|even light|evenly lit|uniform lighting|flat lighting", SketchEnhancements.EvenLighting),
        ("brilliance|brilliant|sparkle|sparkles|sparkling|sparkly|glitter|glittering|glistening|shimmering|dazzling|gem brilliance|gemstone brilliance|enhanced gemstone brilliance|specular|specular highlights", SketchEnhancements.Brilliance),
        ("balanced exposure|well exposed|correct exposure|proper exposure|properly exposed|even exposure", SketchEnhancements.BalancedExposure),
        ("brightly lit|well lit|bright lighting|high key", SketchEnhancements.Bright),
        ("bright even light|bright even lighting", SketchEnhancements.Bright | SketchEnhancements.EvenLighting),
        ("vivid colors|vivid colours|vibrant colors|vibrant colours|vibrant color palette|vibrant colour palette|rich colors|rich colours|saturated colors|saturated colours|saturated|colorful|colourful", SketchEnhancements.Vivid),
        ("muted colors|muted colours|muted tones|desaturated|desaturated colors|desaturated colours|washed out", SketchEnhancements.Muted),
    ];

    // Declared after the tables: static fields initialise in textual order.
    public static readonly IReadOnlyDictionary<string, Term> Terms = Build();

    private static Dictionary<string, Term> Build()
    {
        var d = new Dictionary<string, Term>(StringComparer.Ordinal);

        void Add(string words, Term term)
        {
            foreach (var w in words.Split('|'))
                d.TryAdd(w, term);
        }

        // Order matters where a word has two meanings: the first table to claim it wins.
        foreach (var (words, key) in new[] { ("no|without|not|minus|zero|free of|except|excluding|lacking|nothing", "no") })
            Add(words, new Term(TermKind.Negator, key));
        foreach (var (words, key) in new[] { ("and|or|&|plus|nor", "and") })
            Add(words, new Term(TermKind.Connector, key));
        foreach (var (words, rgb) in Gems)
        {
            var name = words.Split('|')[0];
            Add(words, new Term(TermKind.Gem, name) { Color = MakeColor(name, rgb) });
        }
        foreach (var (words, rgb) in Colors)
        {
            var name = words.Split('|')[0];
            Add(words, new Term(TermKind.Color, name) { Color = MakeColor(name, rgb) });
        }
        foreach (var (words, key, amount) in ColorModifiers)
            Add(words, new Term(TermKind.ColorModifier, key) { Amount = amount });
        foreach (var (words, style) in Styles)
            Add(words, new Term(TermKind.Style, StyleKey(style)) { Number = (int)style });
        foreach (var (words, lighting) in Lightings)
            Add(words, new Term(TermKind.Lighting, lighting.ToString().ToLowerInvariant()) { Number = (int)lighting });
        foreach (var (words, time) in Times)
            Add(words, new Term(TermKind.Time, time.ToString().ToLowerInvariant()) { Number = (int)time });
        foreach (var (words, weather) in Weathers)
            Add(words, new Term(TermKind.Weather, weather.ToString().ToLowerInvariant()) { Number = (int)weather });
        Add("snow|snowy|winter|wintry|wintertime|snowfield|snowcapped|snow covered|christmas", new Term(TermKind.Snowy, "snow"));
        foreach (var (words, key) in Seasons)
            Add(words, new Term(TermKind.Season, key));
        var colorsByName = Colors.ToDictionary(c => c.Words.Split('|')[0], c => c.Rgb);
        foreach (var (words, kind, noun, color) in ColoredSubjects)
            Add(words, new Term(TermKind.Subject, noun) { SubjectKind = kind, Color = MakeColor(color, colorsByName[color]), HasColor = true });
        foreach (var (words, kind, noun) in Subjects)
            Add(words, new Term(TermKind.Subject, noun) { SubjectKind = kind });
        foreach (var (words, setting) in Settings)
            Add(words, new Term(TermKind.Setting, setting.ToString().ToLowerInvariant()) { Number = (int)setting });
        foreach (var (words, key) in Parts)
            Add(words, new Term(TermKind.Part, key));
        foreach (var (words, key) in Elements)
            Add(words, new Term(TermKind.Element, key));
        foreach (var (words, number) in Counts)
            Add(words, new Term(TermKind.Count, "count") { Number = number });
        foreach (var (words, scale) in Sizes)
            Add(words, new Term(TermKind.Size, "size") { Amount = scale });
        foreach (var (words, adds) in Enhancements)
            Add(words, new Term(TermKind.Enhancement, "enhancement") { Adds = adds });
        // Phrases that mean an existing thing and also ask for a finish.
        Add("diffused lighting|diffuse lighting|diffused light|diffuse light", new Term(TermKind.Lighting, "soft")
        {
            Number = (int)SketchLighting.Soft, Adds = SketchEnhancements.EvenLighting,
        });
        Add("dark sky|dark skies|darker sky", new Term(TermKind.Element, "sky") { Adds = SketchEnhancements.DarkSky });
        Add("dark night|dark night sky", new Term(TermKind.Time, "night") { Number = (int)SketchTimeOfDay.Night, Adds = SketchEnhancements.DarkSky });
        Add("bright daylight", new Term(TermKind.Time, "day") { Number = (int)SketchTimeOfDay.Day, Adds = SketchEnhancements.Bright });
        Add("plain white background|plain white backdrop|seamless white background|white seamless background|clean white background", new Term(TermKind.Setting, "studio")
        {
            Number = (int)SketchSetting.Studio, Adds = SketchEnhancements.PlainBackground, Color = MakeColor("white", colorsByName["white"]), HasColor = true,
        });
        Add("seamless|seamless background|seamless backdrop|clean background|clean backdrop|clean plain background|clean uncluttered background|uncluttered background|simple background|simple backdrop", new Term(TermKind.Setting, "studio")
        {
            Number = (int)SketchSetting.Studio, Adds = SketchEnhancements.PlainBackground,
        });
        foreach (var word in new[] { "high contrast", "contrasty" })
            d[word] = d[word] with { Adds = SketchEnhancements.HighContrast };
        foreach (var word in "in|on|at|under|over|above|below|by|near|beside|next to|through|across|from|into|onto|inside|behind|during|against|with|of|among|along|around|is|are|while|but|then|as|like|for|to|has|having|wearing|holding|riding|standing|sitting|walking|running|flying|swimming|looking".Split('|'))
            d.TryAdd(word, new Term(TermKind.Break, word));
        // A colour word that is also a thing: "a red rose" is a flower, "rose gold" is a colour.
        d["rose"] = d["rose"] with { Also = new Term(TermKind.Subject, "flower") { SubjectKind = SketchSubjectKind.Plant } };
        return d;
    }

    public static string StyleKey(SketchStyle style) => style switch
    {
        SketchStyle.PixelArt => "pixel-art",
        _ => style.ToString().ToLowerInvariant(),
    };

    private static SketchColor MakeColor(string name, uint rgb) =>
        new(name, (byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
}
