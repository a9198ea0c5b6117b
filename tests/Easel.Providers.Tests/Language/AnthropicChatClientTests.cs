using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Tests.Language;

public sealed class AnthropicChatClientTests : ChatClientConformance
{
    internal override async Task<ILanguageFake> StartFakeAsync() => await AnthropicFake.StartAsync();

    protected override IChatClient CreateClient(ProviderConnection connection) => new AnthropicModel(connection, ModelName);

    protected override string Vendor => "Anthropic";

    protected override string ModelName => "claude-sonnet-4-5";

    protected override string OtherModel => "claude-haiku-4-5";

    [Fact]
    public async Task Sends_the_documented_messages_request_with_tools()
    {
        var options = Tools(ChatToolMode.RequireAny);
        options.AllowMultipleToolCalls = false;
        await Client().GetResponseAsync(Conversation(), options, Ct);

        var sent = Fake.Server.Last;
        sent.Header("x-api-key").ShouldBe(Key);
        sent.Header("anthropic-version").ShouldBe("2023-06-01");
        var body = JsonNode.Parse(sent.Body)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["model", "max_tokens", "system", "messages", "tools", "tool_choice"]);
        body["max_tokens"]!.GetValue<int>().ShouldBe(AnthropicModel.DefaultMaxTokens, "the API requires a limit; the class's default applies");
        body["system"]!.GetValue<string>().ShouldBe("You place orders for images.");
        JsonNode.DeepEquals(body["messages"], JsonNode.Parse("""
            [{"role":"user","content":[{"type":"text","text":"Make two pictures of a red fox in the snow."}]}]
            """)).ShouldBeTrue(body["messages"]!.ToJsonString());
        var tool = body["tools"]![0]!;
        tool["name"]!.GetValue<string>().ShouldBe("create_order");
        tool["description"]!.GetValue<string>().ShouldBe("Places an order for images.");
        JsonNode.DeepEquals(tool["input_schema"], JsonNode.Parse(CreateOrder.JsonSchema.GetRawText())).ShouldBeTrue();
        JsonNode.DeepEquals(body["tool_choice"], JsonNode.Parse("""{"type":"any","disable_parallel_tool_use":true}""")).ShouldBeTrue(body["tool_choice"]!.ToJsonString());
    }

    [Fact]
    public async Task The_results_of_one_turn_go_back_together_in_one_user_message()
    {
        var client = Client();
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("search_gallery", """{"query":"fox"}"""), new FakeToolCall("create_order", """{"prompt":"a red fox","count":1}""")], "Let me check first.");
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        first.ResponseId.ShouldBe("msg_fake01");
        var calls = CallsIn(first);
        calls.ShouldAllBe(c => c.CallId.StartsWith("toolu_"));
        conversation.AddRange(first.Messages);
        // One tool message per result, as some callers send them.
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(calls[0].CallId, "3 images found")]));
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(calls[1].CallId, null) { Exception = new InvalidOperationException("the prompt is empty") }]));
        await client.GetResponseAsync(conversation, Tools(), Ct);

        var messages = JsonNode.Parse(Fake.Server.Last.Body)!["messages"]!.AsArray();
        messages.Count.ShouldBe(3);
        JsonNode.DeepEquals(messages[1], JsonNode.Parse($$$"""
            {"role":"assistant","content":[
              {"type":"text","text":"Let me check first."},
              {"type":"tool_use","id":"{{{calls[0].CallId}}}","name":"search_gallery","input":{"query":"fox"}},
              {"type":"tool_use","id":"{{{calls[1].CallId}}}","name":"create_order","input":{"prompt":"a red fox","count":1}}
            ]}
            """)).ShouldBeTrue(messages[1]!.ToJsonString());
        JsonNode.DeepEquals(messages[2], JsonNode.Parse($$$"""
            {"role":"user","content":[
              {"type":"tool_result","tool_use_id":"{{{calls[0].CallId}}}","content":"3 images found"},
              {"type":"tool_result","tool_use_id":"{{{calls[1].CallId}}}","content":"Error: the prompt is empty","is_error":true}
            ]}
            """)).ShouldBeTrue(messages[2]!.ToJsonString());
    }

    [Fact]
    public async Task A_result_for_an_unknown_call_id_is_refused_by_anthropic_and_reported_plainly()
    {
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a fox","count":1}""")]);
        var client = Client();
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("toolu_unknown", "done")]));

        var error = await Should.ThrowAsync<ProviderException>(() => client.GetResponseAsync(conversation, Tools(), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldStartWith("Anthropic rejected the request (invalid_request_error, request id req_011CAnthropicFake): messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_unknown.");
        Fake.Server.Requests.Count.ShouldBe(2, "a rejected request is not retried");
    }

    [Fact]
    public async Task A_call_left_unanswered_is_refused_by_anthropic()
    {
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a fox","count":1}""")]);
        var client = Client();
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.User, "Never mind."));

        var error = await Should.ThrowAsync<ProviderException>(() => client.GetResponseAsync(conversation, Tools(), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldContain($"messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: {CallsIn(first)[0].CallId}");
    }

    [Fact]
    public async Task The_output_limit_of_the_options_replaces_the_default_and_a_cut_answer_says_length()
    {
        Fake.Server.Interrupt(200, """
            {"id":"msg_cut","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"I will order two pictures of"}],"stop_reason":"max_tokens","usage":{"input_tokens":40,"output_tokens":20}}
            """);
        var response = await Client().GetResponseAsync(Conversation(), new ChatOptions { MaxOutputTokens = 20 }, Ct);

        JsonNode.Parse(Fake.Server.Last.Body)!["max_tokens"]!.GetValue<int>().ShouldBe(20);
        response.FinishReason.ShouldBe(ChatFinishReason.Length);
        response.Text.ShouldBe("I will order two pictures of");
        response.Usage.ShouldNotBeNull().TotalTokenCount.ShouldBe(60);
    }

    [Fact]
    public void Scripting_arguments_anthropic_could_not_send_fails_the_test_setup()
    {
        var error = Should.Throw<ArgumentException>(() => Fake.CallTools([new FakeToolCall("create_order", "not json")]));
        error.Message.ShouldContain("Anthropic sends tool arguments as a JSON object");
    }
}
