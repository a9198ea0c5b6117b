using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Core.Orders;
using Easel.Core.Prompts;
using Easel.Core.Quality;
using Easel.Core.Quality.Builtin;
using Easel.Providers;
using Easel.Providers.References;
using Easel.Storage;
using Easel.Workflows.Configuration;

namespace Easel.Workflows;

/// <summary>
/// What the CLI and the server need, created on first use so that `--help` and usage errors never
/// touch the data directory or read the configuration.
/// </summary>
public sealed class EaselServices(IReadOnlyDictionary<string, string?> environment, TimeProvider time) : IAsyncDisposable
{
    private EaselStore? _store;
    private EaselSettings? _settings;
    private PresetCatalog? _presets;
    private IReadOnlyList<ProviderStatus>? _statuses;
    private ProviderRegistry? _providers;
    private QualityServices? _quality;
    private ProviderGates? _gates;
    private OrderWorker? _worker;
    private readonly SemaphoreSlim _workerStart = new(1, 1);
    private ILanguageModel? _agentModel;
    private IPromptRefiner? _refiner;

    public TimeProvider Time => time;

    public string? Environment(string name) => environment.GetValueOrDefault(name);

    public DataDirectory Data { get; } = DataDirectory.Resolve(name => environment.GetValueOrDefault(name));

    /// <summary>Every known provider and whether this installation has what it needs (keys, addresses).</summary>
    public IReadOnlyList<ProviderStatus> ProviderStatuses => _statuses ??= ProviderCatalog.Describe(Settings.Connections, time, mcpProviders: Settings.McpProviders);

    /// <summary>The providers this installation can use: the built-ins and every configured vendor.</summary>
    public ProviderRegistry Providers => _providers ??= ProviderCatalog.Registry(ProviderStatuses);

    /// <summary>Why a provider name cannot be used, or null when it can.</summary>
    public string? ProviderProblem(string name, ProviderKind kind)
    {
        try
        {
            return ProviderProblemOrThrow(name, kind);
        }
        catch (ConfigurationException)
        {
            // Reported, with the file or variable at fault, when the command runs.
            return null;
        }
    }

    private string? ProviderProblemOrThrow(string name, ProviderKind kind)
    {
        var usable = kind == ProviderKind.Upscaler ? Providers.TryGetUpscaler(name, out _) : Providers.TryGet(name, out _);
        if (usable)
            return null;
        var known = ProviderStatuses.FirstOrDefault(s => s.Definition.Kind == kind && s.Definition.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (known is not null)
            return $"The provider '{known.Definition.Name}' is not configured: {known.Problem}. `easel providers` shows what each needs.";
        var names = kind == ProviderKind.Upscaler ? Providers.UpscalerNames : Providers.Names;
        return $"Unknown {(kind == ProviderKind.Upscaler ? "upscaler" : "provider")} '{name}'. Known {(kind == ProviderKind.Upscaler ? "upscalers" : "providers")}: {string.Join(", ", names)}.";
    }

    public ConfigDirectory Config { get; } = ConfigDirectory.Resolve(name => environment.GetValueOrDefault(name));

    /// <summary>Built-in presets and the user's own (<c>presets/*.json</c> in the config directory).</summary>
    public PresetCatalog Presets => _presets ??= PresetCatalog.Load(Path.Combine(Config.Root, "presets"));

    /// <summary>The evaluator, prompter and presets of the quality loop: built-in unless <c>Language:Evaluator</c> or <c>Language:Prompter</c> names a model.</summary>
    public QualityServices Quality => _quality ??= new QualityServices(
        Settings.Evaluator.Provider is { } evaluator ? new ModelEvaluator(LanguageModel("Evaluator", evaluator, Settings.Evaluator.Model)) : new BuiltinEvaluator(),
        Settings.Prompter.Provider is { } prompter ? new ModelPrompter(LanguageModel("Prompter", prompter, Settings.Prompter.Model)) : new BuiltinPrompter(),
        Presets.Find);

    /// <summary>The model behind `easel ask`, or null when <c>Language:Agent</c> names none (the offline parser then reads requests).</summary>
    /// <exception cref="ConfigurationException">The role names a model Easel does not know or that is not configured.</exception>
    public ILanguageModel? AgentModel => _agentModel ??= Settings.Agent.Provider is { } agent
        ? LanguageModel("Agent", agent, Settings.Agent.Model ?? (agent.Equals("ollama", StringComparison.OrdinalIgnoreCase) ? OllamaAgentModel : null))
        : null;

    /// <summary>Ollama's default model (llava, for seeing images) cannot call tools; the agent needs one that can.</summary>
    private const string OllamaAgentModel = "qwen3";

    /// <summary>Prompt suggestions (`easel refine`): from the <c>Language:Prompter</c> model when one is named, else from built-in rules.</summary>
    /// <exception cref="ConfigurationException">The role names a model Easel does not know or that is not configured.</exception>
    public IPromptRefiner Refiner => _refiner ??= Settings.Prompter.Provider is { } prompter
        ? new ModelPromptRefiner(LanguageModel("Prompter", prompter, Settings.Prompter.Model))
        : new BuiltinPromptRefiner();

    /// <summary>The configured language model for a role.</summary>
    /// <exception cref="ConfigurationException">The role names a model Easel does not know or that is not configured.</exception>
    private ILanguageModel LanguageModel(string role, string name, string? model)
    {
        var status = ProviderStatuses.FirstOrDefault(s => s.Definition.Kind == ProviderKind.Language && s.Definition.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ConfigurationException(
                $"Language:{role}:Provider is '{name}', which is not a language model Easel knows; use one of {string.Join(", ", ProviderStatuses.Where(s => s.Definition.Kind == ProviderKind.Language).Select(s => s.Definition.Name))} or builtin.");
        if (!status.Configured)
            throw new ConfigurationException($"Language:{role}:Provider is '{name}', which is not configured: {status.Problem}.");
        // Providers:NAME:Model names the language model when no image provider reads that section too (anthropic, ollama).
        var shared = ProviderStatuses.Any(s => s.Definition.Kind != ProviderKind.Language && s.Definition.Section.Equals(status.Definition.Section, StringComparison.OrdinalIgnoreCase));
        return Easel.Providers.Language.LanguageModels.Create(
            status.Definition.Name, ProviderCatalog.Connection(status.Definition, status.Settings, time), model ?? (shared ? null : status.Settings.Model));
    }

    /// <summary>Limits on references; the CLI reads any local file its user can, the server only its configured folders.</summary>
    public ReferenceOptions ReferenceLimits { get; set; } = new();

    /// <summary>Loads references (<c>--refs</c>, uploads): local files within <see cref="ReferenceLimits"/>, or public http(s) URLs.</summary>
    public ReferenceLoader References => new(ReferenceLimits);

    public EaselStore Store => _store ??= OpenStore();

    /// <summary>The config file and EASEL_ variables.</summary>
    /// <exception cref="ConfigurationException">A bad setting; the message names it.</exception>
    public EaselSettings Settings => _settings ??= EaselSettings.Load(
        Config,
        environment.Where(e => e.Value is not null).Select(e => KeyValuePair.Create(e.Key, e.Value!)));

    public OrderService Orders => new(Providers, Store.Orders, Store.Blobs, Quality, time);

    /// <summary>Review, regenerate, vary and upscale.</summary>
    public ImageActions Images => new(Orders, Store.Images, Store.Blobs, time);

    /// <summary>Who is acting, for the audit trail: the login name.</summary>
    public string UserName =>
        Environment("USER") is { Length: > 0 } user ? user : System.Environment.UserName is { Length: > 0 } name ? name : "unknown";

    /// <summary>The worker this process runs, if it holds the lease.</summary>
    public OrderWorker? Worker => _worker;

    /// <summary>Becomes the worker for the data directory unless another process already is; true when this process is (now) the worker.</summary>
    public async Task<bool> TryStartWorkerAsync(CancellationToken cancellationToken)
    {
        // One at a time: two callers at once (MCP tool calls, say) must not both start one.
        await _workerStart.WaitAsync(cancellationToken);
        try
        {
            if (_worker is not null)
                return true;
            _gates ??= new ProviderGates(Settings.Providers, time);
            _worker = await OrderWorker.TryStartAsync(new WorkerContext(Store, Providers, _gates, Quality, time), cancellationToken);
            return _worker is not null;
        }
        finally
        {
            _workerStart.Release();
        }
    }

    /// <summary>Stops this process's worker; running batches are abandoned (they resume on the next start) when asked.</summary>
    public Task StopWorkerAsync(bool abandonRunning) => StopWorkerAsync(abandonRunning ? TimeSpan.Zero : Timeout.InfiniteTimeSpan);

    /// <summary>Stops this process's worker, giving running batches <paramref name="grace"/> to finish; the rest resume on the next start.</summary>
    public async Task StopWorkerAsync(TimeSpan grace)
    {
        if (_worker is null)
            return;
        var worker = _worker;
        _worker = null;
        await worker.StopAsync(grace);
    }

    /// <summary>Tells this process's worker, if it is one, that there is new work (an order placed or decided here).</summary>
    public void Nudge() => _worker?.Nudge();

    private EaselStore OpenStore()
    {
        try
        {
            return EaselStore.Open(Data);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot use the data directory {Data.Root} (set EASEL_HOME to choose another): {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkerAsync(abandonRunning: true);
        // MCP image providers run a server process each: it ends with this process's use of it.
        foreach (var status in _statuses ?? [])
        {
            if (status.Instance is IAsyncDisposable provider)
                await provider.DisposeAsync();
        }
        _store?.Dispose();
    }
}
