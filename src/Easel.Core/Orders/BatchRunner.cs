using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Quality;
using Easel.Imaging.Formats;
using Easel.Imaging.Png;

namespace Easel.Core.Orders;

/// <summary>
/// Carries out one batch of an order: one provider call, then every image stamped with its
/// provenance, written and recorded with the batch's completion in one transaction, then scored
/// and the quality loop moved on. Safe to run again after a crash at any point: a stored batch is
/// never made twice, and files of an interrupted attempt are removed before the batch is made again.
/// </summary>
public sealed class BatchRunner(
    ProviderRegistry providers, IOrderStore orders, IImageCatalog images, IBlobStore blobs, ProviderGates gates, QualityLoop loop, TimeProvider time)
{
    /// <summary>Runs the batch if it still needs running, moves the loop on, then finishes the order if nothing is left.</summary>
    public async Task<BatchOutcome> RunAsync(string orderId, int index, CancellationToken cancellationToken)
    {
        var order = await orders.FindAsync(orderId, cancellationToken);
        if (order is null || order.Status != OrderStatus.Running)
            return BatchOutcome.Nothing;
        var state = await orders.FindBatchAsync(orderId, index, cancellationToken);
        if (state is null)
            return BatchOutcome.Nothing;

        if (!TryGetProvider(order, out var provider))
        {
            var begun = await orders.BeginBatchAsync(orderId, index, order.Provider, order.Model, time.GetUtcNow(), cancellationToken);
            if (begun is not null)
                await orders.FailBatchAsync(orderId, index, begun.Attempts, $"The provider '{order.Provider}' is not available in this installation.", TimeSpan.Zero, time.GetUtcNow(), cancellationToken);
        }
        else if (state.IsOpen)
        {
            using (await gates.For(provider).EnterAsync(state.Count * state.Candidates, cancellationToken))
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
        }

        var slots = Enumerable.Range(state.FirstSlot, state.Count).ToList();
        var added = await loop.AdvanceAsync(order, slots, cancellationToken);
        var finished = added.Count == 0 ? await orders.TryFinishAsync(orderId, time.GetUtcNow(), cancellationToken) : null;
        return new BatchOutcome(added, finished);
    }

    private bool TryGetProvider(Order order, out IImageProvider provider) =>
        order.Source is { Kind: Derivation.Upscale }
            ? providers.TryGetUpscaler(order.Provider, out provider)
            : providers.TryGet(order.Provider, out provider);

    /// <summary>Seed of one image: distinct for every slot, candidate and iteration, and within 32 bits, the widest range every provider accepts.</summary>
    public static long SeedFor(Order order, int iteration, int slot, int candidate)
    {
        var unit = ((long)(iteration - 1) * order.Count + slot) * order.Loop.Candidates + candidate;
        return (order.Seed + unit) % (1L << 32);
    }

    private async Task<GenerationRequest> RequestAsync(Order order, BatchState batch, CancellationToken cancellationToken)
    {
        var units = batch.ToBatch().Units().ToList();
        var request = new GenerationRequest(
            batch.Prompt ?? order.Prompt, order.NegativePrompt, order.Size, order.Style, order.Background,
            units.Select(u => SeedFor(order, batch.Iteration, u.Slot, u.Candidate)).ToArray())
        {
            PreviousResponseId = batch.PreviousResponseId,
            Quality = order.Quality,
            Format = order.Format,
            Journal = new BatchJournal(orders, order.Id, batch.Index, batch.Attempts, batch.RemoteJobId),
        };
        // References go with every call that does not continue an earlier response (which already has them).
        if (batch.PreviousResponseId is null && order.References.Count > 0)
        {
            var references = new List<ReferenceImage>(order.References.Count);
            foreach (var r in order.References)
                references.Add(new ReferenceImage(r.Source, await blobs.ReadAsync(r.Path, cancellationToken), r.MediaType, r.Width, r.Height, r.Sha256));
            request = request with { References = references };
        }
        if (order.Source is { } source)
        {
            var parent = await images.FindAsync(source.ImageId, cancellationToken)
                ?? throw new InvalidOperationException($"The source image {source.ImageId} is no longer in the gallery.");
            var bytes = await blobs.ReadAsync(parent.Path, cancellationToken);
            request = source.Kind switch
            {
                Derivation.Variation => request with { VariationOf = new VariationSource(bytes, parent.MediaType, parent.Seed, source.Strength ?? VariationStrength.Subtle) },
                Derivation.Upscale => request with { UpscaleOf = new UpscaleSource(bytes, parent.MediaType, source.Scale ?? 2) },
                _ => request,
            };
        }
        return request;
    }

    private async Task RunAttemptAsync(IImageProvider provider, Order order, BatchState batch, CancellationToken cancellationToken)
    {
        // Files an interrupted attempt wrote before its rows were stored.
        foreach (var path in batch.PendingFiles)
            blobs.Delete(path);

        GenerationRequest request;
        try
        {
            request = await RequestAsync(order, batch, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await orders.FailBatchAsync(order.Id, batch.Index, batch.Attempts, $"Could not prepare the call: {ex.Message}", TimeSpan.Zero, time.GetUtcNow(), CancellationToken.None);
            return;
        }
        var units = batch.ToBatch().Units().ToList();

        var clock = Stopwatch.StartNew();
        IReadOnlyList<GeneratedImage> generated;
        try
        {
            generated = await provider.GenerateAsync(request, cancellationToken);
            if (generated.Count > request.Count)
                throw new InvalidOperationException($"{provider.Name} returned {generated.Count} images for a request of {request.Count}.");

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
                var (record, bytes) = Prepare(order, batch, request.Prompt, units[i], generated[i], createdAt, elapsed);
                records.Add(record);
                files.Add((record.Path, bytes));
            }
        }
        catch (Exception ex) when (ex is Imaging.ImageFormatException or InvalidDataException or ArgumentException)
        {
            await orders.FailBatchAsync(order.Id, batch.Index, batch.Attempts, $"{provider.Name} returned an unreadable image: {ex.Message}", elapsed, time.GetUtcNow(), CancellationToken.None);
            return;
        }

        // Recorded before writing, so that a crash between the files and their rows leaves no orphan.
        await orders.SetPendingFilesAsync(order.Id, batch.Index, batch.Attempts, records.Select(r => r.Path).ToList(), cancellationToken);
        // What the vendor reported, else its price table.
        var price = provider.Capabilities.PriceFor(order.Quality, order.Size);
        var cost = generated.Take(records.Count).Sum(image => image.Cost ?? price);
        bool stored;
        try
        {
            foreach (var (path, bytes) in files)
                await blobs.SaveImageAsync(Path.GetFileNameWithoutExtension(path), createdAt, Path.GetExtension(path).TrimStart('.'), bytes, cancellationToken);
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

    private (ImageRecord Record, byte[] Bytes) Prepare(
        Order order, BatchState batch, string prompt, (int Slot, int Candidate) unit, GeneratedImage image, DateTimeOffset createdAt, TimeSpan elapsed)
    {
        var id = Ids.New("img", createdAt);
        var parameters = new ImageParameters(order.Size.Width, order.Size.Height, order.Style, order.Background, order.AspectRatio);
        // The bytes say what the file is, whatever the vendor's label; only PNG carries text chunks.
        var header = ImageHeader.Read(image.Bytes);
        var bytes = header.Format == ImageFileFormat.Png
            ? PngText.Add(image.Bytes, Provenance(order, id, prompt, batch.Iteration, image, parameters))
            : image.Bytes;
        var record = new ImageRecord
        {
            Id = id,
            OrderId = order.Id,
            Slot = unit.Slot,
            Iteration = batch.Iteration,
            Candidate = unit.Candidate,
            ResponseId = image.ResponseId,
            ParentId = order.Source?.ImageId,
            Derivation = order.Source?.Kind,
            Prompt = prompt,
            NegativePrompt = order.NegativePrompt,
            Parameters = parameters,
            Provider = order.Provider,
            Model = image.Model,
            Seed = image.Seed,
            CreatedAt = createdAt,
            GenerationTime = elapsed,
            Path = blobs.GetImagePath(id, createdAt, Extension(header.Format)),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Width = header.Width,
            Height = header.Height,
        };
        return (record, bytes);
    }

    private static string Extension(ImageFileFormat format) => format switch
    {
        ImageFileFormat.Jpeg => "jpg",
        ImageFileFormat.WebP => "webp",
        ImageFileFormat.Gif => "gif",
        _ => "png",
    };

    /// <summary>Text chunks that let any PNG tool see how the image was made.</summary>
    private static List<KeyValuePair<string, string>> Provenance(Order order, string imageId, string prompt, int iteration, GeneratedImage image, ImageParameters p)
    {
        var text = new List<KeyValuePair<string, string>>
        {
            new("Software", "Easel"),
            new("Description", prompt),
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
        if (iteration > 1)
        {
            text.Add(new("easel:iteration", iteration.ToString(CultureInfo.InvariantCulture)));
            text.Add(new("easel:original_prompt", order.Prompt));
        }
        if (order.Source is { } source)
            text.Add(new($"easel:{source.Kind.ToText()}_of", source.ImageId));
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

/// <summary>What running a batch led to.</summary>
/// <param name="NewBatches">Batches the quality loop added (refinements), to be scheduled.</param>
/// <param name="Finished">The order's end status when this batch finished it.</param>
public sealed record BatchOutcome(IReadOnlyList<int> NewBatches, OrderStatus? Finished)
{
    public static BatchOutcome Nothing { get; } = new([], null);
}

/// <summary>Keeps an asynchronous vendor's job id with the batch attempt, so a resumed call polls it instead of paying again.</summary>
internal sealed class BatchJournal(IOrderStore orders, string orderId, int index, int attempt, string? existing) : IRemoteJobJournal
{
    public string? ExistingJobId => existing;

    // Not cancellable: once the vendor has a job, its id must reach the store.
    public Task RecordAsync(string jobId, CancellationToken cancellationToken) =>
        orders.SetRemoteJobAsync(orderId, index, attempt, jobId, CancellationToken.None);
}
