using System.Net;
using System.Security.Cryptography;
using Easel.Providers.References;
using Easel.Testing;

namespace Easel.Providers.Tests.References;

public sealed class ReferenceLoaderUrlTests(ReferenceServers servers) : IClassFixture<ReferenceServers>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Every input is refused before it can reach anything it should not, each with its own reason.</summary>
    public static TheoryData<string, string> HostileUrls => new()
    {
        // Loopback in every spelling a URI parser or resolver may accept.
        { "http://127.0.0.1/cat.png", "loopback" },
        { "http://127.0.0.1:8080/cat.png", "loopback" },
        { "http://2130706433/cat.png", "loopback" },
        { "http://0x7f000001/cat.png", "loopback" },
        { "http://0x7f.0.0.1/cat.png", "loopback" },
        { "http://0177.0.0.1/cat.png", "loopback" },
        { "http://0177.0x0.0.01/cat.png", "loopback" },
        { "http://127.1/cat.png", "loopback" },
        { "http://127.0.0.1./cat.png", "loopback" },
        { "http://127.255.255.254/cat.png", "loopback" },
        { "http://127。0。0。1/cat.png", "loopback" }, // ideographic full stops, mapped to dots by IDNA
        { "http://[::1]/cat.png", "loopback" },
        { "http://[0:0:0:0:0:0:0:1]/cat.png", "loopback" },
        { "http://[::ffff:127.0.0.1]/cat.png", "IPv4-mapped address of 127.0.0.1, the loopback" },
        { "http://[::ffff:7f00:1]/cat.png", "IPv4-mapped address of 127.0.0.1, the loopback" },
        { "http://[::127.0.0.1]/cat.png", "IPv4-compatible address of 127.0.0.1, the loopback" },
        { "http://[::ffff:0:127.0.0.1]/cat.png", "IPv4-translated address of 127.0.0.1" },
        // Unspecified, private, shared and special ranges.
        { "http://0.0.0.0/cat.png", "unspecified" },
        { "http://0/cat.png", "unspecified" },
        { "http://[::]/cat.png", "unspecified" },
        { "http://10.1/cat.png", "private network" },
        { "http://10.0.0.1/cat.png", "private network" },
        { "http://172.16.0.1/cat.png", "private network" },
        { "http://172.31.255.255/cat.png", "private network" },
        { "http://192.168.1.1/cat.png", "private network" },
        { "http://0xc0a80101/cat.png", "private network" },
        { "http://100.64.0.1/cat.png", "carrier-grade NAT" },
        { "http://169.254.1.1/cat.png", "link-local" },
        { "http://224.0.0.1/cat.png", "multicast" },
        { "http://255.255.255.255/cat.png", "broadcast" },
        { "http://240.0.0.1/cat.png", "reserved" },
        { "http://198.18.0.1/cat.png", "benchmarking" },
        { "http://[fe80::1]/cat.png", "link-local" },
        { "http://[fe80::1%25eth0]/cat.png", "zone id" },
        { "http://[fc00::1]/cat.png", "unique-local" },
        { "http://[fd12:3456::1]/cat.png", "unique-local" },
        { "http://[ff02::1]/cat.png", "multicast" },
        { "http://[64:ff9b::10.0.0.1]/cat.png", "NAT64 address of 10.0.0.1, a private network" },
        { "http://[64:ff9b::7f00:1]/cat.png", "NAT64 address of 127.0.0.1, the loopback" },
        { "http://[2002:c0a8:0101::1]/cat.png", "6to4 address of 192.168.1.1, a private network" },
        { "http://[2002:7f00:1::]/cat.png", "6to4 address of 127.0.0.1" },
        // Cloud metadata services, by address and by name.
        { "http://169.254.169.254/latest/meta-data/", "cloud metadata" },
        { "http://0xa9fea9fe/latest/meta-data/", "cloud metadata" },
        { "http://[::ffff:169.254.169.254]/latest/meta-data/", "cloud metadata" },
        { "http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata" },
        { "http://168.63.129.16/metadata/instance", "cloud metadata" },
        { "http://100.100.100.200/latest/meta-data/", "cloud metadata" },
        { "http://metadata.google.internal/computeMetadata/v1/", "cloud metadata" },
        { "http://metadata/computeMetadata/v1/", "cloud metadata" },
        { "http://METADATA.google.internal./computeMetadata/v1/", "cloud metadata" },
        // Names of this machine and of the local network.
        { "http://localhost/cat.png", "localhost" },
        { "http://LOCALHOST./cat.png", "localhost" },
        { "http://images.localhost/cat.png", "localhost" },
        { "http://printer/cat.png", "single-label name" },
        { "http://nas.local/cat.png", "local network name" },
        { "http://build.corp.internal/cat.png", "local network name" },
        { "http://127.0.0.08/cat.png", "neither a valid IP address nor a valid host name" },
        { "http://1.2.3.4.5/cat.png", "neither a valid IP address nor a valid host name" },
        // Schemes other than http and https.
        { "file:///etc/passwd", "give the file as a plain local path" },
        { "FILE://localhost/etc/passwd", "give the file as a plain local path" },
        { "ftp://images.example.test/cat.png", "scheme 'ftp' is not supported" },
        { "gopher://images.example.test:70/_stats", "scheme 'gopher' is not supported" },
        { "data:image/png;base64,iVBORw0KGgo=", "scheme 'data' is not supported" },
        { "javascript:alert(1)", "scheme 'javascript' is not supported" },
        { "dict://images.example.test:11211/stats", "scheme 'dict' is not supported" },
        // Names whose addresses are not public: every address counts.
        { "http://private.example.test/cat.png", "resolves to 10.0.0.7, a private network" },
        { "http://mixed.example.test/cat.png", "resolves to 192.168.0.10, a private network" },
        { "http://mapped.example.test/cat.png", "IPv4-mapped address of 127.0.0.1" },
        { "http://ula.example.test/cat.png", "unique-local" },
        { "http://metadata-alias.example.test/latest/meta-data/", "cloud metadata" },
        // Redirects are checked like the URL itself.
        { "http://images.example.test/redirect-loopback", "redirects to http://127.0.0.1/cat.png, and its host 127.0.0.1 is the loopback" },
        { "http://images.example.test/redirect-loopback-hex", "is the loopback" },
        { "http://images.example.test/redirect-localhost", "localhost" },
        { "http://images.example.test/redirect-metadata", "cloud metadata" },
        { "http://images.example.test/redirect-private-name", "resolves to 10.0.0.7" },
        { "http://images.example.test/redirect-file", "redirects to a file: URL" },
        { "http://images.example.test/redirect-gopher", "redirects to a 'gopher' URL" },
        { "http://images.example.test/redirect-userinfo", "user name or password" },
        { "http://images.example.test/redirect-no-location", "redirect without a Location" },
        { "http://images.example.test/chain/0", "redirects more than 5 times" },
        { "https://secure.example.test/downgrade", "redirects from https to http" },
        // Bodies and files that are not acceptable images.
        { "http://images.example.test/big-with-length", "declares 25 MB, over the 20 MB limit" },
        { "http://images.example.test/big-without-length", "exceeds the 20 MB limit" },
        { "http://images.example.test/html", "It looks like HTML" },
        { "http://images.example.test/huge.png", "10000x6000 pixels (60 megapixels), over the 50 megapixel limit" },
        { "http://images.example.test/truncated.jpg", "JPEG data is truncated" },
        { "http://images.example.test/zero.gif", "zero width or height" },
        { "http://images.example.test/empty", "The image data is empty" },
        { "http://images.example.test/missing.png", "HTTP 404" },
        { "http://images.example.test/server-error", "HTTP 500" },
        // Names that do not resolve, or resolve to nothing that answers.
        { "http://unknown.example.test/cat.png", "could not be resolved (HostNotFound)" },
        { "http://empty.example.test/cat.png", "resolves to no address" },
        { "http://nowhere.example.test/cat.png", "could not be downloaded" },
    };

    [Theory]
    [MemberData(nameof(HostileUrls))]
    public async Task Refuses_hostile_urls_with_a_specific_reason(string url, string reason)
    {
        var network = servers.Network();
        var error = await Should.ThrowAsync<ReferenceException>(() => network.Loader(tls: servers.Https).LoadAsync(url, Token));

        error.Message.ShouldContain(reason, Case.Insensitive);
        error.Message.ShouldStartWith("Reference URL ");
        // Nothing was fetched from a non-public address: the only connections go to the pretend public servers.
        network.Connections.ShouldAllBe(e => e.Address.Equals(TestNetwork.Images) || e.Address.Equals(TestNetwork.Secure) || e.Address.Equals(IPAddress.Parse("198.51.99.1")));
    }

    [Fact]
    public void The_hostile_table_has_at_least_thirty_cases()
    {
        HostileUrls.Count.ShouldBeGreaterThanOrEqualTo(30);
    }

    [Fact]
    public async Task Downloads_bytes_with_hash_type_and_size()
    {
        var network = servers.Network();

        var image = await network.Loader().LoadAsync("http://images.example.test/cat.png", Token);

        image.Source.ShouldBe("http://images.example.test/cat.png");
        image.Bytes.ShouldBe(SampleImages.Png);
        image.MediaType.ShouldBe("image/png");
        (image.Width, image.Height).ShouldBe((64, 48));
        image.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(SampleImages.Png)));
        network.Connections.ShouldBe([new IPEndPoint(TestNetwork.Images, 80)]);
        servers.Http.Requests.ShouldContain(r => r.Path == "/cat.png" && r.Host == "images.example.test");
    }

    [Fact]
    public async Task Type_comes_from_the_bytes_not_the_content_type()
    {
        var image = await servers.Network().Loader().LoadAsync("http://images.example.test/png-as-html", Token);
        image.MediaType.ShouldBe("image/png");

        var jpeg = await servers.Network().Loader().LoadAsync("http://images.example.test/photo.jpg", Token);
        (jpeg.MediaType, jpeg.Width, jpeg.Height).ShouldBe(("image/jpeg", 5, 3));
    }

    [Fact]
    public async Task Follows_an_allowed_redirect_and_keeps_the_given_url_as_source()
    {
        var image = await servers.Network().Loader().LoadAsync("http://images.example.test/redirect-once", Token);

        image.Source.ShouldBe("http://images.example.test/redirect-once");
        image.Bytes.ShouldBe(SampleImages.Png);
    }

    [Fact]
    public async Task Follows_a_redirect_to_another_host_after_checking_that_host()
    {
        var network = servers.Network();

        var image = await network.Loader().LoadAsync("http://images.example.test/redirect-cdn", Token);

        image.Bytes.ShouldBe(SampleImages.Png);
        network.Lookups.ShouldContainKeyAndValue("cdn.example.test", 1);
        network.Connections.ShouldBe([new IPEndPoint(TestNetwork.Images, 80), new IPEndPoint(TestNetwork.Cdn, 80)]);
    }

    [Fact]
    public async Task Follows_exactly_the_redirect_limit()
    {
        var image = await servers.Network().Loader().LoadAsync("http://images.example.test/chain/1", Token);
        image.Bytes.ShouldBe(SampleImages.Png);

        var none = new ReferenceOptions { MaxRedirects = 0 };
        var error = await Should.ThrowAsync<ReferenceException>(() => servers.Network().Loader(none).LoadAsync("http://images.example.test/redirect-once", Token));
        error.Message.ShouldContain("redirects more than 0 times");
    }

    [Fact]
    public async Task Connects_only_to_the_address_checked_at_the_single_lookup()
    {
        // The name answers public first, loopback afterwards (DNS rebinding). The redirect back to
        // the same host must neither look the name up again nor connect anywhere but the first answer.
        var network = servers.Network();

        var image = await network.Loader().LoadAsync("http://rebind.example.test/rebind-hop", Token);

        image.Bytes.ShouldBe(SampleImages.Png);
        network.Lookups.ShouldContainKeyAndValue("rebind.example.test", 1);
        network.Connections.Count.ShouldBe(2);
        network.Connections.ShouldAllBe(e => e.Equals(new IPEndPoint(TestNetwork.Images, 80)));
    }

    [Fact]
    public async Task Ip_literals_are_connected_to_as_parsed_without_a_lookup()
    {
        var network = servers.Network();

        var hex = await network.Loader().LoadAsync("http://0x5db8d822/cat.png", Token); // 93.184.216.34
        var v6 = await network.Loader().LoadAsync("http://[2606:2800:220:1:248:1893:25c8:1946]/cat.png", Token);

        hex.Bytes.ShouldBe(SampleImages.Png);
        v6.Bytes.ShouldBe(SampleImages.Png);
        network.Lookups.ShouldBeEmpty();
        network.Connections.ShouldBe([new IPEndPoint(TestNetwork.Images, 80), new IPEndPoint(TestNetwork.ImagesV6, 80)]);
    }

    [Fact]
    public async Task Https_keeps_the_name_for_sni_and_host_while_connecting_to_the_checked_address()
    {
        var network = servers.Network();

        var image = await network.Loader(tls: servers.Https).LoadAsync("https://secure.example.test/cat.png", Token);

        image.Bytes.ShouldBe(SampleImages.Png);
        network.Connections.ShouldBe([new IPEndPoint(TestNetwork.Secure, 443)]);
        servers.Https.Requests.ShouldContain(r => r.Path == "/cat.png" && r.ServerName == "secure.example.test" && r.Host == "secure.example.test");
    }

    [Fact]
    public async Task Https_with_an_untrusted_certificate_is_refused()
    {
        var error = await Should.ThrowAsync<ReferenceException>(() => servers.Network().Loader().LoadAsync("https://secure.example.test/cat.png", Token));
        error.Message.ShouldContain("could not be downloaded");
        error.Message.ShouldContain("SSL", Case.Insensitive);
    }

    [Fact]
    public async Task Credentials_in_a_url_are_refused_and_never_echoed()
    {
        var error = await Should.ThrowAsync<ReferenceException>(() =>
            servers.Network().Loader().LoadAsync("http://alice:s3cret-pass@images.example.test/cat.png", Token));

        error.Message.ShouldContain("user name or password");
        error.Message.ShouldContain("http://images.example.test/cat.png");
        error.Message.ShouldNotContain("s3cret-pass");
        error.Message.ShouldNotContain("alice");
    }

    [Fact]
    public async Task Credentials_in_a_redirect_are_never_echoed()
    {
        var error = await Should.ThrowAsync<ReferenceException>(() => servers.Network().Loader().LoadAsync("http://images.example.test/redirect-userinfo", Token));
        error.Message.ShouldNotContain("hunter2");
        error.Message.ShouldNotContain("admin");
    }

    [Fact]
    public async Task Messages_leave_out_credentials_query_strings_and_control_characters()
    {
        var withPassword = await Should.ThrowAsync<ReferenceException>(() =>
            servers.Network().Loader().LoadAsync("http://bob:pw123@127.0.0.1/cat.png?X-Amz-Signature=abc123", Token));
        withPassword.Message.ShouldContain("http://127.0.0.1/cat.png?…");
        withPassword.Message.ShouldNotContain("pw123");
        withPassword.Message.ShouldNotContain("abc123");

        var injected = await Should.ThrowAsync<ReferenceException>(() =>
            servers.Network().Loader().LoadAsync("http://localhost/a\r\nERROR forged log line", Token));
        injected.Message.ShouldNotContain("\n");
    }

    [Fact]
    public async Task A_stalled_server_times_out_with_a_clear_message()
    {
        var clock = new ManualTimeProvider();
        var path = $"/slow/{Guid.NewGuid():N}";
        var load = servers.Network().Loader(time: clock).LoadAsync($"http://images.example.test{path}", Token);

        await servers.Arrived(path).WaitAsync(Token);
        clock.Advance(TimeSpan.FromSeconds(31));

        var error = await Should.ThrowAsync<ReferenceException>(() => load);
        error.Message.ShouldBe($"Reference URL http://images.example.test{path} timed out after 30 s.");
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_a_failure()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var path = $"/slow/{Guid.NewGuid():N}";
        var load = servers.Network().Loader().LoadAsync($"http://images.example.test{path}", cancel.Token);

        await servers.Arrived(path).WaitAsync(Token);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => load);
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")] // just above 172.16.0.0/12
    [InlineData("100.128.0.1")] // just above 100.64.0.0/10
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    [InlineData("::ffff:93.184.216.34")]
    [InlineData("64:ff9b::93.184.216.34")]
    [InlineData("2002:5db8:d822::1")] // 6to4 of a public address
    public void Public_addresses_are_allowed(string address)
    {
        AddressPolicy.Refusal(IPAddress.Parse(address)).ShouldBeNull();
    }

    [Theory]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0x7f.0.0.1", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("10.1", "10.0.0.1")]
    [InlineData("192.168.257", "192.168.1.1")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("0", "0.0.0.0")]
    public void Parses_ipv4_in_every_inet_aton_spelling(string text, string expected)
    {
        AddressPolicy.TryParseIPv4(text, out var address).ShouldBeTrue();
        address.ShouldBe(IPAddress.Parse(expected));
    }

    [Theory]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("08.0.0.1")]
    [InlineData("0x1g.0.0.1")]
    [InlineData("4294967296")]
    [InlineData("1..2")]
    [InlineData("example.com")]
    public void Rejects_what_is_not_an_ipv4_literal(string text)
    {
        AddressPolicy.TryParseIPv4(text, out _).ShouldBeFalse();
    }
}
