using System.CommandLine;
using Easel.Cli.Output;
using Easel.Core.Orders;

namespace Easel.Cli.Commands;

/// <summary>`easel worker`: runs queued work (and resumes interrupted work) in this data directory.</summary>
internal static class WorkerCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep running and take new work as it comes, until Ctrl+C." };
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
