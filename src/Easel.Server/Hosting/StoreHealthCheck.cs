using Easel.Workflows;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Easel.Server.Hosting;

/// <summary><c>/health</c>: healthy when the database answers; says whether this process runs the orders.</summary>
internal sealed class StoreHealthCheck(EaselServices services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await services.Store.Orders.LastEventSeqAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
        return services.Worker is null
            ? HealthCheckResult.Degraded("Another process runs the orders of this data directory.")
            : HealthCheckResult.Healthy("Database answers; this server runs the orders.");
    }
}
