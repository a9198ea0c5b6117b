using System.Net;
using Easel.Workflows;
using Easel.Workflows.Notifications;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Easel.Server.Hosting;

/// <summary>
/// Runs the <see cref="WebhookDispatcher"/> inside the server (registered only when webhooks are
/// configured). Stopping interrupts an attempt under way; it is sent again on the next start.
/// </summary>
internal sealed class WebhookHost(
    EaselServices services, ServerOptions options, IServer server, IHostApplicationLifetime lifetime, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The links in bodies need the address people reach; with port 0 it is known only once the server listens.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var hooks = services.Settings.Webhooks;
        using var http = WebhookDispatcher.CreateHttpClient();
        var dispatcher = new WebhookDispatcher(services.Store.Orders, services.Store.Webhooks, hooks, PublicUrl(), http, services.Time, logger);
        logger.LogInformation("Webhooks: sending events to {Hooks}.", string.Join(", ", hooks.Select(h => $"{h.Name} ({h.Url.Authority})")));
        await dispatcher.RunAsync(stoppingToken);
    }

    /// <summary><c>Server:PublicUrl</c>, else the first address the server listens on.</summary>
    private Uri PublicUrl()
    {
        if (options.Settings.PublicUrl is { } configured)
            return configured;
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address
            && Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var url)
            ? url
            : options.Urls[0];
        if (IPAddress.TryParse(listening.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
        {
            // "Every interface" is no address to visit: name this machine instead.
            listening = new UriBuilder(listening) { Host = Dns.GetHostName() }.Uri;
            logger.LogWarning("Webhooks: links point at {Url}; set Server:PublicUrl to the address people use.", listening.GetLeftPart(UriPartial.Authority));
        }
        return listening;
    }
}
