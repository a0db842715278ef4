using System.Collections.Concurrent;

namespace RadRegen.Testing;

/// <summary>
/// One <see cref="TestServer"/> per engine shared by the tests of one class (an xunit class
/// fixture), for tests that leave no trace another test of the class could see: requests refused
/// before anything is stored, reads of what every fresh server holds. Starting a server (host,
/// database copy, one user per role) is paid once per class instead of once per case. Tests that
/// change what the others read, count journal entries, sign in with throttling or need settings of
/// their own keep <see cref="TestServer.StartAsync"/>. xunit runs the tests of one class one after another.
/// </summary>
public sealed class SharedTestServers : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TestServer>>> _servers = new();

    public Task<TestServer> ForAsync(string engine) => ForAsync(engine, "");

    /// <summary>
    /// A server of its own for <paramref name="group"/>: a class whose refused requests assert that
    /// nothing was stored keeps them on one server and its cases that each store records of their
    /// own (never counted across the database) on another.
    /// </summary>
    public Task<TestServer> ForAsync(string engine, string group) =>
        _servers.GetOrAdd(engine + "/" + group, _ => new Lazy<Task<TestServer>>(() => TestServer.StartAsync(engine))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values.Where(s => s.IsValueCreated))
        {
            await (await server.Value).DisposeAsync();
        }
    }
}
