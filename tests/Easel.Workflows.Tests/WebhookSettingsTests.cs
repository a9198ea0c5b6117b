using Easel.Storage;
using Easel.Workflows.Configuration;
using Easel.Workflows.Notifications;

namespace Easel.Workflows.Tests;

/// <summary>The <c>Webhooks</c> section of config.json and its EASEL_ variables.</summary>
public sealed class WebhookSettingsTests : IDisposable
{
    private const string Secret = "0123456789abcdef-secret";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "easel-settings-tests", Guid.NewGuid().ToString("N"));

    private string ConfigPath => Path.Combine(_root, "config.json");

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private void WriteConfig(string json)
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(ConfigPath, json);
    }

    private EaselSettings Load(params (string Name, string Value)[] environment) =>
        EaselSettings.Load(new ConfigDirectory(_root), environment.Select(v => KeyValuePair.Create(v.Name, v.Value)));

    private string LoadFails(params (string Name, string Value)[] environment) =>
        Should.Throw<ConfigurationException>(() => Load(environment)).Message;

    [Fact]
    public void There_are_no_webhooks_unless_configured()
    {
        Load().Webhooks.ShouldBeEmpty();
        WriteConfig("""{ "Webhooks": {} }""");
        Load().Webhooks.ShouldBeEmpty();
    }

    [Fact]
    public void A_hook_from_the_file_gets_every_event_and_a_ten_second_first_retry_by_default()
    {
        WriteConfig($$"""
            {
              "Webhooks": {
                "Approvals": { "Url": "https://hooks.example/easel?team=art", "Secret": "{{Secret}}" },
                "finished": { "Url": "http://127.0.0.1:9000/done", "Secret": "{{Secret}}", "Events": ["order_finished"], "RetryDelay": "1m" }
              }
            }
            """);

        var hooks = Load().Webhooks.OrderBy(h => h.Name).ToList();

        hooks.Select(h => h.Name).ShouldBe(["approvals", "finished"]);
        hooks[0].Url.ShouldBe(new Uri("https://hooks.example/easel?team=art"));
        hooks[0].Secret.ShouldBe(Secret);
        hooks[0].Events.ShouldBe([WebhookEvent.ApprovalNeeded, WebhookEvent.OrderFinished]);
        hooks[0].RetryDelay.ShouldBe(TimeSpan.FromSeconds(10));
        hooks[1].Events.ShouldBe([WebhookEvent.OrderFinished]);
        hooks[1].RetryDelay.ShouldBe(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Environment_variables_define_or_override_a_hook_and_list_events_with_commas()
    {
        WriteConfig($$"""{ "Webhooks": { "ops": { "Url": "https://old.example/hook", "Secret": "{{Secret}}" } } }""");

        var hook = Load(
            ("EASEL_Webhooks__ops__Url", "https://hooks.example/ops"),
            ("EASEL_Webhooks__ops__Events", "order_finished, approval_needed")).Webhooks.ShouldHaveSingleItem();

        hook.Url.ShouldBe(new Uri("https://hooks.example/ops"));
        hook.Events.ShouldBe([WebhookEvent.ApprovalNeeded, WebhookEvent.OrderFinished]);

        var fromEnvironment = Load(("EASEL_Webhooks__chat__Url", "https://chat.example/in"), ("EASEL_Webhooks__chat__Secret", Secret))
            .Webhooks.Single(h => h.Name == "chat");
        fromEnvironment.Events.ShouldBe([WebhookEvent.ApprovalNeeded, WebhookEvent.OrderFinished]);
    }

    [Fact]
    public void A_hook_never_shows_its_secret_when_printed()
    {
        WriteConfig($$"""{ "Webhooks": { "ops": { "Url": "https://hooks.example/ops", "Secret": "{{Secret}}" } } }""");
        Load().Webhooks.Single().ToString().ShouldBe("ops (https://hooks.example/ops)");
    }

    [Theory]
    [InlineData("EASEL_Webhooks__ops__Url", "ftp://hooks.example/x", "EASEL_Webhooks__ops__Url must be an absolute http(s) address such as https://hooks.example/easel.")]
    [InlineData("EASEL_Webhooks__ops__Url", "/relative/path", "EASEL_Webhooks__ops__Url must be an absolute http(s) address such as https://hooks.example/easel.")]
    [InlineData("EASEL_Webhooks__ops__Url", "https://user:hunter2@hooks.example/x", "EASEL_Webhooks__ops__Url must not carry a user name or password; the receiver checks the Easel-Signature header instead.")]
    [InlineData("EASEL_Webhooks__ops__Events", "approval_needed,order_done", "EASEL_Webhooks__ops__Events lists \"order_done\", which is not an event; the events are approval_needed, order_finished.")]
    [InlineData("EASEL_Webhooks__ops__RetryDelay", "2h", "EASEL_Webhooks__ops__RetryDelay must be a duration such as 10s or 1m, at most 1h; got \"2h\".")]
    [InlineData("EASEL_Webhooks__ops__Retries", "3", "EASEL_Webhooks__ops__Retries is not a setting; a webhook's settings are Url, Secret, Events, RetryDelay.")]
    [InlineData("EASEL_Webhooks__ops", "https://hooks.example/x", "EASEL_Webhooks__ops must be a section of settings; got \"https://hooks.example/x\".")]
    public void A_bad_webhook_variable_is_named(string name, string value, string message)
    {
        WriteConfig($$"""{ "Webhooks": { "ops": { "Url": "https://hooks.example/ops", "Secret": "{{Secret}}" } } }""");
        LoadFails((name, value)).ShouldBe(message);
    }

    [Fact]
    public void A_short_secret_is_refused_without_showing_it()
    {
        WriteConfig("""{ "Webhooks": { "ops": { "Url": "https://hooks.example/ops", "Secret": "tooshort-xyz" } } }""");
        var message = LoadFails();
        message.ShouldBe($"Webhooks:ops:Secret in {ConfigPath} must be at least 16 characters (e.g. from `openssl rand -hex 32`).");

        LoadFails(("EASEL_Webhooks__ops__Secret", "tooshort-xyz")).ShouldNotContain("tooshort-xyz");
    }

    [Fact]
    public void A_bad_address_is_refused_without_showing_it_since_addresses_can_hold_tokens()
    {
        WriteConfig($$"""{ "Webhooks": { "ops": { "Url": "hooks.example/T0/B0/token-abc", "Secret": "{{Secret}}" } } }""");
        LoadFails().ShouldBe($"Webhooks:ops:Url in {ConfigPath} must be an absolute http(s) address such as https://hooks.example/easel.");
    }

    [Theory]
    [InlineData("""{ "Url": "https://hooks.example/x" }""", "Webhooks:ops:Secret in {0} is missing; a webhook needs a secret of at least 16 characters to sign its events (e.g. from `openssl rand -hex 32`).")]
    [InlineData("""{ "Secret": "0123456789abcdef-secret" }""", "Webhooks:ops:Url in {0} is missing; a webhook needs the http(s) address to post events to.")]
    public void A_hook_needs_both_an_address_and_a_secret(string hook, string message)
    {
        WriteConfig($$"""{ "Webhooks": { "ops": {{hook}} } }""");
        LoadFails().ShouldBe(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, ConfigPath));
    }

    [Fact]
    public void A_hook_name_must_be_plain()
    {
        WriteConfig($$"""{ "Webhooks": { "my hook!": { "Url": "https://hooks.example/x", "Secret": "{{Secret}}" } } }""");
        LoadFails().ShouldBe($"Webhooks:my hook! in {ConfigPath} is not a usable webhook name; use up to 64 letters, digits, '-' and '_', e.g. Webhooks:approvals.");
    }
}
