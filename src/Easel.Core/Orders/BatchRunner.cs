using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Imaging.Png;

namespace Easel.Core.Orders;

/// <summary>
/// Carries out one batch of an order: one provider call, then every image stamped with its
/// provenance, written and recorded with the batch's completion in one transaction. Safe to run
/// again after a crash at any point: a stored batch is never made twice, and files of an
/// interrupted attempt are removed before the batch is made again.
/// </summary>
public sealed class BatchRunner(ProviderRegistry providers, IOrderStore orders, IBlobStore blobs, ProviderGates gates, TimeProvider time)
{
    /// <summary>Runs the batch if it still needs running, then finishes the order if it was the last.</summary>
    /// <returns>The order's end status when this call finished it; null otherwise.</returns>
    public async Task<OrderStatus?> RunAsync(string orderId, int index, CancellationToken cancellationToken)
    {
        var order = await orders.FindAsync(orderId, cancellationToken);
        if (order is null || order.Status != OrderStatus.Running)
            return null;
        if (!providers.TryGet(order.Provider, out var provider))
        {
            var begun = await orders.BeginBatchAsync(orderId, index, order.Provider, order.Model, time.GetUtcNow(), cancellationToken);
            if (begun is not null)
                await orders.FailBatchAsync(orderId, index, begun.Attempts, $"The provider '{order.Provider}' is not available in this installation.", TimeSpan.Zero, time.GetUtcNow(), cancellationToken);
            return await orders.TryFinishAsync(orderId, time.GetUtcNow(), cancellationToken);
        }

        using (await gates.For(provider).EnterAsync(BatchSize(order, index), cancellationToken))
        {
            var batch = await orders.BeginBatchAsync(orderId, index, provider.Name, order.Model, time.GetUtcNow(), cancellationToken);
            if (batch is not null)
            {
                try
                {
                    await RunAttemptAsync(provider, order, batch, cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // A bug or an unforeseen failure must end the batch, not leave the order waiting for ever.
                    await orders.FailBatchAsync(orderId, index, batch.Attempts, $"Unexpected {ex.GetType().Name}: {ex.Message}", TimeSpan.Zero, time.GetUtcNow(), CancellationToken.None);
                }
            }
        }
        return await orders.TryFinishAsync(orderId, time.GetUtcNow(), cancellationToken);
    }

    private static int BatchSize(Order order, int index) =>
        Math.Clamp(order.TargetCount - index * order.ImagesPerCall, 1, order.ImagesPerCall);

    private async Task RunAttemptAsync(IImageProvider provider, Order order, BatchState batch, CancellationToken cancellationToken)
    {
        // Files an interrupted attempt wrote before its rows were stored.
        foreach (var path in batch.PendingFiles)
            blobs.Delete(path);

        // Seeds stay within 32 bits, the widest range every provider accepts.
        var seeds = Enumerable.Range(batch.FirstSlot, batch.Count).Select(slot => (order.Seed + slot) % (1L << 32)).ToArray();
        var request = new GenerationRequest(order.Prompt, order.NegativePrompt, order.Size, order.Style, order.Background, seeds);

        var clock = Stopwatch.StartNew();
        IReadOnlyList<GeneratedImage> generated;
        try
        {
            generated = await provider.GenerateAsync(request, cancellationToken);
            if (generated.Count > batch.Count)
                throw new InvalidOperationException($"{provider.Name} returned {generated.Count} images for a request of {batch.Count}.");
            foreach (var image in generated)
            {
                if (image.MediaType != "image/png")
                    throw new InvalidOperationException($"{provider.Name} returned {image.MediaType}; Easel expected a PNG image.");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await orders.FailBatchAsync(order.Id, batch.Index, batch.Attempts, ex.Message, clock.Elapsed, time.GetUtcNow(), CancellationToken.None);
            return;
        }
        var elapsed = clock.Elapsed;

        var createdAt = time.GetUtcNow();
        var records = new List<ImageRecord>(generated.Count);
        var files = new List<(string Path, byte[] Bytes)>(generated.Count);
        try
        {
            for (var i = 0; i < generated.Count; i++)
            {
                var (record, bytes) = Prepare(order, batch.FirstSlot + i, generated[i], createdAt, elapsed);
                records.Add(record);
                files.Add((record.Path, bytes));
            }
        }
        catch (Exception ex) when (ex is Imaging.ImageFormatException or InvalidDataException)
        {
            await orders.FailBatchAsync(order.Id, batch.Index, batch.Attempts, $"{provider.Name} returned an unreadable image: {ex.Message}", elapsed, time.GetUtcNow(), CancellationToken.None);
            return;
        }

        // Recorded before writing, so that a crash between the files and their rows leaves no orphan.
        await orders.SetPendingFilesAsync(order.Id, batch.Index, batch.Attempts, records.Select(r => r.Path).ToList(), cancellationToken);
        var cost = provider.Capabilities.PricePerImage * records.Count;
        bool stored;
        try
        {
            foreach (var (path, bytes) in files)
                await blobs.SaveImageAsync(Path.GetFileNameWithoutExtension(path), createdAt, "png", bytes, cancellationToken);
            // Not cancellable: written files must get their rows, or be removed.
            stored = await orders.CompleteBatchAsync(
                new BatchResult(order.Id, batch.Index, batch.Attempts, records, provider.Name, order.Model, elapsed, cost, time.GetUtcNow()),
                CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DeleteAll(files);
            await orders.FailBatchAsync(order.Id, batch.Index, batch.Attempts, $"Could not save the images: {ex.Message}", elapsed, time.GetUtcNow(), CancellationToken.None);
            return;
        }
        catch
        {
            // Cancelled mid-write: the pending-file list lets the next attempt clean up, but tidy now when possible.
            DeleteAll(files);
            throw;
        }
        if (!stored)
            DeleteAll(files); // another attempt owns this batch now
    }

    private void DeleteAll(List<(string Path, byte[] Bytes)> files)
    {
        foreach (var (path, _) in files)
        {
            try
            {
                blobs.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Still listed as pending for the batch; removed when it is next attempted.
            }
        }
    }

    private (ImageRecord Record, byte[] Bytes) Prepare(Order order, int slot, GeneratedImage image, DateTimeOffset createdAt, TimeSpan elapsed)
    {
        var id = Ids.New("img", createdAt);
        var parameters = new ImageParameters(order.Size.Width, order.Size.Height, order.Style, order.Background, order.AspectRatio);
        var info = PngDecoder.ReadInfo(image.Bytes);
        var bytes = PngText.Add(image.Bytes, Provenance(order, id, image, parameters));
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
            Path = blobs.GetImagePath(id, createdAt, "png"),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Width = info.Width,
            Height = info.Height,
        };
        return (record, bytes);
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
