namespace Easel.Workflows.Agent;

/// <summary>
/// Turns a request in plain words ("Generate 6 images of cats in watercolor style at 16:9, no text")
/// into an order without a language model: deterministic, offline, linear in the request's length,
/// and never throwing. What it takes out of the text becomes the order's fields; what is left,
/// tidied, is the prompt, in the person's own words.
/// </summary>
/// <remarks>
/// Decisions on ambiguous wording, so that the same words always mean the same thing:
/// <list type="bullet">
/// <item>The count is a number right before an image noun ("6 images", "three logos", "a dozen
/// renders"), a number standing alone at the start of a part ("Generate 6", "make it six", the
/// answer "a dozen"), or before "of them"/"of a". Elsewhere a number belongs to the subject ("a cat
/// with 3 kittens", "1920s", "top 10"), and so does "draw 3 cats" (three cats in one picture).</item>
/// <item>"a few" is 3; "several", "some", "many", "multiple", "a bunch of" ask how many: the count
/// sets the cost, and those words mean anything from 3 to 10 to different people.</item>
/// <item>"a photo of X" (or "6 photos of X") means style photographic unless another style is
/// named; "a picture of"/"an image of" is one image and no style.</item>
/// <item>Kinds of picture (logo, icon, wallpaper, poster, portrait, painting, …) stay in the prompt,
/// made singular ("3 logos for a bakery" → "a logo for a bakery"); plain image nouns (image,
/// picture, render, variation, …) go.</item>
/// <item>Shapes: square 1:1; portrait, vertical and tall 2:3; landscape and horizontal 3:2; wide and
/// widescreen 16:9; cinematic, ultrawide and panoramic 21:9. Phone wallpapers and stories (Instagram,
/// TikTok, reels) are 9:16, desktop wallpapers 16:9. A shape word is a shape only where the request
/// makes it one ("in portrait", "landscape orientation", "square icons", ", square"): "a portrait of
/// my dog", "Times Square" and "cinematic lighting" stay in the prompt.</item>
/// <item>Style words that mean nothing but a style (watercolor, pixel art, 8-bit, photorealistic,
/// realistic, minimalist, flat design, cyberpunk) are the style wherever they stand; "neon", "flat",
/// "minimal" and "photo" only where the request says so ("in neon", "neon style", "neon images",
/// ", neon"), so "a neon sign" keeps its sign. Other style words ("in the style of Van Gogh") stay in
/// the prompt. The first style named explicitly wins; a second one stays in the prompt.</item>
/// <item>Quality: "high quality", "HD", "4k", "8k", "hi-res" are high; "low quality", "draft", "low-res"
/// are low; "medium/standard quality" medium.</item>
/// <item>"no background" and "transparent background" are a transparent background, not a negative.</item>
/// <item>What follows "no", "without", "avoid", "exclude", "don't include", "but not" is excluded up to
/// the next comma, sentence end, "but", or parameter; more than eight words is description ("a cat
/// without a hat sitting on a mat under a tree…"), not an exclusion.</item>
/// <item>A provider is named only with a lead word ("using", "with", "on", "via", "from") or
/// "provider", and only if the installation knows it: "a cat with a hat" keeps its hat.</item>
/// <item>A size and an aspect ratio for the same shape keep the size only; different shapes are kept
/// both, for the order's checks to report.</item>
/// </list>
/// </remarks>
public static class RequestParser
{
    /// <param name="request">The request; answers to <see cref="RequestParse.Question"/> are appended on their own lines.</param>
    /// <param name="providerNames">The image providers the installation knows (sketch, openai, …), matched case-insensitively.</param>
    public static RequestParse Parse(string request, IReadOnlyCollection<string> providerNames) =>
        new RequestParsing(request ?? "", providerNames).Run();
}

/// <summary>What <see cref="RequestParser"/> understood of a request.</summary>
/// <param name="Order">The order as understood; checked when it is placed (<see cref="OrderInput.ToSpecAsync"/>). Empty fields when nothing was understood.</param>
/// <param name="Question">Null when the order can be placed; else one plain question for the person, when the count or the subject is missing.</param>
/// <param name="Understood">Short lines of what was taken from the text: "6 images", "style watercolor", "aspect ratio 16:9", "without: text".</param>
public sealed record RequestParse(OrderInput Order, string? Question, IReadOnlyList<string> Understood);
