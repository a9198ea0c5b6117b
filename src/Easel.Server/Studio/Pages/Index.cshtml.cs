using System.Globalization;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Providers.References;
using Easel.Server.Api;
using Easel.Server.Hosting;
using Easel.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Easel.Server.Studio.Pages;

/// <summary>
/// Create: the order form. "Check plan" (<see cref="OnPostQuoteAsync"/>) shows what the order would
/// be and cost without storing anything; "Place order" (<see cref="OnPostAsync"/>) places it.
/// </summary>
[RequestSizeLimit(MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
internal sealed class IndexModel(EaselServices services, OrderFeed feed) : PageModel
{
    /// <summary>Every reference at its size limit, plus room for the other fields.</summary>
    public const long MaxUploadBytes = OrderInput.MaxReferences * ReferenceOptions.DefaultMaxBytes + 1024 * 1024;

    /// <summary>Name of the file input; the script leaves files out of automatic plan checks and sends their number instead.</summary>
    public const string FilesField = "referenceFiles";

    /// <summary>The shapes offered; each is an aspect ratio of about one megapixel.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Shapes =
    [
        ("", "Square, 1024×1024 (default)"),
        ("16:9", "16:9 wide"),
        ("9:16", "9:16 tall"),
        ("4:3", "4:3"),
        ("3:4", "3:4"),
        ("3:2", "3:2 photo"),
        ("2:3", "2:3 portrait"),
        ("21:9", "21:9 panorama"),
        ("custom", "Custom size…"),
    ];

    [BindProperty]
    public CreateForm Form { get; set; } = new();

    /// <summary>What is wrong with each field, by its camelCase name.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>A problem with the order as a whole (the provider cannot make it as asked).</summary>
    public string? Problem { get; private set; }

    public OrderQuote? Plan { get; private set; }

    public IReadOnlyList<ProviderChoice> Providers => StudioQueries.ImageProviders(services);

    public IReadOnlyList<Preset> Presets => services.Presets.All;

    /// <summary>Files were chosen but a re-shown form cannot keep them.</summary>
    public int FilesToChooseAgain { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>The plan and cost of the order as filled in; the script fetches just the plan (header <c>X-Easel-Fragment</c>).</summary>
    public async Task<IActionResult> OnPostQuoteAsync(CancellationToken cancellationToken)
    {
        var files = Request.HasFormContentType ? Request.Form.Files.GetFiles(FilesField).Count(f => f.Length > 0) : 0;
        var input = ToInput();
        var urls = input?.References?.Count ?? 0;
        var references = files + urls + Math.Clamp(Form.UploadCount ?? 0, 0, OrderInput.MaxReferences + 1);
        if (references > OrderInput.MaxReferences)
            Errors["references"] = $"At most {OrderInput.MaxReferences} reference images per order; got {references}.";
        if (input is not null)
        {
            // References are downloaded and checked only when the order is placed: a plan is free and fast.
            input.References = null;
            try
            {
                var spec = await input.ToSpecAsync(services, [], cancellationToken);
                if (Errors.Count == 0)
                {
                    var placeholders = Enumerable.Range(0, references).Select(i => new ReferenceImage($"reference {i + 1}", [], "image/png", 1, 1, "")).ToList();
                    Plan = services.Orders.Quote(spec with { References = placeholders }, services.Settings.Approval);
                }
            }
            catch (OrderInputException ex)
            {
                AddErrors(ex.Errors);
            }
            catch (OrderRejectedException ex)
            {
                Problem = ex.Message;
            }
        }
        FilesToChooseAgain = files;
        if (Request.Headers.ContainsKey(StudioHeaders.Fragment))
            return Partial("_Plan", PlanView);
        return Page();
    }

    /// <summary>Places the order and shows it; on any problem, the form again with each field's error.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var input = ToInput();
        var files = Request.HasFormContentType ? Request.Form.Files.GetFiles(FilesField).Where(f => f.Length > 0).ToList() : [];
        var uploads = new List<ReferenceImage>();
        if (files.Count + (input?.References?.Count ?? 0) > OrderInput.MaxReferences)
            Errors["references"] = $"At most {OrderInput.MaxReferences} reference images per order; got {files.Count + (input?.References?.Count ?? 0)}.";
        else
        {
            foreach (var file in files)
            {
                try
                {
                    await using var stream = file.OpenReadStream();
                    uploads.Add(await services.References.LoadUploadAsync(file.FileName, stream, cancellationToken));
                }
                catch (ReferenceException ex)
                {
                    Errors["references"] = ex.Message;
                    break;
                }
            }
        }
        if (input is null || Errors.Count > 0)
        {
            FilesToChooseAgain = files.Count;
            return Page();
        }
        try
        {
            var spec = await input.ToSpecAsync(services, uploads, cancellationToken);
            var placed = await services.Orders.PlaceAsync(spec, new PlaceOptions(services.Settings.Approval, User.Identity!.Name!), cancellationToken);
            services.Nudge();
            feed.Nudge();
            return Redirect(StudioLinks.Order(placed.Order.Id));
        }
        catch (OrderInputException ex)
        {
            AddErrors(ex.Errors);
        }
        catch (OrderRejectedException ex)
        {
            Problem = ex.Message;
        }
        FilesToChooseAgain = files.Count;
        return Page();
    }

    public PlanView PlanView => new(Plan, Problem, Errors.Select(e => (StudioForm.Label(e.Key), e.Value)).ToList(), FilesToChooseAgain);

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    /// <summary>The form as an <see cref="OrderInput"/>, or null (with <see cref="Errors"/> filled) when a number does not read as one.</summary>
    private OrderInput? ToInput()
    {
        var input = new OrderInput
        {
            Prompt = Form.Prompt,
            NegativePrompt = Form.NegativePrompt,
            Style = Form.Style,
            Background = Form.Background,
            Provider = Form.Provider,
            Quality = Form.Quality,
            Format = Form.Format,
            Preset = Form.Preset,
            Count = Whole("count", Form.Count, "Count"),
            MaxIterations = Whole("maxIterations", Form.MaxIterations, "Max iterations"),
            Threshold = Whole("threshold", Form.Threshold, "Threshold"),
            Candidates = Whole("candidates", Form.Candidates, "Candidates"),
            References = (Form.ReferenceUrls ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        };
        if (!string.IsNullOrWhiteSpace(Form.Seed))
        {
            if (long.TryParse(Form.Seed.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                input.Seed = seed;
            else
                Errors["seed"] = $"The seed must be a whole number between 0 and {uint.MaxValue}; got '{StudioFormat.Excerpt(Form.Seed, 20)}'.";
        }
        switch (Form.Shape?.Trim() ?? "")
        {
            case "":
                break;
            case "custom":
                if (string.IsNullOrWhiteSpace(Form.Size))
                    Errors["size"] = "Type a size such as 1344x768, or choose a shape.";
                input.Size = Form.Size;
                break;
            default:
                input.AspectRatio = Form.Shape;
                break;
        }
        return Errors.Count == 0 ? input : null;
    }

    private int? Whole(string field, string? text, string label)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        Errors[field] = $"{label} must be a whole number; got '{StudioFormat.Excerpt(text, 20)}'.";
        return null;
    }

    private void AddErrors(IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
            Errors[field] = string.Join(" ", messages);
    }
}

/// <summary>The Create form's fields, as typed (numbers are read by the page so a typo gets a clear message).</summary>
internal sealed class CreateForm
{
    public string? Prompt { get; set; }
    public string? NegativePrompt { get; set; }
    public string? Count { get; set; } = "1";

    /// <summary>"" (square default), a ratio such as 16:9, or "custom" for <see cref="Size"/>.</summary>
    public string? Shape { get; set; }

    public string? Size { get; set; }
    public string? Style { get; set; }
    public string? Background { get; set; }
    public string? Provider { get; set; }
    public string? Quality { get; set; }
    public string? Format { get; set; }
    public string? Seed { get; set; }
    public string? MaxIterations { get; set; } = LoopSettings.DefaultMaxIterations.ToString(CultureInfo.InvariantCulture);
    public string? Threshold { get; set; } = LoopSettings.DefaultThreshold.ToString(CultureInfo.InvariantCulture);
    public string? Candidates { get; set; } = "1";
    public string? Preset { get; set; }

    /// <summary>One public http(s) URL a line.</summary>
    public string? ReferenceUrls { get; set; }

    /// <summary>Files chosen, sent by the script instead of the files themselves when it refreshes the plan.</summary>
    public int? UploadCount { get; set; }
}

/// <summary>What the plan box shows.</summary>
internal sealed record PlanView(OrderQuote? Quote, string? Problem, IReadOnlyList<(string Field, string Message)> Errors, int FilesToChooseAgain);
