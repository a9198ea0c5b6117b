using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Easel.Server.Api;

/// <summary>/api/v1/images.</summary>
internal static class ImagesApi
{
    public static RouteGroupBuilder MapImagesApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
