using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Collect.Bench;

internal sealed record ApiResult(string Name, Samples Latency, double RequestsPerSecond, int Clients, long ResponseBytes, double ServerCpuMsPerRequest);

/// <summary>Times whole requests (headers sent to body read) against the running server, sequentially or from N clients.</summary>
internal static class ApiBench
{
    public static async Task<ApiResult> RunAsync(HttpClient http, int serverPid, string name, string path, string token, int warmup, int requests, int clients, CancellationToken ct)
    {
        var auth = new AuthenticationHeaderValue("Bearer", token);
        // Warm-up from as many clients as will measure, so the connections exist and every code path is jitted.
        await RunClientsAsync(http, path, auth, warmup, clients, null, ct);
        var samples = new double[requests];
        var cpu = ProcessCpu.Milliseconds(serverPid);
        var wall = Stopwatch.StartNew();
        var bytes = await RunClientsAsync(http, path, auth, requests, clients, samples, ct);
        wall.Stop();
        cpu = ProcessCpu.Milliseconds(serverPid) - cpu;
        return new ApiResult(name, new Samples(samples), requests / wall.Elapsed.TotalSeconds, clients, bytes / requests, cpu / requests);
    }

    /// <summary>
    /// Brings the server to steady state before anything is measured: .NET compiles hot methods again with profile data
    /// (tiered compilation, dynamic PGO) only after they have run many times, and until then a request costs about twice as much.
    /// </summary>
    public static async Task<(int Requests, TimeSpan Elapsed)> WarmUpAsync(HttpClient http, IReadOnlyList<(string Path, string Token)> targets, int each, int clients, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        foreach (var (path, token) in targets)
            await RunClientsAsync(http, path, new AuthenticationHeaderValue("Bearer", token), each, clients, null, ct);
        return (each * targets.Count, started.Elapsed);
    }

    private static async Task<long> RunClientsAsync(HttpClient http, string path, AuthenticationHeaderValue auth, int total, int clients, double[]? samples, CancellationToken ct)
    {
        var next = -1;
        long bytes = 0;
        async Task Client()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < total)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = auth;
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
                if (samples is not null) samples[index] = elapsed;
                Interlocked.Add(ref bytes, body.Length);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client, ct)));
        return bytes;
    }
}
