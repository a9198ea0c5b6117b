using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Providers;
using Easel.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Easel.Server.Api;

/// <summary>/api/v1/providers and /api/v1/presets: what orders can ask for.</summary>
internal static class ProvidersApi
{
    private static readonly ImageSize Reference = new(1024, 1024);

    public static RouteGroupBuilder MapProvidersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/providers", List)
            .WithTags("Providers")
            .WithApiErrors()
            .WithName("ListProviders")
            .WithSummary("Image providers, upscalers and language models, whether each is configured, and what each can do")
            .WithDescription("Keys are never shown: 'problem' says what an unconfigured provider needs.");

        api.MapGet("/presets", Presets)
            .WithTags("Providers")
            .WithApiErrors()
            .WithName("ListPresets")
            .WithSummary("Domain presets an order can name: built in and this installation's own");

        return api;
    }

    private static Ok<ItemsView<ProviderView>> List(EaselServices services) =>
        TypedResults.Ok(new ItemsView<ProviderView>(services.ProviderStatuses.Select(ToView).ToList()));

    private static Ok<ItemsView<PresetView>> Presets(EaselServices services) =>
        TypedResults.Ok(new ItemsView<PresetView>(services.Presets.All
            .Select(p => new PresetView(
                p.Name, p.Description, p.Source == "built-in", p.PromptDetails,
                p.Criteria.Select(c => new PresetCriterionView(c.Name, c.Description, c.Weight, c.Check)).ToList()))
            .ToList()));

    /// <summary>A provider as the API shows it; list_providers of <c>easel mcp</c> shows the same.</summary>
    internal static ProviderView ToView(ProviderStatus status)
    {
        var definition = status.Definition;
        return status.Instance switch
        {
            IImageProvider provider => new ProviderView(definition.Name, definition.Kind, definition.Vendor, status.Configured, status.Problem,
                provider.Capabilities.Model, Capabilities(provider.Capabilities, null)),
            IImageUpscaler upscaler => new ProviderView(definition.Name, definition.Kind, definition.Vendor, status.Configured, status.Problem,
                upscaler.Model, Capabilities(
                    new ProviderCapabilities
                    {
                        Model = upscaler.Model, MaxImagesPerCall = 1, MaxConcurrency = 1, SupportsNegativePrompt = false, SupportsSeed = false,
                        SupportsTransparentBackground = true, PricePerImage = upscaler.PricePerImage, MaxSide = upscaler.MaxOutputSide,
                    },
                    upscaler.Scales)),
            ILanguageModel model => new ProviderView(definition.Name, definition.Kind, definition.Vendor, status.Configured, status.Problem, model.Model, null),
            // Not configured: no instance, so only the configured (or default) model name is known.
            _ => new ProviderView(definition.Name, definition.Kind, definition.Vendor, status.Configured, status.Problem,
                definition.Kind == ProviderKind.Language ? null : status.Settings.Model, null),
        };
    }

    private static CapabilitiesView Capabilities(ProviderCapabilities c, IReadOnlyList<int>? scales) => new(
        c.MaxImagesPerCall,
        c.Sizes?.Select(s => s.ToString()).ToList(),
        c.AspectRatios,
        c.MinSide,
        c.MaxSide,
        c.Formats,
        c.SupportsQuality,
        c.SupportsNegativePrompt,
        c.SupportsSeed,
        c.SupportsTransparentBackground,
        c.MaxReferences > 0,
        c.MaxReferences,
        c.SupportsVariations,
        c.SupportsPreviousResponse,
        c.PriceFor(ImageQuality.Auto, Reference),
        c.Price is null ? null : c.PriceFor(ImageQuality.Low, Reference),
        c.Price is null ? null : c.PriceFor(ImageQuality.High, Reference),
        c.ImagesPerMinute,
        c.MaxConcurrency,
        scales);
}
