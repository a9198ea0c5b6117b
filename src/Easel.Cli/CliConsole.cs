using Spectre.Console;

namespace Easel.Cli;

/// <summary>
/// Where the CLI writes: results to <see cref="Out"/> (stdout), logs and progress to
/// <see cref="Error"/> (stderr), so `--json` output on stdout stays clean.
/// </summary>
internal sealed class CliConsole(IAnsiConsole output, IAnsiConsole error, TextWriter rawOut, bool errorIsTerminal, bool canPrompt = false)
{
    public IAnsiConsole Out { get; } = output;
    public IAnsiConsole Error { get; } = error;

    /// <summary>Plain stdout, for machine-readable output that must not be styled or wrapped.</summary>
    public TextWriter RawOut { get; } = rawOut;

    /// <summary>True when a person is watching stderr, so live progress is worth drawing.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    /// <summary>True when a person can answer questions: standard input and error are both a terminal.</summary>
    public bool CanPrompt { get; } = canPrompt;

    public static CliConsole ForProcess()
    {
        var stdout = Create(Console.Out, !Console.IsOutputRedirected);
        var stderr = Create(Console.Error, !Console.IsErrorRedirected);
        var interactive = !Console.IsInputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is not ("true" or "1");
        return new CliConsole(stdout, stderr, Console.Out, !Console.IsErrorRedirected, interactive);
    }

    public static IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Piped output is read by programs and grep: do not wrap long paths at 80 columns.
        if (!terminal)
            console.Profile.Width = 240;
        return console;
    }

    /// <summary>A one-line message on stderr, prefixed so it is clear where it came from.</summary>
    public void Log(string message)
    {
        Error.Markup("[grey]easel:[/] ");
        // Plain text, not markup: "Providers:gemini:ApiKey" must not become an emoji.
        Error.WriteLine(message);
    }

    public void ErrorLine(string message)
    {
        Error.Markup("[red]error:[/] ");
        Error.WriteLine(message);
    }
}
