using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Easel.Core.Orders;
using Easel.Workflows.Agent;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>
/// `easel ask "REQUEST"`: an order in plain words. The model named by <c>Language:Agent</c> plans
/// and places it with tool calls; without one, the offline parser reads the request. Either way
/// the order then takes exactly the path of `easel generate`: the same approval gate (which only
/// a person can pass), the same progress and the same result.
/// </summary>
internal static class AskCommand
{
    /// <summary>Questions asked before giving up: a request that still lacks a count or subject after this is a usage error.</summary>
    private const int MaxQuestions = 3;

    public static Command Create(CliConsole console, EaselServices services)
    {
        var request = new Argument<string>("request") { Description = "What you want, in plain words, e.g. \"6 watercolor images of cats at 16:9, no text\"." };
        var offline = new Option<bool>("--offline") { Description = "Read the request with the built-in parser even when Language:Agent names a model." };
        var outDir = new Option<string?>("--out") { Description = "Also copy the images into this folder.", HelpName = "DIR" };
        var json = new Option<bool>("--json") { Description = "Print JSON on stdout (one object per order) instead of tables." };
        request.Validators.Add(r =>
        {
            var text = r.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(text))
                r.AddError("The request is empty: say what you want, e.g. easel ask \"4 images of a lighthouse at dusk\".");
            else if (text.Length > OrderSpec.MaxPromptLength)
                r.AddError($"The request is {text.Length} characters long; the limit is {OrderSpec.MaxPromptLength}.");
        });

        var command = new Command("ask", "Order images in plain words: a language model or the built-in parser turns the request into an order.")
        {
            request, offline, outDir, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var text = parse.GetRequiredValue(request).Trim();
            var outFolder = GenerateCommand.PrepareOutFolder(parse.GetValue(outDir));
            var asJson = parse.GetValue(json);
            var place = new PlaceOptions(services.Settings.Approval, services.UserName);
            var model = parse.GetValue(offline) ? null : services.AgentModel;
            if (model is null)
                return await OfflineAsync(console, services, text, place, asJson, outFolder, clock, cancellationToken);
            // Every language model Easel has also calls tools (LanguageModels.Create).
            return await WithModelAsync(console, services, (IChatClient)model, $"{model.Vendor} {model.Model}", text, place, asJson, outFolder, clock, cancellationToken);
        });
        return command;
    }

    private static async Task<int> OfflineAsync(
        CliConsole console, EaselServices services, string text, PlaceOptions place, bool json, string? outFolder, Stopwatch clock, CancellationToken cancellationToken)
    {
        var parsed = RequestParser.Parse(text, services.Providers.Names);
        for (var asked = 0; parsed.Question is { } question; asked++)
        {
            if (json || !console.CanPrompt || asked == MaxQuestions)
                return NeedsMore(console, question, json);
            var answer = await new TextPrompt<string>(question).AllowEmpty().ShowAsync(console.Error, cancellationToken);
            if (string.IsNullOrWhiteSpace(answer))
                return NeedsMore(console, question, json);
            text = $"{text}\n{answer.Trim()}";
            parsed = RequestParser.Parse(text, services.Providers.Names);
        }
        if (parsed.Understood.Count > 0)
            console.Log($"Understood: {string.Join(" · ", parsed.Understood)}");

        OrderSpec spec;
        try
        {
            spec = await parsed.Order.ToSpecAsync(services, [], cancellationToken);
        }
        catch (OrderInputException ex)
        {
            throw new UsageException($"The request cannot be ordered as understood: {ex.Message}");
        }
        var placed = await services.Orders.PlaceAsync(spec, place, cancellationToken);
        return await GenerateCommand.FollowPlacedAsync(console, services, placed, json, outFolder, clock, cancellationToken);
    }

    private static async Task<int> WithModelAsync(
        CliConsole console, EaselServices services, IChatClient chat, string modelName, string text, PlaceOptions place, bool json, string? outFolder,
        Stopwatch clock, CancellationToken cancellationToken)
    {
        var tools = new AgentTools(services, place);
        var agent = new OrderAgent(chat, tools);
        List<ChatMessage> conversation = [new(ChatRole.System, OrderAgent.Instructions(services)), new(ChatRole.User, text)];
        console.Log($"Asking {modelName}…");
        AgentTurn turn;
        for (var asked = 0; ; asked++)
        {
            try
            {
                turn = await agent.RunAsync(conversation, outcome => console.Log(Describe(outcome)), cancellationToken);
            }
            catch (AgentException ex)
            {
                console.ErrorLine(ex.Message);
                return tools.Placed.Count > 0 ? await FollowAllAsync(console, services, tools.Placed, json, outFolder, clock, cancellationToken) : ExitCodes.Failure;
            }
            if (tools.Placed.Count > 0 || !IsQuestion(turn.Text))
                break;
            // The model needs more before it can order: ask the person, in a terminal.
            if (json || !console.CanPrompt || asked == MaxQuestions)
                return NeedsMore(console, turn.Text, json);
            var answer = await new TextPrompt<string>(turn.Text).AllowEmpty().ShowAsync(console.Error, cancellationToken);
            if (string.IsNullOrWhiteSpace(answer))
                return NeedsMore(console, turn.Text, json);
            conversation.Add(new ChatMessage(ChatRole.User, answer.Trim()));
        }

        if (tools.Placed.Count == 0)
        {
            // Answered without ordering (a gallery search, prompt advice): the words are the result.
            if (json)
                console.RawOut.WriteLine(new JsonObject { ["answer"] = turn.Text }.ToJsonString());
            else
                console.Out.WriteLine(turn.Text);
            return ExitCodes.Success;
        }
        if (turn.Text.Length > 0)
            console.Log(turn.Text);
        return await FollowAllAsync(console, services, tools.Placed, json, outFolder, clock, cancellationToken);
    }

    /// <summary>Each placed order through the same approval prompt and progress as `easel generate`; the worst exit code wins.</summary>
    private static async Task<int> FollowAllAsync(
        CliConsole console, EaselServices services, IReadOnlyList<PlacedOrder> placed, bool json, string? outFolder, Stopwatch clock, CancellationToken cancellationToken)
    {
        var code = ExitCodes.Success;
        foreach (var order in placed)
        {
            var result = await GenerateCommand.FollowPlacedAsync(console, services, order, json, outFolder, clock, cancellationToken);
            if (code == ExitCodes.Success || result == ExitCodes.Failure)
                code = result;
        }
        return code;
    }

    private static int NeedsMore(CliConsole console, string question, bool json)
    {
        if (json)
            console.RawOut.WriteLine(new JsonObject { ["question"] = question }.ToJsonString());
        else
            console.ErrorLine($"{question} Say it in the request, e.g. easel ask \"6 images of cats in watercolor\".");
        return ExitCodes.Usage;
    }

    private static bool IsQuestion(string text) => text.TrimEnd().EndsWith('?');

    /// <summary>One log line per tool call: what the model did and what it was told.</summary>
    private static string Describe(ToolOutcome outcome)
    {
        var r = outcome.Result;
        if (outcome.IsError)
        {
            var fields = r["fields"] is JsonObject f ? " " + string.Join(" ", f.Select(p => $"{p.Key}: {p.Value}")) : "";
            return $"{outcome.Tool}: refused: {r["error"]}{fields}";
        }
        return outcome.Tool switch
        {
            AgentTools.PlanOrder => $"{outcome.Tool}: {r["images"]} images of \"{r["prompt"]}\" on {r["provider"]} at {r["size"]}, {Cost(r)}{Approval(r)}",
            AgentTools.EstimateCost => $"{outcome.Tool}: {Cost(r)}{Approval(r)}",
            AgentTools.CreateOrder => $"{outcome.Tool}: order {r["order_id"]} ({r["status"]})",
            AgentTools.SearchGallery => $"{outcome.Tool}: {r["count"]} images found",
            AgentTools.RefinePrompt => $"{outcome.Tool}: {(r["suggestions"] as JsonArray)?.Count ?? 0} suggestions",
            _ => outcome.Tool,
        };
    }

    private static string Cost(JsonObject r) => $"${r["min_cost_usd"]}–${r["max_cost_usd"]}";

    private static string Approval(JsonObject r) => r["needs_approval"]?.GetValue<bool>() == true ? ", needs a person's approval" : "";
}
