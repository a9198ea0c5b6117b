using System.Text.Json;
using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Tests.Language;

/// <summary>
/// What every language model owes an agent through <see cref="IChatClient"/>, written once and run
/// against each vendor's fake server: words come back as words, declared functions reach the model
/// with their descriptions and schemas, the model's calls come back with their arguments read,
/// results go back tied to the call they answer, the tool mode and options reach the wire where the
/// vendor has them, instructions land where the vendor keeps them, and refusals, bad keys and rate
/// limits behave as they do for structured answers.
/// </summary>
public abstract class ChatClientConformance : IAsyncLifetime
{
    public const string Key = FakeScript.Key;

    internal static readonly AIFunctionDeclaration CreateOrder = AIFunctionFactory.CreateDeclaration("create_order", "Places an order for images.", JsonElement.Parse("""
        {
          "type": "object",
          "properties": {
            "prompt": { "type": "string", "description": "What the images show." },
            "count": { "type": "integer", "description": "How many images." }
          },
          "required": ["prompt", "count"],
          "additionalProperties": false
        }
        """));

    internal static readonly AIFunctionDeclaration SearchGallery = AIFunctionFactory.CreateDeclaration("search_gallery", "Finds images made earlier.", JsonElement.Parse("""
        {"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}
        """));

    private readonly List<IChatClient> _clients = [];
    private ILanguageFake? _fake;

    internal ILanguageFake Fake => _fake ?? throw new InvalidOperationException("The fake has not started.");

    internal InstantDelays Time { get; } = new();

    internal abstract Task<ILanguageFake> StartFakeAsync();

    /// <summary>The client under test for <see cref="ModelName"/>, pointed at the fake.</summary>
    protected abstract IChatClient CreateClient(ProviderConnection connection);

    /// <summary>The vendor's name as messages say it ("OpenAI").</summary>
    protected abstract string Vendor { get; }

    /// <summary>The model <see cref="CreateClient"/> asks for (one that takes tools).</summary>
    protected abstract string ModelName { get; }

    /// <summary>Another model the fake knows, for <see cref="ChatOptions.ModelId"/>.</summary>
    protected abstract string OtherModel { get; }

    /// <summary>Whether the vendor's wire has a tool choice (Ollama's has none).</summary>
    protected virtual bool ChoosesTools => true;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fake = await StartFakeAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
            client.Dispose();
        if (_fake is not null)
            await _fake.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected IChatClient Client(string key = Key)
    {
        var client = CreateClient(new ProviderConnection
        {
            Vendor = Vendor,
            BaseUrl = Fake.Server.BaseUrl,
            ApiKey = key,
            Time = Time,
            Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(30) },
        });
        _clients.Add(client);
        return client;
    }

    protected static List<ChatMessage> Conversation(string request = "Make two pictures of a red fox in the snow.") =>
        [new(ChatRole.System, "You place orders for images."), new(ChatRole.User, request)];

    protected static ChatOptions Tools(ChatToolMode? mode = null) => new() { Tools = [CreateOrder, SearchGallery], ToolMode = mode };

    protected static IReadOnlyList<FunctionCallContent> CallsIn(ChatResponse response) =>
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();

    [Fact]
    public async Task Answers_in_words_with_the_finish_reason_usage_and_model()
    {
        Fake.Answer("How many pictures would you like?");
        var response = await Client().GetResponseAsync(Conversation(), Tools(), Ct);

        response.Text.ShouldBe("How many pictures would you like?");
        var message = response.Messages.ShouldHaveSingleItem();
        message.Role.ShouldBe(ChatRole.Assistant);
        message.Contents.OfType<FunctionCallContent>().ShouldBeEmpty();
        response.FinishReason.ShouldBe(ChatFinishReason.Stop);
        response.Usage.ShouldNotBeNull().InputTokenCount.ShouldNotBeNull().ShouldBeGreaterThan(0);
        response.Usage.OutputTokenCount.ShouldNotBeNull().ShouldBeGreaterThan(0);
        response.ModelId.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task With_nothing_scripted_the_model_answers_in_words_and_calls_nothing()
    {
        var response = await Client().GetResponseAsync(Conversation(), Tools(), Ct);
        response.Text.ShouldBe(FakeScript.DefaultText);
        CallsIn(response).ShouldBeEmpty();
    }

    [Fact]
    public async Task Declares_the_functions_with_their_names_descriptions_and_schemas()
    {
        await Client().GetResponseAsync(Conversation(), Tools(), Ct);

        var call = Fake.Calls.ShouldHaveSingleItem();
        call.Tools.ShouldBe(["create_order", "search_gallery"]);
        var order = call.Declarations[0];
        order.Description.ShouldBe("Places an order for images.");
        order.Schema["type"]!.GetValue<string>().ToLowerInvariant().ShouldBe("object");
        var properties = order.Schema["properties"].ShouldNotBeNull().AsObject();
        properties.Select(p => p.Key).ShouldBe(["prompt", "count"]);
        properties["prompt"]!["description"]!.GetValue<string>().ShouldBe("What the images show.");
        properties["count"]!["type"]!.GetValue<string>().ToLowerInvariant().ShouldBe("integer");
        order.Schema["required"].ShouldNotBeNull().AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["prompt", "count"]);
        call.Declarations[1].Description.ShouldBe("Finds images made earlier.");
    }

    [Fact]
    public async Task A_call_comes_back_with_its_arguments_read_and_the_words_said_with_it()
    {
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a red fox in the snow","count":2}""")], "I will place the order.");
        var response = await Client().GetResponseAsync(Conversation(), Tools(), Ct);

        response.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        response.Text.ShouldBe("I will place the order.");
        var call = CallsIn(response).ShouldHaveSingleItem();
        call.Name.ShouldBe("create_order");
        call.CallId.ShouldNotBeNullOrWhiteSpace();
        call.Exception.ShouldBeNull();
        var arguments = call.Arguments.ShouldNotBeNull();
        arguments.Keys.ShouldBe(["prompt", "count"]);
        arguments["prompt"].ShouldBeOfType<JsonElement>().GetString().ShouldBe("a red fox in the snow");
        arguments["count"].ShouldBeOfType<JsonElement>().GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task A_result_goes_back_tied_to_its_call_and_the_model_answers_in_words()
    {
        var client = Client();
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a red fox in the snow","count":2}""")]);
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        conversation.AddRange(first.Messages);
        var call = CallsIn(first).ShouldHaveSingleItem();
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, JsonElement.Parse("""{"order":"ord_17","status":"queued"}"""))]));
        Fake.Answer("I ordered two pictures of a red fox (ord_17).");

        var second = await client.GetResponseAsync(conversation, Tools(), Ct);

        second.Text.ShouldBe("I ordered two pictures of a red fox (ord_17).");
        second.FinishReason.ShouldBe(ChatFinishReason.Stop);
        var seen = Fake.Calls.Last();
        var result = seen.ToolResults.ShouldHaveSingleItem();
        result.Name.ShouldBe("create_order");
        result.Content.ShouldContain("ord_17");
        seen.Transcript.ShouldContain(line => line.StartsWith("assistant calls create_order", StringComparison.Ordinal) && line.Contains("a red fox in the snow"));
        seen.Transcript[^1].ShouldStartWith("tool create_order: ");
    }

    [Fact]
    public async Task Two_calls_in_one_turn_are_answered_each_by_its_own_result()
    {
        var client = Client();
        var conversation = Conversation("Find my fox pictures and order one more.");
        Fake.CallTools([new FakeToolCall("search_gallery", """{"query":"fox"}"""), new FakeToolCall("create_order", """{"prompt":"a red fox","count":1}""")]);
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);

        var calls = CallsIn(first);
        calls.Select(c => c.Name).ShouldBe(["search_gallery", "create_order"]);
        calls.Select(c => c.CallId).Distinct().Count().ShouldBe(2);
        calls[0].Arguments.ShouldNotBeNull()["query"].ShouldBeOfType<JsonElement>().GetString().ShouldBe("fox");

        // Answered in the other order: each result must still find its own call.
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [
            new FunctionResultContent(calls[1].CallId, "ordered as ord_18"),
            new FunctionResultContent(calls[0].CallId, "3 images found"),
        ]));
        Fake.Answer("Found 3 and ordered one more.");
        var second = await client.GetResponseAsync(conversation, Tools(), Ct);

        second.Text.ShouldBe("Found 3 and ordered one more.");
        var results = Fake.Calls.Last().ToolResults;
        results.Count.ShouldBe(2);
        results.Single(r => r.Name == "create_order").Content.ShouldContain("ordered as ord_18");
        results.Single(r => r.Name == "search_gallery").Content.ShouldContain("3 images found");
    }

    [Fact]
    public async Task The_tool_mode_reaches_the_wire()
    {
        Assert.SkipUnless(ChoosesTools, $"{Vendor} has no tool choice on the wire.");
        var client = Client();
        (ChatToolMode? Mode, string? Expected)[] cases =
        [
            (null, null), (ChatToolMode.Auto, "auto"), (ChatToolMode.RequireAny, "required"), (ChatToolMode.None, "none"),
            (ChatToolMode.RequireSpecific("create_order"), "tool:create_order"),
        ];
        foreach (var (mode, expected) in cases)
        {
            Fake.Answer("Nothing to order yet.");
            await client.GetResponseAsync(Conversation(), Tools(mode), Ct);
            Fake.Calls.Last().ToolChoice.ShouldBe(expected, $"tool mode {mode?.ToString() ?? "unset"}");
        }
    }

    [Fact]
    public async Task Instructions_land_where_the_vendor_keeps_them_and_the_turns_keep_their_order()
    {
        List<ChatMessage> conversation =
        [
            new(ChatRole.System, "You place orders for images."),
            new(ChatRole.User, "Make a fox."),
            new(ChatRole.Assistant, "How many pictures?"),
            new(ChatRole.User, "Two."),
        ];
        await Client().GetResponseAsync(conversation, new ChatOptions { Instructions = "Answer in English." }, Ct);

        var seen = Fake.Calls.ShouldHaveSingleItem();
        seen.System.ShouldContain("Answer in English.");
        seen.System.ShouldContain("You place orders for images.");
        seen.User.ShouldBe("Make a fox.Two.");
        seen.Transcript.TakeWhile(l => l.StartsWith("system: ", StringComparison.Ordinal)).ShouldNotBeEmpty("the instructions come first");
        seen.Transcript.SkipWhile(l => l.StartsWith("system: ", StringComparison.Ordinal)).ShouldBe(["user: Make a fox.", "assistant: How many pictures?", "user: Two."]);
    }

    [Fact]
    public async Task The_model_temperature_and_output_limit_of_the_options_reach_the_wire()
    {
        var response = await Client().GetResponseAsync(Conversation(), new ChatOptions { ModelId = OtherModel, Temperature = 0.25f, MaxOutputTokens = 300 }, Ct);

        var seen = Fake.Calls.ShouldHaveSingleItem();
        seen.Model.ShouldBe(OtherModel);
        seen.Temperature.ShouldNotBeNull().ShouldBe(0.25, 0.0001);
        seen.MaxTokens.ShouldBe(300);
        response.ModelId.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task A_refusal_is_the_same_provider_error_as_for_structured_answers()
    {
        Assert.SkipUnless(Fake.CanRefuse, $"{Vendor} has no way to refuse on the wire.");
        Fake.Next(FakeScenario.Refused);
        var error = await Should.ThrowAsync<ProviderException>(() => Client().GetResponseAsync(Conversation(), Tools(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldStartWith($"{Vendor} refused");
        error.Message.ShouldNotContain(Key);
        Fake.Server.Requests.Count.ShouldBe(1, "a refusal is not retried");
    }

    [Fact]
    public async Task A_wrong_key_is_reported_as_such_without_the_key()
    {
        Assert.SkipWhen(Fake.KeyHeader is null, $"{Vendor} takes no key.");
        const string wrong = "sk-wrong-0000000000000000000000000000";
        var client = Client(wrong);
        var error = await Should.ThrowAsync<ProviderException>(() => client.GetResponseAsync(Conversation(), Tools(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unauthorized);
        error.Message.ShouldStartWith(Vendor);
        error.Message.ShouldContain(LanguageModels.Find(((ILanguageModel)client).Name).ShouldNotBeNull().KeyVariable.ShouldNotBeNull());
        error.Message.ShouldNotContain(wrong);
        Fake.Server.Requests.Count.ShouldBe(1, "a bad key is not retried");
    }

    [Fact]
    public async Task Sends_the_key_only_in_the_vendors_auth_header()
    {
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a fox","count":1}""")]);
        await Client().GetResponseAsync(Conversation(), Tools(), Ct);
        foreach (var request in Fake.Server.Requests)
        {
            if (Fake.KeyHeader is { } header)
                request.Header(header).ShouldNotBeNull().ShouldContain(Key);
            request.Headers.Where(h => h.Key != Fake.KeyHeader).ShouldNotContain(h => h.Value.Contains(Key), "the key went into another header");
            request.Text.ShouldNotContain(Key);
            request.Query.ShouldNotContain(Key);
        }
    }

    [Fact]
    public async Task A_rate_limit_is_retried_after_the_delay_the_server_asked_for()
    {
        Fake.Next(FakeScenario.RateLimited);
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a fox","count":1}""")]);
        var response = await Client().GetResponseAsync(Conversation(), Tools(), Ct);

        CallsIn(response).ShouldHaveSingleItem().Name.ShouldBe("create_order");
        Time.Waits.ShouldContain(TimeSpan.FromSeconds(7), "the server asked to come back in 7 s");
        Fake.Server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Streaming_hands_over_the_whole_answer_once_read()
    {
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a fox","count":1}""")], "Ordering.");
        var updates = Client().GetStreamingResponseAsync(Conversation(), Tools(), Ct);
        Fake.Server.Requests.ShouldBeEmpty("nothing is asked until the caller reads");

        var response = await updates.ToChatResponseAsync(Ct);

        response.Text.ShouldBe("Ordering.");
        var call = CallsIn(response).ShouldHaveSingleItem();
        call.Arguments.ShouldNotBeNull()["count"].ShouldBeOfType<JsonElement>().GetInt32().ShouldBe(1);
        response.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        response.Usage.ShouldNotBeNull().InputTokenCount.ShouldNotBeNull().ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Describes_itself_as_chat_client_metadata()
    {
        var client = Client();
        var metadata = client.GetService<ChatClientMetadata>().ShouldNotBeNull();
        metadata.ProviderName.ShouldBe(((ILanguageModel)client).Name);
        metadata.ProviderUri.ShouldBe(Fake.Server.BaseUrl);
        metadata.DefaultModelId.ShouldBe(ModelName);
        client.GetService<IChatClient>().ShouldBeSameAs(client);
        client.GetService<ILanguageModel>().ShouldBeSameAs(client);
        client.GetService(typeof(ChatClientMetadata), serviceKey: "other").ShouldBeNull();
        client.GetService<HttpClient>().ShouldBeNull();
    }

    [Fact]
    public async Task Content_the_client_does_not_send_is_refused_before_calling_the_vendor()
    {
        List<ChatMessage> conversation = [new(ChatRole.User, [new TextContent("What is this?"), new DataContent(FakeImages.Png(seed: 3), "image/png")])];
        var error = await Should.ThrowAsync<NotSupportedException>(() => Client().GetResponseAsync(conversation, null, Ct));
        error.Message.ShouldContain("DataContent");
        Fake.Server.Requests.ShouldBeEmpty();
    }
}
