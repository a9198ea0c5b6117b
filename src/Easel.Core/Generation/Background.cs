namespace Easel.Core.Generation;

public enum Background
{
    Opaque,
    Transparent,
}
