using System.Globalization;
using System.Text;

namespace Easel.Bench;

internal static partial class Report
{
    private const string ProvidersHeading = "## 7. Vendor clients against a local fake";

    private static void Providers(StringBuilder md, ProviderResults? p)
    {
        md.AppendLine(ProvidersHeading);
        md.AppendLine();
        if (p is null)
        {
            md.AppendLine("Not measured: skipped with --no-providers.");
            md.AppendLine();
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine($"Measured {p.Started:yyyy-MM-dd HH:mm} UTC in {p.Duration.TotalSeconds:0} s, against a fake of OpenAI's Images API (`POST /v1/images/generations`) on a");
        md.AppendLine("loopback port in the same process, answering with base64 PNGs as OpenAI does.");
        md.AppendLine();
        var fraction = p.Requests == 0 ? 0 : (double)p.RateLimited / p.Requests;
        var ratio = p.RateBound > TimeSpan.Zero ? p.OrderWall / p.RateBound : double.NaN;
        md.AppendLine("| Figure | Goal | Measured | Result |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(string.Create(inv, $"| Client overhead per call (`OpenAIImageProvider.GenerateAsync`, 1 image, zero-latency fake), p50 of {p.CallMilliseconds.Count} calls | < 5 ms | {p.CallMilliseconds.Median:0.00} ms (p90 {p.CallMilliseconds.P90:0.00}) | {(p.CallMilliseconds.Median < 5 ? "pass" : "**fail**")} |"));
        md.AppendLine(string.Create(inv, $"| {p.RateImages}-image order, fake enforcing {p.RateLimitPerMinute} images a minute: calls answered 429 | < 1% | {p.RateLimited} of {p.Requests} ({fraction:P1}) | {(fraction < 0.01 ? "pass" : "**fail**")} |"));
        md.AppendLine(string.Create(inv, $"| The same order's wall time ÷ the rate bound ({p.RateBound.TotalMinutes:0} min: the first {p.RateLimitPerMinute} images at once, {p.RateLimitPerMinute} more each minute) | - | {ratio:0.00} ({p.OrderWall.TotalSeconds:0.0} s) | - |"));
        md.AppendLine();
        md.AppendLine("The order runs through the worker as `easel generate --provider openai -n N` does, with OpenAI's default limits from");
        md.AppendLine("its capabilities (20 images a minute, 10 a call): Easel's own images-per-minute limiter keeps the calls under the vendor's");
        md.AppendLine("limit, with 2 s of slack on each minute because the vendor's minute starts when a call arrives, after latency (without the");
        md.AppendLine("slack a run here had 12 of 22 calls turned away at the minute boundaries); a 429 that does come is retried after the");
        md.AppendLine("`Retry-After` the fake sends.");
        md.AppendLine();
    }
}
