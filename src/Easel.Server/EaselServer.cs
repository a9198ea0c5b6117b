using Easel.Server.Api;
using Easel.Server.Hosting;
using Easel.Server.Security;
using Easel.Server.Studio;
using Easel.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Easel.Server;

/// <summary>
/// <c>easel serve</c>: one ASP.NET Core process with the REST API (<c>/api/v1</c>), the web studio,
/// the order worker and the live event feed.
/// </summary>
public static class EaselServer
{
    /// <summary>Largest request body outside reference uploads: orders and decisions are small JSON documents.</summary>
    public const long MaxRequestBytes = 1024 * 1024;

    /// <summary>Builds the server; <paramref name="configure"/> lets tests swap the transport (TestServer) or add services.</summary>
    public static WebApplication Build(EaselServices services, ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EaselServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.AddEaselServer(services, options);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapEaselServer();
        return app;
    }

    /// <summary>Registers everything the server runs: Kestrel, the API, the studio, the worker and the feed.</summary>
    public static void AddEaselServer(this WebApplicationBuilder builder, EaselServices services, ServerOptions options)
    {
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
        });
        builder.WebHost.UseUrls([.. options.Urls.Select(u => u.GetLeftPart(UriPartial.Authority))]);
        builder.Services.AddRoutingCore();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Quartz", LogLevel.Warning)
            // Keys sit in the data directory, as private as the images they protect; no separate encryptor.
            .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.Settings.ShutdownTimeout + TimeSpan.FromSeconds(10));

        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(services.Time);
        builder.Services.AddSingleton<OrderFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OrderFeed>());
        builder.Services.AddHostedService<WorkerHost>();
        if (services.Settings.Webhooks.Count > 0) builder.Services.AddHostedService<WebhookHost>();

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Easel API";
            document.Info.Description = "Order images in plain words, approve costly orders, review and search every image.";
            return Task.CompletedTask;
        }));
        builder.Services.AddEaselAccessControl();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "easel_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__easel_af";
            o.HeaderName = "X-Easel-Antiforgery";
        });
        // Keys for session cookies and anti-forgery tokens live with the data, so a restart keeps people signed in.
        // Only the owner may read them: whoever holds them can forge a session.
        var keys = Path.Combine(services.Data.Root, "keys");
        Directory.CreateDirectory(keys);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        builder.Services.AddDataProtection()
            .SetApplicationName("easel")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));
        if (options.LoopbackOnly)
        {
            // A page on another site must not reach a loopback server by re-pointing its own name at 127.0.0.1.
            builder.Services.Configure<HostFilteringOptions>(o =>
            {
                o.AllowedHosts = ["localhost", "127.0.0.1", "[::1]", .. options.Settings.PublicUrl is { } u ? new[] { u.Host } : []];
                o.AllowEmptyHosts = false;
            });
        }
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        builder.Services.AddEaselStudio();
    }

    /// <summary>The request pipeline and every endpoint.</summary>
    public static void MapEaselServer(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<ServerOptions>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (options.LoopbackOnly)
            app.UseHostFiltering();
        app.Use(SecurityHeaders.ApplyAsync);
        app.Use(SameOrigin.CheckAsync);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi("/api/{documentName}/openapi.json").AllowAnonymous();
        var api = app.MapGroup("/api/v1").RequireAuthorization(EaselPolicies.Requester).DisableAntiforgery();
        api.MapOrdersApi();
        api.MapApprovalsApi();
        api.MapImagesApi();
        api.MapProvidersApi();
        app.MapEaselStudio();
    }
}
