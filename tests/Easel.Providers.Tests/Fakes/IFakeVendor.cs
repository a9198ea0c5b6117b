using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Conformance;

/// <summary>What a vendor's fake can be told to do on the next call, in that vendor's own words on the wire.</summary>
internal enum FakeScenario
{
    /// <summary>429 with <c>Retry-After: 7</c> (or the vendor's own way of saying when to come back).</summary>
    RateLimited,

    /// <summary>The vendor's 5xx (or Anthropic's 529).</summary>
    ServerError,

    /// <summary>The vendor's content-policy refusal of the prompt.</summary>
    Refused,

    /// <summary>The vendor's validation error for a bad parameter.</summary>
    Invalid,

    /// <summary>Success, but one of the images was filtered out.</summary>
    PartiallyFiltered,
}

/// <summary>A vendor's fake server as the conformance suite drives it.</summary>
internal interface IFakeVendor : IAsyncDisposable
{
    FakeServer Server { get; }

    /// <summary>The request header that must carry the key, lower-case ("authorization", "x-goog-api-key").</summary>
    string KeyHeader { get; }

    /// <summary>The request id the fake puts on every answer (in the vendor's header), when the vendor has one.</summary>
    string? RequestId { get; }

    /// <summary>Scripts the next call.</summary>
    void Next(FakeScenario scenario);
}
