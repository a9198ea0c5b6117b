using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Providers.Http;
using Easel.Providers.Language;
using Easel.Providers.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace Easel.Providers.Tests.Language;

public sealed class OllamaChatClientTests : ChatClientConformance
{
    internal override async Task<ILanguageFake> StartFakeAsync() => await OllamaFake.StartAsync();

    protected override IChatClient CreateClient(ProviderConnection connection) => new OllamaModel(connection, ModelName);

    protected override string Vendor => "Ollama";

    protected override string ModelName => "qwen3";

    protected override string OtherModel => "llama3.1";

    protected override bool ChoosesTools => false;

    [Fact]
    public async Task Sends_the_documented_chat_request_with_tools()
    {
        var client = Client();
        var conversation = Conversation();
        Fake.CallTools([new FakeToolCall("create_order", """{"prompt":"a red fox","count":2}""")]);
        var first = await client.GetResponseAsync(conversation, Tools(ChatToolMode.Auto), Ct);
        var call = CallsIn(first).ShouldHaveSingleItem();
        call.CallId.ShouldStartWith("call_", Case.Sensitive, "Ollama gives no id, so one is made up");
        first.ModelId.ShouldBe("qwen3");
        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "queued as ord_17")]));
        await client.GetResponseAsync(conversation, Tools(), Ct);

        var body = JsonNode.Parse(Fake.Server.Last.Body)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["model", "messages", "stream", "tools"], "Ollama has no tool choice");
        body["stream"]!.GetValue<bool>().ShouldBeFalse();
        JsonNode.DeepEquals(body["tools"]![0], JsonNode.Parse($$$"""{"type":"function","function":{"name":"create_order","description":"Places an order for images.","parameters":{{{CreateOrder.JsonSchema.GetRawText()}}}}}""")).ShouldBeTrue();
        JsonNode.DeepEquals(body["messages"], JsonNode.Parse($$$"""
            [
              {"role":"system","content":"You place orders for images."},
              {"role":"user","content":"Make two pictures of a red fox in the snow."},
              {"role":"assistant","content":"","tool_calls":[{"id":"{{{call.CallId}}}","function":{"name":"create_order","arguments":{"prompt":"a red fox","count":2},"index":0}}]},
              {"role":"tool","content":"queued as ord_17","tool_name":"create_order","tool_call_id":"{{{call.CallId}}}"}
            ]
            """)).ShouldBeTrue(body["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task Without_a_tool_choice_none_offers_no_tools_and_a_named_tool_is_offered_alone()
    {
        var client = Client();
        await client.GetResponseAsync(Conversation(), Tools(ChatToolMode.None), Ct);
        Fake.Calls.Last().Tools.ShouldBeEmpty();
        JsonNode.Parse(Fake.Server.Last.Body)!.AsObject().ContainsKey("tools").ShouldBeFalse();

        await client.GetResponseAsync(Conversation(), Tools(ChatToolMode.RequireSpecific("search_gallery")), Ct);
        Fake.Calls.Last().Tools.ShouldBe(["search_gallery"]);

        await client.GetResponseAsync(Conversation(), Tools(ChatToolMode.RequireAny), Ct);
        Fake.Calls.Last().Tools.ShouldBe(["create_order", "search_gallery"]);
    }

    [Fact]
    public async Task Arguments_ollama_could_not_parse_are_reported_on_the_call()
    {
        Fake.CallTools([new FakeToolCall("create_order", "prompt=a red fox, count=2")]);
        var response = await Client().GetResponseAsync(Conversation(), Tools(), Ct);
        var call = CallsIn(response).ShouldHaveSingleItem();
        call.Arguments.ShouldBeNull();
        call.Exception.ShouldBeOfType<JsonException>().Message.ShouldStartWith("the arguments are not valid JSON: ");
    }

    [Fact]
    public async Task A_result_for_an_unknown_call_id_passes_as_ollama_checks_no_ids()
    {
        List<ChatMessage> conversation = [.. Conversation(), new(ChatRole.Tool, [new FunctionResultContent("call_unknown", "ord_17")])];
        Fake.Answer("Done.");
        var response = await Client().GetResponseAsync(conversation, Tools(), Ct);

        response.Text.ShouldBe("Done.");
        Fake.Calls.Last().ToolResults.ShouldBe([new FakeToolResult("", "ord_17")]);
    }

    [Fact]
    public async Task A_model_that_takes_no_tools_is_reported_plainly()
    {
        var client = new OllamaModel(new ProviderConnection { Vendor = "Ollama", BaseUrl = Fake.Server.BaseUrl, Time = Time }, "llava");
        var error = await Should.ThrowAsync<ProviderException>(() => client.GetResponseAsync(Conversation(), Tools(), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldBe("Ollama rejected the request (400): registry.ollama.ai/library/llava:latest does not support tools.");
        client.Dispose();
    }

    [Fact]
    public async Task An_answer_cut_at_the_output_limit_says_length()
    {
        Fake.Server.Interrupt(200, """{"model":"qwen3","message":{"role":"assistant","content":"I will order two"},"done":true,"done_reason":"length","prompt_eval_count":30,"eval_count":4}""");
        var response = await Client().GetResponseAsync(Conversation(), new ChatOptions { MaxOutputTokens = 4 }, Ct);
        response.FinishReason.ShouldBe(ChatFinishReason.Length);
        response.Text.ShouldBe("I will order two");
        JsonNode.Parse(Fake.Server.Last.Body)!["options"]!["num_predict"]!.GetValue<int>().ShouldBe(4);
    }
}
