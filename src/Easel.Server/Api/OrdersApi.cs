using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Easel.Server.Api;

/// <summary>/api/v1/orders.</summary>
internal static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
