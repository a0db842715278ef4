using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

/// <summary>
/// Every transition the vial lifecycle forbids, per engine: refused, and nothing written. The
/// cases share one bank per engine (each works on a vial of its own), which 2 × 51 fresh
/// databases with six accounts each made the slowest class of the suite.
/// </summary>
[Trait("Kind", "Integration")]
public class IllegalTransitionTests(SharedBankWorlds worlds) : EngineTests, IClassFixture<SharedBankWorlds>
{
    public static TheoryData<string, string, string> IllegalTransitions
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            var actions = new Dictionary<string, VialStatus>
            {
                ["reserve"] = VialStatus.Reserved, ["cancel"] = VialStatus.Released, ["ship"] = VialStatus.Shipped, ["receive"] = VialStatus.Received,
                ["thaw"] = VialStatus.Thawed, ["administer"] = VialStatus.Administered, ["discard"] = VialStatus.Discarded,
            };
            var engines = new List<string> { "sqlite" };
            if (RadRegen.Testing.TestDatabases.PostgresAdminConnectionString is not null || RadRegen.Testing.TestDatabases.InCi)
            {
                engines.Add("postgres");
            }

            foreach (var engine in engines)
            {
                foreach (var from in Enum.GetValues<VialStatus>())
                {
                    foreach (var (action, to) in actions)
                    {
                        var legal = Lifecycle.CanMove(from, to) && (action != "cancel" || from == VialStatus.Reserved);
                        if (!legal)
                        {
                            data.Add(engine, Lifecycle.Name(from), action);
                        }
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public async Task Every_illegal_transition_is_refused_and_nothing_is_written(string engine, string from, string action)
    {
        var w = await worlds.ForAsync(engine); // each case on a released lot of its own
        var lot = await w.ReleasedLotAsync(1);
        var vial = (await w.VialsAsync(lot))[0];
        await w.SetStatusAsync(vial.Id, Lifecycle.ParseVial(from));
        var before = await w.JournalCountAsync();
        var act = action switch
        {
            "reserve" => w.Bank.ReserveAsync(w.Physician, vial.Id, "patient P-1"),
            "cancel" => w.Bank.CancelReservationAsync(w.Physician, vial.Id, "not needed"),
            "ship" => w.Bank.ShipAsync(w.Tech, vial.Id, "Hospital B"),
            "receive" => w.Bank.ReceiveAsync(w.Tech, vial.Id, "arrived at −180 °C"),
            "thaw" => w.Bank.ThawAsync(w.Tech, vial.Id, "for administration"),
            "administer" => w.Bank.AdministerAsync(w.Physician, vial.Id, "patient P-1", BankWorld.Password),
            _ => w.Bank.DiscardAsync(w.Tech, vial.Id, "damaged", BankWorld.Password),
        };
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => act);
        if (from == "reserved" && action == "reserve")
        {
            Assert.IsType<ConflictException>(ex);
        }
        else
        {
            Assert.IsType<RuleViolationException>(ex);
        }

        Assert.Equal(before, await w.JournalCountAsync());
        Assert.Equal(from, Lifecycle.Name((await w.Bank.GetVialAsync(w.Auditor, vial.Id)).Lineage.Vial.Status));
    }
}
