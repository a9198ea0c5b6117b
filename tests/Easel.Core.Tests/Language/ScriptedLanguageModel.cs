using System.Collections.Concurrent;
using Easel.Core.Language;

namespace Easel.Core.Tests.Language;

/// <summary>A language model that answers from a script and keeps every request it was sent.</summary>
internal sealed class ScriptedLanguageModel(params string[] answers) : ILanguageModel
{
    private readonly ConcurrentQueue<string> _answers = new(answers);

    public string Name => "openai";

    public string Vendor => "OpenAI";

    public string Model => "gpt-4o";

    public List<LanguageModelRequest> Requests { get; } = [];

    public LanguageModelRequest Last => Requests[^1];

    public Task<LanguageModelReply> GenerateJsonAsync(LanguageModelRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        if (!_answers.TryDequeue(out var answer))
            throw new InvalidOperationException("The script has no answer left.");
        return Task.FromResult(new LanguageModelReply(answer, new ModelUsage(100, 20), "gpt-4o-2024-08-06"));
    }
}
