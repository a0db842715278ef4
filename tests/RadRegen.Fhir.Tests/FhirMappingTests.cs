using Hl7.Fhir.Model;
using RadRegen.Bank.Model;
using RadRegen.Network.Shipments;
using Xunit.Abstractions;

namespace RadRegen.Fhir.Tests;

/// <summary>
/// Every resource type we produce, mapped from records and VALIDATED by the Firely validator against
/// the base R4 profiles of the local specification package: zero errors (issue 17 item 1).
/// </summary>
[Collection(FhirValidationCollection.Name)]
[Trait("Category", "Slow")]
public sealed class FhirMappingTests(FhirValidation validation, ITestOutputHelper output)
{
    [Fact]
    public void The_validator_loads_from_the_local_package_once()
    {
        output.WriteLine($"validator loaded and warmed up in {validation.LoadTime.TotalSeconds:F1} s");
        Assert.NotNull(validation.Validator);
        // A resource that breaks the base profile is refused: the validator really checks.
        var broken = new Observation { Id = "broken" }; // status and code are required (1..1)
        Assert.NotEmpty(validation.Errors(broken));
    }

    [Fact]
    public void A_patient_is_pseudonymous_and_valid()
    {
        var patient = FhirMapper.ToPatient(Samples.Patient());
        validation.Valid(patient);
        Assert.Empty(patient.Name);
        Assert.Null(patient.BirthDate);
        Assert.Equal("12", patient.Id);
        Assert.Equal((FhirSystems.PatientId, "12"), (patient.Identifier.Single().System, patient.Identifier.Single().Value));
        Assert.Equal(AdministrativeGender.Female, patient.Gender);
    }

    [Fact]
    public void Every_observation_of_a_record_is_valid_and_blood_counts_carry_loinc_codes()
    {
        var observations = FhirMapper.ToObservations(Samples.Record());
        foreach (var o in observations)
        {
            validation.Valid(o);
        }

        Assert.Equal(observations.Count, observations.Select(o => o.Id).Distinct().Count());
        var lymphocytes = observations.Single(o => o.Id == "p12-o3-lym");
        Assert.Equal(("http://loinc.org", "731-0"), (lymphocytes.Code.Coding[0].System, lymphocytes.Code.Coding[0].Code));
        var q = Assert.IsType<Quantity>(lymphocytes.Value);
        Assert.Equal((1.1m, "http://unitsofmeasure.org", "10*9/L"), (q.Value, q.System, q.Code));
        Assert.Equal("laboratory", lymphocytes.Category[0].Coding[0].Code);
        Assert.Equal("Patient/12", lymphocytes.Subject.Reference);
        var codes = observations.SelectMany(o => o.Code.Coding).Where(c => c.System == "http://loinc.org").Select(c => c.Code).ToHashSet();
        Assert.Superset(new HashSet<string?> { "731-0", "751-8", "777-3", "6690-2", "718-7", "8310-5", "8867-4", "8480-6", "8462-4", "9279-1", "2708-6", "84413-4" }, codes);
        Assert.Contains(observations, o => o.Id == "p12-o6-signs" && o.Component.Any(c => c.Code.Coding[0].Code == "erythema"));
        Assert.Contains(observations, o => o.Id == "p12-o7-cyto");
    }

    [Fact]
    public void Cytogenetic_dose_estimates_are_observations_in_gray_with_their_interval()
    {
        var record = Samples.Record();
        var doses = FhirMapper.ToDoseEstimates(record.Patient, record.Assessment!);
        Assert.NotEmpty(doses);
        foreach (var d in doses)
        {
            validation.Valid(d);
        }

        var cyto = doses.Single(d => d.Id == "p12-dose-cytogenetics");
        var line = record.Assessment!.Doses.Single(d => d.Rank == 1);
        Assert.Equal("cytogenetics", cyto.Method.Coding[0].Code);
        Assert.Equal((decimal)line.EstimateGy!.Value, Assert.IsType<Quantity>(cyto.Value).Value);
        Assert.Equal("Gy", ((Quantity)cyto.Value).Code);
        Assert.Equal((decimal)line.LowerGy!.Value, ((Quantity)cyto.Component.Single(c => c.Code.Coding[0].Code == "dose-lower").Value).Value);
        Assert.Equal((decimal)line.UpperGy!.Value, ((Quantity)cyto.Component.Single(c => c.Code.Coding[0].Code == "dose-upper").Value).Value);
    }

    [Fact]
    public void Hla_genotypes_are_genomics_reporting_observations_with_a_gl_string_never_the_deprecated_extension()
    {
        var genotypes = FhirMapper.ToHlaGenotypes(Samples.Patient());
        Assert.Equal(["p12-hla-A", "p12-hla-B", "p12-hla-DRB1", "p12-hla-DPB1"], genotypes.Select(g => g.Id));
        foreach (var g in genotypes)
        {
            validation.Valid(g);
            Assert.Equal(("http://loinc.org", "84413-4"), (g.Code.Coding[0].System, g.Code.Coding[0].Code));
            Assert.Empty(g.Extension);
            Assert.DoesNotContain("hla-genotyping-results", FhirJson.Serialize(g), StringComparison.Ordinal);
        }

        var a = genotypes[0];
        var value = Assert.IsType<CodeableConcept>(a.Value).Coding.Single();
        Assert.Equal(("http://glstring.org", "HLA-A*01:01+HLA-A*02:01"), (value.System, value.Code));
        var gene = Assert.IsType<CodeableConcept>(a.Component.Single(c => c.Code.Coding[0].Code == "48018-6").Value).Coding.Single();
        Assert.Equal(("http://www.genenames.org/geneId", "HGNC:4931", "HLA-A"), (gene.System, gene.Code, gene.Display));
        Assert.Empty(genotypes[3].Component); // HLA-DPB1: no HGNC id in our cited table, so no gene-studied component
        Assert.Empty(FhirMapper.ToHlaGenotypes(Samples.Patient(hla: null)));
    }

    [Fact]
    public void Ars_is_a_condition_with_the_metrepol_response_category_and_degrees()
    {
        var record = Samples.Record();
        var condition = FhirMapper.ToCondition(record.Patient, record.Assessment);
        Assert.NotNull(condition);
        validation.Valid(condition!);
        var rc = record.Assessment!.ResponseCategory!.Value;
        Assert.Equal($"RC{rc}", condition!.Stage[0].Summary.Coding[0].Code);
        Assert.Equal(FhirSystems.Metrepol, condition.Stage[0].Summary.Coding[0].System);
        Assert.Contains(condition.Stage, s => s.Type.Coding[0].Code == "H");
        Assert.Equal(["N", "H", "C", "G"], condition.Stage.Skip(1).Select(s => s.Type.Coding[0].Code));
        Assert.Equal("p12-ars", condition.Id);
        Assert.Null(FhirMapper.ToCondition(record.Patient, null));
    }

    [Fact]
    public void A_vial_is_a_biologically_derived_product_with_isbt_128_identifiers()
    {
        var product = FhirMapper.ToProduct(Samples.Vial(), Samples.Now);
        validation.Valid(product);
        Assert.Equal(("https://www.isbt128.org/uri/MPHOUniqueIdentifier", "A9999E0398A999921123456A00000"), (product.Identifier[0].System, product.Identifier[0].Value));
        Assert.Equal(("https://www.isbt128.org/uri/DonationIdentificationNumber", "A999921123456"), (product.Identifier[1].System, product.Identifier[1].Value));
        Assert.Equal(BiologicallyDerivedProduct.BiologicallyDerivedProductStatus.Available, product.Status);
        Assert.Equal(BiologicallyDerivedProduct.BiologicallyDerivedProductCategory.Cells, product.ProductCategory);
        var storage = product.Storage.Single();
        Assert.Equal(-150m, storage.Temperature);
        Assert.Equal(BiologicallyDerivedProduct.BiologicallyDerivedProductStorageScale.Celsius, storage.Scale);
        Assert.Equal(Samples.Exposure.AddMonths(9), storage.Duration.EndElement.ToDateTimeOffset(TimeSpan.Zero));
        Assert.Contains("B3", storage.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("D-0003", FhirJson.Serialize(product), StringComparison.Ordinal); // never the donor

        var thawed = FhirMapper.ToProduct(Samples.Vial(VialStatus.Thawed), Samples.Now);
        validation.Valid(thawed);
        Assert.Equal(BiologicallyDerivedProduct.BiologicallyDerivedProductStatus.Unavailable, thawed.Status);
        Assert.Equal("thawed", thawed.Meta.Tag.Single().Code);
    }

    [Theory]
    [InlineData(ShipmentState.Requested, false, "in-progress")]
    [InlineData(ShipmentState.Dispatched, false, "in-progress")]
    [InlineData(ShipmentState.Dispatched, true, "completed")]
    [InlineData(ShipmentState.Declined, false, "abandoned")]
    public void A_shipment_is_a_supply_delivery(ShipmentState state, bool received, string status)
    {
        var delivery = FhirMapper.ToSupplyDelivery(Samples.Shipment(state, received));
        validation.Valid(delivery);
        Assert.Equal(status, Hl7.Fhir.Utility.EnumUtility.GetLiteral(delivery.Status!.Value));
        Assert.Equal(2m, delivery.SuppliedItem.Quantity.Value);
        Assert.Equal("center A9999", delivery.Supplier.Display);
        Assert.Equal("center B8888", delivery.Destination.Display);
        Assert.Equal("A9999-20261121-ABCD1234", delivery.Id);
    }

    [Fact]
    public void The_capability_statement_lists_exactly_what_we_support_and_is_valid()
    {
        var statement = FhirService.Capabilities("https://center.example/fhir/r4", Samples.Now);
        validation.Valid(statement);
        Assert.Equal(["Patient", "Observation", "Condition", "BiologicallyDerivedProduct", "SupplyDelivery"], statement.Rest[0].Resource.Select(r => r.Type));
        Assert.All(statement.Rest[0].Resource, r => Assert.Equal(2, r.Interaction.Count));
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
    }

    [Fact]
    public void Outcomes_and_bundles_we_answer_with_are_valid()
    {
        var outcome = FhirOutcome.Outcome([new FhirIssue(OperationOutcome.IssueType.Invalid, "bad", "Bundle.entry[1]")]);
        validation.Valid(outcome);
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Total = 1,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = "https://center.example/fhir/r4/Patient?_id=12" }],
            Entry = [new Bundle.EntryComponent { FullUrl = "https://center.example/fhir/r4/Patient/12", Resource = FhirMapper.ToPatient(Samples.Patient()), Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match } }],
        };
        validation.Valid(bundle);
    }
}
