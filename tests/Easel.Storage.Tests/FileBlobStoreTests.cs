namespace Easel.Storage.Tests;

public sealed class FileBlobStoreTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 42];
    private readonly TempDirectory _temp = new();
    private readonly FileBlobStore _blobs;

    public FileBlobStoreTests() => _blobs = new FileBlobStore(_temp.Combine("images"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Images_are_filed_by_their_utc_creation_date()
    {
        // 23:30 on New Year's Eve in New York is already 1 January in UTC.
        var createdAt = new DateTimeOffset(2024, 12, 31, 23, 30, 0, TimeSpan.FromHours(-5));

        var path = await _blobs.SaveImageAsync("img_01jq8x", createdAt, ".PNG", Png, Ct);

        path.ShouldBe(_temp.Combine("images", "2025", "01", "01", "img_01jq8x.png"));
        Path.IsPathFullyQualified(path).ShouldBeTrue();
        File.ReadAllBytes(path).ShouldBe(Png);
        _temp.Files().ShouldBe(["images/2025/01/01/img_01jq8x.png"]);
    }

    [Fact]
    public async Task An_existing_file_is_never_overwritten()
    {
        var path = await _blobs.SaveImageAsync("img_1", Samples.T0, "png", Png, Ct);

        var error = await Should.ThrowAsync<IOException>(() => _blobs.SaveImageAsync("img_1", Samples.T0, "png", new byte[] { 1, 2, 3 }, Ct));

        error.Message.ShouldContain("Refusing to overwrite");
        error.Message.ShouldContain(path);
        File.ReadAllBytes(path).ShouldBe(Png);
        _temp.Files().Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_failing_write_leaves_no_file_behind()
    {
        var target = _temp.Combine("images", "2025", "03", "14", "img_1.png");

        await Should.ThrowAsync<InvalidOperationException>(() => FileBlobStore.WriteNewFileAsync(target, async (stream, ct) =>
        {
            await stream.WriteAsync(Png, ct);
            throw new InvalidOperationException("disk full");
        }, Ct));

        _temp.Files().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_cancelled_write_leaves_no_file_behind()
    {
        using var cancel = new CancellationTokenSource();
        var target = _temp.Combine("out", "img_1.png");

        await Should.ThrowAsync<OperationCanceledException>(() => FileBlobStore.WriteNewFileAsync(target, async (stream, ct) =>
        {
            await stream.WriteAsync(Png, ct);
            await cancel.CancelAsync();
        }, cancel.Token));

        _temp.Files().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_file_that_appears_while_writing_is_kept_and_the_write_refused()
    {
        var target = _temp.Combine("images", "img_1.png");

        await Should.ThrowAsync<IOException>(() => FileBlobStore.WriteNewFileAsync(target, async (stream, ct) =>
        {
            await stream.WriteAsync(Png, ct);
            await File.WriteAllTextAsync(target, "the other writer won", ct); // a concurrent writer
        }, Ct));

        File.ReadAllText(target).ShouldBe("the other writer won");
        _temp.Files().ShouldBe(["images/img_1.png"]);
    }

    [Fact]
    public void Moving_without_overwrite_reports_a_taken_name_and_keeps_both_files()
    {
        var source = _temp.Combine("a.tmp");
        var destination = _temp.Combine("b.png");
        File.WriteAllText(source, "new");
        File.WriteAllText(destination, "old");

        FileBlobStore.TryMoveNoOverwrite(source, destination).ShouldBeFalse();

        File.ReadAllText(destination).ShouldBe("old");
        File.ReadAllText(source).ShouldBe("new");
        FileBlobStore.TryMoveNoOverwrite(source, _temp.Combine("c.png")).ShouldBeTrue();
        File.Exists(source).ShouldBeFalse();
        File.ReadAllText(_temp.Combine("c.png")).ShouldBe("new");
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData("img 1")]
    public async Task Ids_that_are_not_plain_file_names_are_refused(string id)
    {
        await Should.ThrowAsync<ArgumentException>(() => _blobs.SaveImageAsync(id, Samples.T0, "png", Png, Ct));
        _temp.Files().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("png/../x")]
    [InlineData("toolongext")]
    public async Task Malformed_extensions_are_refused(string extension) =>
        await Should.ThrowAsync<ArgumentException>(() => _blobs.SaveImageAsync("img_1", Samples.T0, extension, Png, Ct));

    [Fact]
    public async Task Copying_to_a_folder_creates_it_and_picks_a_free_name_instead_of_overwriting()
    {
        var source = await _blobs.SaveImageAsync("img_1", Samples.T0, "png", Png, Ct);
        var outDir = _temp.Combine("out", "nested");

        var first = await _blobs.CopyToFolderAsync(source, outDir, null, Ct);
        File.WriteAllText(first, "edited by the user");
        var second = await _blobs.CopyToFolderAsync(source, outDir, null, Ct);
        var third = await _blobs.CopyToFolderAsync(source, outDir, null, Ct);
        var named = await _blobs.CopyToFolderAsync(source, outDir, "fox.png", Ct);

        first.ShouldBe(Path.Combine(outDir, "img_1.png"));
        second.ShouldBe(Path.Combine(outDir, "img_1-1.png"));
        third.ShouldBe(Path.Combine(outDir, "img_1-2.png"));
        named.ShouldBe(Path.Combine(outDir, "fox.png"));
        File.ReadAllText(first).ShouldBe("edited by the user");
        File.ReadAllBytes(second).ShouldBe(Png);
        File.ReadAllBytes(named).ShouldBe(Png);
        File.ReadAllBytes(source).ShouldBe(Png);
        _temp.Files(outDir).ShouldBe(["fox.png", "img_1-1.png", "img_1-2.png", "img_1.png"]);
    }

    [Fact]
    public async Task Copying_a_missing_file_fails_without_leaving_anything()
    {
        var outDir = _temp.Combine("out");

        await Should.ThrowAsync<FileNotFoundException>(() => _blobs.CopyToFolderAsync(_temp.Combine("nope.png"), outDir, null, Ct));

        Directory.Exists(outDir).ShouldBeFalse();
    }

    [Theory]
    [InlineData("../x.png")]
    [InlineData("a/b.png")]
    [InlineData("..")]
    public async Task Copy_file_names_must_not_be_paths(string fileName)
    {
        var source = await _blobs.SaveImageAsync("img_1", Samples.T0, "png", Png, Ct);

        await Should.ThrowAsync<ArgumentException>(() => _blobs.CopyToFolderAsync(source, _temp.Combine("out"), fileName, Ct));
    }

    [Fact]
    public async Task Delete_removes_a_stored_image_and_tolerates_a_missing_one()
    {
        var path = await _blobs.SaveImageAsync("img_1", Samples.T0, "png", Png, Ct);

        _blobs.Delete(path);
        _blobs.Delete(path);

        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task Delete_also_removes_temp_files_a_killed_write_of_that_image_left_behind()
    {
        var path = await _blobs.SaveImageAsync("img_1", Samples.T0, "png", Png, Ct);
        var folder = Path.GetDirectoryName(path)!;
        // What WriteNewFileAsync leaves when the process dies before the rename.
        File.WriteAllBytes(Path.Combine(folder, $".img_1.png.{Guid.NewGuid():N}.tmp"), Png);
        File.WriteAllBytes(Path.Combine(folder, $".img_1.png.{Guid.NewGuid():N}.tmp"), Png);
        // Other images and their temp files are not touched.
        var other = await _blobs.SaveImageAsync("img_10", Samples.T0, "png", Png, Ct);
        var otherTemp = Path.Combine(folder, $".img_10.png.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(otherTemp, Png);

        _blobs.Delete(path);

        _temp.Files(folder).ShouldBe([Path.GetFileName(otherTemp), "img_10.png"]);
        File.ReadAllBytes(other).ShouldBe(Png);
    }

    [Fact]
    public void Delete_removes_temp_files_even_when_the_image_itself_was_never_written()
    {
        var path = _blobs.GetImagePath("img_1", Samples.T0, "png");
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $".img_1.png.{Guid.NewGuid():N}.tmp"), Png);

        _blobs.Delete(path);

        _temp.Files(folder).ShouldBeEmpty();
    }

    [Fact]
    public void Delete_of_an_image_whose_folder_is_gone_does_nothing()
    {
        var path = _blobs.GetImagePath("img_1", Samples.T0, "png");

        _blobs.Delete(path);

        Directory.Exists(Path.GetDirectoryName(path)).ShouldBeFalse();
    }

    [Fact]
    public void Delete_refuses_files_outside_the_image_folder()
    {
        var precious = _temp.Combine("notes.txt");
        File.WriteAllText(precious, "keep me");

        Should.Throw<ArgumentException>(() => _blobs.Delete(precious));
        Should.Throw<ArgumentException>(() => _blobs.Delete(_temp.Combine("images", "..", "notes.txt")));
        Should.Throw<ArgumentException>(() => _blobs.Delete(_temp.Combine("images-other", "x.png")));

        File.ReadAllText(precious).ShouldBe("keep me");
    }

    [Theory]
    [InlineData("image/png", "png")]
    [InlineData("IMAGE/JPEG", "jpg")]
    [InlineData("image/webp; charset=binary", "webp")]
    [InlineData("text/html", null)]
    public void Media_types_map_to_extensions(string mediaType, string? extension) =>
        FileBlobStore.ExtensionForMediaType(mediaType).ShouldBe(extension);
}
