namespace Easel.Server.Studio;

/// <summary>Addresses of studio pages and of the API resources the pages show.</summary>
internal static class StudioLinks
{
    public static string Order(string orderId) => "/orders/" + Uri.EscapeDataString(orderId);

    public static string Image(string imageId) => "/images/" + Uri.EscapeDataString(imageId);

    public static string Approval(string requestId) => "/approvals#" + Uri.EscapeDataString(requestId);

    public static string Thumbnail(string imageId) => $"/api/v1/images/{Uri.EscapeDataString(imageId)}/thumbnail";

    public static string File(string imageId) => $"/api/v1/images/{Uri.EscapeDataString(imageId)}/file";

    public static string Download(string imageId) => File(imageId) + "?download=1";

    public static string OrderEvents(string orderId) => $"/api/v1/orders/{Uri.EscapeDataString(orderId)}/events";

    public const string AllEvents = "/api/v1/events";
}

/// <summary>Request headers the studio's script sends.</summary>
internal static class StudioHeaders
{
    /// <summary>Asks a handler for just the part of the page that changed, not the whole page.</summary>
    public const string Fragment = "X-Easel-Fragment";
}

/// <summary>Words for the Create form's fields, as their labels say them.</summary>
internal static class StudioForm
{
    public static string Label(string field) => field switch
    {
        "prompt" => "Prompt",
        "negativePrompt" => "Negative prompt",
        "count" => "Count",
        "size" => "Size",
        "aspectRatio" => "Shape",
        "style" => "Style",
        "background" => "Background",
        "provider" => "Provider",
        "quality" => "Quality",
        "format" => "Format",
        "seed" => "Seed",
        "maxIterations" => "Max iterations",
        "threshold" => "Threshold",
        "candidates" => "Candidates",
        "preset" => "Preset",
        "references" => "References",
        _ => field,
    };
}
