using Hl7.Fhir.Model;
using ObservationKind = RadRegen.Care.Records.ObservationKind;

namespace RadRegen.Fhir.Tests;

/// <summary>The Bundle reader: what a hospital may post and how each refused entry is named (no validator, no database).</summary>
public sealed class LabBundleReaderTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 8, 30, 0, TimeSpan.Zero);

    private static Bundle.EntryComponent Entry(Resource resource) =>
        new() { Resource = resource, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } };

    private static Observation Lab(string loinc, decimal value, string unit, long patient = 12, DateTimeOffset? at = null, ObservationStatus status = ObservationStatus.Final) => new()
    {
        Status = status,
        Code = FhirMapper.Loinc(loinc, loinc),
        Subject = new ResourceReference($"Patient/{patient}"),
        Effective = new FhirDateTime(at ?? At),
        Value = new Quantity { Value = value, System = FhirSystems.Ucum, Code = unit, Unit = unit },
    };

    private static Bundle Transaction(params Resource[] resources) => new() { Type = Bundle.BundleType.Transaction, Entry = [.. resources.Select(Entry)] };

    [Fact]
    public void Analytes_of_one_patient_at_one_time_become_one_blood_count_in_our_units()
    {
        var batch = LabBundleReader.Read(Transaction(
            Lab("731-0", 1.2m, "10*9/L"), Lab("751-8", 4.1m, "10*3/uL"), Lab("718-7", 13.5m, "g/dL"), Lab("777-3", 150m, "10*9/L", at: At.AddHours(6)), Lab("731-0", 0.9m, "10*9/L", patient: 13)));
        Assert.Equal(3, batch.Items.Count);
        var first = batch.Items[0];
        Assert.Equal((12L, ObservationKind.BloodCount, At), (first.PatientId, first.Kind, first.ObservedAt));
        Assert.Equal((1.2, 4.1, 135.0), (first.Data.Lymphocytes, first.Data.Granulocytes, first.Data.HaemoglobinGPerL));
        Assert.Equal([0, 1, 2], batch.Groups[first.Field].Entries);
        Assert.Equal(2, batch.Groups[first.Field].EntryOfAnalyte["haemoglobinGPerL"]);
    }

    [Fact]
    public void A_cbc_panel_with_components_is_read()
    {
        var panel = new Observation
        {
            Status = ObservationStatus.Final,
            Code = FhirMapper.Loinc("58410-2", "CBC panel - Blood by Automated count"),
            Subject = new ResourceReference("https://hospital.example/fhir/Patient/12"),
            Effective = new FhirDateTime(At),
            Component =
            [
                new Observation.ComponentComponent { Code = FhirMapper.Loinc("6690-2", "wbc"), Value = new Quantity { Value = 7.5m, System = FhirSystems.Ucum, Code = "10*3/uL" } },
                new Observation.ComponentComponent { Code = FhirMapper.Loinc("777-3", "plt"), Value = new Quantity { Value = 210m, System = FhirSystems.Ucum, Code = "10*3/uL" } },
            ],
        };
        var item = LabBundleReader.Read(Transaction(panel)).Items.Single();
        Assert.Equal((7.5, 210.0, 12L), (item.Data.Leukocytes, item.Data.Platelets, item.PatientId));
    }

    [Fact]
    public void Every_refused_entry_is_named_with_its_reason()
    {
        var dateOnly = Lab("731-0", 1m, "10*9/L");
        dateOnly.Effective = new FhirDateTime("2026-11-21");
        var ex = Assert.Throws<FhirException>(() => LabBundleReader.Read(Transaction(
            Lab("731-0", 1m, "10*9/L"),
            new Patient(),
            Lab("731-0", 1m, "10*9/L", status: ObservationStatus.Preliminary),
            Lab("2345-7", 5m, "mmol/L"),
            Lab("731-0", 1000m, "/uL"),
            dateOnly,
            Lab("731-0", 1.1m, "10*9/L"))));
        Assert.Equal(400, ex.Status);
        string On(int entry) => string.Join("; ", ex.Issues.Where(i => i.Expression!.StartsWith($"Bundle.entry[{entry}]", StringComparison.Ordinal)).Select(i => i.Diagnostics));
        Assert.Empty(On(0));
        Assert.Contains("resource type Patient is not taken", On(1), StringComparison.Ordinal);
        Assert.Contains("preliminary", On(2), StringComparison.Ordinal);
        Assert.Contains("LOINC code 2345-7 is not one we take", On(3), StringComparison.Ordinal);
        Assert.Contains("unit '/uL'", On(4), StringComparison.Ordinal);
        Assert.Contains("with a time and a zone", On(5), StringComparison.Ordinal);
        Assert.Contains("already given by entry 0", On(6), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_transaction_or_batch_bundle_is_taken()
    {
        Assert.Equal(400, Assert.Throws<FhirException>(() => LabBundleReader.Read(new Patient())).Status);
        Assert.Contains("Bundle.type", Assert.Throws<FhirException>(() => LabBundleReader.Read(new Bundle { Type = Bundle.BundleType.Collection, Entry = [Entry(Lab("731-0", 1m, "10*9/L"))] })).Message, StringComparison.Ordinal);
        Assert.Contains("no entry", Assert.Throws<FhirException>(() => LabBundleReader.Read(new Bundle { Type = Bundle.BundleType.Batch })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_fhir_json_is_refused_naming_where()
    {
        var ex = Assert.Throws<FhirException>(() => FhirJson.Parse("""{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Observation","status":"final","valueQuantity":{"value":"many"}}}]}"""));
        Assert.Equal(400, ex.Status);
        Assert.NotEmpty(ex.Issues);
        Assert.Throws<FhirException>(() => FhirJson.Parse("not json"));
    }
}
