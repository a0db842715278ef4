using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Hosting.Demo;

/// <summary>
/// A realistic bank for <c>serve --demo</c>: a few hundred donors whose haplotypes are drawn from
/// the NMDP 2007 API frequency set (a recruited share homozygous, as haplobanks recruit), a line,
/// master and working banks per donor, lots of every product in every state, boxes partly full,
/// temperatures with one excursion, and one consent withdrawal. Done through the domain services,
/// so every record is journaled like real work. Idempotent: skipped when donors exist.
/// </summary>
public static class BankDemoSeeder
{
    public const string SignerName = "demo-release-signer";

    public const string PhysicianName = "demo-seed-physician";

    private static async Task<Actor> SeedAccountAsync(AccessService access, Actor system, IReadOnlyList<UserAccount> users, string name, string display,
        Role role, string password, CancellationToken ct) =>
        users.Any(u => u.UserName == name)
            ? (await access.ResetPasswordAsync(system, name, password, "demo seeding", ct)).ToActor()
            : (await access.AddUserAsync(system, name, display, new HashSet<Role> { role }, password, ct)).ToActor();

    public static async Task<int> SeedAsync(IServiceProvider services, int donors = 300, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var bank = services.GetRequiredService<BankService>();
        var access = services.GetRequiredService<AccessService>();
        var system = Actor.LocalOperator("demo-seeder");
        if ((await bank.ListDonorsAsync(system, ct)).Count > 0)
        {
            return 0;
        }

        await bank.EnsureCatalogueAsync(system, ct);
        var users = await access.ListUsersAsync(system, ct);
        var tech = users.FirstOrDefault(u => u.UserName == DemoSeeder.DemoUserName(Role.CpcTechnician))?.ToActor()
            ?? Actor.System("demo-seeder", Role.CpcTechnician);

        // Signers for the seeded history (release, administration): accounts used once, then
        // disabled, because the seeder never holds a person's password.
        var signerPassword = PasswordGenerator.Generate();
        var signer = await SeedAccountAsync(access, system, users, SignerName, "Demo release signer (seed)", Role.QaOfficer, signerPassword, ct);
        var physicianPassword = PasswordGenerator.Generate();
        var physician = await SeedAccountAsync(access, system, users, PhysicianName, "Demo physician (seed)", Role.Physician, physicianPassword, ct);

        var random = new Random(2026);
        var set = HaplotypeSets.Load("API");

        // Storage: one site, two LN2 tanks (vapour phase) and a −80 °C freezer.
        var site = await bank.CreateLocationAsync(tech, new CreateLocationRequest(null, LocationKind.Site, "CPC"), ct);
        var boxes = new List<StorageLocation>();
        foreach (var tankName in new[] { "LN2-A", "LN2-B" })
        {
            var tank = await bank.CreateLocationAsync(tech, new CreateLocationRequest(site.Id, LocationKind.Tank, tankName, MaxCelsius: -150), ct);
            for (var r = 1; r <= 3; r++)
            {
                var rack = await bank.CreateLocationAsync(tech, new CreateLocationRequest(tank.Id, LocationKind.Rack, $"{tankName}-R{r}"), ct);
                for (var b = 1; b <= 3; b++)
                {
                    boxes.Add(await bank.CreateLocationAsync(tech, new CreateLocationRequest(rack.Id, LocationKind.Box, $"{tankName}-R{r}-B{b}", 9, 9), ct));
                }
            }

            for (var i = 0; i < 3; i++)
            {
                await bank.RecordTemperatureAsync(tech, tank.Id, -185 + random.Next(-5, 6), DateTimeOffset.UtcNow.AddHours(-8 * (i + 1)), ct);
            }
        }

        var freezer = await bank.CreateLocationAsync(tech, new CreateLocationRequest(site.Id, LocationKind.Freezer, "ULT-80", MaxCelsius: -70), ct);
        var freezerRack = await bank.CreateLocationAsync(tech, new CreateLocationRequest(freezer.Id, LocationKind.Rack, "ULT-80-R1"), ct);
        var freezerBox = await bank.CreateLocationAsync(tech, new CreateLocationRequest(freezerRack.Id, LocationKind.Box, "ULT-80-R1-B1", 10, 10), ct);

        // Donors: a recruited share homozygous for frequent haplotypes; the rest as they come.
        var lines = new List<(CellLine Line, bool Homozygous)>();
        var negative = BankService.ScreeningMarkers.Select(m => new ScreeningResult(m, "negative")).ToList();
        for (var i = 0; i < donors; i++)
        {
            var homozygous = i < donors / 5;
            var a = homozygous ? set[Math.Min(set.Count - 1, (int)Math.Floor(Math.Pow(random.NextDouble(), 2) * 60))] : HaplotypeSets.Draw(set, random);
            var b = homozygous ? a : HaplotypeSets.Draw(set, random);
            var clinical = homozygous || random.NextDouble() < 0.4;
            var screening = random.NextDouble() < 0.03 ? negative.Select((s, k) => k == 2 ? s with { Result = "positive" } : s).ToList() : negative;
            var donor = await bank.RegisterDonorAsync(tech, new RegisterDonorRequest(null, new ConsentScopes(true, random.NextDouble() < 0.8, clinical),
                DateTimeOffset.UtcNow.AddDays(-random.Next(200, 1500)), screening, HaplotypeSets.GlString(a, b)), ct);
            // A donor who is not eligible (a positive marker) seeds a research line only, and only with
            // consent to research (ADR 0016); without it the donor seeds nothing.
            var eligible = DonorEligibility.ClinicalAllowed(donor);
            if (!eligible && !donor.Consent.Research)
            {
                continue;
            }

            var line = await bank.CreateLineAsync(tech, new CreateLineRequest(
                string.Create(CultureInfo.InvariantCulture, $"RR-{i + 1:0000}"), donor.Id,
                random.NextDouble() < 0.7 ? "episomal plasmid" : "Sendai virus", $"clone {random.Next(1, 30)}", random.Next(8, 16),
                eligible ? IntendedUse.Clinical : IntendedUse.Research), null, ct);
            lines.Add((line, homozygous));
        }

        // Banks and lots for the homozygous lines and a few others.
        var producing = lines.Where(l => l.Homozygous).Concat(lines.Where(l => !l.Homozygous).Take(15)).ToList();
        var boxIndex = 0;
        var lotNumber = 0;
        var lotsMade = 0;
        foreach (var (line, _) in producing)
        {
            var mcb = await bank.CreateBankAsync(tech, new CreateBankRequest($"{line.Code}-MCB", CellBankKind.Mcb, line.Id, null, line.Passage + 3, 200), null, ct);
            var wcb = await bank.CreateBankAsync(tech, new CreateBankRequest($"{line.Code}-WCB1", CellBankKind.Wcb, line.Id, mcb.Id, line.Passage + 6, 300), null, ct);
            var lotsOfLine = 1 + random.Next(3);
            for (var k = 0; k < lotsOfLine; k++)
            {
                lotNumber++;
                var scenario = lotNumber % 10;
                var product = lotNumber % 7 == 0 ? "S9105" : new[] { "S9100", "S9101", "S9102", "S9102", "S9103", "S9104" }[random.Next(6)];
                var box = product == "S9105" ? freezerBox : boxes[boxIndex];
                var vialCount = 4 + random.Next(9);
                var occupied = (await bank.GetBoxAsync(tech, box.Id, ct)).Occupied;
                if (occupied + vialCount > box.Capacity)
                {
                    if (product == "S9105" || ++boxIndex >= boxes.Count * 2 / 3)
                    {
                        continue; // leave the remaining boxes partly empty
                    }

                    box = boxes[boxIndex];
                }

                var made = scenario == 9 ? DateTimeOffset.UtcNow.AddDays(-800) : DateTimeOffset.UtcNow.AddDays(-random.Next(5, 120));
                Lot lot;
                try
                {
                    lot = await bank.CreateLotAsync(tech, new CreateLotRequest(product, wcb.Id, vialCount, null, made, box.Id), "demo", ct);
                }
                catch (ConflictException)
                {
                    continue;
                }

                lotsMade++;
                var spec = (await bank.GetProductAsync(tech, product, ct)).Specification;
                var record = scenario switch { 7 => spec.Count / 2, _ => spec.Count };
                foreach (var test in spec.Take(record))
                {
                    var (value, unit) = PassingValue(test, random);
                    if (scenario == 8 && test.Code == "endotoxin")
                    {
                        value = (test.Criterion.Limit!.Value * 1.6).ToString("0.##", CultureInfo.InvariantCulture);
                    }

                    await bank.RecordQcResultAsync(tech, lot.Id, test.Code, value, unit, ct);
                }

                if (scenario is 7 or 8 or 9)
                {
                    continue; // quarantine: QC in progress, out of specification, or expired unreleased
                }

                if (scenario == 6)
                {
                    await bank.RejectLotAsync(signer, lot.Id, signerPassword, "mycoplasma contamination found in retained sample", ct);
                    continue;
                }

                await bank.ReleaseLotAsync(signer, lot.Id, signerPassword, "released", null, ct);
                if (scenario is 1 or 2 or 3)
                {
                    await WalkVialsAsync(bank, tech, physician, physicianPassword, signer, signerPassword, lot, scenario, random, ct);
                }
            }
        }

        await bank.ExpireDueAsync(tech, ct);

        // One donor withdrew consent; one freezer excursion, left open for QA.(open) and one LN2 excursion resolved by QA.
        var withdrawn = producing.Last().Line;
        await bank.WithdrawConsentAsync(tech, withdrawn.DonorId, "donor withdrew consent by letter", ct);
        await bank.RecordTemperatureAsync(tech, freezer.Id, -82, DateTimeOffset.UtcNow.AddHours(-30), ct);
        await bank.RecordTemperatureAsync(tech, freezer.Id, -61.5, DateTimeOffset.UtcNow.AddHours(-6), ct);

        // An LN2 excursion QA has assessed and returned to use (its history stays); the freezer's stays open for QA.
        var ln2 = (await bank.ListLocationsAsync(tech, ct)).First(l => l.Location.Kind == LocationKind.Tank).Location;
        var lidOpen = await bank.RecordTemperatureAsync(tech, ln2.Id, -141, DateTimeOffset.UtcNow.AddHours(-20), confirm: false, ct);
        await bank.ResolveExcursionAsync(signer, lidOpen.Excursion!.Id, ExcursionOutcomes.ReturnedToUse,
            "lid opened for 6 min during a retrieval; the logger shows the rack stayed below −150 °C", signerPassword, null, ct);

        await access.DisableUserAsync(system, SignerName, "demo seeding finished", ct);
        await access.DisableUserAsync(system, PhysicianName, "demo seeding finished", ct);
        return lotsMade;
    }

    private static async Task WalkVialsAsync(BankService bank, Actor tech, Actor physician, string physicianPassword, Actor qa, string qaPassword, Lot lot,
        int scenario, Random random, CancellationToken ct)
    {
        var vials = (await bank.GetLotAsync(tech, lot.Id, ct)).Vials;
        var patient = string.Create(CultureInfo.InvariantCulture, $"P-{random.Next(1000, 9999)}");
        try
        {
            await bank.ReserveAsync(physician, vials[0].Id, patient, null, ct);
            if (scenario == 2 && vials.Count > 2)
            {
                await bank.ReserveAsync(physician, vials[1].Id, patient, null, ct);
                await bank.ShipAsync(tech, vials[1].Id, "Hospital B, radiation emergency unit", null, ct);
                await bank.ReceiveAsync(physician, vials[1].Id, "arrived in dry shipper at −170 °C", null, ct);
                await bank.ReserveAsync(physician, vials[2].Id, patient, null, ct);
                await bank.ShipAsync(tech, vials[2].Id, "Hospital B, radiation emergency unit", null, ct);
                await bank.ReceiveAsync(physician, vials[2].Id, "arrived in dry shipper at −170 °C", null, ct);
                await bank.ThawAsync(physician, vials[2].Id, "for administration", null, ct);
                if (random.NextDouble() < 0.5)
                {
                    await bank.AdministerAsync(physician, vials[2].Id, patient, physicianPassword, null, ct);
                }
            }

            if (scenario == 3 && vials.Count > 1)
            {
                await bank.ShipAsync(tech, vials[0].Id, "Partner center, Nagasaki", null, ct);
            }
        }
        catch (RuleViolationException)
        {
            // donor not consented to clinical use or not eligible: stays in stock, as in life
        }

        if (scenario == 3 && vials.Count > 3)
        {
            await bank.DiscardAsync(qa, vials[^1].Id, "cap cracked on inspection", qaPassword, null, ct);
        }
    }

    /// <summary>A result that meets the test's criterion (demo and test data).</summary>
    public static (string Value, string? Unit) PassingValue(RadRegen.Bank.Catalogue.QcTest test, Random random)
    {
        var c = test.Criterion;
        return c.Kind switch
        {
            RadRegen.Bank.Catalogue.CriterionKind.Equals => (c.Expected!, null),
            RadRegen.Bank.Catalogue.CriterionKind.AtMost or RadRegen.Bank.Catalogue.CriterionKind.LessThan =>
                ((c.Limit!.Value * (0.1 + (random.NextDouble() * 0.5))).ToString("0.###", CultureInfo.InvariantCulture), c.Unit),
            RadRegen.Bank.Catalogue.CriterionKind.AtLeast or RadRegen.Bank.Catalogue.CriterionKind.GreaterThan =>
                (Math.Min(99.9, c.Limit!.Value + 1 + (random.NextDouble() * (99 - c.Limit.Value))).ToString("0.0", CultureInfo.InvariantCulture), c.Unit),
            _ => (c.Unit == "h" ? (24 + random.Next(20)).ToString(CultureInfo.InvariantCulture) : (85 + random.Next(14)).ToString(CultureInfo.InvariantCulture), c.Unit),
        };
    }
}
