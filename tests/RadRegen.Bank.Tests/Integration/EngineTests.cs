using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

/// <summary>Base for the bank's rules run over a real database, once per engine, each test on a world of its own.</summary>
public abstract class EngineTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    protected static readonly Actor Admin = TestWorld.System;
}
