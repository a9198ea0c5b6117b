using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Easel.Server.Api;

/// <summary>/api/v1/approvals.</summary>
internal static class ApprovalsApi
{
    public static RouteGroupBuilder MapApprovalsApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
