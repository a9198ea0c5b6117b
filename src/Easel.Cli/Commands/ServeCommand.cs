using System.CommandLine;
using Easel.Providers.References;
using Easel.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Easel.Cli.Commands;

/// <summary>`easel serve`: the web studio, the REST API and the order worker in one process.</summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, ';' between addresses. Anything beyond 127.0.0.1 needs Server:RequesterToken and Server:ApproverToken.",
            DefaultValueFactory = _ => ServerOptions.DefaultUrl,
            HelpName = "URLS",
        };
        urls.Validators.Add(r =>
        {
            if (!ServerOptions.TryParseUrls(r.GetValueOrDefault<string>() ?? "", out _, out var error))
                r.AddError($"--urls: {error}");
        });
        var command = new Command("serve", "Run the web studio and the REST API (/api/v1) and carry out orders, until Ctrl+C.") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ServerOptions.TryParseUrls(parse.GetRequiredValue(urls), out var addresses, out _);
            var settings = services.Settings.Server;
            var options = new ServerOptions(addresses, settings);
            if (options.Problem() is { } problem)
            {
                console.ErrorLine(problem);
                return ExitCodes.Usage;
            }
            // Server mode: a local reference path must lie in a configured folder (none by default).
            services.ReferenceLimits = new ReferenceOptions { AllowedFolders = settings.ReferenceFolders };

            await using var app = EaselServer.Build(services, options);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                // Kestrel reports a port in use or an address it cannot bind as an IOException.
                console.ErrorLine($"Cannot listen on {string.Join(", ", addresses)}: {ex.Message}");
                return ExitCodes.Failure;
            }
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var home = bound.FirstOrDefault() ?? addresses[0].ToString();
            console.Log($"Easel studio at {home}  (API {home.TrimEnd('/')}/api/v1, OpenAPI {home.TrimEnd('/')}/api/v1/openapi.json)");
            console.Log(settings.HasTokens ? "Sign in with the requester or approver token." : "Open to this machine's users only; no tokens needed.");
            console.Log("Ctrl+C stops the server; unfinished batches resume on the next start.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            console.Log("Stopping…");
            await app.StopAsync(CancellationToken.None);
            console.Log("Stopped.");
            return ExitCodes.Success;
        });
        return command;
    }
}
