using System.CommandLine;
using Spectre.Console;
using Easel.Cli.Commands;
using Easel.Core.Orders;

namespace Easel.Cli;

/// <summary>The `easel` command line: parses, dispatches and maps failures to exit codes.</summary>
internal static class EaselCli
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken = default)
    {
        await using var services = new EaselServices(environment, TimeProvider.System);
        var root = new RootCommand("Easel: order images in plain words; every image is kept with its history.")
        {
            GenerateCommand.Create(console, services),
            AskCommand.Create(console, services),
            McpCommand.Create(console, services),
            HistoryCommand.Create(console, services),
            ShowCommand.Create(console, services),
            ApprovalCommands.Approve(console, services),
            ApprovalCommands.Reject(console, services),
            OrdersCommand.Create(console, services),
            WorkerCommand.Create(console, services),
            ServeCommand.Create(console, services),
            ReviewCommand.Create(console, services),
            ImageCommands.Regenerate(console, services),
            ImageCommands.Vary(console, services),
            ImageCommands.Upscale(console, services),
            RefineCommand.Create(console, services),
            PresetsCommand.Create(console, services),
            ProvidersCommand.List(console, services),
            ProvidersCommand.Doctor(console, services),
        };

        if (args.Length == 0)
        {
            // A bare `easel` is a question: answer with the help, as a usage error.
            await root.Parse("--help").InvokeAsync(new InvocationConfiguration { Output = console.RawOut }, cancellationToken);
            return ExitCodes.Usage;
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                console.ErrorLine(error.Message);
            var command = parse.CommandResult.Command;
            var name = command == root ? "easel" : $"easel {command.Name}";
            console.Error.WriteLine($"Run '{name} --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = console.RawOut,
                Error = Console.Error,
                // Failures are reported by the handler below, in plain words, without a stack trace.
                EnableDefaultExceptionHandler = false,
            }, cancellationToken);
        }
        catch (UsageException ex)
        {
            console.ErrorLine(ex.Message);
            return ExitCodes.Usage;
        }
        catch (OrderRejectedException ex)
        {
            console.ErrorLine(ex.Message);
            return ExitCodes.Usage;
        }
        catch (ArgumentException ex) when (ex.ParamName == "idOrPrefix")
        {
            // An id prefix too short to be useful.
            console.ErrorLine(ex.Message.Replace($" (Parameter '{ex.ParamName}')", ""));
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is ApprovalRefusedException or KeyNotFoundException or Workflows.Configuration.ConfigurationException
            or Core.Quality.PresetException)
        {
            console.ErrorLine(ex.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            console.ErrorLine("Interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            // Expected failures (disk, database, provider) carry a plain message; anything else is a bug worth a trace.
            var expected = ex is IOException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException
                or Core.Gallery.AmbiguousIdException or Imaging.ImageFormatException or Microsoft.Data.Sqlite.SqliteException
                or Storage.UnsupportedSchemaVersionException or Core.Generation.ProviderException or Workflows.Agent.AgentException;
            console.ErrorLine(expected ? ex.Message : $"unexpected {ex.GetType().Name}: {ex.Message}");
            if (!expected || environment.GetValueOrDefault("EASEL_DEBUG") is "1")
                console.Error.WriteLine(ex.ToString());
            return ExitCodes.Failure;
        }
    }
}
