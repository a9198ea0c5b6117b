using System.Text.Json;
using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Core.Quality;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Language;

/// <summary>
/// The behaviour every language model owes the evaluator and prompter, written once and run
/// against each vendor's fake server: the answer is JSON shaped by the schema, the image and the
/// texts reach the model, the key goes only where the vendor wants it, rate limits and server
/// errors are retried as the server asks, refusals and validation errors are not, and every
/// failure reads as one plain sentence starting with the vendor's name, with its request id.
/// </summary>
public abstract class LanguageModelConformance : IAsyncLifetime
{
    /// <summary>A key shaped like a real one; it must never show up anywhere but the auth header.</summary>
    public const string Key = FakeScript.Key;

    internal static readonly OutputSchema VerdictSchema = new("verdict", "A verdict on one image.", """
        {
          "type": "object",
          "properties": {
            "verdict": { "type": "string", "description": "What the image shows." },
            "score": { "type": "integer" },
            "tags": { "type": "array", "items": { "type": "string" } },
            "ok": { "type": "boolean" }
          },
          "required": ["verdict", "score", "tags", "ok"],
          "additionalProperties": false
        }
        """);

    private ILanguageFake? _fake;

    internal ILanguageFake Fake => _fake ?? throw new InvalidOperationException("The fake has not started.");

    internal InstantDelays Time { get; } = new();

    internal abstract Task<ILanguageFake> StartFakeAsync();

    /// <summary>The client under test, pointed at the fake.</summary>
    protected abstract ILanguageModel CreateModel(ProviderConnection connection);

    /// <summary>The vendor's name as messages say it ("OpenAI").</summary>
    protected abstract string Vendor { get; }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fake = await StartFakeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
            await _fake.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected ILanguageModel Model(string key = Key) => CreateModel(new ProviderConnection
    {
        Vendor = Vendor,
        BaseUrl = Fake.Server.BaseUrl,
        ApiKey = key,
        Time = Time,
        Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(30) },
    });

    internal static readonly byte[] Image = FakeImages.Png(seed: 7);

    protected static LanguageModelRequest Request() => new(
        "You judge images. Answer in JSON.",
        "The user asked for: \"a red fox in the snow\".",
        [new ModelImage(Image, "image/png")],
        VerdictSchema);

    [Fact]
    public async Task Answers_with_json_shaped_by_the_schema()
    {
        var reply = await Model().GenerateJsonAsync(Request(), Ct);

        using var doc = JsonDocument.Parse(reply.Json);
        var root = doc.RootElement;
        root.GetProperty("verdict").ValueKind.ShouldBe(JsonValueKind.String);
        root.GetProperty("score").GetInt32().ShouldBe(SchemaSample.Integer);
        root.GetProperty("tags").ValueKind.ShouldBe(JsonValueKind.Array);
        root.GetProperty("ok").ValueKind.ShouldBe(JsonValueKind.True);
        reply.Usage.ShouldNotBeNull().InputTokens.ShouldBeGreaterThan(0);
        reply.Usage.OutputTokens.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Returns_what_the_model_wrote()
    {
        Fake.Answer("""{"verdict":"a red fox, clearly","score":91,"tags":["fox","snow"],"ok":true}""");
        var reply = await Model().GenerateJsonAsync(Request(), Ct);
        using var doc = JsonDocument.Parse(reply.Json);
        doc.RootElement.GetProperty("verdict").GetString().ShouldBe("a red fox, clearly");
        doc.RootElement.GetProperty("score").GetInt32().ShouldBe(91);
    }

    [Fact]
    public async Task Sends_the_model_name_the_texts_the_image_and_the_schema()
    {
        var model = Model();
        await model.GenerateJsonAsync(Request(), Ct);

        var call = Fake.Calls.ShouldHaveSingleItem();
        call.Model.ShouldBe(model.Model);
        call.System.ShouldContain("You judge images. Answer in JSON.");
        call.User.ShouldContain("The user asked for: \"a red fox in the snow\".");
        var image = call.Images.ShouldHaveSingleItem();
        image.Bytes.ShouldBe(Image);
        if (image.MediaType is not null)
            image.MediaType.ShouldBe("image/png");
        call.Schema["properties"].ShouldNotBeNull().AsObject().Select(p => p.Key).ShouldBe(["verdict", "score", "tags", "ok"]);
    }

    [Fact]
    public async Task Sends_the_key_only_in_the_vendors_auth_header()
    {
        await Model().GenerateJsonAsync(Request(), Ct);
        var requests = Fake.Server.Requests.ToList();
        requests.ShouldNotBeEmpty();
        foreach (var request in requests)
        {
            if (Fake.KeyHeader is { } header)
                request.Header(header).ShouldNotBeNull().ShouldContain(Key);
            request.Headers.Where(h => h.Key != Fake.KeyHeader).ShouldNotContain(h => h.Value.Contains(Key), "the key went into another header");
            request.Text.ShouldNotContain(Key);
            request.Path.ShouldNotContain(Key);
            request.Query.ShouldNotContain(Key);
        }
    }

    [Fact]
    public async Task A_wrong_key_is_reported_as_such_without_the_key()
    {
        Assert.SkipWhen(Fake.KeyHeader is null, $"{Vendor} takes no key.");
        const string wrong = "sk-wrong-0000000000000000000000000000";
        var error = await Should.ThrowAsync<ProviderException>(() => Model(wrong).GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unauthorized);
        error.Message.ShouldStartWith(Vendor);
        error.Message.ShouldContain(LanguageModels.Find(Model().Name).ShouldNotBeNull().KeyVariable.ShouldNotBeNull());
        error.Message.ShouldNotContain(wrong);
        Fake.Server.Requests.Count.ShouldBe(1, "a bad key is not retried");
    }

    [Fact]
    public async Task A_rate_limit_is_retried_after_the_delay_the_server_asked_for()
    {
        Fake.Next(FakeScenario.RateLimited);
        var reply = await Model().GenerateJsonAsync(Request(), Ct);
        reply.Json.ShouldStartWith("{");
        Time.Waits.ShouldContain(TimeSpan.FromSeconds(7), "the server asked to come back in 7 s");
        Fake.Server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_server_error_is_retried_with_backoff()
    {
        Fake.Next(FakeScenario.ServerError);
        var reply = await Model().GenerateJsonAsync(Request(), Ct);
        reply.Json.ShouldStartWith("{");
        Time.Waits.ShouldNotBeEmpty("a retry waits first");
        Fake.Server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Server_errors_that_persist_end_in_one_plain_sentence_with_the_request_id()
    {
        for (var i = 0; i < 4; i++)
            Fake.Next(FakeScenario.ServerError);
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unavailable);
        error.Message.ShouldStartWith(Vendor);
        error.Message.ShouldEndWith(".");
        if (Fake.RequestId is { } id)
        {
            error.RequestId.ShouldBe(id);
            error.Message.ShouldContain(id);
        }
        error.Message.ShouldNotContain(Key);
    }

    [Fact]
    public async Task A_refusal_is_reported_plainly_and_never_retried()
    {
        Assert.SkipUnless(Fake.CanRefuse, $"{Vendor} has no way to refuse on the wire.");
        Fake.Next(FakeScenario.Refused);
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldStartWith($"{Vendor} refused");
        if (Fake.RequestId is { } id)
            error.Message.ShouldContain(id);
        error.Message.ShouldNotContain(Key);
        Fake.Server.Requests.Count.ShouldBe(1, "a refusal is not retried");
        Time.Waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_validation_error_names_the_problem_and_is_never_retried()
    {
        Fake.Next(FakeScenario.Invalid);
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldStartWith(Vendor);
        if (Fake.RequestId is { } id)
            error.Message.ShouldContain(id);
        Fake.Server.Requests.Count.ShouldBe(1);
        Time.Waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_answer_that_is_not_json_is_a_plain_failure()
    {
        Fake.Answer("Sure! The fox looks great, I would give it 9/10.");
        var error = await Should.ThrowAsync<ProviderException>(() => Model().GenerateJsonAsync(Request(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldStartWith(Vendor);
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_evaluator_works_over_this_vendor()
    {
        var model = Model();
        var evaluator = new ModelEvaluator(model);
        var evaluation = await evaluator.EvaluateAsync(new EvaluationRequest(
            Image, "image/png", "a red fox in the snow, sharp focus", "a red fox in the snow", null, new ImageSize(1024, 1024), null, null,
            Background.Opaque, PresetCatalog.Load().Get("jewelry")), Ct);

        evaluation.Evaluator.ShouldBe($"{model.Name}:{model.Model}");
        evaluation.Score.ShouldBe(SchemaSample.Integer);
        evaluation.Criteria.ShouldNotBeEmpty();
        evaluation.Unchecked.ShouldBeEmpty();
        Fake.Calls.ShouldHaveSingleItem().Images.ShouldHaveSingleItem().Bytes.ShouldBe(Image);
    }

    [Fact]
    public async Task The_prompter_works_over_this_vendor_and_keeps_the_users_words_first()
    {
        var prompter = new ModelPrompter(Model());
        var evaluation = new Evaluation(40, [new CriterionResult("subject", 40, false, "the fox is brown", "vivid red fur")], "The fox is brown.", [], "test");
        var prompt = await prompter.RefineAsync(new RefineRequest("a red fox in the snow", "a red fox in the snow", evaluation, 2, null), Ct);

        prompt.ShouldStartWith("a red fox in the snow, ");
        Fake.Calls.ShouldHaveSingleItem().Images.ShouldBeEmpty();
    }
}
