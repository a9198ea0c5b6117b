using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Easel.Server.Tests.Api;

public sealed class EventsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_orders_event_stream_ends_with_its_last_event_and_resumes_after_last_event_id()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var order = await client.PlaceAsync(ApiTestClient.SmallOrder("a red fox in the snow", count: 2));

        var events = await ReadStreamAsync(client, $"/api/v1/orders/{order.Id()}/events", lastEventId: null);
        events[0].EventType.ShouldBe("requested");
        events[^1].EventType.ShouldBe("completed");
        events.ShouldContain(e => e.EventType == "batch_finished");
        var ids = events.Select(e => long.Parse(e.EventId!, CultureInfo.InvariantCulture)).ToList();
        ids.ShouldBe(ids.Order().Distinct().ToList());
        foreach (var e in events)
        {
            var data = JsonDocument.Parse(e.Data).RootElement;
            data.GetProperty("seq").GetInt64().ToString(CultureInfo.InvariantCulture).ShouldBe(e.EventId);
            data.GetProperty("kind").GetString().ShouldBe(e.EventType);
            data.GetProperty("orderId").GetString().ShouldBe(order.Id());
        }

        var resumed = await ReadStreamAsync(client, $"/api/v1/orders/{order.Id()}/events", lastEventId: events[1].EventId);
        resumed.Select(e => e.EventId).ShouldBe(events.Skip(2).Select(e => e.EventId));

        using var finished = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orders/{order.Id()}/events");
        finished.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        finished.Headers.Add("Last-Event-ID", events[^1].EventId);
        (await client.SendAsync(finished, Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var json = await client.GetJsonAsync($"/api/v1/orders/{order.Id()}/events?after={events[1].EventId}");
        json.EnumerateArray().Select(e => e.GetProperty("seq").GetInt64().ToString(CultureInfo.InvariantCulture)).ShouldBe(events.Skip(2).Select(e => e.EventId));
    }

    [Fact]
    public async Task The_all_orders_stream_delivers_events_of_orders_placed_after_it_opened()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client;
        var earlier = await client.PlaceAsync(ApiTestClient.SmallOrder("an earlier owl"));
        await client.WaitForOrderAsync(earlier.Id());

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");

        var later = await client.PlaceAsync(ApiTestClient.SmallOrder("six later owls", count: 6));
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            var data = JsonDocument.Parse(item.Data).RootElement;
            data.GetProperty("orderId").GetString().ShouldBe(later.Id(), "the stream starts after what already happened");
            if (item.EventType == "approval_requested")
                break;
        }
    }

    [Fact]
    public async Task A_bad_last_event_id_is_refused()
    {
        await using var server = await ServerHarness.StartAsync();
        var order = await server.Client.PlaceAsync(ApiTestClient.SmallOrder("an owl"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orders/{order.Id()}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Last-Event-ID", "yesterday");
        var response = await server.Client.SendAsync(request, Ct);
        (await response.ProblemAsync(HttpStatusCode.BadRequest)).Text("detail").ShouldContain("Last-Event-ID");
    }

    /// <summary>Reads an order's event stream to its end.</summary>
    private static async Task<List<SseItem<string>>> ReadStreamAsync(HttpClient client, string url, string? lastEventId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
            items.Add(item);
        return items;
    }
}
