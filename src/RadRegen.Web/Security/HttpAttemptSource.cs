using Microsoft.AspNetCore.Http;
using RadRegen.Core.Access;

namespace RadRegen.Web.Security;

/// <summary>
/// The source of a password attempt on the web: the client's address as Kestrel sees it (an
/// IPv4 address carried in IPv6 is written as IPv4). Behind a reverse proxy every client has the
/// proxy's address unless forwarded headers are configured (docs/security.md).
/// </summary>
public sealed class HttpAttemptSource(IHttpContextAccessor http) : IAttemptSource
{
    public string Current
    {
        get
        {
            var address = http.HttpContext?.Connection.RemoteIpAddress;
            if (address is null)
            {
                return "unknown";
            }

            return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        }
    }
}
