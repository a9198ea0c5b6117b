using System.CommandLine;
using Easel.Cli.Output;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>`easel presets`: the domain presets `--preset` accepts, built in and the user's own.</summary>
internal static class PresetsCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        var command = new Command("presets", "List the domain presets (add your own as JSON files in the config directory's presets/ folder).") { json };
        command.SetAction(parse =>
        {
            var catalog = services.Presets;
            var problems = catalog.Problems.Select(p => p.Message).ToList();
            if (parse.GetValue(json))
            {
                OrderOutput.WriteJson(console, new PresetListJson(
                    catalog.All.Select(p => new PresetJson(
                        p.Name, p.Description, p.Source, p.PromptDetails,
                        p.Criteria.Select(c => new PresetCriterionJson(c.Name, c.Description, c.Weight, c.Check)).ToList())).ToList(),
                    problems), CliJsonContext.Default.PresetListJson);
            }
            else
            {
                var table = new Table().Border(TableBorder.Simple).AddColumn("Preset").AddColumn("What it is for").AddColumn("Checks offline").AddColumn("From");
                foreach (var p in catalog.All)
                {
                    var offline = p.Criteria.Where(c => c.Check is not null).Select(c => c.Name).ToList();
                    table.AddRow(Markup.Escape(p.Name), Markup.Escape(p.Description), Markup.Escape(offline.Count == 0 ? "-" : string.Join(", ", offline)), Markup.Escape(p.Source));
                }
                console.Out.Write(table);
                console.Out.WriteLine($"Your own presets go in {Path.Combine(services.Config.Root, "presets")} (one JSON file each).");
            }
            foreach (var problem in problems)
                console.ErrorLine(problem);
            return ExitCodes.Success;
        });
        return command;
    }
}
