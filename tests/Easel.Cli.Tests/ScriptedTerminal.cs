using Spectre.Console;
using Spectre.Console.Rendering;

namespace Easel.Cli.Tests;

/// <summary>
/// A terminal whose keyboard is a script: lets a test answer Easel's questions (selection prompts,
/// text prompts) as a person would, and fails loudly if Easel asks more than the script answers.
/// </summary>
internal sealed class ScriptedTerminal(TextWriter writer, IEnumerable<ConsoleKey> keys) : IAnsiConsole
{
    private readonly IAnsiConsole _inner = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        // Selection prompts redraw themselves with escape sequences.
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.Yes,
    });

    private readonly Keyboard _keyboard = new(keys);

    public Profile Profile => _inner.Profile;
    public IAnsiConsoleCursor Cursor => _inner.Cursor;
    public IAnsiConsoleInput Input => _keyboard;
    public IExclusivityMode ExclusivityMode => _inner.ExclusivityMode;
    public RenderPipeline Pipeline => _inner.Pipeline;

    /// <summary>Keys the script still holds: a test checks the conversation went as far as planned.</summary>
    public int KeysLeft => _keyboard.Left;

    public void Clear(bool home) => _inner.Clear(home);

    public void Write(IRenderable renderable) => _inner.Write(renderable);

    private sealed class Keyboard(IEnumerable<ConsoleKey> keys) : IAnsiConsoleInput
    {
        private readonly Queue<ConsoleKey> _keys = new(keys);

        public int Left => _keys.Count;

        public bool IsKeyAvailable() => _keys.Count > 0;

        public ConsoleKeyInfo? ReadKey(bool intercept) =>
            _keys.TryDequeue(out var key)
                ? new ConsoleKeyInfo(Character(key), key, false, false, false)
                : throw new InvalidOperationException("Easel asked another question than the test scripted.");

        /// <summary>The character a key types: digits and letters for typed answers, Enter, or none.</summary>
        private static char Character(ConsoleKey key) => key switch
        {
            ConsoleKey.Enter => '\r',
            ConsoleKey.Spacebar => ' ',
            >= ConsoleKey.D0 and <= ConsoleKey.D9 => (char)('0' + (key - ConsoleKey.D0)),
            >= ConsoleKey.A and <= ConsoleKey.Z => (char)('a' + (key - ConsoleKey.A)),
            _ => '\0',
        };

        public Task<ConsoleKeyInfo?> ReadKeyAsync(bool intercept, CancellationToken cancellationToken) => Task.FromResult(ReadKey(intercept));
    }
}
