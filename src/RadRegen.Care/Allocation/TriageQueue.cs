using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;

namespace RadRegen.Care.Allocation;

/// <summary>
/// The center's crisis-standards priority policy for scarce cell products (ADR 0015,
/// docs/clinical-rules.md "Priority and allocation rules"). It is a local policy, set by the center's
/// physician lead and versioned (<see cref="PolicyVersion"/>), not a published score. Its ethical
/// basis: under crisis standards care moves from "sickest first" to "most likely to survive first"
/// (Coleman et al. 2011, DMPHP 5:S111) so as to "save the most lives" (Coleman &amp; Koerner 2016,
/// RPD 172:38). Hence:
/// <list type="bullet">
/// <item>the weights peak at intermediate severity (RC2–RC3, ~2–6/8 Gy), where treatment changes the
/// outcome, instead of rising with severity;</item>
/// <item>an <b>expectant</b> tier under scarcity only: combined injury above
/// <see cref="ExpectantCombinedInjuryDoseGy"/> (REMM triage table modified from Waselenko et al. 2004),
/// multi-organ injury N4/G4 (<see cref="PatientAssessment.MultiOrganInjury"/>), or an estimated dose
/// ≥ <see cref="ExpectantDoseGy"/> (Coleman &amp; Koerner 2016 Fig. 4: ~6–10 Gy and above "palliative
/// and supportive care"). Expectant patients get palliative and supportive care, are listed apart
/// and are not given scarce cell products; when stock suffices for all, no one is expectant. Since
/// Coleman &amp; Koerner warn against wrongly labelling a patient Expectant, the queue is recomputed
/// from the current assessments at every read (re-triage on every new observation);</item>
/// <item>no bonus for combined injury: MORTT (Casagrande et al. 2011, DMPHP 5:S98) saves more lives
/// when combined-injury patients come after comparable non-irradiated ones
/// (<see cref="CombinedInjuryAdjustment"/>);</item>
/// <item>unassessed patients are "needs assessment" (SALT: everyone is assessed) above the walking
/// well, who are last (REMM triage categories: resources go to those at risk of ARS, "not on
/// concerned citizens"; MULTIBIODOSE green &lt; 1 Gy);</item>
/// <item>ties go to the lower dose (the more salvageable), then to the earlier arrival, never to the
/// higher dose.</item>
/// </list>
/// <para>
/// The allocation objective is the expected benefit (<see cref="Benefit"/>: survival with the product
/// minus without, a clinician-set table by RC and dose band, "center's clinical policy") times HLA
/// compatibility (<see cref="Allocator"/>).
/// </para>
/// <para>
/// Needs (by the bank's catalogue codes, <see cref="SeedCatalogue"/>): iPSC-derived platelets (S9105)
/// when the platelet count is ≤ <see cref="PlateletTransfusionThresholdPerNanolitre"/> ×10⁹/L (AABB,
/// Kaufman et al., Ann Intern Med 2015;162:205–213, Recommendation 1: prophylactic transfusion at
/// ≤ 10 ×10⁹/L in therapy-induced hypoproliferative thrombocytopenia), when bleeding reaches METREPOL
/// bloodLoss degree <see cref="BleedingDegree"/> (spontaneous bleeding; therapeutic transfusion), or
/// for a regenerative-therapy candidate (irreversible marrow failure: the nadir is certain); repeated
/// over the expected nadir (<see cref="TransfusionsOverNadirH4"/>, <see cref="TransfusionsOverNadirH3"/>:
/// center planning figures), each transfusion one adult dose of <see cref="PlateletsPerTransfusion"/>
/// (one apheresis unit, ≥ 3.0×10¹¹ in AABB Standards and the FDA's 2007 guidance; Kaufman 2015: up to
/// one apheresis unit per transfusion), <see cref="PlateletsPerVial"/> per vial (the center's fill).
/// Keratinocyte sheets (S9101) for radiation ulcers or necrosis (Dainiak et al. 2011, DMPHP 5:183:
/// excision and grafting): METREPOL ulcer ≥ <see cref="UlcerDegree"/>, or blistering / desquamation
/// degree 4 (bullae with haemorrhage, confluent moist desquamation); never erythema, itching or
/// swelling; <see cref="CutaneousVials"/> vials, a center planning figure.
/// </para>
/// </summary>
public sealed record PriorityPolicy
{
    /// <summary>Dose bands (Gy) of the weights and the benefit table: &lt; 1, 1–2, 2–6, 6–8, 8–10, ≥ 10 by default (MULTIBIODOSE 1/2 Gy; Coleman &amp; Koerner 2016 Fig. 4 6–10 Gy).</summary>
    public static readonly IReadOnlyList<double> DefaultDoseBandsGy = [1, 2, 6, 8, 10];

    /// <summary>Upper edges of the dose bands (ascending); the last band is open.</summary>
    public IReadOnlyList<double> DoseBandsGy { get; init; } = DefaultDoseBandsGy;

    /// <summary>Weight of RC0…RC4 (METREPOL, Fliedner et al. 2001): peaks at RC3, RC4 below RC2 (most likely to survive first).</summary>
    public IReadOnlyList<double> RcWeights { get; init; } = [0, 1, 4, 5, 3];

    /// <summary>Weight of each dose band (one more than <see cref="DoseBandsGy"/>): peaks at 2–6 Gy.</summary>
    public IReadOnlyList<double> DoseBandWeights { get; init; } = [0, 1, 3, 2, 1, 0];

    /// <summary>Children first among equals (REMM: children are more radiosensitive and treated earlier).</summary>
    public double ChildBonus { get; init; } = 1;

    /// <summary>Combined injury: after comparable non-irradiated-like patients (MORTT, Casagrande 2011); not a bonus.</summary>
    public double CombinedInjuryAdjustment { get; init; } = -1;

    /// <summary>Combined injury above this dose is expectant under scarcity (REMM table modified from Waselenko et al. 2004: &gt; 4.5 Gy).</summary>
    public double ExpectantCombinedInjuryDoseGy { get; init; } = 4.5;

    /// <summary>An estimated dose at or above this is expectant under scarcity (Coleman &amp; Koerner 2016; the review §4: ≳ 10 Gy).</summary>
    public double ExpectantDoseGy { get; init; } = 10;

    /// <summary>Walking well: RC ≤ 1 and no dose evidence at or above this (MULTIBIODOSE green &lt; 1 Gy).</summary>
    public double WalkingWellDoseGy { get; init; } = 1;

    /// <summary>
    /// Expected benefit (absolute survival probability with the product minus without), rows RC0…RC4
    /// (RC0 also for "not graded"), columns the dose bands and last "dose unknown". Source: the
    /// center's clinical policy, shaped by Coleman &amp; Koerner 2016 (little benefit below ~2 Gy,
    /// where people survive without, and above ~10 Gy, where they die despite) and MORTT.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<double>> Benefit { get; init; } =
    [
        [0.00, 0.00, 0.05, 0.05, 0.02, 0.01, 0.00],
        [0.01, 0.02, 0.10, 0.10, 0.05, 0.01, 0.02],
        [0.02, 0.05, 0.25, 0.20, 0.10, 0.02, 0.15],
        [0.02, 0.10, 0.40, 0.30, 0.15, 0.02, 0.25],
        [0.01, 0.05, 0.20, 0.15, 0.05, 0.01, 0.10],
    ];

    public string HaematopoieticProduct { get; init; } = SeedCatalogue.PlateletsCode;

    public double PlateletsPerTransfusion { get; init; } = 3e11;

    public double PlateletsPerVial { get; init; } = 1e11;

    /// <summary>Prophylactic platelet transfusion at a count ≤ this (×10⁹/L): AABB, Kaufman et al. 2015, Recommendation 1.</summary>
    public double PlateletTransfusionThresholdPerNanolitre { get; init; } = 10;

    /// <summary>METREPOL bloodLoss degree that calls for platelets: 3 = spontaneous bleeding or &gt; 20 % Hb decrease.</summary>
    public int BleedingDegree { get; init; } = 3;

    /// <summary>Transfusions planned over an H4 thrombocytopenia (weeks): a center planning figure.</summary>
    public int TransfusionsOverNadirH4 { get; init; } = 8;

    /// <summary>Transfusions planned over an H3 (or lower) thrombocytopenia: a center planning figure.</summary>
    public int TransfusionsOverNadirH3 { get; init; } = 3;

    public string CutaneousProduct { get; init; } = SeedCatalogue.KeratinocyteSheetsCode;

    /// <summary>METREPOL ulcer degree that calls for grafts (3 = dermal; Dainiak 2011: excision and grafting of ulcers).</summary>
    public int UlcerDegree { get; init; } = 3;

    public int CutaneousVials { get; init; } = 2;

    // ---- Other centers' stock (issue 13 item 2, ADR 0030). The care rules define no treatment
    // window (the review, reference/clinical, gives none and the sources it read give no hours), so
    // these are the center's planning figures, labelled so, set like every other setting here.

    /// <summary>
    /// Hours within which platelets must arrive when the count is at or below the prophylactic
    /// threshold or the patient bleeds: the transfusion is due now (AABB, Kaufman et al. 2015,
    /// Recommendation 1, gives the threshold, not a delay); how long the center can bridge is a
    /// center planning figure.
    /// </summary>
    public double PlateletWindowHours { get; init; } = 24;

    /// <summary>
    /// Hours within which platelets must arrive for a regenerative-therapy candidate whose count is
    /// not yet low: the need is planned over the expected nadir, which H4 thrombocytopenia reaches
    /// over days to weeks (the review, F8); a center planning figure.
    /// </summary>
    public double PlateletNadirWindowHours { get; init; } = 72;

    /// <summary>Hours within which keratinocyte grafts must arrive: excision and grafting is planned surgery (Dainiak et al. 2011 give no delay); a center planning figure.</summary>
    public double CutaneousWindowHours { get; init; } = 168;

    /// <summary>
    /// Fraction of a unit's value (benefit × compatibility) the allocation gives up for taking it from
    /// another center: the owner may decline, the shipment adds a cold-chain risk and a transfer of
    /// custody. So a local unit is preferred to a remote one of equal value. Center policy (no
    /// published figure); 0 makes them equal.
    /// </summary>
    public double RemoteStockDiscount { get; init; } = 0.02;

    /// <summary>
    /// Further fraction of a remote unit's value given up per hour of transport (the center's
    /// <c>Network:TransportHours:&lt;CODE&gt;</c>), so that at equal value the nearer center is asked
    /// first. Center policy (no published figure).
    /// </summary>
    public double TransportDiscountPerHour { get; init; } = 0.001;

    /// <summary>What a remote unit's value is multiplied by in the allocation's objective.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RemoteCost RemoteCost => new(RemoteStockDiscount, TransportDiscountPerHour);

    public static PriorityPolicy Default { get; } = new();

    /// <summary>Longest treatment window a setting may give: 30 days, the longest transport time a center may configure (<c>Network:TransportHours</c>, 720 h).</summary>
    public const double MaxWindowHours = 720;

    /// <summary>The band index of <paramref name="doseGy"/>, or <see cref="DoseBandsGy"/>.Count + 1 when unknown.</summary>
    public int Band(double? doseGy)
    {
        if (doseGy is not { } d)
        {
            return DoseBandsGy.Count + 1;
        }

        var i = 0;
        while (i < DoseBandsGy.Count && d >= DoseBandsGy[i])
        {
            i++;
        }

        return i;
    }

    /// <summary>The band's label (<c>2–6 Gy</c>, <c>≥ 10 Gy</c>, <c>dose unknown</c>).</summary>
    public string BandLabel(int band) => band > DoseBandsGy.Count ? "dose unknown"
        : band == 0 ? string.Create(CultureInfo.InvariantCulture, $"< {DoseBandsGy[0]:0.##} Gy")
        : band == DoseBandsGy.Count ? string.Create(CultureInfo.InvariantCulture, $"≥ {DoseBandsGy[^1]:0.##} Gy")
        : string.Create(CultureInfo.InvariantCulture, $"{DoseBandsGy[band - 1]:0.##}–{DoseBandsGy[band]:0.##} Gy");

    /// <summary>Expected benefit of a scarce product for the assessment, and the table cell it comes from.</summary>
    public (double Benefit, string Basis) ExpectedBenefit(PatientAssessment? a)
    {
        if (a is null)
        {
            return (0, "not assessed");
        }

        var rc = Math.Clamp(a.ResponseCategory ?? 0, 0, Benefit.Count - 1);
        var band = Band(a.BasisDoseGy);
        var value = Benefit[rc][band];
        return (value, string.Create(CultureInfo.InvariantCulture,
            $"expected benefit {value:0.###} (RC{rc}, {BandLabel(band)}; center's clinical policy)"));
    }

    /// <summary>
    /// Checks the policy's shape and values; every problem names its setting
    /// (<c>Care:Priority:&lt;name&gt;</c>).
    /// </summary>
    public IReadOnlyList<Core.FieldError> Problems()
    {
        var errors = new List<Core.FieldError>();
        void Bad(string field, string rule) => errors.Add(new Core.FieldError(field, rule));
        static bool Finite(double v) => double.IsFinite(v);
        if (DoseBandsGy.Count == 0 || DoseBandsGy.Any(d => !Finite(d) || d <= 0) || DoseBandsGy.Zip(DoseBandsGy.Skip(1)).Any(p => p.Second <= p.First))
        {
            Bad("doseBandsGy", "positive dose edges in ascending order");
        }

        if (RcWeights.Count != 5 || RcWeights.Any(w => !Finite(w)))
        {
            Bad("rcWeights", "five finite numbers, RC0 to RC4");
        }

        if (DoseBandWeights.Count != DoseBandsGy.Count + 1 || DoseBandWeights.Any(w => !Finite(w)))
        {
            Bad("doseBandWeights", $"one finite number per dose band ({DoseBandsGy.Count + 1})");
        }

        if (Benefit.Count != 5 || Benefit.Any(r => r.Count != DoseBandsGy.Count + 2 || r.Any(v => !Finite(v) || v < 0 || v > 1)))
        {
            Bad("benefit", $"five rows (RC0 to RC4) of {DoseBandsGy.Count + 2} probabilities between 0 and 1 (one per dose band, then dose unknown)");
        }

        foreach (var (name, v) in new[] { ("childBonus", ChildBonus), ("combinedInjuryAdjustment", CombinedInjuryAdjustment) })
        {
            if (!Finite(v))
            {
                Bad(name, "a finite number");
            }
        }

        foreach (var (name, v) in new[] { ("expectantCombinedInjuryDoseGy", ExpectantCombinedInjuryDoseGy), ("expectantDoseGy", ExpectantDoseGy),
            ("walkingWellDoseGy", WalkingWellDoseGy), ("plateletsPerTransfusion", PlateletsPerTransfusion), ("plateletsPerVial", PlateletsPerVial),
            ("plateletTransfusionThresholdPerNanolitre", PlateletTransfusionThresholdPerNanolitre) })
        {
            if (!Finite(v) || v <= 0)
            {
                Bad(name, "a number > 0");
            }
        }

        foreach (var (name, v, lo, hi) in new[] { ("bleedingDegree", BleedingDegree, 1, 4), ("ulcerDegree", UlcerDegree, 1, 4),
            ("transfusionsOverNadirH4", TransfusionsOverNadirH4, 1, 100), ("transfusionsOverNadirH3", TransfusionsOverNadirH3, 1, 100), ("cutaneousVials", CutaneousVials, 1, 1000) })
        {
            if (v < lo || v > hi)
            {
                Bad(name, $"a whole number from {lo} to {hi}");
            }
        }

        foreach (var (name, v) in new[] { ("plateletWindowHours", PlateletWindowHours), ("plateletNadirWindowHours", PlateletNadirWindowHours),
            ("cutaneousWindowHours", CutaneousWindowHours) })
        {
            if (!Finite(v) || v <= 0 || v > MaxWindowHours)
            {
                Bad(name, string.Create(CultureInfo.InvariantCulture, $"hours > 0 and at most {MaxWindowHours}"));
            }
        }

        foreach (var (name, v) in new[] { ("remoteStockDiscount", RemoteStockDiscount), ("transportDiscountPerHour", TransportDiscountPerHour) })
        {
            if (!Finite(v) || v < 0 || v >= 1)
            {
                Bad(name, "a fraction from 0 (inclusive) to 1 (exclusive)");
            }
        }

        if (string.IsNullOrWhiteSpace(HaematopoieticProduct))
        {
            Bad("haematopoieticProduct", "a product code");
        }

        if (string.IsNullOrWhiteSpace(CutaneousProduct))
        {
            Bad("cutaneousProduct", "a product code");
        }

        return errors;
    }

    /// <summary>The policy's rules in words, each with its source, for the pages and the journal.</summary>
    public IReadOnlyList<PolicyRule> Rules()
    {
        var c = CultureInfo.InvariantCulture;
        string List(IEnumerable<double> v) => string.Join(", ", v.Select(x => x.ToString("0.##", c)));
        return
        [
            new("Goal", "most likely to survive first (crisis standards); save the most lives", "Coleman et al. 2011, DMPHP 5:S111; Coleman & Koerner 2016, RPD 172:38"),
            new("RC weights (RC0…RC4)", List(RcWeights), "peak at intermediate severity: the review (reference/clinical §4), Coleman 2011"),
            new("Dose-band weights (" + string.Join(", ", Enumerable.Range(0, DoseBandsGy.Count + 1).Select(BandLabel)) + ")", List(DoseBandWeights),
                "peak at ~2–6 Gy; Coleman & Koerner 2016 Fig. 4; MULTIBIODOSE bands"),
            new("Child", "+" + ChildBonus.ToString("0.##", c), "REMM: children are more radiosensitive"),
            new("Combined injury", CombinedInjuryAdjustment.ToString("+0.##;-0.##;0", c) + " (no bonus)", "MORTT, Casagrande et al. 2011, DMPHP 5:S98"),
            new("Expectant (only under scarcity)", string.Create(c,
                $"combined injury > {ExpectantCombinedInjuryDoseGy:0.##} Gy; N4 or G4 (multi-organ injury); dose ≥ {ExpectantDoseGy:0.##} Gy → palliative and supportive care, no scarce cell products; re-triage on every observation"),
                "REMM triage table modified from Waselenko et al. 2004; Coleman & Koerner 2016 (caution against wrongly labelling Expectant)"),
            new("Needs assessment", "unassessed patients, above the walking well", "SALT (via Coleman & Koerner 2016)"),
            new("Walking well", string.Create(c, $"RC ≤ 1 and no dose evidence ≥ {WalkingWellDoseGy:0.##} Gy: last"), "REMM triage categories; MULTIBIODOSE green < 1 Gy"),
            new("Ties", "lower dose (more salvageable) first, then earlier arrival, then code", "Coleman 2011 (most likely to survive first)"),
            new("Benefit (allocation objective × HLA compatibility)", string.Join("; ", Benefit.Select((r, i) => $"RC{i}: {List(r)}")) + " (columns: dose bands, then dose unknown)",
                "center's clinical policy, shaped by Coleman & Koerner 2016 and MORTT"),
            new("Platelets", string.Create(c,
                $"count ≤ {PlateletTransfusionThresholdPerNanolitre:0.##} ×10⁹/L, bloodLoss ≥ {BleedingDegree}, or regenerative candidate; {TransfusionsOverNadirH4} transfusions over an H4 nadir, {TransfusionsOverNadirH3} over H3 (center planning figures); {PlateletsPerTransfusion:0.#e0} per transfusion, {PlateletsPerVial:0.#e0} per vial"),
                "AABB, Kaufman et al. 2015, Ann Intern Med 162:205 (Recommendation 1)"),
            new("Treatment windows (other centers' stock must arrive within)", string.Create(c,
                $"platelets {PlateletWindowHours:0.#} h when the count is low or the patient bleeds, {PlateletNadirWindowHours:0.#} h for a candidate before the nadir; keratinocyte grafts {CutaneousWindowHours:0.#} h"),
                "center planning figures (the care rules give no window; ADR 0030)"),
            new("Other centers' stock", string.Create(c,
                $"a proposal the owning center must accept; value × (1 − {RemoteStockDiscount:0.###} − {TransportDiscountPerHour:0.####} × transport hours), so local stock comes first at equal value"),
                "center policy (ADR 0030)"),
            new("Keratinocyte grafts", $"ulcer ≥ {UlcerDegree}, or blistering / desquamation degree 4; not erythema, itching or swelling; {CutaneousVials} vials (center planning figure)",
                "Dainiak et al. 2011, DMPHP 5:183 (excision and grafting)"),
        ];
    }
}

/// <summary>One rule of the policy, in words, with its source.</summary>
public sealed record PolicyRule(string Name, string Value, string Source);

/// <summary>A stored version of the priority policy: who set it, why, and under which e-signature.</summary>
public sealed record PolicyVersion(int Version, PriorityPolicy Policy, DateTimeOffset SetAt, string SetBy, string Reason, long? SignatureId);

/// <summary>Where a patient stands in the queue.</summary>
public enum PriorityTier
{
    /// <summary>Assessed and at risk of ARS: ranked by the policy's weights.</summary>
    Priority,

    /// <summary>Not yet assessed: assess (SALT); above the walking well.</summary>
    NeedsAssessment,

    /// <summary>RC ≤ 1 and no dose evidence of ARS: last.</summary>
    WalkingWell,

    /// <summary>Under scarcity only: palliative and supportive care, no scarce cell products; listed apart.</summary>
    Expectant,
}

/// <summary>A product a patient needs, how many vials, and why.</summary>
/// <param name="WindowHours">Within how many hours the product must arrive (the policy's treatment window); another center's stock farther away is not eligible.</param>
public sealed record Need(string ProductType, int Vials, string Why, double? WindowHours = null);

/// <summary>One place in the priority queue.</summary>
/// <param name="Tier">The patient's tier; the queue is ordered by tier, then priority.</param>
/// <param name="Benefit">Expected benefit of a scarce product (the allocation's weight), from the policy's table.</param>
/// <param name="ExpectantCriteria">The expectant criteria the patient meets (applied only under scarcity).</param>
public sealed record QueueEntry(int Rank, Patient Patient, PatientAssessment? Assessment, double Priority, IReadOnlyList<string> Reasons, IReadOnlyList<Need> Needs,
    PriorityTier Tier = PriorityTier.Priority, double Benefit = 0, string BenefitBasis = "", IReadOnlyList<string>? ExpectantCriteria = null);

/// <summary>Who needs what next: patients ranked by <see cref="PriorityPolicy"/>.</summary>
public static class TriageQueue
{
    /// <summary>
    /// Ranks the patients from their current assessments. With <paramref name="scarcity"/> the
    /// expectant criteria apply (those patients are listed last, apart); without it no one is expectant.
    /// </summary>
    public static IReadOnlyList<QueueEntry> Build(IReadOnlyList<Patient> patients, IReadOnlyList<PatientAssessment> assessments, PriorityPolicy? policy = null,
        bool scarcity = false)
    {
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(assessments);
        policy ??= PriorityPolicy.Default;
        var byPatient = assessments.ToDictionary(a => a.PatientId);
        var entries = new List<QueueEntry>(patients.Count);
        foreach (var p in patients)
        {
            byPatient.TryGetValue(p.Id, out var a);
            var (priority, reasons) = Score(p, a, policy);
            var expectant = ExpectantCriteria(p, a, policy);
            var tier = Tier(a, policy, scarcity && expectant.Count > 0);
            if (expectant.Count > 0)
            {
                reasons.Add(scarcity
                    ? "expectant under scarcity (" + string.Join("; ", expectant) + "): palliative and supportive care, no scarce cell products; re-triage on new observations"
                    : "meets expectant criteria (" + string.Join("; ", expectant) + "), applied only under scarcity");
            }

            var (benefit, basis) = policy.ExpectedBenefit(a);
            entries.Add(new QueueEntry(0, p, a, priority, reasons, Needs(p, a, policy), tier, benefit, basis, expectant));
        }

        return [.. entries
            .OrderBy(e => e.Tier)
            .ThenByDescending(e => e.Priority)
            .ThenBy(e => e.Assessment?.BasisDoseGy ?? double.MaxValue) // ties: the lower dose (more salvageable) first, never the higher
            .ThenBy(e => e.Patient.CreatedAt)
            .ThenBy(e => e.Patient.Id)
            .ThenBy(e => e.Patient.Code, StringComparer.Ordinal)
            .Select((e, i) => e with { Rank = i + 1 })];
    }

    /// <summary>The patient's tier under the policy.</summary>
    public static PriorityTier Tier(PatientAssessment? a, PriorityPolicy policy, bool expectant)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (expectant)
        {
            return PriorityTier.Expectant;
        }

        if (a is null || (a.ResponseCategory is null && a.Triage is null && a.BasisDoseGy is null))
        {
            return PriorityTier.NeedsAssessment;
        }

        return WalkingWell(a, policy) ? PriorityTier.WalkingWell : PriorityTier.Priority;
    }

    /// <summary>RC ≤ 1 (normal counts grade H1) and green or no dose evidence (REMM: not "concerned citizens"; MULTIBIODOSE green &lt; 1 Gy).</summary>
    public static bool WalkingWell(PatientAssessment a, PriorityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(policy);
        return (a.ResponseCategory ?? 0) <= 1
            && a.Triage is null or "green"
            && !(a.BasisDoseGy >= policy.WalkingWellDoseGy)
            && !(a.WorstSign("bloodLoss", lowest: false) >= policy.BleedingDegree);
    }

    /// <summary>The expectant criteria the patient meets (applied only under scarcity), each in words.</summary>
    public static List<string> ExpectantCriteria(Patient patient, PatientAssessment? a, PriorityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(policy);
        var criteria = new List<string>();
        if (a is null)
        {
            return criteria;
        }

        if (patient.CombinedInjury && a.BasisDoseGy > policy.ExpectantCombinedInjuryDoseGy)
        {
            criteria.Add(string.Create(CultureInfo.InvariantCulture, $"combined injury with {a.BasisDoseGy:0.##} Gy > {policy.ExpectantCombinedInjuryDoseGy:0.##} Gy (REMM/Waselenko)"));
        }

        if (a.MultiOrganInjury)
        {
            criteria.Add("multi-organ injury, N4 or G4 (METREPOL)");
        }

        if (a.BasisDoseGy >= policy.ExpectantDoseGy)
        {
            criteria.Add(string.Create(CultureInfo.InvariantCulture, $"estimated dose {a.BasisDoseGy:0.##} Gy ≥ {policy.ExpectantDoseGy:0.##} Gy (Coleman & Koerner 2016)"));
        }

        return criteria;
    }

    /// <summary>The priority weight and the reasons that make it up.</summary>
    public static (double Priority, List<string> Reasons) Score(Patient patient, PatientAssessment? a, PriorityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(policy);
        var reasons = new List<string>();
        if (Tier(a, policy, false) == PriorityTier.NeedsAssessment)
        {
            reasons.Add("needs assessment (not yet assessed): above the walking well");
            return (0, reasons);
        }

        double priority = 1;
        var c = CultureInfo.InvariantCulture;
        if (a!.ResponseCategory is { } rc)
        {
            var w = policy.RcWeights[Math.Clamp(rc, 0, policy.RcWeights.Count - 1)];
            priority += w;
            reasons.Add(string.Create(c, $"RC{rc} ({w:+0.##;-0.##;+0})"));
        }

        if (a.BasisDoseGy is { } dose)
        {
            var band = policy.Band(dose);
            var w = policy.DoseBandWeights[band];
            priority += w;
            reasons.Add(string.Create(c, $"{a.Triage ?? "dose"}, {dose:0.##} Gy, band {policy.BandLabel(band)} ({w:+0.##;-0.##;+0})"));
        }

        if (patient.CombinedInjury && policy.CombinedInjuryAdjustment != 0)
        {
            priority += policy.CombinedInjuryAdjustment;
            reasons.Add(string.Create(c, $"combined injury ({policy.CombinedInjuryAdjustment:+0.##;-0.##}; MORTT: after comparable non-irradiated)"));
        }

        if (patient.AgeYears < 18 && policy.ChildBonus != 0)
        {
            priority += policy.ChildBonus;
            reasons.Add(string.Create(c, $"child ({policy.ChildBonus:+0.##;-0.##})"));
        }

        if (WalkingWell(a, policy))
        {
            reasons.Add("walking well (RC ≤ 1, no dose evidence of ARS): last");
        }

        return (Math.Max(0, priority), reasons);
    }

    /// <summary>The products a patient's assessment calls for under <paramref name="policy"/> (F8, F9 of the review).</summary>
    public static List<Need> Needs(Patient patient, PatientAssessment? a, PriorityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(policy);
        var needs = new List<Need>();
        if (a is null)
        {
            return needs;
        }

        var c = CultureInfo.InvariantCulture;
        var why = new List<string>();
        if (a.WorstSign("platelets", lowest: true) is { } plt && plt <= policy.PlateletTransfusionThresholdPerNanolitre)
        {
            why.Add(string.Create(c, $"platelets {plt:0.##} ×10⁹/L ≤ {policy.PlateletTransfusionThresholdPerNanolitre:0.##} (AABB, Kaufman 2015)"));
        }

        if (a.WorstSign("bloodLoss", lowest: false) is { } bleed && bleed >= policy.BleedingDegree)
        {
            why.Add(string.Create(c, $"bleeding, METREPOL bloodLoss {bleed:0} ≥ {policy.BleedingDegree}"));
        }

        if (a.RegenerativeCandidate)
        {
            why.Add("regenerative-therapy candidate (marrow recovery unlikely: nadir certain)");
        }

        if (why.Count > 0)
        {
            // A day without blood counts has no H grade (ADR 0014); the nadir is planned from the graded days.
            var h = a.Metrepol.Max(d => d.H) ?? 0;
            var transfusions = h >= 4 || a.RegenerativeCandidate ? policy.TransfusionsOverNadirH4 : policy.TransfusionsOverNadirH3;
            // Whole vials; the small epsilon keeps a quotient such as 3.0000000000000004 (rounding) from becoming 4.
            var perTransfusion = (int)Math.Max(1, Math.Ceiling((policy.PlateletsPerTransfusion / policy.PlateletsPerVial) - 1e-9));
            // Due now when the count is low or the patient bleeds; a candidate alone is planned over the nadir.
            var window = why.Count > (a.RegenerativeCandidate ? 1 : 0) ? policy.PlateletWindowHours : policy.PlateletNadirWindowHours;
            needs.Add(new Need(policy.HaematopoieticProduct, perTransfusion * transfusions, string.Create(c,
                $"{string.Join("; ", why)}: {transfusions} transfusions over the expected H{Math.Max(h, 3)} nadir (center planning figure), each {policy.PlateletsPerTransfusion:0.#e0} platelets, {policy.PlateletsPerVial:0.#e0} per vial"),
                window));
        }

        var skin = new List<string>();
        if (a.WorstSign("ulcer", lowest: false) is { } ulcer && ulcer >= policy.UlcerDegree)
        {
            skin.Add(string.Create(c, $"ulcer degree {ulcer:0}"));
        }

        if (a.WorstSign("blistering", lowest: false) is { } blister && blister >= 4)
        {
            skin.Add("blistering degree 4 (bullae, haemorrhage)");
        }

        if (a.WorstSign("desquamation", lowest: false) is { } desq && desq >= 4)
        {
            skin.Add("desquamation degree 4 (confluent moist)");
        }

        if (skin.Count > 0)
        {
            needs.Add(new Need(policy.CutaneousProduct, policy.CutaneousVials,
                $"{string.Join(", ", skin)} (METREPOL C): excision and grafting (Dainiak 2011); {policy.CutaneousVials} vials, center planning figure", policy.CutaneousWindowHours));
        }

        return needs;
    }
}
