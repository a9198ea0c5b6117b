using System.CommandLine;
using System.Diagnostics;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Providers;

namespace Easel.Cli.Commands;

/// <summary>`easel regenerate`, `easel vary` and `easel upscale`: new images made from an existing one, each as an order.</summary>
internal static class ImageCommands
{
    public static Command Regenerate(CliConsole console, EaselServices services)
    {
        var (id, json, yes, outDir) = Common();
        var command = new Command("regenerate", "Make a new image for the same slot, from the same request, and mark this one as turned down.") { id, json, yes, outDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var outFolder = GenerateCommand.PrepareOutFolder(parse.GetValue(outDir));
            var placed = await services.Images.RegenerateAsync(parse.GetRequiredValue(id).Trim(), Options(services, parse.GetValue(yes)), cancellationToken);
            return await GenerateCommand.FollowPlacedAsync(console, services, placed, parse.GetValue(json), outFolder, clock, cancellationToken);
        });
        return command;
    }

    public static Command Vary(CliConsole console, EaselServices services)
    {
        var (id, json, yes, outDir) = Common();
        var count = new Option<int>("--count", "-n") { Description = $"Number of variations (1-{ImageActions.MaxVariations}).", DefaultValueFactory = _ => 1 };
        var strength = new Option<string>("--strength") { Description = "subtle: same composition, new details; strong: a new take on the same idea.", DefaultValueFactory = _ => "subtle" };
        strength.AcceptOnlyFromAmong("subtle", "strong");
        count.Validators.Add(r =>
        {
            var n = r.GetValueOrDefault<int>();
            if (n is < 1 or > ImageActions.MaxVariations)
                r.AddError($"--count must be between 1 and {ImageActions.MaxVariations}; got {n}.");
        });
        var command = new Command("vary", "Make variations of an image.") { id, count, strength, json, yes, outDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var outFolder = GenerateCommand.PrepareOutFolder(parse.GetValue(outDir));
            var level = parse.GetValue(strength) == "strong" ? VariationStrength.Strong : VariationStrength.Subtle;
            var placed = await services.Images.VaryAsync(parse.GetRequiredValue(id).Trim(), parse.GetValue(count), level, Options(services, parse.GetValue(yes)), cancellationToken);
            return await GenerateCommand.FollowPlacedAsync(console, services, placed, parse.GetValue(json), outFolder, clock, cancellationToken);
        });
        return command;
    }

    public static Command Upscale(CliConsole console, EaselServices services)
    {
        var (id, json, yes, outDir) = Common();
        var scale = new Option<int>("--scale") { Description = "Enlarge each side 2 or 4 times.", DefaultValueFactory = _ => 2 };
        scale.AcceptOnlyFromAmong("2", "4");
        var provider = new Option<string>("--provider") { Description = "Upscaler.", DefaultValueFactory = _ => ProviderRegistry.DefaultUpscaler };
        provider.Validators.Add(r =>
        {
            var name = r.GetValueOrDefault<string>();
            if (services.ProviderProblem(name, ProviderKind.Upscaler) is { } problem)
                r.AddError(problem);
        });
        var command = new Command("upscale", "Make a larger copy of an image.") { id, scale, provider, json, yes, outDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var outFolder = GenerateCommand.PrepareOutFolder(parse.GetValue(outDir));
            var placed = await services.Images.UpscaleAsync(
                parse.GetRequiredValue(id).Trim(), parse.GetValue(scale), parse.GetRequiredValue(provider), Options(services, parse.GetValue(yes)), cancellationToken);
            return await GenerateCommand.FollowPlacedAsync(console, services, placed, parse.GetValue(json), outFolder, clock, cancellationToken);
        });
        return command;
    }

    private static (Argument<string> Id, Option<bool> Json, Option<bool> Yes, Option<string?> Out) Common() => (
        new Argument<string>("image-id") { Description = "The image's id, or enough of its start to be unique." },
        new Option<bool>("--json") { Description = "Print one JSON object on stdout instead of a table." },
        new Option<bool>("--yes", "-y") { Description = "Approve up front if the order needs approval (recorded as your decision)." },
        new Option<string?>("--out") { Description = "Also copy the new images into this folder.", HelpName = "DIR" });

    private static PlaceOptions Options(EaselServices services, bool yes) => new(services.Settings.Approval, services.UserName, yes);
}
