using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Easel.Providers.References;

/// <summary>What a file system entry is; only <see cref="Regular"/> files are read.</summary>
internal enum FileKind
{
    Regular,
    Directory,
    Pipe,
    CharacterDevice,
    BlockDevice,
    Socket,
    SymbolicLink,
    Other,
}

internal readonly record struct FileIdentity(FileKind Kind, long Size, ulong Device, ulong Inode);

/// <summary>Canonical local paths (every symbolic link resolved) and what they point at.</summary>
internal static class LocalFiles
{
    // The limit Linux applies to one path lookup (MAXSYMLINKS).
    private const int MaxLinks = 40;

    /// <summary>
    /// The absolute path with every symbolic link resolved, the final one, intermediate folders and
    /// links inside link targets included, and ".." applied after resolving (as the kernel does).
    /// Returns null and a reason when a part of the path does not exist or cannot be followed.
    /// </summary>
    public static string? Resolve(string path, out string? failure)
    {
        failure = null;
        var full = Path.IsPathRooted(path) ? path : Path.Join(Environment.CurrentDirectory, path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        Push(pending, full[current.Length..]);
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var candidate = Path.Join(current, part);
            string? target;
            try
            {
                target = new FileInfo(candidate).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failure = "it cannot be read (permission denied or an I/O error)";
                return null;
            }

            if (target is not null)
            {
                if (++links > MaxLinks)
                {
                    failure = "it has too many levels of symbolic links (a loop?)";
                    return null;
                }

                Push(pending, target);
                if (Path.IsPathRooted(target))
                    current = Path.GetPathRoot(target)!;
                continue;
            }

            var isDirectory = Directory.Exists(candidate);
            if (!isDirectory && !File.Exists(candidate))
            {
                failure = "it does not exist";
                return null;
            }

            if (!isDirectory && pending.Any(p => p is not ("" or ".")))
            {
                failure = "a part of the path is a file, not a folder";
                return null;
            }

            current = candidate;
        }

        return current;
    }

    private static void Push(Stack<string> pending, string path)
    {
        var parts = path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        for (var i = parts.Length - 1; i >= 0; i--)
            pending.Push(parts[i]);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> itself or lies below it (both canonical).</summary>
    public static bool IsInside(string path, string folder)
    {
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var root = Path.TrimEndingDirectorySeparator(folder);
        if (path.Equals(root, comparison))
            return true;
        // The file system root keeps its separator ("/"); any other folder needs one appended,
        // so /srv/refs does not contain /srv/refs-private.
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, comparison);
    }

    /// <summary>What the path names, without following a final symbolic link; null when unknown.</summary>
    public static FileIdentity? Identify(string path)
    {
        if (Statx.TryStat(path, out var identity))
            return identity;
        // Elsewhere: .NET only tells folders from other entries. Devices and pipes report size 0
        // and are refused as empty files, never opened.
        if (Directory.Exists(path))
            return new FileIdentity(FileKind.Directory, 0, 0, 0);
        var info = new FileInfo(path);
        return info.Exists ? new FileIdentity(FileKind.Regular, info.Length, 0, 0) : null;
    }

    /// <summary>What an open handle refers to; null when the platform cannot tell.</summary>
    public static FileIdentity? Identify(SafeFileHandle handle) => Statx.TryStat(handle, out var identity) ? identity : null;

    /// <summary>Linux statx(2): its buffer layout is the same on every architecture, unlike struct stat.</summary>
    private static class Statx
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const int AtEmptyPath = 0x1000;
        private const uint BasicStats = 0x7FF;
        private static bool _unavailable = !OperatingSystem.IsLinux();

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        private static extern int Native(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

        public static bool TryStat(string path, out FileIdentity identity) => Call(AtFdCwd, path, AtSymlinkNoFollow, out identity);

        public static bool TryStat(SafeFileHandle handle, out FileIdentity identity)
        {
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return Call((int)handle.DangerousGetHandle(), "", AtEmptyPath, out identity);
            }
            finally
            {
                if (added)
                    handle.DangerousRelease();
            }
        }

        private static bool Call(int directory, string path, int flags, out FileIdentity identity)
        {
            identity = default;
            if (_unavailable)
                return false;
            var buffer = new byte[256];
            try
            {
                if (Native(directory, path, flags, BasicStats, buffer) != 0)
                    return false;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                _unavailable = true;
                return false;
            }

            // Fields are in the machine's byte order.
            var mode = MemoryMarshal.Read<ushort>(buffer.AsSpan(28));
            var kind = (mode & 0xF000) switch
            {
                0x8000 => FileKind.Regular,
                0x4000 => FileKind.Directory,
                0x1000 => FileKind.Pipe,
                0x2000 => FileKind.CharacterDevice,
                0x6000 => FileKind.BlockDevice,
                0xC000 => FileKind.Socket,
                0xA000 => FileKind.SymbolicLink,
                _ => FileKind.Other,
            };
            var inode = MemoryMarshal.Read<ulong>(buffer.AsSpan(32));
            var size = MemoryMarshal.Read<long>(buffer.AsSpan(40));
            var device = ((ulong)MemoryMarshal.Read<uint>(buffer.AsSpan(136)) << 32) | MemoryMarshal.Read<uint>(buffer.AsSpan(140));
            identity = new FileIdentity(kind, size, device, inode);
            return true;
        }
    }
}
