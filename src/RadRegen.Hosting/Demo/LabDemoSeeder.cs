using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Laboratory;
using RadRegen.Core.Access;

namespace RadRegen.Hosting.Demo;

/// <summary>A published calibration data set embedded for the demo (reference/dosimetry, README there).</summary>
/// <param name="Assay">The assay.</param>
/// <param name="Name">The curve's name in the laboratory.</param>
/// <param name="Resource">Embedded count table (Biodose Tools CSV layout).</param>
/// <param name="Citation">Where the counts were published.</param>
/// <param name="RadiationQuality">Radiation quality as published.</param>
public sealed record PublishedCounts(string Assay, string Name, string Resource, string Citation, string RadiationQuality)
{
    /// <summary>The count table's text.</summary>
    public string Text()
    {
        using var stream = typeof(PublishedCounts).Assembly.GetManifestResourceStream("dosimetry/" + Resource)
            ?? throw new InvalidOperationException($"the count table {Resource} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// The biodosimetry laboratory of <c>serve --demo</c>: one curve per assay fitted from published
/// counts, and the Barquinero 1995 dicentric curve entered from its published coefficients and
/// covariance; one curve per assay marked active. Through <see cref="LaboratoryService"/>, so every
/// curve is journaled like real work. Activation needs a QA e-signature (ADR 0018): the seeder signs
/// as a seed QA account made for it, used once and then disabled, because the seeder never holds a
/// person's password (as <see cref="BankDemoSeeder"/> does for releases). Idempotent: skipped when
/// curves exist.
/// </summary>
public static class LabDemoSeeder
{
    /// <summary>The seed QA account that signs the demo curves' activation.</summary>
    public const string SignerName = "demo-curve-signer";

    public static readonly IReadOnlyList<PublishedCounts> Published =
    [
        new("dicentric", "Barquinero 1995 ⁶⁰Co (fitted from the counts)", "count-data-barquinero-1995.csv", "Barquinero et al. 1995, Mutat Res 326:65 (IAEA EPR-Biodosimetry 2011 §9.7.3)", "⁶⁰Co γ, acute"),
        new("micronucleus", "Mayakannan 2018 CBMN (fitted from the counts)", "count-data-mayakannan-2018.csv", "Mayakannan et al. 2018 (CBMN), as published with Biodose Tools 3.7", "see the publication"),
        new("translocation", "Rodríguez 2004 FISH (fitted from the counts)", "count-data-rodriguez-2004.csv", "Rodríguez et al. 2004 (FISH, painted-genome frequencies), as published with Biodose Tools 3.7", "see the publication"),
    ];

    /// <summary>
    /// The Barquinero 1995 ⁶⁰Co dicentric curve as published: coefficients and covariance of the
    /// Poisson fit as Biodose Tools 3.7 reports it (reference fit F1, reproduced to 1e-6 by
    /// RadRegen.Dosimetry's <c>CalibrationReferenceTests</c>).
    /// </summary>
    public static PublishedCurveRequest Barquinero1995 { get; } = new(
        "dicentric",
        "Barquinero 1995 ⁶⁰Co (published coefficients)",
        "lq",
        0.00128031901393,
        0.02103872432802,
        0.06303253404360,
        [
            [2.22223140352e-07, -9.94904381042e-07, 4.37994449856e-07],
            [-9.94904381042e-07, 2.66010126994e-05, -1.51049382045e-05],
            [4.37994449856e-07, -1.51049382045e-05, 1.60591394962e-05],
        ],
        "Barquinero et al. 1995, Mutat Res 326:65; coefficients and covariance as Biodose Tools 3.7 (Hernández et al. 2023) reports the fit",
        "⁶⁰Co γ, acute",
        0,
        5); // the Barquinero 1995 count table's doses: 0 to 5 Gy

    public static async Task<int> SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var lab = services.GetRequiredService<LaboratoryService>();
        var users = await services.GetRequiredService<AccessService>().ListUsersAsync(Actor.LocalOperator("demo-seeder"), ct);
        var actor = users.FirstOrDefault(u => u.UserName == DemoSeeder.DemoUserName(Role.CpcTechnician))?.ToActor()
            ?? new Actor(0, "demo-seeder", new HashSet<Role> { Role.CpcTechnician });
        if ((await lab.ListCurvesAsync(actor, null, ct)).Count > 0)
        {
            return 0;
        }

        var access = services.GetRequiredService<AccessService>();
        var system = Actor.LocalOperator("demo-seeder");
        var password = PasswordGenerator.Generate();
        var signer = users.Any(u => u.UserName == SignerName)
            ? (await access.ResetPasswordAsync(system, SignerName, password, "demo seeding", ct)).ToActor()
            : (await access.AddUserAsync(system, SignerName, "Demo curve signer (seed QA)", new HashSet<Role> { Role.QaOfficer }, password, ct)).ToActor();
        var activation = new CurveActivation(password, "approved for case scoring (demo seed)");

        var count = 0;
        foreach (var p in Published)
        {
            var fitted = await lab.FitCurveAsync(actor, new FitCurveRequest(p.Assay, p.Name, "lq",
                CountsCsv: p.Text(), Citation: p.Citation, RadiationQuality: p.RadiationQuality), ct);
            count++;
            if (p.Assay != "dicentric")
            {
                await lab.ActivateCurveAsync(signer, fitted.Id, activation, ct);
            }
        }

        var entered = await lab.EnterCurveAsync(actor, Barquinero1995, ct);
        await lab.ActivateCurveAsync(signer, entered.Id, activation, ct);
        await access.DisableUserAsync(system, SignerName, "demo seeding finished", ct);
        return count + 1;
    }
}
