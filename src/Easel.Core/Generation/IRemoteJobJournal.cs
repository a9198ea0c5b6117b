namespace Easel.Core.Generation;

/// <summary>
/// Where an asynchronous provider (Replicate, Stability's creative upscale, ComfyUI) keeps the id
/// of the job it started, stored with the batch before it polls: a call resumed after a crash
/// polls that job instead of paying for a new one.
/// </summary>
public interface IRemoteJobJournal
{
    /// <summary>The job an earlier attempt of this call started, if any.</summary>
    string? ExistingJobId { get; }

    /// <summary>Stores the job id; call it as soon as the provider has answered with one.</summary>
    Task RecordAsync(string jobId, CancellationToken cancellationToken);
}
