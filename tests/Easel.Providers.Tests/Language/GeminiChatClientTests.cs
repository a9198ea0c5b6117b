using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Tests.Language;

public sealed class GeminiChatClientTests : ChatClientConformance
{
    internal override async Task<ILanguageFake> StartFakeAsync() => await GeminiChatFake.StartAsync();

    protected override IChatClient CreateClient(ProviderConnection connection) => new GeminiModel(connection, ModelName);

    protected override string Vendor => "Gemini";

    protected override string ModelName => "gemini-2.5-flash";

    protected override string OtherModel => "gemini-2.5-pro";

    [Fact]
    public async Task Sends_the_documented_request_with_function_declarations_in_geminis_dialect()
    {
        await Client().GetResponseAsync(Conversation(), Tools(ChatToolMode.RequireSpecific("create_order")), Ct);

        var body = JsonNode.Parse(Fake.Server.Last.Body)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["systemInstruction", "contents", "tools", "toolConfig"]);
        JsonNode.DeepEquals(body["systemInstruction"], JsonNode.Parse("""{"parts":[{"text":"You place orders for images."}]}""")).ShouldBeTrue();
        JsonNode.DeepEquals(body["contents"], JsonNode.Parse("""[{"role":"user","parts":[{"text":"Make two pictures of a red fox in the snow."}]}]""")).ShouldBeTrue();
        JsonNode.DeepEquals(body["tools"]![0]!["functionDeclarations"]![0], JsonNode.Parse("""
            {
              "name": "create_order",
              "description": "Places an order for images.",
              "parameters": {
                "type": "OBJECT",
                "properties": {
                  "prompt": { "type": "STRING", "description": "What the images show." },
                  "count": { "type": "INTEGER", "description": "How many images." }
                },
                "required": ["prompt", "count"],
                "propertyOrdering": ["prompt", "count"]
              }
            }
            """)).ShouldBeTrue(body["tools"]!.ToJsonString());
        JsonNode.DeepEquals(body["toolConfig"], JsonNode.Parse("""{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["create_order"]}}""")).ShouldBeTrue();
    }

    [Fact]
    public async Task A_function_without_parameters_is_declared_without_a_schema()
    {
        var options = new ChatOptions { Tools = [AIFunctionFactory.CreateDeclaration("list_presets", "Lists the quality presets.", JsonElement.Parse("""{"type":"object","properties":{}}"""))] };
        await Client().GetResponseAsync(Conversation(), options, Ct);

        var declaration = JsonNode.Parse(Fake.Server.Last.Body)!["tools"]![0]!["functionDeclarations"]![0]!.AsObject();
        declaration.Select(p => p.Key).ShouldBe(["name", "description"]);
    }

    [Fact]
    public async Task Calls_go_back_as_model_turns_and_results_as_function_responses_named_by_their_call()
    {
        var client = Client();
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("search_gallery", """{"query":"fox"}"""), new FakeToolCall("create_order", """{"prompt":"a red fox","count":1}""")]);
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        first.ResponseId.ShouldBe("resp-fake-01");
        var calls = CallsIn(first);
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [
            new FunctionResultContent(calls[0].CallId, "3 images found"),
            new FunctionResultContent(calls[1].CallId, JsonElement.Parse("""{"order":"ord_18"}""")),
        ]));
        await client.GetResponseAsync(conversation, Tools(), Ct);

        var contents = JsonNode.Parse(Fake.Server.Last.Body)!["contents"]!.AsArray();
        contents.Count.ShouldBe(3);
        var model = contents[1]!;
        model["role"]!.GetValue<string>().ShouldBe("model");
        var parts = model["parts"]!.AsArray();
        JsonNode.DeepEquals(parts[0]!["functionCall"], JsonNode.Parse("""{"name":"search_gallery","args":{"query":"fox"}}""")).ShouldBeTrue(parts.ToJsonString());
        parts[0]!["thoughtSignature"].ShouldNotBeNull("the call's signature goes back with it");
        JsonNode.DeepEquals(parts[1]!["functionCall"], JsonNode.Parse("""{"name":"create_order","args":{"prompt":"a red fox","count":1}}""")).ShouldBeTrue(parts.ToJsonString());
        JsonNode.DeepEquals(contents[2], JsonNode.Parse("""
            {"role":"user","parts":[
              {"functionResponse":{"name":"search_gallery","response":{"result":"3 images found"}}},
              {"functionResponse":{"name":"create_order","response":{"order":"ord_18"}}}
            ]}
            """)).ShouldBeTrue(contents[2]!.ToJsonString());
    }

    [Fact]
    public async Task A_gemini_3_model_gets_its_thought_signature_back_and_refuses_a_call_without_one()
    {
        var client = new GeminiModel(new ProviderConnection { Vendor = "Gemini", BaseUrl = Fake.Server.BaseUrl, ApiKey = Key, Time = Time }, "gemini-3-pro-preview");
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a red fox","count":2}""")]);
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        var call = CallsIn(first).ShouldHaveSingleItem();

        var kept = new List<ChatMessage>(conversation) { first.Messages[0], new(ChatRole.Tool, [new FunctionResultContent(call.CallId, "ord_17")]) };
        Fake.Answer("Ordered.");
        (await client.GetResponseAsync(kept, Tools(), Ct)).Text.ShouldBe("Ordered.");

        // A caller that rebuilds the call from its name and arguments loses the signature.
        var rebuilt = new FunctionCallContent(call.CallId, call.Name, call.Arguments);
        var lost = new List<ChatMessage>(conversation) { new(ChatRole.Assistant, [rebuilt]), new(ChatRole.Tool, [new FunctionResultContent(call.CallId, "ord_17")]) };
        var error = await Should.ThrowAsync<ProviderException>(() => client.GetResponseAsync(lost, Tools(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldContain("Function call is missing a thought_signature");
        client.Dispose();
    }

    [Fact]
    public async Task A_call_id_gemini_gives_is_kept_and_sent_back_with_the_response()
    {
        Fake.Server.Interrupt(200, """
            {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"id":"fc-7","name":"create_order","args":{"prompt":"a fox","count":1}}}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"totalTokenCount":15},"modelVersion":"gemini-2.5-flash"}
            """);
        var client = Client();
        var conversation = Conversation();
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        CallsIn(first).ShouldHaveSingleItem().CallId.ShouldBe("fc-7");
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("fc-7", "ord_19")]));
        await client.GetResponseAsync(conversation, Tools(), Ct);

        var contents = JsonNode.Parse(Fake.Server.Last.Body)!["contents"]!.AsArray();
        contents[1]!["parts"]![0]!["functionCall"]!["id"]!.GetValue<string>().ShouldBe("fc-7");
        JsonNode.DeepEquals(contents[2]!["parts"]![0], JsonNode.Parse("""{"functionResponse":{"name":"create_order","response":{"result":"ord_19"},"id":"fc-7"}}""")).ShouldBeTrue(contents[2]!.ToJsonString());
    }

    [Fact]
    public async Task A_function_response_out_of_turn_is_refused_by_gemini_and_reported_plainly()
    {
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a fox","count":1}""")]);
        var client = Client();
        var first = await client.GetResponseAsync(conversation, Tools(), Ct);
        var call = CallsIn(first).ShouldHaveSingleItem();
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.User, "Also make it square."));
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "ord_17")]));

        var error = await Should.ThrowAsync<ProviderException>(() => client.GetResponseAsync(conversation, Tools(), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldBe("Gemini rejected the request (INVALID_ARGUMENT): Please ensure that function response turn comes immediately after a function call turn.");
        Fake.Server.Requests.Count.ShouldBe(2, "a rejected request is not retried");
    }

    [Fact]
    public async Task A_result_for_a_call_not_in_the_conversation_cannot_be_named_and_is_refused_before_sending()
    {
        List<ChatMessage> conversation = [.. Conversation(), new(ChatRole.Tool, [new FunctionResultContent("call_unknown", "ord_17")])];
        var error = await Should.ThrowAsync<ArgumentException>(() => Client().GetResponseAsync(conversation, Tools(), Ct));
        error.Message.ShouldStartWith("The function result for call \"call_unknown\" answers no function call earlier in the conversation");
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_malformed_function_call_is_a_plain_failure()
    {
        Fake.Server.Interrupt(200, """{"candidates":[{"finishReason":"MALFORMED_FUNCTION_CALL"}],"modelVersion":"gemini-2.5-flash"}""");
        var error = await Should.ThrowAsync<ProviderException>(() => Client().GetResponseAsync(Conversation(), Tools(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe("Gemini wrote a function call it could not complete (finishReason MALFORMED_FUNCTION_CALL); ask again.");
    }

    [Fact]
    public async Task A_safety_stop_is_a_refusal()
    {
        Fake.Server.Interrupt(200, """{"candidates":[{"finishReason":"SAFETY"}],"modelVersion":"gemini-2.5-flash"}""");
        var error = await Should.ThrowAsync<ProviderException>(() => Client().GetResponseAsync(Conversation(), Tools(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe("Gemini refused the request (finishReason SAFETY).");
    }
}
