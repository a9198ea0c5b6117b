using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Easel.Cli.Output;
using Easel.Core.Orders;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>`easel show IMAGE_ID`: everything recorded about one image.</summary>
internal static class ShowCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var id = new Argument<string>("image-id") { Description = "The image's id, or enough of its start to be unique." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        var command = new Command("show", "Show an image's prompt, parameters, score and feedback, lineage and file.") { id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = parse.GetRequiredValue(id).Trim();
            Core.Gallery.ImageRecord? image;
            try
            {
                image = await services.Store.Images.FindAsync(key, cancellationToken);
            }
            catch (ArgumentException ex)
            {
                // Too short to be a useful prefix.
                throw new UsageException(ex.Message.Replace($" (Parameter '{ex.ParamName}')", ""));
            }
            if (image is null)
            {
                console.ErrorLine($"No image with id '{key}'. 'easel history' lists recent images.");
                return ExitCodes.Failure;
            }
            var lineage = await services.Images.LineageAsync(image, cancellationToken);
            var children = await services.Store.Images.ChildrenAsync(image.Id, cancellationToken);
            if (parse.GetValue(json))
            {
                console.RawOut.WriteLine(JsonSerializer.Serialize(image.ToDetailJson(lineage), CliJsonContext.Default.ImageDetailJson));
                return ExitCodes.Success;
            }

            var created = TimeZoneInfo.ConvertTime(image.CreatedAt, services.Time.LocalTimeZone);
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            // Values as plain text: a prompt's ":fox:" must stay words, not become an emoji.
            void Row(string name, string? value) => grid.AddRow(new Markup($"[grey]{name}[/]"), new Text(value ?? "-"));
            Row("image", image.Id);
            Row("order", $"{image.OrderId} (image {image.Slot + 1})");
            Row("prompt", image.Prompt);
            Row("negative", image.NegativePrompt);
            Row("provider", $"{image.Provider} ({image.Model})");
            Row("seed", image.Seed?.ToString(CultureInfo.InvariantCulture));
            Row("size", $"{image.Width}x{image.Height}" + (image.Parameters.AspectRatio is { } ar ? $" (aspect {ar})" : ""));
            Row("style", image.Parameters.Style);
            Row("background", image.Parameters.Background.ToString().ToLowerInvariant());
            Row("created", created.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
            Row("generation", $"{image.GenerationTime.TotalSeconds:0.00} s");
            Row("file", image.Path + (File.Exists(image.Path) ? "" : "  (missing!)"));
            Row("sha256", image.Sha256);
            Row("iteration", image.Candidate > 0 ? $"{image.Iteration} (candidate {image.Candidate + 1})" : $"{image.Iteration}");
            if (image.Evaluation is { } evaluation)
            {
                grid.AddRow("[grey]score[/]", evaluation.Error is null ? $"{evaluation.Score} ({Markup.Escape(evaluation.Evaluator)})" : "[red]not evaluated[/]");
                Row("feedback", evaluation.Feedback);
                foreach (var c in evaluation.Criteria)
                    grid.AddRow("", $"{(c.Passed ? "[green]✓[/]" : "[yellow]✗[/]")} {Markup.Escape(c.Name)} {c.Score}: {Markup.Escape(c.Comment)}");
            }
            Row("review", image.Review.ToString().ToLowerInvariant() + (image.ReviewedBy is { } by ? $" by {by}" : ""));
            if (lineage.Count > 1)
            {
                // Oldest first: each line says how the next was made from it.
                grid.AddRow("[grey]lineage[/]", Markup.Escape(string.Join("  →  ", lineage.Select(i =>
                    (i.Derivation is { } d ? d.ToText() + " " : "") + $"{i.Id} ({i.Width}x{i.Height})"))));
            }
            if (children.Count > 0)
                Row("derived", string.Join(", ", children.Select(c => $"{c.Derivation?.ToText()} {c.Id}")));
            console.Out.Write(grid);
            return ExitCodes.Success;
        });
        return command;
    }
}
