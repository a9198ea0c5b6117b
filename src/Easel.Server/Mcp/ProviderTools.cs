using System.ComponentModel;
using System.Globalization;
using System.Text;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Providers;
using Easel.Server.Api;
using Easel.Workflows;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Easel.Server.Mcp;

/// <summary>list_providers: which image providers, upscalers and language models this installation can use.</summary>
[McpServerToolType]
internal sealed class ProviderTools(EaselServices services)
{
    [McpServerTool(Name = "list_providers", Title = "List providers", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description(
        "Lists every provider Easel knows: image providers (for generate_images' provider argument), upscalers and language models, " +
        "whether each is configured here (and what it needs when it is not), its model, and what each image provider can do (sizes, formats, images per call, price per image). Keys are never shown.")]
    public CallToolResult ListProviders()
    {
        var providers = services.ProviderStatuses.Select(ProvidersApi.ToView).ToList();
        var text = new StringBuilder();
        foreach (var group in providers.GroupBy(p => p.Kind))
        {
            text.AppendLine(group.Key switch
            {
                ProviderKind.Image => "Image providers:",
                ProviderKind.Upscaler => "Upscalers:",
                _ => "Language models:",
            });
            foreach (var p in group)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {p.Name} ({p.Vendor}{(p.Model is { } model ? $", {model}" : "")}): ");
                text.Append(p.Configured ? "configured" : $"not configured: {p.Problem}");
                if (p.Configured && p.Kind == ProviderKind.Image && p.Capabilities is { } c)
                    text.Append(CultureInfo.InvariantCulture, $"; up to {c.MaxImagesPerCall} per call, {Money.Format(c.PricePerImage)} per 1024x1024 image");
                text.AppendLine();
            }
        }
        text.Append(CultureInfo.InvariantCulture, $"The default image provider is {ProviderRegistry.DefaultProvider}.");
        return ToolResults.Ok(text.ToString(), new { providers, default_provider = ProviderRegistry.DefaultProvider });
    }
}
