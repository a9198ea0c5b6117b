using Easel.Workflows;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Easel.Server.Hosting;

/// <summary>
/// Runs the order worker inside the server. On shutdown running batches get
/// <see cref="Workflows.Configuration.ServerSettings.ShutdownTimeout"/> to finish; the rest are
/// interrupted and resume on the next start.
/// </summary>
internal sealed class WorkerHost(EaselServices services, ServerOptions options, ILogger<WorkerHost> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await services.TryStartWorkerAsync(cancellationToken))
            logger.LogInformation("Running orders in {DataDirectory}.", services.Data.Root);
        else
            logger.LogWarning("Another Easel process is running the orders in {DataDirectory}; this server places and shows them, that process runs them.", services.Data.Root);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (services.Worker is null)
            return;
        logger.LogInformation("Stopping: running batches have {Seconds} s to finish; the rest resume on the next start.", options.Settings.ShutdownTimeout.TotalSeconds);
        await services.StopWorkerAsync(options.Settings.ShutdownTimeout);
    }
}
