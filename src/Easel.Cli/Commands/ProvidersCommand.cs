using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Easel.Cli.Output;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Providers;
using Easel.Providers.Mcp;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>`easel providers` (what Easel can use and what each needs) and `easel doctor` (checks without spending money).</summary>
internal static class ProvidersCommand
{
    public static Command List(CliConsole console, EaselServices services)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        var command = new Command("providers", "List image providers, upscalers and language models, their capabilities, and whether each is configured.") { json };
        command.SetAction(parse =>
        {
            var statuses = services.ProviderStatuses;
            if (parse.GetValue(json))
            {
                OrderOutput.WriteJson(console, new ProviderListJson(statuses.Select(ToJson).ToList()), CliJsonContext.Default.ProviderListJson);
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("Provider").AddColumn("Kind").AddColumn("Status").AddColumn("Model").AddColumn("Per call").AddColumn("Sizes").AddColumn("Price").AddColumn("Limits");
            foreach (var s in statuses)
            {
                var caps = Capabilities(s);
                // Text, not markup: "Providers:gemini:ApiKey" must not turn into an emoji.
                table.AddRow(
                    new Text(s.Definition.Name),
                    new Text(s.Definition.Kind.ToString().ToLowerInvariant()),
                    s.Configured ? new Text("ready" + KeyNote(s), new Style(Color.Green)) : new Text(s.Problem!, new Style(Color.Yellow)),
                    new Text(caps?.Model ?? ModelOf(s) ?? "-"),
                    new Text(caps is null ? "-" : caps.MaxImagesPerCall.ToString(CultureInfo.InvariantCulture)),
                    new Text(caps is null ? "-" : Sizes(caps)),
                    new Text(caps is null ? "-" : Price(caps)),
                    new Text(caps is null ? "-" : Limits(caps)));
            }
            console.Out.Write(table);
            console.Out.WriteLine("Keys come from config.json (Providers:NAME:ApiKey), EASEL_Providers__NAME__ApiKey, or the vendor's usual variable; they are never shown.");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Doctor(CliConsole console, EaselServices services)
    {
        var command = new Command("doctor", "Check the configuration, the data directory and every configured provider's address, without spending money.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = 0;
            void Line(bool ok, string text)
            {
                console.Out.Markup(ok ? "[green]✓[/] " : "[red]✗[/] ");
                console.Out.WriteLine(text);
                if (!ok)
                    problems++;
            }

            var settings = services.Settings;
            Line(true, settings.ConfigFile is { } file ? $"configuration read from {file}" : $"no configuration file ({Path.Combine(services.Config.Root, "config.json")}): defaults in use");
            try
            {
                var probe = Path.Combine(services.Data.Root, $".doctor-{Environment.ProcessId}");
                Directory.CreateDirectory(services.Data.Root);
                await File.WriteAllTextAsync(probe, "ok", cancellationToken);
                File.Delete(probe);
                Line(true, $"data directory {services.Data.Root} is writable");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Line(false, $"data directory {services.Data.Root} is not writable: {ex.Message}");
            }
            foreach (var problem in services.Presets.Problems)
                Line(false, problem.Message);

            foreach (var s in services.ProviderStatuses.Where(s => s.Definition.DefaultBaseUrl is not null || s.Settings.BaseUrl is not null))
            {
                var name = s.Definition.Kind == ProviderKind.Language ? $"{s.Definition.Name} (language model)" : s.Definition.Name;
                if (!s.Configured)
                {
                    console.Out.Markup("[grey]-[/] ");
                    console.Out.WriteLine($"{name}: not configured ({s.Problem})");
                    continue;
                }
                var url = s.BaseUrl!;
                var reachable = await ReachableAsync(url, cancellationToken);
                Line(reachable is null, reachable is null
                    ? $"{name}: {Address(url)} answers{KeyNote(s)}"
                    : $"{name}: cannot reach {Address(url)}: {reachable}");
            }
            // An MCP server is started and asked for its tools: free, and the only way to know it runs.
            foreach (var s in services.ProviderStatuses.Where(s => s.Definition.Vendor == McpImageProvider.Vendor))
            {
                if (s.Instance is not McpImageProvider mcp)
                {
                    Line(false, $"{s.Definition.Name}: {s.Problem}");
                    continue;
                }
                var problem = await mcp.CheckAsync(cancellationToken);
                Line(problem is null, problem ?? $"{mcp.Name}: the MCP server ({mcp.Command}) starts and offers the tool '{mcp.Tool}'");
            }
            foreach (var (role, setting) in new[] { ("evaluator", settings.Evaluator), ("prompter", settings.Prompter), ("agent", settings.Agent) })
            {
                if (setting.Provider is not { } name)
                {
                    Line(true, $"{role}: built-in");
                    continue;
                }
                var status = services.ProviderStatuses.FirstOrDefault(p => p.Definition.Kind == ProviderKind.Language && p.Definition.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                Line(status is { Configured: true }, status is null
                    ? $"{role}: Language:{char.ToUpperInvariant(role[0])}{role[1..]}:Provider names '{name}', which is not a language model Easel knows"
                    : status.Configured ? $"{role}: {name}" : $"{role}: {name} is not configured ({status.Problem})");
            }
            console.Out.WriteLine(problems == 0 ? "Everything checked is in order." : $"{problems} problem{(problems == 1 ? "" : "s")} found.");
            return problems == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>Null when a TCP connection to the URL's host and port opens within 3 s; else why not. Sends nothing.</summary>
    private static async Task<string?> ReachableAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(url.Host, url.Port, timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no answer within 3 s";
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }

    private static ProviderCapabilities? Capabilities(ProviderStatus s) => s.Instance switch
    {
        IImageProvider provider => provider.Capabilities,
        IImageUpscaler upscaler => new ProviderCapabilities
        {
            Model = upscaler.Model, MaxImagesPerCall = 1, MaxConcurrency = 1, SupportsNegativePrompt = false, SupportsSeed = false,
            SupportsTransparentBackground = true, PricePerImage = upscaler.PricePerImage, MaxSide = upscaler.MaxOutputSide,
        },
        _ => null,
    };

    /// <summary>Scheme, host and port: never a user name or password.</summary>
    private static string Address(Uri url) => url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    /// <summary>The model a provider really uses: a language model's own, else the configured or default one.</summary>
    private static string? ModelOf(ProviderStatus s) =>
        s.Instance is Core.Language.ILanguageModel model ? model.Model : s.Definition.Kind == ProviderKind.Language ? null : s.Settings.Model;

    private static string KeyNote(ProviderStatus s) => s.Settings.ApiKeySource is { } source ? $" (key from {source})" : "";

    private static string Sizes(ProviderCapabilities c) =>
        c.Sizes is { } sizes ? string.Join(" ", sizes) : c.AspectRatios is { } ratios ? string.Join(" ", ratios) : $"{c.MinSide}-{c.MaxSide} px";

    private static string Price(ProviderCapabilities c) =>
        c.Price is null ? Money.Format(c.PricePerImage)
            : $"{Money.Format(c.PriceFor(ImageQuality.Low, new ImageSize(1024, 1024)))}-{Money.Format(c.PriceFor(ImageQuality.High, new ImageSize(1024, 1024)))}";

    private static string Limits(ProviderCapabilities c) =>
        $"{c.MaxConcurrency} at once" + (c.ImagesPerMinute is { } ipm ? $", {ipm}/min" : "");

    private static ProviderJson ToJson(ProviderStatus s)
    {
        var c = Capabilities(s);
        return new ProviderJson(
            s.Definition.Name, s.Definition.Kind.ToString().ToLowerInvariant(), s.Definition.Vendor, s.Configured, s.Problem, s.Settings.ApiKeySource,
            s.BaseUrl is { } url ? Address(url) + url.AbsolutePath : null, c?.Model ?? ModelOf(s),
            c is null ? null : new CapabilitiesJson(
                c.MaxImagesPerCall, c.Sizes?.Select(z => z.ToString()).ToList(), c.AspectRatios, c.MinSide, c.MaxSide,
                c.Formats.Select(f => f.ToText()).ToList(), c.SupportsQuality, c.SupportsNegativePrompt, c.SupportsSeed, c.SupportsTransparentBackground,
                c.MaxReferences, c.SupportsPreviousResponse, c.SupportsVariations, c.PriceFor(ImageQuality.Auto, new ImageSize(1024, 1024)),
                c.ImagesPerMinute, c.MaxConcurrency, c.Timeout.TotalSeconds));
    }
}
