using System.CommandLine;
using Easel.Cli.Output;
using Easel.Core.Orders;
using Easel.Server;
using Easel.Workflows.Notifications;
using Microsoft.Extensions.Logging;

namespace Easel.Cli.Commands;

/// <summary>`easel worker`: runs queued work (and resumes interrupted work) in this data directory.</summary>
internal static class WorkerCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep running and take new work as it comes (and deliver configured webhooks), until Ctrl+C." };
        var command = new Command("worker", "Run queued orders, resume interrupted ones and expire overdue approvals; exits when nothing is left unless --follow.") { follow };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!await services.TryStartWorkerAsync(cancellationToken))
            {
                console.ErrorLine($"Another Easel process is already running the orders in {services.Data.Root}; it carries on with them.");
                return ExitCodes.Failure;
            }
            var keepGoing = parse.GetValue(follow);
            console.Log(keepGoing ? $"Worker running on {services.Data.Root}; Ctrl+C stops it." : $"Worker running on {services.Data.Root} until no work is left.");
            var store = services.Store.Orders;
            var lastSeq = await store.LastEventSeqAsync(cancellationToken);
            using var stopWebhooks = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var webhooks = keepGoing ? StartWebhooks(console, services, stopWebhooks.Token) : Task.CompletedTask;
            try
            {
                while (true)
                {
                    lastSeq = await PrintNewEventsAsync(console, services, lastSeq, cancellationToken);
                    if (!keepGoing && !await services.Worker!.HasActiveWorkAsync(cancellationToken))
                        break;
                    await Task.Delay(TimeSpan.FromMilliseconds(200), services.Time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (keepGoing)
            {
                await stopWebhooks.CancelAsync();
                await webhooks;
                await services.StopWorkerAsync(abandonRunning: true);
                console.Log("Worker stopped; unfinished batches resume on the next start.");
                return ExitCodes.Success;
            }
            await services.StopWorkerAsync(abandonRunning: false);
            await PrintNewEventsAsync(console, services, lastSeq, CancellationToken.None);
            console.Log("No work left.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// A long-running worker also delivers the configured webhooks, so approval requests placed
    /// from the command line are announced without a server. Links point at Server:PublicUrl,
    /// else the address `easel serve` listens on by default.
    /// </summary>
    private static Task StartWebhooks(CliConsole console, EaselServices services, CancellationToken cancellationToken)
    {
        var hooks = services.Settings.Webhooks;
        if (hooks.Count == 0)
            return Task.CompletedTask;
        var publicUrl = services.Settings.Server.PublicUrl ?? new Uri(ServerOptions.DefaultUrl);
        console.Log($"Webhooks: sending events to {string.Join(", ", hooks.Select(h => $"{h.Name} ({h.Url.Authority})"))}; links point at {publicUrl.GetLeftPart(UriPartial.Authority)}.");
        return Task.Run(async () =>
        {
            using var http = WebhookDispatcher.CreateHttpClient();
            var dispatcher = new WebhookDispatcher(
                services.Store.Orders, services.Store.Webhooks, hooks, publicUrl, http, services.Time, new ConsoleWarnings(console));
            await dispatcher.RunAsync(cancellationToken);
        }, CancellationToken.None);
    }

    /// <summary>Shows the dispatcher's warnings and errors (a hook failing, giving up) as log lines.</summary>
    private sealed class ConsoleWarnings(CliConsole console) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                console.Log(formatter(state, exception));
        }
    }

    /// <summary>Logs what happened to any order since <paramref name="after"/>, one line per event.</summary>
    private static async Task<long> PrintNewEventsAsync(CliConsole console, EaselServices services, long after, CancellationToken cancellationToken)
    {
        while (true)
        {
            var events = await services.Store.Orders.EventsAfterAsync(after, 500, cancellationToken);
            foreach (var e in events)
                console.Log($"{OrderOutput.LocalTime(e.At, services.Time)} {e.OrderId} {OrderOutput.Describe(e)}");
            if (events.Count < 500)
                return events.Count > 0 ? events[^1].Seq : after;
            after = events[^1].Seq;
        }
    }
}
