using System.Globalization;
using System.Text;

namespace Easel.Bench;

internal static partial class Report
{
    private const string LoopHeading = "## 6. Quality loop: first image against best image";

    private static void Loop(StringBuilder md, LoopResults? l)
    {
        md.AppendLine(LoopHeading);
        md.AppendLine();
        if (l is null)
        {
            md.AppendLine("Not measured: skipped with --no-loop.");
            md.AppendLine();
            return;
        }
        md.AppendLine($"Measured {l.Started:yyyy-MM-dd HH:mm} UTC in {l.Duration.TotalSeconds:0} s. {LoopBench.Prompts.Length} fixed prompts (seeds 1000-1019), one image each at");
        md.AppendLine($"{l.Size}x{l.Size}, made by the sketch renderer, scored by the built-in evaluator (which never gives more than 90: it cannot see");
        md.AppendLine("the subject) and refined by the built-in prompter, on a real SQLite store, as `easel generate` runs them. Scores are the");
        md.AppendLine("evaluator's own, so they say how well the loop meets what the pixels can show, not how good a picture is.");
        md.AppendLine();
        md.AppendLine("| Settings | Mean first score | Mean best score | Prompts improved | Reached the threshold | Mean iterations |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var s in l.Series)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Name} (`--threshold {s.Settings.Threshold} --max-iterations {s.Settings.MaxIterations} --candidates {s.Settings.Candidates}`) | {s.MeanFirst:0.0} | {s.MeanBest:0.0} | {s.Improved} of {s.Runs.Count} | {s.Passed} of {s.Runs.Count} | {s.MeanIterations:0.00} |"));
        }
        md.AppendLine();
        foreach (var s in l.Series)
        {
            md.AppendLine($"Per prompt, {s.Name}:");
            md.AppendLine();
            md.AppendLine("| Prompt | First | Best | Iterations | Images | Weakest checks of the first image |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var r in s.Runs)
                md.AppendLine($"| {r.Prompt} | {r.FirstScore} | {r.BestScore} | {r.Iterations} | {r.Images} | {r.FirstFailing} |");
            md.AppendLine();
        }
        md.AppendLine("Prompts that start at or above the threshold stop after one image, as they should. Where a prompt below it barely moves,");
        md.AppendLine("the sketch renderer cannot act on the advice: a small subject cannot carry enough of its colour (the teal boat), a sky");
        md.AppendLine("keeps a colour the negative prompt forbids, and there is no velvet to paint; a real image model lifts those limits, and a");
        md.AppendLine("language-model evaluator judges what pixels cannot.");
        md.AppendLine();
    }
}
