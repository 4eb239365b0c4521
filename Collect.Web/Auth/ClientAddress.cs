using System.Net;

namespace Collect.Web.Auth;

internal static class ClientAddress
{
    public static IPAddress? Of(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress;
        return ip is { IsIPv4MappedToIPv6: true } ? ip.MapToIPv4() : ip;
    }

    public static string? TextOf(HttpContext context) => Of(context)?.ToString();
}
