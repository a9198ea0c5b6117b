using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Easel.Storage;

namespace Easel.Bench;

/// <summary>One kind of gallery search: its first page and the pages after it, each timed over HTTP.</summary>
/// <param name="Query">The query string, as the gallery sends it (without limit and cursor).</param>
/// <param name="Found">Images on the first page.</param>
/// <param name="NextPages">How many next pages (2, 3, …) the timed next-page requests cycle through.</param>
internal sealed record GalleryKind(string Name, string Query, string Why, int Found, int NextPages, Samples First, Samples? Next);

internal sealed record GalleryResults(
    DateTimeOffset Started,
    TimeSpan Duration,
    bool Quick,
    string Machine,
    string Served,
    string FileSystem,
    string GcMode,
    SeededGallery Seed,
    double StartupMs,
    long RssAtStartKiB,
    long RssAfterKiB,
    long PeakRssKiB,
    int Rounds,
    int WarmupRounds,
    int PageSize,
    IReadOnlyList<GalleryKind> Kinds,
    double? OtherCores,
    string? NotMeasured = null)
{
    public const double GoalP95Ms = 100;

    public Samples AllFirst => new(Kinds.SelectMany(k => k.First.All));

    public Samples AllNext => new(Kinds.SelectMany(k => k.Next?.All ?? []));

    public Samples All => new(Kinds.SelectMany(k => k.First.All.Concat(k.Next?.All ?? [])));
}

/// <summary>
/// Gallery search against the real server: a fresh data directory seeded with 100,000 images
/// (<see cref="GallerySeed"/>), <c>easel serve</c> started on it as its own process, and
/// <c>GET /api/v1/images</c> asked for first pages and next pages of several kinds of search,
/// one request at a time over loopback. Then the server's resident memory from /proc.
/// </summary>
internal sealed class GalleryBench(string repository, string? easelDll, bool quick, TextWriter log)
{
    public const int PageSize = 50;

    private int Images => quick ? 10_000 : 100_000;
    private int Rounds => quick ? 20 : 200;
    private int WarmupRounds => quick ? 5 : 30;
    private const int MaxNextPages = 10;

    public GalleryResults Run() => RunAsync().GetAwaiter().GetResult();

    private async Task<GalleryResults> RunAsync()
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var machine = Describe();
        var dll = easelDll ?? BenchRunner.CliBuilds.Select(b => Path.Combine(repository, b.Dll)).FirstOrDefault(File.Exists);
        if (dll is null || !File.Exists(dll))
            return Skipped(started, machine, $"the easel CLI is not built (run `./easel --help`, or pass --easel DLL){(dll is null ? "" : $"; {dll} is missing")}");
        var served = Describe(dll);

        var root = Path.Combine(Path.GetTempPath(), $"easel-bench-gallery-{Environment.ProcessId}");
        var home = Path.Combine(root, "home");
        var config = Directory.CreateDirectory(Path.Combine(root, "config")).FullName; // no user settings
        try
        {
            log.WriteLine($"  seeding {Images:N0} images into {home}...");
            var seed = await GallerySeed.SeedAsync(new DataDirectory(home), Images, started, TimeSpan.FromDays(180), 1, log, CancellationToken.None);
            log.WriteLine($"  seeded {seed.Images:N0} images in {seed.Orders:N0} orders in {seed.SeedSeconds:0} s; \"{GallerySeed.CommonWord}\" in {seed.WordRows[GallerySeed.CommonWord]:N0} prompts, \"{GallerySeed.RareWord}\" in {seed.WordRows[GallerySeed.RareWord]:N0}");

            await using var server = await Server.StartAsync(dll, home, config, log);
            log.WriteLine($"  {served} answered /health after {server.StartupMs:0} ms (pid {server.Process.Id})");
            var rssAtStart = Memory(server.Process.Id, "VmRSS");

            var kinds = Kinds(seed);
            var prepared = new List<(Kind Kind, int Found, List<string> Cursors)>();
            foreach (var kind in kinds)
            {
                var (found, cursors) = await FollowAsync(server.Client, kind.Query);
                if (found == 0)
                    return Skipped(started, machine, $"`GET /api/v1/images?{kind.Query}` found nothing: the images endpoint is not answering with the gallery yet");
                prepared.Add((kind, found, cursors));
                log.WriteLine($"  {kind.Name}: {found} on the first page, {cursors.Count} next pages to cycle through");
            }

            var monitor = CpuMonitor.Start();
            var serverCpu = CpuMonitor.CpuSecondsOf(server.Process.Id);
            var first = prepared.Select(_ => new List<double>()).ToList();
            var next = prepared.Select(_ => new List<double>()).ToList();
            // Round by round, every kind in turn: whatever disturbs the machine for a while hits every kind alike.
            for (var round = 0; round < WarmupRounds + Rounds; round++)
            {
                for (var k = 0; k < prepared.Count; k++)
                {
                    var (kind, _, cursors) = prepared[k];
                    var firstMs = await TimeAsync(server.Client, kind.Query);
                    var nextMs = cursors.Count == 0 ? double.NaN : await TimeAsync(server.Client, $"{kind.Query}{(kind.Query.Length > 0 ? "&" : "")}cursor={cursors[round % cursors.Count]}");
                    if (round < WarmupRounds)
                        continue;
                    first[k].Add(firstMs);
                    if (!double.IsNaN(nextMs))
                        next[k].Add(nextMs);
                }
            }
            var others = monitor.OtherCores(CpuMonitor.CpuSecondsOf(server.Process.Id) - serverCpu);

            var results = prepared.Select((p, k) => new GalleryKind(p.Kind.Name, p.Kind.Query, p.Kind.Why, p.Found, p.Cursors.Count,
                new Samples(first[k]), next[k].Count > 0 ? new Samples(next[k]) : null)).ToList();
            foreach (var r in results)
                log.WriteLine($"  {r.Name}: first page p50 {r.First.Median:0.00} ms, p95 {r.First.Percentile(95):0.00}"
                    + (r.Next is { } n ? $"; next page p50 {n.Median:0.00} ms, p95 {n.Percentile(95):0.00}" : "; no next page"));
            var rssAfter = Memory(server.Process.Id, "VmRSS");
            var peak = Memory(server.Process.Id, "VmHWM");
            log.WriteLine($"  server memory: {rssAtStart / 1024.0:0} MiB resident after start, {rssAfter / 1024.0:0} MiB after the run, peak {peak / 1024.0:0} MiB");
            return new GalleryResults(started, clock.Elapsed, quick, machine, served, OrderBench.FileSystemOf(root), GcMode(dll), seed, server.StartupMs,
                rssAtStart, rssAfter, peak, Rounds, WarmupRounds, PageSize, results, others);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed record Kind(string Name, string Query, string Why);

    private static List<Kind> Kinds(SeededGallery seed)
    {
        var common = seed.WordRows[GallerySeed.CommonWord];
        var rare = seed.WordRows[GallerySeed.RareWord];
        return
        [
            new("Newest, no filter", "", "the gallery's order index from the top"),
            new($"Common word (`{GallerySeed.CommonWord}`, {Percent(common, seed.Images)} of prompts)", $"q={GallerySeed.CommonWord}",
                $"makes the set of the {common:N0} text matches, then walks the gallery order keeping images in it"),
            new($"Rare word (`{GallerySeed.RareWord}`, {rare} prompts)", $"q={GallerySeed.RareWord}",
                "fewer than 1,000 matches: looks each up and sorts them"),
            new("One letter typed (`a`: every prompt has a word starting with it)", "q=a",
                $"as for a common word, but the set holds all {seed.Images:N0} images (read as one list from the text index's prefix index); making it is most of the time"),
            new("Word + provider (`fox`, openai)", "q=fox&provider=openai", "makes the set of the text matches, then walks the provider index keeping images in it"),
            new("Score at least 90", "minScore=90", "walks the gallery order, filtering by the score inside the index"),
            new("Review status approved", "review=approved", "the review-status index"),
            new("All filters (`red`, sketch, score 70-100, unreviewed, last 60 days)",
                $"q=red&provider=sketch&minScore=70&maxScore=100&review=unreviewed&since={Uri.EscapeDataString(seed.End.AddDays(-60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}",
                "makes the set of the text matches, then walks the provider or the review index (each carries the other filters) keeping images in it"),
        ];
    }

    private static string Percent(int part, int whole) => whole == 0 ? "0%" : $"{100.0 * part / whole:0}%";

    /// <summary>The first page's image count and the cursors of up to <see cref="MaxNextPages"/> pages after it.</summary>
    private static async Task<(int Found, List<string> Cursors)> FollowAsync(HttpClient client, string query)
    {
        var cursors = new List<string>();
        var (found, next) = await PageAsync(client, query);
        while (next is not null && cursors.Count < MaxNextPages)
        {
            cursors.Add(Uri.EscapeDataString(next));
            (_, next) = await PageAsync(client, $"{query}{(query.Length > 0 ? "&" : "")}cursor={cursors[^1]}");
        }
        return (found, cursors);
    }

    private static async Task<(int Items, string? Next)> PageAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync(Url(query));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {Url(query)} answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var items = json.RootElement.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
        var next = json.RootElement.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return (items, next);
    }

    /// <summary>From sending the request to having read the whole JSON body.</summary>
    private static async Task<double> TimeAsync(HttpClient client, string query)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(Url(query), HttpCompletionOption.ResponseContentRead);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET {Url(query)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return elapsed;
    }

    private static string Url(string query) => $"/api/v1/images?{query}{(query.Length > 0 ? "&" : "")}limit={PageSize}";

    /// <summary>A line of /proc/PID/status in KiB ("VmRSS": resident now, "VmHWM": the most it has been).</summary>
    private static long Memory(int processId, string field)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private string Describe(string dll)
    {
        var relative = Path.GetRelativePath(repository, dll);
        var build = BenchRunner.CliBuilds.FirstOrDefault(b => b.Dll == relative);
        if (build is not null)
            return $"`{relative}` ({build.How})";
        // Built elsewhere (--easel): what kind of build it is says more than a temporary path.
        return IsReadyToRun(dll)
            ? "the CLI published ReadyToRun from this checkout, as `./easel` publishes it"
            : "the CLI built from this checkout (plain Release build, JIT-compiled)";
    }

    /// <summary>ReadyToRun assemblies carry a managed native header; plain IL ones do not.</summary>
    private static bool IsReadyToRun(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static string GcMode(string dll)
    {
        var config = Path.ChangeExtension(dll, ".runtimeconfig.json");
        if (!File.Exists(config))
            return "workstation (default)";
        using var json = JsonDocument.Parse(File.ReadAllText(config));
        var server = json.RootElement.TryGetProperty("runtimeOptions", out var options)
            && options.TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty("System.GC.Server", out var value) && value.ValueKind == JsonValueKind.True;
        return server ? "server" : "workstation";
    }

    private static string Describe()
    {
        var machine = MachineInfo.Collect(new Commands(Directory.GetCurrentDirectory(), Path.GetTempPath()));
        return $"{machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Memory}, {machine.OperatingSystem}, {machine.Runtime.Split(',')[0]}";
    }

    private GalleryResults Skipped(DateTimeOffset started, string machine, string why)
    {
        log.WriteLine($"  not measured: {why}");
        return new GalleryResults(started, DateTimeOffset.UtcNow - started, quick, machine, "", "", "", new SeededGallery(0, 0, started, TimeSpan.Zero, 0, 0, new Dictionary<string, int>(), new Dictionary<string, int>()),
            0, 0, 0, 0, 0, 0, PageSize, [], null, why);
    }

    /// <summary><c>easel serve</c> in its own process, on a free loopback port, until disposed.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly List<string> _output = [];

        private Server(Process process, HttpClient client)
        {
            Process = process;
            Client = client;
        }

        public Process Process { get; }
        public HttpClient Client { get; }
        public double StartupMs { get; private set; }

        public static async Task<Server> StartAsync(string dll, string home, string config, TextWriter log)
        {
            var port = FreePort();
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { dll, "serve", "--urls", $"http://127.0.0.1:{port}" })
                info.ArgumentList.Add(argument);
            info.Environment["EASEL_HOME"] = home;
            info.Environment["EASEL_CONFIG_HOME"] = config;
            var clock = Stopwatch.StartNew();
            var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the easel server.");
            var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromSeconds(60),
            };
            var server = new Server(process, client);
            // Read its output all along: a full pipe would stall the server.
            process.OutputDataReceived += (_, e) => server.Keep(e.Data);
            process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                while (true)
                {
                    if (process.HasExited)
                        throw new InvalidOperationException($"`easel serve` exited with {process.ExitCode} before answering:\n{server.Output}");
                    if (clock.Elapsed > TimeSpan.FromSeconds(120))
                        throw new TimeoutException($"`easel serve` did not answer /health within 2 minutes:\n{server.Output}");
                    try
                    {
                        using var health = await client.GetAsync("/health");
                        if (health.IsSuccessStatusCode)
                            break;
                    }
                    catch (HttpRequestException)
                    {
                    }
                    await Task.Delay(50);
                }
                server.StartupMs = clock.Elapsed.TotalMilliseconds;
                return server;
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }

        private string Output
        {
            get
            {
                lock (_output)
                    return string.Join('\n', _output.TakeLast(40));
            }
        }

        private void Keep(string? line)
        {
            if (line is null)
                return;
            lock (_output)
                _output.Add(line);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!Process.HasExited)
            {
                // SIGTERM, as a service manager stops it: the server shuts down in order.
                using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]))
                    await kill.WaitForExitAsync();
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await Process.WaitForExitAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                    Process.Kill(entireProcessTree: true);
                }
            }
            Process.Dispose();
        }
    }
}
