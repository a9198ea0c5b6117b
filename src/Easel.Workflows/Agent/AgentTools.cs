using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Prompts;
using Easel.Providers;
using Microsoft.Extensions.AI;

namespace Easel.Workflows.Agent;

/// <summary>
/// The tools a language model may call while it turns a request into an order: plan_order,
/// estimate_cost, create_order, search_gallery and refine_prompt. Each checks its arguments as
/// strictly as the REST API does and answers a mistake with an error the model can act on, never
/// an exception. There is deliberately no tool that approves: an order that needs approval waits
/// for a person.
/// </summary>
public sealed class AgentTools
{
    public const string PlanOrder = "plan_order";
    public const string EstimateCost = "estimate_cost";
    public const string CreateOrder = "create_order";
    public const string SearchGallery = "search_gallery";
    public const string RefinePrompt = "refine_prompt";

    /// <summary>Most orders one request may place: a model that loops must not spend without bound.</summary>
    public const int MaxOrders = 3;

    private readonly EaselServices _services;
    private readonly PlaceOptions _place;
    private readonly List<PlacedOrder> _placed = [];

    /// <param name="place">How orders are placed; its <see cref="PlaceOptions.ApprovedUpFront"/> is ignored: the agent never approves.</param>
    public AgentTools(EaselServices services, PlaceOptions place)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(place);
        _services = services;
        _place = place with { ApprovedUpFront = false };
        Declarations = [
            Declare(PlanOrder, "Checks an order without placing it: the provider's fitted size, the number of calls, the cost range and whether a person must approve it. Call it before create_order.", OrderSchema),
            Declare(EstimateCost, "The cost of an order in US dollars: if every image passes first time, and at worst with every refinement.", OrderSchema),
            Declare(CreateOrder, "Places the order. Orders above the approval limits wait for a person's decision; you cannot approve them.", OrderSchema),
            Declare(SearchGallery, "Searches images made earlier, newest first, by words in their prompts and by date.", SearchSchema),
            Declare(RefinePrompt, "Suggests better versions of a prompt, each with a one-line reason.", RefineSchema),
        ];
    }

    /// <summary>The tools as the model is told about them.</summary>
    public IReadOnlyList<AITool> Declarations { get; }

    /// <summary>Orders placed through <see cref="CreateOrder"/>, in order.</summary>
    public IReadOnlyList<PlacedOrder> Placed => _placed;

    /// <summary>Runs one call and returns what the model is told: a JSON object, with an "error" member when the call could not be done.</summary>
    public async Task<ToolOutcome> InvokeAsync(FunctionCallContent call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Exception is { } broken)
            return Failed(call.Name, $"The arguments of {call.Name} were not a JSON object ({broken.Message}). Send them again as one JSON object.");
        ToolArguments args;
        try
        {
            args = ToolArguments.From(call.Arguments);
        }
        catch (ArgumentException ex)
        {
            return Failed(call.Name, ex.Message);
        }

        try
        {
            return call.Name switch
            {
                PlanOrder => await PlanAsync(args, costOnly: false, cancellationToken),
                EstimateCost => await PlanAsync(args, costOnly: true, cancellationToken),
                CreateOrder => await CreateAsync(args, cancellationToken),
                SearchGallery => await SearchAsync(args, cancellationToken),
                RefinePrompt => await RefineAsync(args, cancellationToken),
                _ => Failed(call.Name, $"There is no tool called '{call.Name}'. The tools are {string.Join(", ", Declarations.Select(d => d.Name))}; approving an order is a person's decision, not a tool."),
            };
        }
        catch (ArgumentException ex)
        {
            return Failed(call.Name, ex.Message);
        }
        catch (OrderInputException ex)
        {
            var fields = new JsonObject();
            foreach (var (field, messages) in ex.Errors)
                fields[Snake(field)] = string.Join(" ", messages);
            return new ToolOutcome(call.Name, new JsonObject { ["error"] = "Some arguments cannot be used; fix them and call again.", ["fields"] = fields }, IsError: true);
        }
        catch (OrderRejectedException ex)
        {
            return Failed(call.Name, ex.Message);
        }
        catch (ProviderException ex)
        {
            return Failed(call.Name, ex.Message);
        }
    }

    private async Task<ToolOutcome> PlanAsync(ToolArguments args, bool costOnly, CancellationToken cancellationToken)
    {
        var spec = await args.ToOrderInput().ToSpecAsync(_services, [], cancellationToken);
        var quote = _services.Orders.Quote(spec, _place.Approval);
        var result = new JsonObject
        {
            ["images"] = quote.Count,
            ["provider"] = quote.Provider,
            ["min_cost_usd"] = quote.MinCost,
            ["max_cost_usd"] = quote.EstimatedCost,
        };
        if (!costOnly)
        {
            result["model"] = quote.Model;
            result["size"] = quote.Size.ToString();
            result["aspect_ratio"] = quote.AspectRatio;
            result["calls"] = quote.Calls;
            result["images_per_call"] = quote.ImagesPerCall;
            result["prompt"] = spec.Prompt;
            result["negative_prompt"] = spec.NegativePrompt;
            result["style"] = spec.Style;
        }
        result["needs_approval"] = quote.NeedsApproval;
        if (quote.NeedsApproval)
            result["approval_reasons"] = new JsonArray([.. quote.ApprovalReasons.Select(r => (JsonNode?)r)]);
        return new ToolOutcome(costOnly ? EstimateCost : PlanOrder, result, IsError: false);
    }

    private async Task<ToolOutcome> CreateAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        if (_placed.Count >= MaxOrders)
            return Failed(CreateOrder, $"This request already placed {_placed.Count} orders, the most one request may place. Tell the person what was ordered.");
        var spec = await args.ToOrderInput().ToSpecAsync(_services, [], cancellationToken);
        var placed = await _services.Orders.PlaceAsync(spec, _place, cancellationToken);
        _placed.Add(placed);
        _services.Nudge();
        var (order, request) = placed;
        var result = new JsonObject
        {
            ["order_id"] = order.Id,
            ["status"] = order.Status.ToText(),
            ["images"] = order.TargetCount,
            ["provider"] = order.Provider,
        };
        if (request is { Status: ApprovalStatus.Pending })
        {
            result["approval_request_id"] = request.Id;
            result["expires_at"] = request.ExpiresAt.ToString("O", CultureInfo.InvariantCulture);
            result["note"] = "The order waits for a person's approval. You cannot approve it: tell the person it is waiting and why.";
        }
        return new ToolOutcome(CreateOrder, result, IsError: false);
    }

    private async Task<ToolOutcome> SearchAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        args.Only("query", "since", "until", "limit");
        var limit = args.Integer("limit") ?? 10;
        if (limit is < 1 or > 50)
            throw new ArgumentException($"limit must be between 1 and 50; got {limit}.");
        var query = new ImageQuery(args.Text("query"), args.Date("since"), args.Date("until"), limit);
        var images = await _services.Store.Images.SearchAsync(query, cancellationToken);
        var list = new JsonArray();
        foreach (var image in images)
        {
            list.Add(new JsonObject
            {
                ["image_id"] = image.Id,
                ["order_id"] = image.OrderId,
                ["prompt"] = image.Prompt,
                ["provider"] = image.Provider,
                ["size"] = $"{image.Width}x{image.Height}",
                ["score"] = image.Score,
                ["created_at"] = image.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            });
        }
        return new ToolOutcome(SearchGallery, new JsonObject { ["count"] = list.Count, ["images"] = list }, IsError: false);
    }

    private async Task<ToolOutcome> RefineAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        args.Only("prompt", "count");
        var prompt = args.Text("prompt") ?? throw new ArgumentException("prompt is required: the prompt to improve.");
        var suggestions = await _services.Refiner.SuggestAsync(prompt, args.Integer("count") ?? PromptRefiner.DefaultSuggestions, cancellationToken);
        var list = new JsonArray();
        foreach (var s in suggestions)
            list.Add(new JsonObject { ["prompt"] = s.Prompt, ["reason"] = s.Reason, ["negative_prompt"] = s.Negative });
        return new ToolOutcome(RefinePrompt, new JsonObject { ["suggestions"] = list }, IsError: false);
    }

    private static ToolOutcome Failed(string tool, string message) => new(tool, new JsonObject { ["error"] = message }, IsError: true);

    /// <summary>"aspectRatio" → "aspect_ratio": OrderInput names fields the API's way, the tools the model's way.</summary>
    private static string Snake(string camel) =>
        string.Concat(camel.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static AIFunctionDeclaration Declare(string name, string description, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, description, JsonElement.Parse(schema));

    private static string OrderSchema => $$"""
        {
          "type": "object",
          "properties": {
            "prompt": { "type": "string", "description": "What to draw, in the person's words, without the parameters below." },
            "count": { "type": "integer", "minimum": 1, "maximum": {{OrderSpec.MaxCount}}, "description": "Number of images." },
            "negative_prompt": { "type": "string", "description": "What the images must not contain (\"no text\" → \"text\")." },
            "size": { "type": "string", "description": "WIDTHxHEIGHT, e.g. 1024x768. Give this or aspect_ratio." },
            "aspect_ratio": { "type": "string", "description": "W:H, e.g. 16:9." },
            "style": { "type": "string", "enum": [{{string.Join(", ", ImageStyles.Known.Select(s => $"\"{s}\""))}}] },
            "seed": { "type": "integer", "minimum": 0, "maximum": {{uint.MaxValue}} },
            "provider": { "type": "string", "description": "Image provider; the default when the person names none." },
            "quality": { "type": "string", "enum": ["auto", "low", "medium", "high"] },
            "format": { "type": "string", "enum": ["png", "jpeg", "webp"] },
            "background": { "type": "string", "enum": ["opaque", "transparent"] },
            "max_iterations": { "type": "integer", "minimum": 1, "description": "Most times each image is made, scored and its prompt refined." },
            "threshold": { "type": "integer", "minimum": 0, "maximum": 100, "description": "Score at which an image is good enough." },
            "candidates": { "type": "integer", "minimum": 1, "description": "Images made per iteration; the best counts." },
            "preset": { "type": "string", "description": "A domain preset guiding the prompter and evaluator." }
          },
          "required": ["prompt", "count"]
        }
        """;

    private const string SearchSchema = """
        {
          "type": "object",
          "properties": {
            "query": { "type": "string", "description": "Words that must appear in the prompt." },
            "since": { "type": "string", "description": "ISO 8601 date or time: only images made at or after it." },
            "until": { "type": "string", "description": "ISO 8601 date or time: only images made before it." },
            "limit": { "type": "integer", "minimum": 1, "maximum": 50 }
          }
        }
        """;

    private static string RefineSchema => $$"""
        {
          "type": "object",
          "properties": {
            "prompt": { "type": "string" },
            "count": { "type": "integer", "minimum": 1, "maximum": {{PromptRefiner.MaxSuggestions}} }
          },
          "required": ["prompt"]
        }
        """;
}

/// <param name="Tool">The tool that was called (as the model named it).</param>
/// <param name="Result">What the model is told, a JSON object.</param>
/// <param name="IsError">The call could not be done; <paramref name="Result"/> has an "error" member saying why.</param>
public sealed record ToolOutcome(string Tool, JsonObject Result, bool IsError);
