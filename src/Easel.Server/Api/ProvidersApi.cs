using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Easel.Server.Api;

/// <summary>/api/v1/providers.</summary>
internal static class ProvidersApi
{
    public static RouteGroupBuilder MapProvidersApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
