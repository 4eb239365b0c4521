using Collect.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Browser;

/// <summary>Collect on a real loopback Kestrel server on a free port, which a browser can reach.</summary>
public sealed class KestrelCollectFactory : CollectWebFactory
{
    public KestrelCollectFactory() => UseKestrel(0);

    /// <summary>Starts the server and returns its address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.First());
    }
}
