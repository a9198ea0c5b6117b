using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Tests.Language;

public sealed class OpenAIChatClientTests : ChatClientConformance
{
    internal override async Task<ILanguageFake> StartFakeAsync() => await OpenAIChatFake.StartAsync();

    protected override IChatClient CreateClient(ProviderConnection connection) => new OpenAIChatModel(connection, ModelName);

    protected override string Vendor => "OpenAI";

    protected override string ModelName => "gpt-4o";

    protected override string OtherModel => "gpt-4.1-mini";

    [Fact]
    public async Task Sends_the_documented_tools_request()
    {
        var options = Tools(ChatToolMode.RequireSpecific("create_order"));
        options.AllowMultipleToolCalls = false;
        options.MaxOutputTokens = 500;
        await Client().GetResponseAsync(Conversation(), options, Ct);

        var body = JsonNode.Parse(Fake.Server.Last.Body)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["model", "messages", "tools", "tool_choice", "parallel_tool_calls", "max_completion_tokens"]);
        JsonNode.DeepEquals(body["messages"], JsonNode.Parse("""
            [
              {"role":"system","content":[{"type":"text","text":"You place orders for images."}]},
              {"role":"user","content":[{"type":"text","text":"Make two pictures of a red fox in the snow."}]}
            ]
            """)).ShouldBeTrue(body["messages"]!.ToJsonString());
        var tool = body["tools"]![0]!;
        tool["type"]!.GetValue<string>().ShouldBe("function");
        tool["function"]!["name"]!.GetValue<string>().ShouldBe("create_order");
        tool["function"]!["description"]!.GetValue<string>().ShouldBe("Places an order for images.");
        JsonNode.DeepEquals(tool["function"]!["parameters"], JsonNode.Parse(CreateOrder.JsonSchema.GetRawText())).ShouldBeTrue();
        JsonNode.DeepEquals(body["tool_choice"], JsonNode.Parse("""{"type":"function","function":{"name":"create_order"}}""")).ShouldBeTrue();
        body["parallel_tool_calls"]!.GetValue<bool>().ShouldBeFalse();
        body["max_completion_tokens"]!.GetValue<int>().ShouldBe(500);
    }

    [Fact]
    public async Task Sends_calls_as_tool_calls_and_results_as_tool_messages()
    {
        var client = Client();
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a red fox","count":2}""")]);
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        var call = CallsIn(first).ShouldHaveSingleItem();
        call.CallId.ShouldStartWith("call_");
        first.ResponseId.ShouldBe("chatcmpl-fake0001");
        first.ModelId.ShouldBe("gpt-4o-2024-08-06");
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "queued as ord_17")]));
        await client.GetResponseAsync(conversation, Tools(), Ct);

        var messages = JsonNode.Parse(Fake.Server.Last.Body)!["messages"]!.AsArray();
        JsonNode.DeepEquals(messages[2], JsonNode.Parse($$$"""
            {"role":"assistant","tool_calls":[{"id":"{{{call.CallId}}}","type":"function","function":{"name":"create_order","arguments":"{\"prompt\":\"a red fox\",\"count\":2}"}}]}
            """)).ShouldBeTrue(messages[2]!.ToJsonString());
        JsonNode.DeepEquals(messages[3], JsonNode.Parse($$"""
            {"role":"tool","content":[{"type":"text","text":"queued as ord_17"}],"tool_call_id":"{{call.CallId}}"}
            """)).ShouldBeTrue(messages[3]!.ToJsonString());
    }

    [Fact]
    public async Task Arguments_that_are_not_json_are_reported_on_the_call_and_sent_back_as_written()
    {
        const string broken = """{"prompt": "a red fox", count: 2""";
        var client = Client();
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", broken)]);

        var first = await client.GetResponseAsync(conversation, Tools(), Ct);

        var call = CallsIn(first).ShouldHaveSingleItem();
        call.Name.ShouldBe("create_order");
        call.Arguments.ShouldBeNull();
        call.Exception.ShouldBeOfType<JsonException>().Message.ShouldStartWith("the arguments are not valid JSON: ");
        first.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);

        // The model is told, and sees what it wrote.
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "Error: the arguments were not a JSON object; send them again.")]));
        Fake.Answer("Sorry, let me try again.");
        var second = await client.GetResponseAsync(conversation, Tools(), Ct);
        second.Text.ShouldBe("Sorry, let me try again.");
        Fake.Calls.Last().Transcript.ShouldContain($"assistant calls create_order {broken}");
    }

    [Fact]
    public async Task Arguments_that_are_json_but_not_an_object_are_reported_on_the_call()
    {
        Fake.CallTools([new FakeToolCall("create_order", """["a red fox", 2]""")]);
        var call = CallsIn(await Client().GetResponseAsync(Conversation(), Tools(), Ct)).ShouldHaveSingleItem();
        call.Arguments.ShouldBeNull();
        call.Exception.ShouldNotBeNull().Message.ShouldBe("the arguments are a JSON array, not an object");
    }

    [Fact]
    public async Task A_result_for_an_unknown_call_id_is_refused_by_openai_and_reported_plainly()
    {
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a fox","count":1}""")]);
        var client = Client();
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_unknown", "done")]));

        var error = await Should.ThrowAsync<ProviderException>(() => client.GetResponseAsync(conversation, Tools(), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldStartWith("OpenAI rejected the request (");
        error.Message.ShouldContain("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'");
        error.Message.ShouldContain("req_chat_0001");
        Fake.Server.Requests.Count.ShouldBe(2, "a rejected request is not retried");
    }

    [Fact]
    public async Task A_call_left_unanswered_is_refused_by_openai()
    {
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a fox","count":1}""")]);
        var client = Client();
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.User, "Never mind."));

        var error = await Should.ThrowAsync<ProviderException>(() => client.GetResponseAsync(conversation, Tools(), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldContain($"The following tool_call_ids did not have response messages: {CallsIn(first)[0].CallId}");
    }

    [Fact]
    public async Task A_function_name_openai_refuses_is_reported_plainly()
    {
        var options = new ChatOptions { Tools = [AIFunctionFactory.CreateDeclaration("create order", "Places an order.", JsonElement.Parse("""{"type":"object","properties":{}}"""))] };
        var error = await Should.ThrowAsync<ProviderException>(() => Client().GetResponseAsync(Conversation(), options, Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldContain("Invalid 'tools[0].function.name': string does not match pattern");
    }

    [Fact]
    public async Task A_content_filter_stop_is_a_refusal_and_a_length_stop_is_reported()
    {
        Fake.Server.Interrupt(200, Completion(new JsonObject { ["role"] = "assistant", ["content"] = null }, "content_filter"));
        var error = await Should.ThrowAsync<ProviderException>(() => Client().GetResponseAsync(Conversation(), Tools(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);

        Fake.Server.Interrupt(200, Completion(new JsonObject { ["role"] = "assistant", ["content"] = "I will order two pictures of a red" }, "length"));
        var response = await Client().GetResponseAsync(Conversation(), Tools(), Ct);
        response.FinishReason.ShouldBe(ChatFinishReason.Length);
        response.Text.ShouldBe("I will order two pictures of a red");
    }

    private static string Completion(JsonObject message, string finishReason) => new JsonObject
    {
        ["id"] = "chatcmpl-x",
        ["object"] = "chat.completion",
        ["model"] = "gpt-4o-2024-08-06",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
    }.ToJsonString();
}
