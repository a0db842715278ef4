using System.Globalization;
using Hl7.Fhir.Model;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Care;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Network.Shipments;
using CareObservation = RadRegen.Care.Records.Observation;
using CarePatient = RadRegen.Care.Records.Patient;
using FhirObservation = Hl7.Fhir.Model.Observation;
using FhirPatient = Hl7.Fhir.Model.Patient;

namespace RadRegen.Fhir;

/// <summary>
/// Our records as FHIR R4 resources (docs/fhir.md, "Profiles" and "Mapping"). Pure functions of the
/// records: the service reads them with the actor's rights, the mapper only translates. Logical ids
/// name what they come from, so a read finds its record without a second index:
/// <c>Patient/12</c>, <c>Observation/p12-o345-lym</c>, <c>Observation/p12-dose-1</c>,
/// <c>Observation/p12-hla-A</c>, <c>Condition/p12-ars</c>, <c>BiologicallyDerivedProduct/7</c>,
/// <c>SupplyDelivery/A9999-20261120-ABCD1234</c>.
/// </summary>
public static class FhirMapper
{
    /// <summary>A count ×10⁹/L in UCUM (equal to 10*3/uL, the unit LOINC's CBC panel lists).</summary>
    public const string CountUnit = "10*9/L";

    /// <summary>Haemoglobin as we record it, g/L (UCUM).</summary>
    public const string HaemoglobinUnit = "g/L";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The analytes of a blood count: our field, LOINC code, display, id suffix, unit.</summary>
    internal static readonly IReadOnlyList<(string Field, string Code, string Display, string Suffix, string Unit)> BloodAnalytes =
    [
        ("lymphocytes", LoincCodes.Lymphocytes, "Lymphocytes [#/volume] in Blood by Automated count", "lym", CountUnit),
        ("granulocytes", LoincCodes.Neutrophils, "Neutrophils [#/volume] in Blood by Automated count", "neu", CountUnit),
        ("platelets", LoincCodes.Platelets, "Platelets [#/volume] in Blood by Automated count", "plt", CountUnit),
        ("leukocytes", LoincCodes.Leukocytes, "Leukocytes [#/volume] in Blood by Automated count", "wbc", CountUnit),
        ("haemoglobinGPerL", LoincCodes.Haemoglobin, "Hemoglobin [Mass/volume] in Blood", "hgb", HaemoglobinUnit),
    ];

    /// <summary>The vital signs: our field, LOINC code (R4 vital-signs profiles), display, id suffix, UCUM unit.</summary>
    internal static readonly IReadOnlyList<(string Field, string Code, string Display, string Suffix, string Unit)> VitalSigns =
    [
        ("temperatureC", LoincCodes.BodyTemperature, "Body temperature", "temp", "Cel"),
        ("heartRatePerMin", LoincCodes.HeartRate, "Heart rate", "hr", "/min"),
        ("systolicMmHg", LoincCodes.Systolic, "Systolic blood pressure", "sys", "mm[Hg]"),
        ("diastolicMmHg", LoincCodes.Diastolic, "Diastolic blood pressure", "dia", "mm[Hg]"),
        ("respiratoryRatePerMin", LoincCodes.RespiratoryRate, "Respiratory rate", "rr", "/min"),
        ("oxygenSaturationPercent", LoincCodes.OxygenSaturation, "Oxygen saturation in Arterial blood", "spo2", "%"),
    ];

    /// <summary>
    /// HGNC gene ids of the HLA loci a typing may hold (Genomics Reporting examples and its HLA gene
    /// value set; reference/fhir/README.md). A locus not listed gets no gene-studied component.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> HgncOfLocus = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["HLA-A"] = "HGNC:4931",
        ["HLA-B"] = "HGNC:4932",
        ["HLA-C"] = "HGNC:4933",
        ["HLA-DPA1"] = "HGNC:4938",
        ["HLA-DQA1"] = "HGNC:4942",
        ["HLA-DQB1"] = "HGNC:4944",
        ["HLA-DRB1"] = "HGNC:4948",
        ["HLA-DRB3"] = "HGNC:4951",
        ["HLA-DRB4"] = "HGNC:4952",
        ["HLA-DRB5"] = "HGNC:4953",
    };

    // ------------------------------------------------------------------------------------------
    // Patient

    /// <summary>A care patient, pseudonymous: no name, no birth date; the care patient id as identifier.</summary>
    public static FhirPatient ToPatient(CarePatient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return new FhirPatient
        {
            Id = Id(patient.Id),
            Identifier = [new Identifier(FhirSystems.PatientId, Id(patient.Id))],
            Active = true,
            Gender = patient.Sex switch
            {
                Sex.Female => AdministrativeGender.Female,
                Sex.Male => AdministrativeGender.Male,
                _ => AdministrativeGender.Unknown,
            },
        };
    }

    // ------------------------------------------------------------------------------------------
    // Observations

    /// <summary>Every Observation of a patient's record: the care observations, the dose estimates of the current assessment, the HLA genotypes.</summary>
    public static IReadOnlyList<FhirObservation> ToObservations(PatientRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = new List<FhirObservation>();
        foreach (var o in record.Observations)
        {
            result.AddRange(ToObservations(o));
        }

        if (record.Assessment is { } assessment)
        {
            result.AddRange(ToDoseEstimates(record.Patient, assessment));
        }

        result.AddRange(ToHlaGenotypes(record.Patient));
        return result;
    }

    /// <summary>One care observation as FHIR Observations: one per analyte or vital sign, one for signs, one for a cytogenetic count.</summary>
    public static IReadOnlyList<FhirObservation> ToObservations(CareObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var d = observation.Data;
        var baseId = $"p{Id(observation.PatientId)}-o{Id(observation.Id)}";
        var result = new List<FhirObservation>();

        // One Observation per recorded value of a LOINC table (blood analytes, vital signs).
        void Measured(IReadOnlyList<(string Field, string Code, string Display, string Suffix, string Unit)> table, string category,
            Func<ObservationData, string, double?> valueOf)
        {
            foreach (var (field, code, display, suffix, unit) in table)
            {
                if (valueOf(d, field) is { } v)
                {
                    var fo = Base(observation, $"{baseId}-{suffix}", category, Loinc(code, display));
                    fo.Value = Quantity(v, unit);
                    result.Add(fo);
                }
            }
        }

        switch (observation.Kind)
        {
            case ObservationKind.BloodCount:
                Measured(BloodAnalytes, "laboratory", BloodValue);

                if (d.Signs is { Count: > 0 })
                {
                    result.Add(Signs(observation, $"{baseId}-signs", d));
                }

                break;

            case ObservationKind.Vitals:
                Measured(VitalSigns, "vital-signs", VitalValue);

                break;

            case ObservationKind.Symptoms:
            case ObservationKind.Skin:
                result.Add(Signs(observation, $"{baseId}-signs", d));
                break;

            case ObservationKind.Cytogenetics:
                var cyto = Base(observation, $"{baseId}-cyto", "laboratory", Own(FhirSystems.ObservationCode, "cytogenetic-count", "Cytogenetic aberration count"));
                cyto.Component =
                [
                    Component(Own(FhirSystems.ObservationCode, "cells-scored", "Cells scored"), new Integer(Int(d.Cells))),
                    Component(Own(FhirSystems.ObservationCode, "aberrations", "Aberrations counted"), new Integer(Int(d.Aberrations))),
                ];
                if (d.Curve is { } curve)
                {
                    cyto.Method = new CodeableConcept { Text = $"{curve.Assay} assay, {curve.Model} curve {curve.Name}; {d.Method ?? "merkle83"}" };
                }

                result.Add(cyto);
                break;
        }

        return result;
    }

    private static FhirObservation Signs(CareObservation observation, string id, ObservationData d)
    {
        var what = observation.Kind == ObservationKind.Skin ? ("metrepol-skin-signs", "METREPOL cutaneous signs") : ("metrepol-signs", "METREPOL signs");
        var fo = Base(observation, id, "exam", Own(FhirSystems.ObservationCode, what.Item1, what.Item2));
        var components = new List<FhirObservation.ComponentComponent>();
        foreach (var (key, value) in d.Signs ?? new Dictionary<string, double>())
        {
            components.Add(Component(Own(FhirSystems.Metrepol, key, key), new Quantity { Value = (decimal)value, System = FhirSystems.Ucum, Code = "1", Unit = "1" }));
        }

        if (d.VomitingOnsetAt is { } onset)
        {
            components.Add(Component(Own(FhirSystems.ObservationCode, "vomiting-onset", "Vomiting began at"), new FhirDateTime(onset)));
        }

        if (d.NoVomiting is { } none)
        {
            components.Add(Component(Own(FhirSystems.ObservationCode, "no-vomiting", "Has not vomited up to the observation"), new FhirBoolean(none)));
        }

        if (d.BsaPercent is { } bsa)
        {
            components.Add(Component(Own(FhirSystems.ObservationCode, "bsa-percent", "Body surface area affected"), Quantity(bsa, "%")));
        }

        fo.Component = components;
        if (d.Site is { Length: > 0 } site)
        {
            fo.BodySite = new CodeableConcept { Text = site };
        }

        return fo;
    }

    /// <summary>Each dose estimate of the current assessment: the estimate in Gy with its interval as the lower and upper bounds.</summary>
    public static IReadOnlyList<FhirObservation> ToDoseEstimates(CarePatient patient, PatientAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(assessment);
        var result = new List<FhirObservation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < assessment.Doses.Count; i++)
        {
            var dose = assessment.Doses[i];
            var method = DoseMethod(dose.Rank);
            var id = $"p{Id(patient.Id)}-dose-{method.Code}";
            if (!seen.Add(id))
            {
                id += "-" + Id(i);
            }

            var fo = new FhirObservation
            {
                Id = id,
                Status = ObservationStatus.Final,
                Category = [Category(dose.Rank == 4 ? "exam" : "laboratory")],
                Code = Own(FhirSystems.ObservationCode, "dose-estimate", "Whole-body absorbed dose estimate"),
                Subject = PatientReference(patient.Id),
                Effective = new FhirDateTime(assessment.AssessedAt),
                Issued = assessment.AssessedAt,
                Method = new CodeableConcept { Coding = [new Coding(FhirSystems.DoseMethod, method.Code, method.Display)], Text = dose.Method },
                Note = [new Annotation { Text = $"Trust: {dose.Trust}. Source: {dose.Reference}.{(dose.Extrapolated ? " Extrapolated beyond the calibrated dose range." : "")}" }],
            };
            if (dose.EstimateGy is { } estimate)
            {
                fo.Value = Quantity(estimate, "Gy");
            }
            else
            {
                fo.DataAbsentReason = Concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-applicable", "Not Applicable");
                fo.DataAbsentReason.Text = "the method gives an interval, not a point estimate";
            }

            var components = new List<FhirObservation.ComponentComponent>();
            if (dose.LowerGy is { } lower)
            {
                components.Add(Component(Own(FhirSystems.ObservationCode, "dose-lower", "Lower bound of the dose interval"), Quantity(lower, "Gy")));
            }

            if (dose.UpperGy is { } upper)
            {
                components.Add(Component(Own(FhirSystems.ObservationCode, "dose-upper", "Upper bound of the dose interval"), Quantity(upper, "Gy")));
            }

            fo.Component = components;
            result.Add(fo);
        }

        return result;
    }

    /// <summary>The method of a dose line by its rank (RadRegen.Dosimetry CombinedAssessment: 1 cytogenetics … 4 time to vomiting).</summary>
    internal static (string Code, string Display) DoseMethod(int rank) => rank switch
    {
        1 => ("cytogenetics", "Cytogenetic biodosimetry"),
        2 => ("lymphocyte-kinetics", "Lymphocyte depletion kinetics"),
        3 => ("lowest-lymphocyte-count", "Lowest lymphocyte count within 48 h"),
        4 => ("time-to-vomiting", "Time to onset of vomiting"),
        _ => ("other", "Other method"),
    };

    /// <summary>
    /// The patient's HLA typing as Genomics Reporting genotype Observations, one per locus: LOINC
    /// 84413-4 and the GL String value (system glstring.org) — never the deprecated core extension
    /// <c>hla-genotyping-results-glstring</c> (reference/fhir §5.2). They follow the shape of the
    /// IG's example genotype-hla-a-glstring-r4 but do not claim its profile in meta.profile: the IG
    /// package is not available offline, so the claim could not be validated (ADR 0037).
    /// </summary>
    public static IReadOnlyList<FhirObservation> ToHlaGenotypes(CarePatient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        if (string.IsNullOrWhiteSpace(patient.HlaTyping))
        {
            return [];
        }

        var result = new List<FhirObservation>();
        foreach (var block in patient.HlaTyping.Split('^', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var locus = Locus(block);
            var fo = new FhirObservation
            {
                Id = $"p{Id(patient.Id)}-hla-{IdPart(locus.Replace("HLA-", "", StringComparison.OrdinalIgnoreCase))}",
                Status = ObservationStatus.Final,
                Category = [Category("laboratory")],
                Code = Loinc(LoincCodes.GenotypeDisplayName, "Genotype display name"),
                Subject = PatientReference(patient.Id),
                Value = new CodeableConcept { Coding = [new Coding { System = FhirSystems.GlString, Version = FhirSystems.GlStringVersion, Code = block }] },
            };
            if (HgncOfLocus.TryGetValue(locus, out var hgnc))
            {
                fo.Component = [Component(Loinc(LoincCodes.GeneStudied, "Gene studied [ID]"), Concept(FhirSystems.HgncGeneId, hgnc, locus))];
            }

            result.Add(fo);
        }

        return result;
    }

    /// <summary>The locus of a GL String locus block (<c>HLA-A*01:01+HLA-A*02:01</c> → <c>HLA-A</c>).</summary>
    internal static string Locus(string block)
    {
        var star = block.IndexOf('*', StringComparison.Ordinal);
        var name = star > 0 ? block[..star] : block;
        var cut = name.IndexOfAny(['+', '/', '~', '|']);
        return (cut > 0 ? name[..cut] : name).Trim();
    }

    // ------------------------------------------------------------------------------------------
    // Condition

    /// <summary>
    /// Acute radiation syndrome from the current assessment: the METREPOL response category of the
    /// worst graded day as the stage summary, and that day's N, H, C and G degrees as further stages.
    /// Null when the assessment graded no response (no RC, or RC0).
    /// </summary>
    public static Condition? ToCondition(CarePatient patient, PatientAssessment? assessment)
    {
        ArgumentNullException.ThrowIfNull(patient);
        if (assessment is not { ResponseCategory: > 0 and var rc })
        {
            return null;
        }

        var day = assessment.Metrepol.Where(d => d.ResponseCategory == rc).OrderByDescending(d => d.Day).FirstOrDefault();
        var stages = new List<Condition.StageComponent>
        {
            new()
            {
                Summary = Own(FhirSystems.Metrepol, $"RC{rc}", $"METREPOL response category {rc}"),
                Type = Own(FhirSystems.Metrepol, "response-category", "METREPOL response category"),
                Assessment = [.. assessment.Doses.Select((dose, i) => new ResourceReference($"Observation/p{Id(patient.Id)}-dose-{DoseMethod(dose.Rank).Code}"))
                    .DistinctBy(r => r.Reference)],
            },
        };
        if (day is not null)
        {
            stages.Add(Degree("N", "neurovascular", day.N));
            if (day.H is { } h)
            {
                stages.Add(Degree("H", "haematopoietic", h));
            }

            stages.Add(Degree("C", "cutaneous", day.C));
            stages.Add(Degree("G", "gastrointestinal", day.G));
        }

        return new Condition
        {
            Id = $"p{Id(patient.Id)}-ars",
            ClinicalStatus = Concept(FhirSystems.ConditionClinical, "active", "Active"),
            VerificationStatus = Concept(FhirSystems.ConditionVerification, "provisional", "Provisional"),
            Category = [Concept(FhirSystems.ConditionCategory, "encounter-diagnosis", "Encounter Diagnosis")],
            Code = Own(FhirSystems.ConditionCode, "acute-radiation-syndrome", "Acute radiation syndrome"),
            Subject = PatientReference(patient.Id),
            Onset = new FhirDateTime(patient.ExposureStart),
            RecordedDateElement = new FhirDateTime(assessment.AssessedAt),
            Stage = stages,
            Note = day is null ? null : [new Annotation { Text = $"METREPOL {day.Code} after exposure (assessment version {assessment.Version.ToString(Inv)})." }],
        };
    }

    private static Condition.StageComponent Degree(string letter, string system, int degree) => new()
    {
        Summary = Own(FhirSystems.Metrepol, $"{letter}{degree.ToString(Inv)}", $"METREPOL {system} degree {degree.ToString(Inv)}"),
        Type = Own(FhirSystems.Metrepol, letter, $"METREPOL {system} degree"),
    };

    // ------------------------------------------------------------------------------------------
    // BiologicallyDerivedProduct

    /// <summary>
    /// A vial as an R4 BiologicallyDerivedProduct (maturity 0, Trial Use): the ISBT 128 MPHO Unique
    /// Identifier and DIN under their ISBT URIs (R4 has no DIN, division or facility slots,
    /// reference/fhir §5.2), available or not, the expiry as the end of the storage period, the box.
    /// Codes only: never the donor.
    /// </summary>
    public static BiologicallyDerivedProduct ToProduct(VialDetail detail, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var vial = detail.Lineage.Vial;
        var lot = detail.Lineage.Lot;
        var storage = new BiologicallyDerivedProduct.StorageComponent
        {
            Description = detail.Box is { } box ? $"{box.Path}{(vial.Position is { } p ? " " + Bank.Model.Positions.Label(vial.Row!.Value, vial.Column!.Value) : "")}" : "not in storage",
            Duration = new Period { EndElement = new FhirDateTime(vial.ExpiresAt) },
        };
        if (detail.Box?.MaxCelsius is { } max)
        {
            storage.Temperature = (decimal)max;
            storage.Scale = BiologicallyDerivedProduct.BiologicallyDerivedProductStorageScale.Celsius;
        }

        return new BiologicallyDerivedProduct
        {
            Id = Id(vial.Id),
            Meta = new Meta { Tag = [new Coding(FhirSystems.VialStatus, Kebab(vial.Status.ToString()))] },
            Identifier =
            [
                new Identifier(FhirSystems.IsbtMphoUniqueIdentifier, MphoUniqueIdentifier(vial)),
                new Identifier(FhirSystems.IsbtDonationIdentificationNumber, vial.Din),
            ],
            ProductCategory = BiologicallyDerivedProduct.BiologicallyDerivedProductCategory.Cells,
            ProductCode = new CodeableConcept(FhirSystems.ProductCode, vial.ProductCode) { Text = $"{vial.ProductCode} division {vial.Division}" },
            Status = vial.Status == VialStatus.Released && vial.ExpiresAt > now && vial.Flag is null
                ? BiologicallyDerivedProduct.BiologicallyDerivedProductStatus.Available
                : BiologicallyDerivedProduct.BiologicallyDerivedProductStatus.Unavailable,
            Quantity = 1,
            Processing =
            [
                new BiologicallyDerivedProduct.ProcessingComponent
                {
                    Description = $"lot {lot.LotNumber} of line {detail.Lineage.Line.Code}, working cell bank {detail.Lineage.WorkingBank.Code}",
                    Time = new FhirDateTime(lot.ManufacturedAt),
                },
            ],
            Storage = [storage],
        };
    }

    /// <summary>
    /// The MPHO Unique Identifier as the R5 example writes it: facility (the DIN's first five
    /// characters: this bank issues its DINs), product code, DIN, division —
    /// <c>A9999E0398A999921123456A00000</c> (reference/fhir §5.2).
    /// </summary>
    public static string MphoUniqueIdentifier(Vial vial)
    {
        ArgumentNullException.ThrowIfNull(vial);
        return $"{vial.Din[..Math.Min(5, vial.Din.Length)]}{vial.ProductCode}{vial.Din}{vial.Division}";
    }

    // ------------------------------------------------------------------------------------------
    // SupplyDelivery

    /// <summary>A shipment between centers: in progress until received, completed once received, abandoned when declined or cancelled.</summary>
    public static SupplyDelivery ToSupplyDelivery(Shipment shipment)
    {
        ArgumentNullException.ThrowIfNull(shipment);
        var items = shipment.Sender.Items;
        var count = items.Count > 0 ? items.Count : shipment.Request.Lines.Sum(l => l.Count);
        var codes = (items.Count > 0 ? items.Select(i => i.ProductCode) : shipment.Request.Lines.Select(l => l.ProductCode)).Distinct(StringComparer.Ordinal).ToList();
        var item = codes.Count == 1
            ? new CodeableConcept(FhirSystems.ProductCode, codes[0])
            : new CodeableConcept { Text = string.Join(", ", codes) };
        item.Text ??= string.Join(", ", items.Select(i => $"{i.Din} {i.ProductCode} {i.Division}"));
        if (item.Text.Length == 0)
        {
            item.Text = null;
        }

        var delivery = new SupplyDelivery
        {
            Id = shipment.Id,
            Meta = new Meta { Tag = [new Coding(FhirSystems.ShipmentState, Kebab(shipment.State.ToString()))] },
            Identifier = [new Identifier(FhirSystems.ShipmentId, shipment.Id)],
            Status = shipment.State switch
            {
                ShipmentState.Requested or ShipmentState.Packed or ShipmentState.Dispatched => SupplyDelivery.SupplyDeliveryStatus.InProgress,
                ShipmentState.Declined or ShipmentState.Cancelled => SupplyDelivery.SupplyDeliveryStatus.Abandoned,
                _ => SupplyDelivery.SupplyDeliveryStatus.Completed,
            },
            SuppliedItem = new SupplyDelivery.SuppliedItemComponent
            {
                Quantity = new Quantity { Value = count, System = FhirSystems.Ucum, Code = "{vial}", Unit = "vial" },
                Item = item,
            },
            Supplier = new ResourceReference { Display = $"center {shipment.SenderCenter}" },
            Destination = new ResourceReference { Display = $"center {shipment.ReceiverCenter}" },
        };
        if (shipment.Sender.DispatchedAt is { } dispatched)
        {
            delivery.Occurrence = shipment.Receiver.ReceivedAt is { } received
                ? new Period(new FhirDateTime(dispatched), new FhirDateTime(received))
                : new Period { StartElement = new FhirDateTime(dispatched) };
        }

        return delivery;
    }

    // ------------------------------------------------------------------------------------------
    // Helpers

    internal static string Id(long id) => id.ToString(Inv);

    internal static ResourceReference PatientReference(long patientId) => new($"Patient/{Id(patientId)}");

    private static FhirObservation Base(CareObservation o, string id, string category, CodeableConcept code) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Category = [Category(category)],
        Code = code,
        Subject = PatientReference(o.PatientId),
        Effective = new FhirDateTime(o.ObservedAt),
        Issued = o.RecordedAt,
        Note = o.Data.Note is { Length: > 0 } note ? [new Annotation { Text = note }] : null,
    };

    internal static CodeableConcept Category(string code) => Concept(FhirSystems.ObservationCategory, code, code switch
    {
        "laboratory" => "Laboratory",
        "vital-signs" => "Vital Signs",
        _ => "Exam",
    });

    internal static CodeableConcept Loinc(string code, string display) => Concept(FhirSystems.Loinc, code, display);

    private static CodeableConcept Own(string system, string code, string display) => Concept(system, code, display);

    /// <summary>A concept of one coding with its display (CodeableConcept's three-argument constructor sets the text, not the display).</summary>
    internal static CodeableConcept Concept(string system, string code, string display) => new() { Coding = [new Coding(system, code, display)] };

    private static FhirObservation.ComponentComponent Component(CodeableConcept code, DataType value) => new() { Code = code, Value = value };

    internal static Quantity Quantity(double value, string ucum) => new()
    {
        Value = (decimal)value,
        System = FhirSystems.Ucum,
        Code = ucum,
        Unit = ucum,
    };

    private static int Int(long? value) => value is { } v ? (int)Math.Clamp(v, int.MinValue, int.MaxValue) : 0;

    internal static double? BloodValue(ObservationData d, string field) => field switch
    {
        "lymphocytes" => d.Lymphocytes,
        "granulocytes" => d.Granulocytes,
        "platelets" => d.Platelets,
        "leukocytes" => d.Leukocytes,
        "haemoglobinGPerL" => d.HaemoglobinGPerL,
        _ => null,
    };

    private static double? VitalValue(ObservationData d, string field) => field switch
    {
        "temperatureC" => d.TemperatureC,
        "heartRatePerMin" => d.HeartRatePerMin,
        "systolicMmHg" => d.SystolicMmHg,
        "diastolicMmHg" => d.DiastolicMmHg,
        "respiratoryRatePerMin" => d.RespiratoryRatePerMin,
        "oxygenSaturationPercent" => d.OxygenSaturationPercent,
        _ => null,
    };

    /// <summary>An id part of letters, digits, '-' and '.' only (FHIR id: [A-Za-z0-9\-\.]{1,64}).</summary>
    private static string IdPart(string text) => new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-')]);

    private static string Kebab(string pascal) => string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
