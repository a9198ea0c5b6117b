namespace Easel.Core.Tests;

public sealed class IdsTests
{
    [Fact]
    public void Ids_sort_by_creation_time_and_do_not_repeat()
    {
        var start = DateTimeOffset.Parse("2026-11-21T10:00:00Z");
        var ids = Enumerable.Range(0, 1000).Select(i => Ids.New("img", start.AddMilliseconds(i))).ToList();
        ids.ShouldBe(ids.Order(StringComparer.Ordinal).ToList());
        ids.Distinct().Count().ShouldBe(1000);
        ids[0].ShouldMatch("^img_[0-9a-hjkmnp-tv-z]{26}$");
    }
}
