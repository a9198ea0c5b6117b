using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Imaging.Png;

namespace Easel.Core.Orders;

/// <summary>Progress of an order, in images.</summary>
public readonly record struct OrderProgress(int Done, int Total);

/// <summary>What an order produced.</summary>
public sealed record OrderResult(Order Order, IReadOnlyList<ImageRecord> Images, IReadOnlyList<string> Errors);

/// <summary>
/// Carries out an order: plans batches at the provider's per-call maximum, runs them in parallel
/// within its concurrency limit, stamps provenance into each file, and records every image.
/// </summary>
public sealed class OrderRunner(
    ProviderRegistry providers,
    IOrderStore orders,
    IImageCatalog catalog,
    IBlobStore blobs,
    TimeProvider time)
{
    public async Task<OrderResult> RunAsync(OrderSpec spec, IProgress<OrderProgress>? progress, CancellationToken cancellationToken)
    {
        if (!providers.TryGet(spec.Provider, out var provider))
            throw new OrderRejectedException($"Unknown provider '{spec.Provider}'. Known providers: {string.Join(", ", providers.Names)}.");
        var caps = provider.Capabilities;
        var plan = OrderPlan.Create(spec, caps, provider.Name);

        var order = new Order
        {
            Id = Ids.New("ord", time.GetUtcNow()),
            Prompt = spec.Prompt,
            NegativePrompt = spec.NegativePrompt,
            Count = spec.Count,
            Size = spec.Size,
            AspectRatio = spec.AspectRatio,
            Style = spec.Style,
            Background = spec.Background,
            Seed = spec.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue),
            Provider = provider.Name,
            Model = caps.Model,
            Status = OrderStatus.Running,
            CreatedAt = time.GetUtcNow(),
        };
        await orders.CreateAsync(order, cancellationToken);

        var images = new List<ImageRecord>();
        var errors = new List<string>();
        var done = 0;
        progress?.Report(new OrderProgress(0, spec.Count));
        using var gate = new SemaphoreSlim(Math.Max(1, caps.MaxConcurrency));

        async Task RunBatch(Batch batch)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var made = await RunBatchAsync(provider, order, batch, cancellationToken);
                lock (images)
                    images.AddRange(made);
                progress?.Report(new OrderProgress(Interlocked.Add(ref done, made.Count), spec.Count));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                lock (errors)
                    errors.Add($"Batch {batch.Index + 1} of {plan.Batches.Count} failed: {ex.Message}");
            }
            finally
            {
                gate.Release();
            }
        }

        try
        {
            await Task.WhenAll(plan.Batches.Select(RunBatch));
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(OrderStatus.Failed, "Cancelled before it finished.");
            throw;
        }

        images.Sort((a, b) => a.Slot.CompareTo(b.Slot));
        var status = images.Count == spec.Count ? OrderStatus.Completed
            : images.Count == 0 ? OrderStatus.Failed
            : OrderStatus.PartiallyCompleted;
        var error = errors.Count == 0 ? null : string.Join(" ", errors);
        order = await FinishAsync(status, error);
        return new OrderResult(order, images, errors);

        async Task<Order> FinishAsync(OrderStatus status, string? error)
        {
            var completedAt = time.GetUtcNow();
            // Recording the outcome must happen even when the caller gave up waiting.
            await orders.UpdateStatusAsync(order.Id, status, completedAt, error, CancellationToken.None);
            return order with { Status = status, CompletedAt = completedAt, Error = error };
        }
    }

    private async Task<List<ImageRecord>> RunBatchAsync(IImageProvider provider, Order order, Batch batch, CancellationToken cancellationToken)
    {
        // Seeds stay within 32 bits, the widest range every provider accepts.
        var seeds = Enumerable.Range(batch.FirstSlot, batch.Count).Select(slot => (order.Seed + slot) % (1L << 32)).ToArray();
        var request = new GenerationRequest(order.Prompt, order.NegativePrompt, order.Size, order.Style, order.Background, seeds);

        var clock = Stopwatch.StartNew();
        var generated = await provider.GenerateAsync(request, cancellationToken);
        var elapsed = clock.Elapsed;
        if (generated.Count > batch.Count)
            throw new InvalidOperationException($"{provider.Name} returned {generated.Count} images for a request of {batch.Count}.");

        var records = new List<ImageRecord>(generated.Count);
        for (var i = 0; i < generated.Count; i++)
            records.Add(await StoreAsync(order, batch.FirstSlot + i, generated[i], elapsed, cancellationToken));
        return records;
    }

    private async Task<ImageRecord> StoreAsync(Order order, int slot, GeneratedImage image, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        if (image.MediaType != "image/png")
            throw new InvalidOperationException($"Expected a PNG image, got {image.MediaType}.");
        var createdAt = time.GetUtcNow();
        var id = Ids.New("img", createdAt);
        var parameters = new ImageParameters(order.Size.Width, order.Size.Height, order.Style, order.Background, order.AspectRatio);
        var info = PngDecoder.ReadInfo(image.Bytes);
        var bytes = PngText.Add(image.Bytes, Provenance(order, id, image, parameters));

        var path = await blobs.SaveImageAsync(id, createdAt, "png", bytes, cancellationToken);
        var record = new ImageRecord
        {
            Id = id,
            OrderId = order.Id,
            Slot = slot,
            Prompt = order.Prompt,
            NegativePrompt = order.NegativePrompt,
            Parameters = parameters,
            Provider = order.Provider,
            Model = image.Model,
            Seed = image.Seed,
            CreatedAt = createdAt,
            GenerationTime = elapsed,
            Path = path,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Width = info.Width,
            Height = info.Height,
        };
        try
        {
            // Not cancellable: a written file must get its row, or be removed.
            await catalog.AddAsync(record, CancellationToken.None);
        }
        catch
        {
            blobs.Delete(path);
            throw;
        }
        return record;
    }

    /// <summary>Text chunks that let any PNG tool see how the image was made.</summary>
    private static List<KeyValuePair<string, string>> Provenance(Order order, string imageId, GeneratedImage image, ImageParameters p)
    {
        var text = new List<KeyValuePair<string, string>>
        {
            new("Software", "Easel"),
            new("Description", order.Prompt),
            new("easel:image_id", imageId),
            new("easel:order_id", order.Id),
            new("easel:provider", order.Provider),
            new("easel:model", image.Model),
            new("easel:parameters", ParametersText(p)),
        };
        if (order.NegativePrompt is not null)
            text.Add(new("easel:negative_prompt", order.NegativePrompt));
        if (image.Seed is { } seed)
            text.Add(new("easel:seed", seed.ToString(CultureInfo.InvariantCulture)));
        return text;
    }

    private static string ParametersText(ImageParameters p)
    {
        var parts = new List<string> { $"size={p.Width}x{p.Height}" };
        if (p.AspectRatio is not null)
            parts.Add($"aspect_ratio={p.AspectRatio}");
        if (p.Style is not null)
            parts.Add($"style={p.Style}");
        parts.Add($"background={p.Background.ToString().ToLowerInvariant()}");
        return string.Join("; ", parts);
    }
}
