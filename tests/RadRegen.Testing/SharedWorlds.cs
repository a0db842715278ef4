using System.Collections.Concurrent;

namespace RadRegen.Testing;

/// <summary>
/// One <see cref="BankWorld"/> per engine shared by the tests of one class (an xunit class
/// fixture), for tests that each work on records of their own (their own lot, vial or codes) and so
/// cannot disturb one another: the world's set-up (users, catalogue, donor, line, banks, box) is paid
/// once per class instead of once per test. xunit runs the tests of one class one after another.
/// </summary>
public sealed class SharedBankWorlds : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<BankWorld>>> _worlds = new();

    public Task<BankWorld> ForAsync(string engine) =>
        _worlds.GetOrAdd(engine, e => new Lazy<Task<BankWorld>>(() => BankWorld.CreateAsync(e))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var world in _worlds.Values.Where(w => w.IsValueCreated))
        {
            await (await world.Value).DisposeAsync();
        }
    }
}
