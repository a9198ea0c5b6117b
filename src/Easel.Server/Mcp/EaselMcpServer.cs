using System.Reflection;
using Easel.Workflows;
using Easel.Workflows.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Easel.Server.Mcp;

/// <summary>How <c>easel mcp</c> runs.</summary>
public sealed record EaselMcpOptions
{
    /// <summary>Least important log messages written to stderr; warnings by default, so an MCP client's log stays quiet.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}

/// <summary>
/// <c>easel mcp</c>: Easel's tools for any MCP client over stdio. The process also runs orders
/// (as <c>easel serve</c> does) unless another Easel process already runs them. No tool approves
/// or rejects anything: an order above the approval limits waits for a person, asked through the
/// client's elicitation form when it has one.
/// </summary>
public static class EaselMcpServer
{
    /// <summary>The server's name in the MCP handshake.</summary>
    public const string Name = "easel";

    /// <summary>What the model is told about the server when it connects.</summary>
    public const string Instructions =
        "Easel generates images from plain-language prompts and keeps every image it makes, with its prompt, score and history, in a searchable gallery. " +
        "Use generate_images to order images (it waits for them and returns their ids), get_order to check an order later, get_image to see an image (its pixels and how it was made), " +
        "search_images to find earlier images by words in their prompts, dates, provider or score, refine_prompt for better prompts before ordering, and list_providers to see which image providers can be used. " +
        "Orders above the approval limits (by default more than 4 images, or more than $1.00 worst case) wait for a person's approval: " +
        "Easel asks the user directly when the client supports elicitation, otherwise the result says how the user approves. " +
        "Approving is always the human's decision: no tool approves, rejects or decides, so never try to approve an order yourself; tell the user what is waiting and why.";

    /// <summary>The version the server reports: the product version, without build metadata.</summary>
    public static string Version
    {
        get
        {
            var informational = typeof(EaselMcpServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return informational?.Split('+')[0] ?? typeof(EaselMcpServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }
    }

    /// <summary>Registers Easel's MCP server, its tools and their argument checks; add a transport to run it.</summary>
    public static IMcpServerBuilder AddEaselMcp(this IServiceCollection services, EaselServices easel)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(easel);
        services.AddSingleton(easel);
        services.AddSingleton(easel.Time);
        return services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = Name, Title = "Easel", Version = Version };
                options.ServerInstructions = Instructions;
            })
            .WithTools<OrderTools>()
            .WithTools<ImageTools>()
            .WithTools<PromptTools>()
            .WithTools<ProviderTools>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolArguments.Filter));
    }

    /// <summary>
    /// Serves MCP on stdin/stdout until stdin closes or <paramref name="cancellationToken"/> is
    /// cancelled (SIGTERM, Ctrl+C), then lets running batches finish for
    /// <see cref="Workflows.Configuration.ServerSettings.ShutdownTimeout"/>; the rest resume on the next start.
    /// Stdout carries only JSON-RPC; logs go to stderr.
    /// </summary>
    /// <exception cref="Workflows.Configuration.ConfigurationException">A bad setting, found before the server starts.</exception>
    public static async Task RunAsync(EaselServices services, EaselMcpOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        // Configuration and the data directory are checked before the client sees a server, so a mistake is one clear line on stderr.
        var settings = services.Settings;
        _ = services.ProviderStatuses;
        _ = services.Store;

        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging
            .SetMinimumLevel(options.LogLevel)
            .AddFilter("Quartz", LogLevel.Warning)
            // Stdout belongs to JSON-RPC: every log line goes to stderr.
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        collection.AddEaselMcp(services).WithStdioServerTransport();
        await using var provider = collection.BuildServiceProvider();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EaselMcpServer).FullName!);

        if (await services.TryStartWorkerAsync(cancellationToken))
            logger.LogInformation("Running orders in {DataDirectory}.", services.Data.Root);
        else
            logger.LogInformation("Another Easel process runs the orders in {DataDirectory}; this one places and shows them.", services.Data.Root);

        using var stopWebhooks = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var webhooks = settings.Webhooks.Count > 0 ? DeliverWebhooksAsync(services, provider.GetRequiredService<ILoggerFactory>(), stopWebhooks.Token) : Task.CompletedTask;
        try
        {
            var server = provider.GetRequiredService<McpServer>();
            await server.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM or Ctrl+C: stop as when the client goes away.
        }
        finally
        {
            logger.LogInformation(cancellationToken.IsCancellationRequested ? "Stopping." : "The client closed the connection; stopping.");
            await stopWebhooks.CancelAsync();
            await webhooks;
            await services.StopWorkerAsync(settings.Server.ShutdownTimeout);
        }
    }

    /// <summary>
    /// Announces approval requests and finished orders to the configured webhooks, as
    /// <c>easel worker --follow</c> does: an order placed from an MCP client that waits for approval
    /// reaches its approvers without a server. Deliveries are claimed, so other Easel processes
    /// sending the same hooks never send one twice.
    /// </summary>
    private static Task DeliverWebhooksAsync(EaselServices services, ILoggerFactory logging, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            var publicUrl = services.Settings.Server.PublicUrl ?? new Uri(ServerOptions.DefaultUrl);
            using var http = WebhookDispatcher.CreateHttpClient();
            var dispatcher = new WebhookDispatcher(
                services.Store.Orders, services.Store.Webhooks, services.Settings.Webhooks, publicUrl, http, services.Time, logging.CreateLogger<WebhookDispatcher>());
            await dispatcher.RunAsync(cancellationToken);
        }, CancellationToken.None);
}
