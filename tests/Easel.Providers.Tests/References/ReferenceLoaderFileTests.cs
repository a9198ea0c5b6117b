using System.Diagnostics;
using System.Security.Cryptography;
using Easel.Providers.References;

namespace Easel.Providers.Tests.References;

public sealed class ReferenceLoaderFileTests : IDisposable
{
    private readonly string _root;
    private readonly string _allowed;
    private readonly string _outside;

    public ReferenceLoaderFileTests()
    {
        // Canonical from the start (temp may itself sit behind a link), so expected paths compare exactly.
        var temp = Directory.CreateTempSubdirectory("easel-refs-");
        _root = LocalFiles.Resolve(temp.FullName, out _)!;
        _allowed = Directory.CreateDirectory(Path.Join(_root, "allowed")).FullName;
        _outside = Directory.CreateDirectory(Path.Join(_root, "outside")).FullName;
        File.WriteAllBytes(Path.Join(_outside, "secret.png"), SampleImages.Png);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ReferenceOptions ServerMode => new() { AllowedFolders = [_allowed] };

    public static TheoryData<string, byte[], string, int, int> Formats => new()
    {
        { "cat.png", SampleImages.Png, "image/png", 64, 48 },
        { "photo.jpg", SampleImages.Jpeg, "image/jpeg", 5, 3 },
        { "sticker.webp", SampleImages.WebP, "image/webp", 5, 3 },
        { "anim.gif", SampleImages.Gif, "image/gif", 5, 3 },
        { "no-extension", SampleImages.Png, "image/png", 64, 48 },
        { "lies.png", SampleImages.Jpeg, "image/jpeg", 5, 3 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Loads_each_format_with_type_from_magic_bytes(string name, byte[] bytes, string mediaType, int width, int height)
    {
        var path = Path.Join(_allowed, name);
        await File.WriteAllBytesAsync(path, bytes, Token);

        var image = await new ReferenceLoader().LoadAsync(path, Token);

        image.Source.ShouldBe(path);
        image.Bytes.ShouldBe(bytes);
        image.MediaType.ShouldBe(mediaType);
        (image.Width, image.Height).ShouldBe((width, height));
        image.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public async Task Source_is_the_canonical_path_with_links_resolved()
    {
        var target = Path.Join(_allowed, "real.png");
        await File.WriteAllBytesAsync(target, SampleImages.Png, Token);
        Directory.CreateDirectory(Path.Join(_allowed, "sub"));
        File.CreateSymbolicLink(Path.Join(_allowed, "sub", "link.png"), "../real.png");
        Directory.CreateSymbolicLink(Path.Join(_root, "alias"), _allowed);

        var image = await new ReferenceLoader(ServerMode).LoadAsync(Path.Join(_root, "alias", "sub", ".", "link.png"), Token);

        image.Source.ShouldBe(target);
    }

    [Fact]
    public async Task Server_mode_accepts_files_inside_an_allowed_folder_given_with_a_trailing_separator()
    {
        var path = Path.Join(_allowed, "cat.png");
        await File.WriteAllBytesAsync(path, SampleImages.Png, Token);

        var loader = new ReferenceLoader(new ReferenceOptions { AllowedFolders = ["", _allowed + "/"] });

        (await loader.LoadAsync(path, Token)).Source.ShouldBe(path);
    }

    /// <summary>A hostile or unusable local input, set up in the test's folder, and the reason it is refused.</summary>
    public static TheoryData<string, string> HostileFiles => new()
    {
        { "missing", "it does not exist" },
        { "missing-folder", "it does not exist" },
        { "directory", "it is a folder, not a regular file" },
        { "fifo", "it is a named pipe (FIFO), not a regular file" },
        { "/dev/zero", "it is a character device, not a regular file" },
        { "/dev/null", "it is a character device, not a regular file" },
        { "empty", "it is empty" },
        { "too-big", "it is 21 MB, over the 20 MB limit" },
        { "text", "not a usable image: Not a PNG, JPEG, WebP or GIF image" },
        { "truncated-jpeg", "The JPEG data is truncated" },
        { "zero-size", "zero width or height" },
        { "huge-header", "10000x6000 pixels (60 megapixels), over the 50 megapixel limit" },
        { "file-as-folder", "a part of the path is a file, not a folder" },
        { "link-loop", "too many levels of symbolic links" },
        { "dangling-link", "it does not exist" },
        { "server:symlink-escape", "lies outside the folders references may be read from" },
        { "server:folder-symlink-escape", "lies outside the folders" },
        { "server:relative-link-escape", "lies outside the folders" },
        { "server:dot-dot-escape", "lies outside the folders" },
        { "server:sibling-prefix", "lies outside the folders" },
        { "server:absolute-outside", "lies outside the folders" },
        { "server:/etc/passwd", "lies outside the folders" },
        { "server:no-folders", "lies outside the folders" },
    };

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public async Task Refuses_hostile_files_with_a_specific_reason(string setup, string reason)
    {
        var (input, options) = Arrange(setup);

        var error = await Should.ThrowAsync<ReferenceException>(() => new ReferenceLoader(options).LoadAsync(input, Token));

        error.Message.ShouldContain(reason);
        error.Message.ShouldStartWith($"Reference file {input} ");
    }

    [Fact]
    public async Task A_refused_link_does_not_reveal_where_it_points()
    {
        var (input, options) = Arrange("server:symlink-escape");
        var error = await Should.ThrowAsync<ReferenceException>(() => new ReferenceLoader(options).LoadAsync(input, Token));
        error.Message.ShouldNotContain("outside/secret.png");
    }

    [Fact]
    public async Task Cli_mode_reads_any_path_the_user_gives()
    {
        var image = await new ReferenceLoader().LoadAsync(Path.Join(_outside, "secret.png"), Token);
        image.Bytes.ShouldBe(SampleImages.Png);
    }

    [Fact]
    public async Task Plain_paths_that_look_like_urls_stay_paths()
    {
        var path = Path.Join(_allowed, "data:cat.png");
        await File.WriteAllBytesAsync(path, SampleImages.Png, Token);

        (await new ReferenceLoader().LoadAsync(Path.Join(_allowed, "data:cat.png"), Token)).Source.ShouldBe(path);
        var error = await Should.ThrowAsync<ReferenceException>(() => new ReferenceLoader().LoadAsync("data:cat.png", Token));
        error.Message.ShouldContain("scheme 'data' is not supported");
    }

    [Fact]
    public async Task Empty_input_is_refused()
    {
        var error = await Should.ThrowAsync<ReferenceException>(() => new ReferenceLoader().LoadAsync("  ", Token));
        error.Message.ShouldContain("empty path or URL");
    }

    [Fact]
    public void Options_out_of_range_are_refused_when_the_loader_is_made()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new ReferenceLoader(new ReferenceOptions { MaxBytes = 0 }));
        Should.Throw<ArgumentOutOfRangeException>(() => new ReferenceLoader(new ReferenceOptions { MaxRedirects = -1 }));
        Should.Throw<ArgumentOutOfRangeException>(() => new ReferenceLoader(new ReferenceOptions { Timeout = TimeSpan.Zero }));
    }

    private (string Input, ReferenceOptions Options) Arrange(string setup)
    {
        var server = setup.StartsWith("server:", StringComparison.Ordinal);
        var name = server ? setup["server:".Length..] : setup;
        var options = server ? ServerMode : new ReferenceOptions();
        string Allowed(string file) => Path.Join(_allowed, file);

        switch (name)
        {
            case "missing":
                return (Allowed("missing.png"), options);
            case "missing-folder":
                return (Allowed("no/such/folder/cat.png"), options);
            case "directory":
                return (Directory.CreateDirectory(Allowed("folder.png")).FullName, options);
            case "fifo":
                Run("mkfifo", Allowed("pipe.png"));
                return (Allowed("pipe.png"), options);
            case "/dev/zero" or "/dev/null":
                return (name, options);
            case "empty":
                File.WriteAllBytes(Allowed("empty.png"), []);
                return (Allowed("empty.png"), options);
            case "too-big":
                using (var big = File.Create(Allowed("big.png")))
                    big.SetLength(21L * 1024 * 1024); // sparse: no 21 MB written
                return (Allowed("big.png"), options);
            case "text":
                File.WriteAllText(Allowed("notes.png"), "these are my notes, not an image");
                return (Allowed("notes.png"), options);
            case "truncated-jpeg":
                File.WriteAllBytes(Allowed("cut.jpg"), SampleImages.TruncatedJpeg);
                return (Allowed("cut.jpg"), options);
            case "zero-size":
                File.WriteAllBytes(Allowed("zero.gif"), SampleImages.ZeroSizeGif);
                return (Allowed("zero.gif"), options);
            case "huge-header":
                File.WriteAllBytes(Allowed("huge.png"), SampleImages.PngHeader(10_000, 6_000));
                return (Allowed("huge.png"), options);
            case "file-as-folder":
                File.WriteAllBytes(Allowed("cat.png"), SampleImages.Png);
                return (Allowed("cat.png/inner.png"), options);
            case "link-loop":
                File.CreateSymbolicLink(Allowed("a.png"), Allowed("b.png"));
                File.CreateSymbolicLink(Allowed("b.png"), Allowed("a.png"));
                return (Allowed("a.png"), options);
            case "dangling-link":
                File.CreateSymbolicLink(Allowed("gone.png"), Allowed("never-existed.png"));
                return (Allowed("gone.png"), options);
            case "symlink-escape":
                File.CreateSymbolicLink(Allowed("innocent.png"), Path.Join(_outside, "secret.png"));
                return (Allowed("innocent.png"), options);
            case "folder-symlink-escape":
                Directory.CreateSymbolicLink(Allowed("photos"), _outside);
                return (Allowed("photos/secret.png"), options);
            case "relative-link-escape":
                File.CreateSymbolicLink(Allowed("rel.png"), "../outside/secret.png");
                return (Allowed("rel.png"), options);
            case "dot-dot-escape":
                return (Allowed("../outside/secret.png"), options);
            case "sibling-prefix":
                var sibling = Directory.CreateDirectory(_allowed + "-private").FullName;
                File.WriteAllBytes(Path.Join(sibling, "cat.png"), SampleImages.Png);
                return (Path.Join(sibling, "cat.png"), options);
            case "absolute-outside":
                return (Path.Join(_outside, "secret.png"), options);
            case "/etc/passwd":
                return (name, options);
            case "no-folders":
                File.WriteAllBytes(Allowed("cat.png"), SampleImages.Png);
                return (Allowed("cat.png"), new ReferenceOptions { AllowedFolders = [] });
            default:
                throw new ArgumentException($"Unknown setup '{setup}'.", nameof(setup));
        }
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false })!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{program} failed");
    }
}
