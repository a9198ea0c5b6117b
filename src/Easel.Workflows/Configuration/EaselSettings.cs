using System.Collections;
using System.Globalization;
using System.Text.Json;
using Easel.Core;
using Easel.Core.Orders;
using Easel.Providers;
using Easel.Providers.Mcp;
using Easel.Storage;
using Easel.Workflows.Notifications;
using Microsoft.Extensions.Configuration;

namespace Easel.Workflows.Configuration;

/// <summary>A setting that cannot be used, described in plain words (where it came from, the key, the value).</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Settings for the whole program, in increasing priority: built-in defaults,
/// <c>config.json</c> in the config folder, then <c>EASEL_</c> environment variables
/// (<c>__</c> separates sections: <c>EASEL_Approval__Timeout=5m</c>).
/// </summary>
public sealed class EaselSettings
{
    public const string FileName = "config.json";
    public const string EnvironmentPrefix = "EASEL_";
    private const string ProvidersSection = "Providers";
    private const string LanguageSection = "Language";
    private const string McpSection = "McpProviders";

    /// <summary>The vendors' usual key variables, read when the configuration names no key.</summary>
    public static readonly IReadOnlyDictionary<string, string> VendorKeyVariables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "OPENAI_API_KEY",
        ["openai-responses"] = "OPENAI_API_KEY",
        ["anthropic"] = "ANTHROPIC_API_KEY",
        ["gemini"] = "GEMINI_API_KEY",
        ["imagen"] = "GEMINI_API_KEY",
        ["replicate"] = "REPLICATE_API_TOKEN",
        ["stability"] = "STABILITY_API_KEY",
    };

    private static readonly string[] LanguageRoles = ["Evaluator", "Prompter", "Agent"];

    private static readonly string[] ConnectionKeys = ["ApiKey", "BaseUrl", "Model", "Timeout", "Workflow"];

    /// <summary>Longest a provider call may be allowed to take.</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    private static readonly string[] ApprovalKeys =
        [nameof(ApprovalOptions.MaxImagesWithoutApproval), nameof(ApprovalOptions.MaxCostWithoutApproval), nameof(ApprovalOptions.Timeout)];

    private static readonly string[] ProviderKeys =
        [nameof(ProviderLimitOptions.Concurrency), nameof(ProviderLimitOptions.ImagesPerMinute)];

    private EaselSettings(
        ApprovalOptions approval, IReadOnlyDictionary<string, ProviderLimitOptions> providers, IReadOnlyDictionary<string, ProviderSettings> connections,
        LanguageRole evaluator, LanguageRole prompter, LanguageRole agent, ServerSettings server, string? configFile, IReadOnlyList<WebhookSettings> webhooks,
        IReadOnlyDictionary<string, McpProviderOptions> mcpProviders)
    {
        McpProviders = mcpProviders;
        Agent = agent;
        Server = server;
        Webhooks = webhooks;
        Approval = approval;
        Providers = providers;
        Connections = connections;
        Evaluator = evaluator;
        Prompter = prompter;
        ConfigFile = configFile;
    }

    /// <summary>How to reach each provider by name, case-insensitive, with vendor key variables filled in.</summary>
    public IReadOnlyDictionary<string, ProviderSettings> Connections { get; }

    /// <summary><c>Language:Evaluator</c>: which model scores images; the built-in evaluator when unset.</summary>
    public LanguageRole Evaluator { get; }

    /// <summary><c>Language:Prompter</c>: which model rewrites prompts; the built-in prompter when unset.</summary>
    public LanguageRole Prompter { get; }

    /// <summary><c>Language:Agent</c>: which model turns `easel ask` requests into orders with tool calls; the offline parser when unset.</summary>
    public LanguageRole Agent { get; }

    public ApprovalOptions Approval { get; }

    /// <summary>The <c>Server</c> section, read by <c>easel serve</c>.</summary>
    public ServerSettings Server { get; }

    /// <summary>The <c>Webhooks</c> section: where <c>easel serve</c> and <c>easel worker --follow</c> post approval-needed and order-finished events; none by default.</summary>
    public IReadOnlyList<WebhookSettings> Webhooks { get; }

    /// <summary>
    /// <c>McpProviders:NAME</c>: image tools of other MCP servers, each a provider named NAME (case-insensitive).
    /// Their limits, like every provider's, are in <see cref="Providers"/>.
    /// </summary>
    public IReadOnlyDictionary<string, McpProviderOptions> McpProviders { get; }

    /// <summary>Limits by provider name, case-insensitive; providers not listed use their own defaults.</summary>
    public IReadOnlyDictionary<string, ProviderLimitOptions> Providers { get; }

    /// <summary>The file that was read, or null when there was none.</summary>
    public string? ConfigFile { get; }

    /// <summary>Loads with the process environment.</summary>
    public static EaselSettings Load(ConfigDirectory config) =>
        Load(config, Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => KeyValuePair.Create((string)e.Key, e.Value as string ?? "")));

    /// <param name="config">Folder that may hold <c>config.json</c>.</param>
    /// <param name="environment">Every environment variable (only <c>EASEL_</c> ones are used); tests pass their own.</param>
    /// <exception cref="ConfigurationException">A file or variable that cannot be read or holds a bad value.</exception>
    public static EaselSettings Load(ConfigDirectory config, IEnumerable<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);

        var path = Path.Combine(config.Root, FileName);
        var file = ReadFile(path);

        // Key ("Approval:Timeout") to the variable that set it, for messages.
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                continue;
            var key = name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            variables[key] = name;
            values[key] = value;
        }

        var builder = new ConfigurationBuilder();
        if (file is not null)
            builder.AddJsonStream(new MemoryStream(file));
        builder.AddInMemoryCollection(values);
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (JsonException e)
        {
            var reason = e.Message;
            var position = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (position > 0)
                reason = reason[..position];
            throw new ConfigurationException($"{path} is not valid JSON (line {e.LineNumber + 1}): {reason}", e);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"{path} is not valid JSON: {e.Message}", e);
        }

        var configFile = file is null ? null : path;
        var reader = new Reader(root, configFile, variables);
        // Trimmed: a key file saved with a Windows line ending must not put "\r" in a header.
        var vendorKeys = environment.Where(e => VendorKeyVariables.Values.Contains(e.Key, StringComparer.Ordinal) && e.Value.Trim().Length > 0)
            .ToDictionary(e => e.Key, e => e.Value.Trim(), StringComparer.Ordinal);
        return new EaselSettings(
            reader.Approval(), reader.Providers(), reader.Connections(vendorKeys),
            reader.Role("Evaluator"), reader.Role("Prompter"), reader.Role("Agent"), reader.Server(), configFile, reader.Webhooks(), reader.McpProviders(file));
    }

    /// <summary>The file's bytes, or null when it does not exist; an empty file counts as "{}".</summary>
    private static byte[]? ReadFile(string path)
    {
        if (Directory.Exists(path))
            throw new ConfigurationException($"{path} is a folder; the configuration must be a JSON file.");
        try
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') ? "{}"u8.ToArray() : bytes;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // A broken link is a file the user meant to have read, not an absent one.
            if (new FileInfo(path).LinkTarget is { } target)
                throw new ConfigurationException($"Cannot read {path}: it links to {target}, which does not exist.", e);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Binds by hand so every bad value is reported with where it came from.</summary>
    private sealed class Reader(IConfigurationRoot root, string? file, Dictionary<string, string> variables)
    {
        public ApprovalOptions Approval()
        {
            var options = new ApprovalOptions();
            var settings = Children(root.GetSection(ApprovalOptions.Section));
            foreach (var setting in settings)
            {
                var name = ApprovalKeys.FirstOrDefault(k => k.Equals(setting.Key, StringComparison.OrdinalIgnoreCase))
                    ?? throw Error(setting.Path, $"is not a setting; the settings in {ApprovalOptions.Section} are {string.Join(", ", ApprovalKeys)}.");
                if (Value(setting) is not { } text)
                    continue;
                switch (name)
                {
                    case nameof(ApprovalOptions.MaxImagesWithoutApproval):
                        options.MaxImagesWithoutApproval = WholeNumber(setting.Path, text);
                        break;
                    case nameof(ApprovalOptions.MaxCostWithoutApproval):
                        options.MaxCostWithoutApproval = Money(setting.Path, text);
                        break;
                    default:
                        options.Timeout = Durations.TryParse(text, out var timeout, out var error)
                            ? timeout
                            : throw new ConfigurationException($"{Where(setting.Path)}: {error}");
                        break;
                }
            }
            Check(options.Validate());
            return options;
        }

        public IReadOnlyDictionary<string, ProviderLimitOptions> Providers()
        {
            var providers = new Dictionary<string, ProviderLimitOptions>(StringComparer.OrdinalIgnoreCase);
            foreach (var provider in Children(root.GetSection(ProvidersSection)))
            {
                var limits = new ProviderLimitOptions();
                // Keys other than the limits are left alone: providers' own settings live here too.
                foreach (var setting in Children(provider))
                {
                    if (Value(setting) is not { } text)
                        continue;
                    if (setting.Key.Equals(nameof(ProviderLimitOptions.Concurrency), StringComparison.OrdinalIgnoreCase))
                        limits.Concurrency = WholeNumber(setting.Path, text);
                    else if (setting.Key.Equals(nameof(ProviderLimitOptions.ImagesPerMinute), StringComparison.OrdinalIgnoreCase))
                        limits.ImagesPerMinute = WholeNumber(setting.Path, text);
                    else if (!ConnectionKeys.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
                        throw Error(setting.Path, $"is not a setting; a provider's settings are {string.Join(", ", ConnectionKeys.Prepend(nameof(ProviderLimitOptions.ImagesPerMinute)).Prepend(nameof(ProviderLimitOptions.Concurrency)))}.");
                }
                Check(limits.Validate(provider.Key));
                providers[provider.Key] = limits;
            }
            return providers;
        }

        /// <summary>Key, base URL, model, timeout and workflow of every provider named in the configuration or with a vendor key variable set.</summary>
        public IReadOnlyDictionary<string, ProviderSettings> Connections(IReadOnlyDictionary<string, string> vendorKeys)
        {
            var connections = new Dictionary<string, ProviderSettings>(StringComparer.OrdinalIgnoreCase);
            foreach (var provider in Children(root.GetSection(ProvidersSection)))
            {
                var settings = new ProviderSettings();
                foreach (var setting in Children(provider))
                {
                    if (Value(setting) is not { } text || text.Length == 0)
                        continue;
                    var key = ConnectionKeys.FirstOrDefault(k => k.Equals(setting.Key, StringComparison.OrdinalIgnoreCase));
                    settings = key switch
                    {
                        "ApiKey" => settings with { ApiKey = text.Trim(), ApiKeySource = Where(setting.Path) },
                        "BaseUrl" => settings with { BaseUrl = Url(setting.Path, text) },
                        "Model" => settings with { Model = text.Trim() },
                        "Timeout" => settings with
                        {
                            Timeout = Durations.TryParse(text, out var t, out var error) && t > TimeSpan.Zero && t <= MaxTimeout
                                ? t
                                : throw Error(setting.Path, $"must be a duration such as 300s or 10m, at most 1d; got \"{text}\"."),
                        },
                        "Workflow" => settings with { Workflow = text.Trim() },
                        _ => settings,
                    };
                }
                connections[provider.Key] = settings;
            }
            foreach (var (provider, variable) in VendorKeyVariables)
            {
                if (!vendorKeys.TryGetValue(variable, out var key))
                    continue;
                var settings = connections.GetValueOrDefault(provider) ?? new ProviderSettings();
                if (settings.ApiKey is null)
                    connections[provider] = settings with { ApiKey = key, ApiKeySource = variable };
            }
            return connections;
        }

        /// <summary>The <c>Server</c> section: tokens, public address, reference folders, shutdown timeout.</summary>
        public ServerSettings Server()
        {
            string[] keys = [nameof(ServerSettings.RequesterToken), nameof(ServerSettings.ApproverToken), nameof(ServerSettings.PublicUrl),
                nameof(ServerSettings.ReferenceFolders), nameof(ServerSettings.ShutdownTimeout)];
            var server = new ServerSettings();
            foreach (var setting in Children(root.GetSection(ServerSettings.Section)))
            {
                var name = keys.FirstOrDefault(k => k.Equals(setting.Key, StringComparison.OrdinalIgnoreCase))
                    ?? throw Error(setting.Path, $"is not a setting; the settings in {ServerSettings.Section} are {string.Join(", ", keys)}.");
                if (name == nameof(ServerSettings.ReferenceFolders))
                {
                    var folders = new List<string>();
                    // A JSON array, or one folder as a plain value (handy in an environment variable).
                    foreach (var item in setting.Value is { Length: > 0 } single ? [single] : Children(setting).Select(c => Value(c) ?? ""))
                    {
                        var folder = item.Trim();
                        if (folder.Length == 0)
                            continue;
                        if (!Path.IsPathFullyQualified(folder))
                            throw Error(setting.Path, $"must list absolute folder paths; got \"{folder}\".");
                        folders.Add(Path.GetFullPath(folder));
                    }
                    server = server with { ReferenceFolders = folders };
                    continue;
                }
                if (Value(setting)?.Trim() is not { Length: > 0 } text)
                    continue;
                server = name switch
                {
                    nameof(ServerSettings.RequesterToken) => server with { RequesterToken = Token(setting.Path, text) },
                    nameof(ServerSettings.ApproverToken) => server with { ApproverToken = Token(setting.Path, text) },
                    nameof(ServerSettings.PublicUrl) => server with { PublicUrl = Url(setting.Path, text) },
                    _ => server with
                    {
                        ShutdownTimeout = Durations.TryParse(text, out var t, out _) && t >= TimeSpan.Zero && t <= TimeSpan.FromHours(1)
                            ? t
                            : throw Error(setting.Path, $"must be a duration such as 30s or 5m, at most 1h; got \"{text}\"."),
                    },
                };
            }
            if ((server.RequesterToken is null) != (server.ApproverToken is null))
                throw new ConfigurationException($"{ServerSettings.Section}:RequesterToken and {ServerSettings.Section}:ApproverToken go together: set both (different values) or neither.");
            if (server.RequesterToken is not null && server.RequesterToken == server.ApproverToken)
                throw new ConfigurationException($"{ServerSettings.Section}:RequesterToken and {ServerSettings.Section}:ApproverToken must differ: a requester must not be able to approve.");
            return server;
        }

        /// <summary>The <c>Webhooks</c> section: named hooks, each with Url, Secret and optionally Events and RetryDelay.</summary>
        public IReadOnlyList<WebhookSettings> Webhooks()
        {
            string[] keys = ["Url", "Secret", "Events", "RetryDelay"];
            var hooks = new List<WebhookSettings>();
            foreach (var hook in Children(root.GetSection(WebhookSettings.Section)))
            {
                // The name keys deliveries in the store and appears in logs: keep it plain.
                if (hook.Key.Length > 64 || !hook.Key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                    throw Error(hook.Path, "is not a usable webhook name; use up to 64 letters, digits, '-' and '_', e.g. Webhooks:approvals.");
                Uri? url = null;
                string? secret = null;
                List<WebhookEvent>? events = null;
                TimeSpan? retryDelay = null;
                foreach (var setting in Children(hook))
                {
                    var name = keys.FirstOrDefault(k => k.Equals(setting.Key, StringComparison.OrdinalIgnoreCase))
                        ?? throw Error(setting.Path, $"is not a setting; a webhook's settings are {string.Join(", ", keys)}.");
                    if (name == "Events")
                    {
                        events = [];
                        // A JSON array, or names separated by commas (handy in an environment variable).
                        var items = setting.Value is { Length: > 0 } single ? single.Split(',') : Children(setting).Select(c => Value(c) ?? "");
                        foreach (var item in items.Select(i => i.Trim()).Where(i => i.Length > 0))
                        {
                            events.Add(WebhookEvents.TryParse(item, out var kind)
                                ? kind
                                : throw Error(setting.Path, $"lists \"{item}\", which is not an event; the events are {string.Join(", ", WebhookEvents.All.Select(e => e.ToText()))}."));
                        }
                        continue;
                    }
                    if (Value(setting)?.Trim() is not { Length: > 0 } text)
                        continue;
                    switch (name)
                    {
                        case "Url":
                            url = WebhookUrl(setting.Path, text);
                            break;
                        case "Secret":
                            secret = WebhookSecret(setting.Path, text);
                            break;
                        default:
                            retryDelay = Durations.TryParse(text, out var delay, out _) && delay <= TimeSpan.FromHours(1)
                                ? delay
                                : throw Error(setting.Path, $"must be a duration such as 10s or 1m, at most 1h; got \"{text}\".");
                            break;
                    }
                }
                if (url is null)
                    throw Error($"{hook.Path}:Url", "is missing; a webhook needs the http(s) address to post events to.");
                if (secret is null)
                    throw Error($"{hook.Path}:Secret", $"is missing; a webhook needs a secret of at least {WebhookSettings.MinSecretLength} characters to sign its events (e.g. from `openssl rand -hex 32`).");
                hooks.Add(new WebhookSettings(hook.Key.ToLowerInvariant(), url, secret, events, retryDelay));
            }
            return hooks;
        }

        // Not echoed: a webhook address often carries a token of its own (chat services put one in the path).
        private Uri WebhookUrl(string key, string text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
                throw Error(key, "must be an absolute http(s) address such as https://hooks.example/easel.");
            if (url.UserInfo.Length > 0)
                throw Error(key, "must not carry a user name or password; the receiver checks the Easel-Signature header instead.");
            return url;
        }

        // The value is a secret: messages say what is wrong with it, never what it is.
        private string WebhookSecret(string key, string text) =>
            text.Length >= WebhookSettings.MinSecretLength
                ? text
                : throw Error(key, $"must be at least {WebhookSettings.MinSecretLength} characters (e.g. from `openssl rand -hex 32`).");

        // The value is a secret: messages say what is wrong with it, never what it is.
        private string Token(string key, string text) =>
            text.Length >= ServerSettings.MinTokenLength && text.All(c => c is > ' ' and < (char)127)
                ? text
                : throw Error(key, $"must be at least {ServerSettings.MinTokenLength} printable ASCII characters without spaces (e.g. from `openssl rand -hex 24`).");

        /// <summary>
        /// The <c>McpProviders</c> section: per provider name, the server's Command, Arguments, Environment and
        /// WorkingDirectory, its image Tool and the ToolArguments templates, ImagesPerCall, Timeout and CostPerImage.
        /// </summary>
        /// <param name="json">The file's bytes: ToolArguments keep their JSON types (numbers, booleans, objects), which the configuration's strings lose.</param>
        public IReadOnlyDictionary<string, McpProviderOptions> McpProviders(byte[]? json)
        {
            string[] keys = ["Command", "Arguments", "Environment", "WorkingDirectory", "Tool", "ToolArguments", "ImagesPerCall", "Timeout", "CostPerImage"];
            var providers = new Dictionary<string, McpProviderOptions>(StringComparer.OrdinalIgnoreCase);
            var sections = Children(root.GetSection(McpSection)).ToList();
            if (sections.Count == 0)
                return providers;
            using var document = json is null ? null : JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            foreach (var section in sections)
            {
                // The name is what users type after --provider and what the limits in Providers:NAME are keyed by.
                if (section.Key.Length is 0 or > 40 || !char.IsAsciiLetter(section.Key[0]) || !section.Key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                    throw Error(section.Path, $"is not a usable provider name; use up to 40 letters, digits, '-' and '_', starting with a letter, e.g. {McpSection}:flux.");
                if (ProviderCatalog.Definitions.FirstOrDefault(d => d.Name.Equals(section.Key, StringComparison.OrdinalIgnoreCase)) is { } builtIn)
                    throw Error(section.Path, $"has the name of Easel's own provider '{builtIn.Name}'; give the MCP provider another name, e.g. {McpSection}:flux.");
                string? command = null, tool = null, workingDirectory = null;
                var arguments = new List<string>();
                var environment = new Dictionary<string, string>(StringComparer.Ordinal);
                var toolArguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                var defaults = new McpProviderOptions { Name = section.Key, Command = "", Tool = "" };
                var (imagesPerCall, timeout, cost) = (defaults.ImagesPerCall, defaults.Timeout, defaults.CostPerImage);
                foreach (var setting in Children(section))
                {
                    var name = keys.FirstOrDefault(k => k.Equals(setting.Key, StringComparison.OrdinalIgnoreCase))
                        ?? throw Error(setting.Path, $"is not a setting; an MCP provider's settings are {string.Join(", ", keys)}.");
                    switch (name)
                    {
                        case "Arguments":
                            // A JSON array, or one argument as a plain value.
                            arguments = setting.Value is { Length: > 0 } single
                                ? [single]
                                : [.. Children(setting).OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
                                    .Select(c => Value(c) ?? throw Error(c.Path, "must be a string, not null."))];
                            continue;
                        case "Environment":
                            foreach (var variable in Children(setting))
                            {
                                // The value is often a key: messages say what is wrong with it, never what it is.
                                if (variable.Key.Contains('=') || Value(variable) is not { } value)
                                    throw Error(variable.Path, "must be a variable name (without '=') with a text value.");
                                environment[variable.Key] = value;
                            }
                            continue;
                        case "ToolArguments":
                            foreach (var argument in Children(setting))
                                toolArguments[argument.Key] = ToolArgument(argument, document);
                            continue;
                    }
                    if (Value(setting)?.Trim() is not { Length: > 0 } text)
                        continue;
                    switch (name)
                    {
                        case "Command":
                            command = text;
                            break;
                        case "Tool":
                            tool = text;
                            break;
                        case "WorkingDirectory":
                            workingDirectory = Path.IsPathFullyQualified(text) ? Path.GetFullPath(text) : throw Error(setting.Path, $"must be an absolute folder path; got \"{text}\".");
                            break;
                        case "ImagesPerCall":
                            imagesPerCall = WholeNumber(setting.Path, text);
                            if (imagesPerCall is < 1 or > McpProviderOptions.MaxImagesPerCall)
                                throw Error(setting.Path, $"must be between 1 and {McpProviderOptions.MaxImagesPerCall}; got {imagesPerCall}.");
                            break;
                        case "Timeout":
                            timeout = Durations.TryParse(text, out var t, out _) && t > TimeSpan.Zero && t <= MaxTimeout
                                ? t
                                : throw Error(setting.Path, $"must be a duration such as 300s or 10m, at most 1d; got \"{text}\".");
                            break;
                        default:
                            cost = Money(setting.Path, text);
                            if (cost < 0)
                                throw Error(setting.Path, $"must not be negative; got {text}.");
                            break;
                    }
                }
                if (command is null)
                    throw Error($"{section.Path}:Command", "is missing; an MCP provider needs the command that starts its server, e.g. \"npx\" or \"uvx\".");
                if (tool is null)
                    throw Error($"{section.Path}:Tool", "is missing; an MCP provider needs the name of the server's tool that makes images.");
                var options = new McpProviderOptions
                {
                    Name = section.Key.ToLowerInvariant(), Command = command, Tool = tool, Arguments = arguments, Environment = environment,
                    WorkingDirectory = workingDirectory, ToolArguments = toolArguments, ImagesPerCall = imagesPerCall, Timeout = timeout, CostPerImage = cost,
                };
                if (options.Validate() is { } problem)
                    throw new ConfigurationException($"{Where(section.Path)}: {problem}");
                providers[options.Name] = options;
            }
            return providers;
        }

        /// <summary>
        /// One tool argument: a template (a string, always so when a variable sets it) or a constant of any other
        /// JSON type, read from the file itself because the configuration keeps only strings.
        /// </summary>
        private JsonElement ToolArgument(IConfigurationSection argument, JsonDocument? document)
        {
            JsonElement value;
            if (!variables.ContainsKey(argument.Path) && Find(document, argument.Path) is { } raw)
                value = raw;
            else if (argument.Value is { } text && !argument.GetChildren().Any())
                value = JsonString(text);
            else
                throw Error(argument.Path, "must be a single value; set structured constants in config.json.");
            if (value.ValueKind == JsonValueKind.String && McpToolArguments.FindProblem(value.GetString()!) is { } problem)
                throw Error(argument.Path, problem);
            return value;
        }

        private static JsonElement JsonString(string text)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
                writer.WriteStringValue(text);
            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            return document.RootElement.Clone();
        }

        /// <summary>The JSON value at a configuration path ("McpProviders:flux:ToolArguments:steps"), matching names as the configuration does (case-insensitively, the last duplicate winning).</summary>
        private static JsonElement? Find(JsonDocument? document, string path)
        {
            if (document is null)
                return null;
            var element = document.RootElement;
            foreach (var part in path.Split(ConfigurationPath.KeyDelimiter))
            {
                if (element.ValueKind != JsonValueKind.Object)
                    return null;
                JsonElement? next = null;
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.Equals(part, StringComparison.OrdinalIgnoreCase))
                        next = property.Value;
                }
                if (next is not { } found)
                    return null;
                element = found;
            }
            return element.Clone();
        }

        /// <summary><c>Language:Evaluator</c>, <c>Language:Prompter</c> or <c>Language:Agent</c>: <c>{"Provider": "anthropic", "Model": "…"}</c>.</summary>
        public LanguageRole Role(string role)
        {
            foreach (var section in Children(root.GetSection(LanguageSection)))
            {
                if (!LanguageRoles.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
                    throw Error(section.Path, $"is not a setting; Language has {string.Join(", ", LanguageRoles)}.");
            }
            string? provider = null, model = null;
            foreach (var setting in Children(root.GetSection(LanguageSection).GetSection(role)))
            {
                var text = Value(setting)?.Trim();
                if (setting.Key.Equals("Provider", StringComparison.OrdinalIgnoreCase))
                    provider = string.IsNullOrEmpty(text) || text.Equals("builtin", StringComparison.OrdinalIgnoreCase) ? null : text;
                else if (setting.Key.Equals("Model", StringComparison.OrdinalIgnoreCase))
                    model = string.IsNullOrEmpty(text) ? null : text;
                else
                    throw Error(setting.Path, "is not a setting; a language role has Provider and Model.");
            }
            if (model is not null && provider is null)
                throw Error($"{LanguageSection}:{role}:Model", $"names a model but {LanguageSection}:{role}:Provider names no language model; set it (openai, anthropic, gemini, ollama).");
            return new LanguageRole(provider, model);
        }

        private Uri Url(string key, string text)
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw Error(key, $"must be an http(s) URL such as http://127.0.0.1:7860; got \"{text}\".");
            // A password in the address would be shown wherever the address is.
            if (url.UserInfo.Length > 0)
                throw Error(key, "must not carry a user name or password; put credentials in the provider's ApiKey.");
            return url;
        }

        /// <summary>The settings in a section; a plain value where a section belongs is an error.</summary>
        private IEnumerable<IConfigurationSection> Children(IConfigurationSection section)
        {
            // An empty JSON array reads as "", which is as good as absent.
            if (section.Value is { Length: > 0 } value)
                throw Error(section.Path, $"must be a section of settings; got \"{value}\".");
            return section.GetChildren();
        }

        /// <summary>The setting's text, null when unset (JSON null); a section where a value belongs is an error.</summary>
        private string? Value(IConfigurationSection setting)
        {
            if (setting.GetChildren().Any())
                throw Error(setting.Path, "must be a single value, not a section.");
            return setting.Value;
        }

        private int WholeNumber(string key, string text) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Error(key, $"must be a whole number; got \"{text}\".");

        // No thousands separators: "1,50" must not quietly become 150.
        private decimal Money(string key, string text) =>
            decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var amount)
                ? amount
                : throw Error(key, $"must be an amount in US dollars with a decimal point, e.g. 1.50; got \"{text}\".");

        /// <summary>Turns a Validate() message, which starts with the key, into one that also says where the value came from.</summary>
        private void Check(string? problem)
        {
            if (problem is null)
                return;
            var space = problem.IndexOf(' ', StringComparison.Ordinal);
            throw space > 0
                ? Error(problem[..space], problem[(space + 1)..])
                : new ConfigurationException(problem);
        }

        private ConfigurationException Error(string key, string problem) => new($"{Where(key)} {problem}");

        /// <summary>"EASEL_Approval__Timeout" when a variable set the key, else "Approval:Timeout in /path/config.json".</summary>
        private string Where(string key)
        {
            if (variables.TryGetValue(key, out var variable))
                return variable;
            return file is null ? key : $"{key} in {file}";
        }
    }
}
