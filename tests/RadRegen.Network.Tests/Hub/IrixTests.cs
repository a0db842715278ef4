using RadRegen.Core;
using RadRegen.Network.Hub;
using RadRegen.Testing;
using static RadRegen.Network.Tests.Hub.HubSamples;

namespace RadRegen.Network.Tests.Hub;

/// <summary>IRIX 1.0 export and import of a request and its responses (issue 14 item 5): a golden file, round trips, the report chain, bad files.</summary>
[Trait("Kind", "Integration")]
public sealed class IrixTests
{
    private const string Pw = HubCenter.Password;

    private static readonly DateTimeOffset At = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    /// <summary>A request and an offer with every field set, built by hand (no database): what the golden file holds.</summary>
    private static (AssistanceRequest Request, AssistanceOffer Offer) Sample()
    {
        var request = new AssistanceRequest("0b7e5f0e-6c1a-4a57-9d7e-6f0a3c2b1d01", "A0001", "XS-CA", "Marrow transplant beds for overexposed workers",
            "Specialised treatment of 8 patients\nwith H3-H4 haematopoietic syndrome",
            [new AssistanceLine(CapabilityArea.MedicalSupport, CapabilityKind.BmtBeds, 8, null, null),
             new AssistanceLine(CapabilityArea.DoseAssessment, CapabilityKind.BiodosimetrySamplesPerWeek, 200, null, "dicentric; 100 within 48 h")],
            [new PatientCount("red", 3, 8), new PatientCount("yellow", 2, 12)], "Criticality accident at a fuel plant; doses 3-8 Gy",
            Urgency.Urgent, Confidentiality.Restricted, ["B0002"], ["A0001", "B0002"], 12, At, "coord-a0001", null, null, null, null, null, 1);
        var offer = new AssistanceOffer("5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", request.Id, "B0002", "A0001", "B0002", "4 BMT beds and transport advice",
            [new AssistanceLine(CapabilityArea.MedicalSupport, CapabilityKind.BmtBeds, 4, null, null)], "reimbursed at cost", 125000m, "EUR",
            Confidentiality.Restricted, ["A0001", "B0002"], At.AddHours(2), "coord-b0002", At.AddHours(3), "coord-a0001", At.AddHours(5), "coord-b0002",
            null, null, null, null, null, null, null, null, null, 3);
        return (request, offer);
    }

    private static string GoldenPath([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "golden", "request-with-response.irix.xml");

    [Fact]
    [Trait("Kind", "Unit")]
    public void The_export_matches_the_golden_file()
    {
        var (request, offer) = Sample();
        var identification = new IrixIdentification("a0001.example.org", At.AddHours(6), HubIrix.ReportContext, "9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b",
            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", null, "restricted", ["B0002"]);
        var xml = HubIrix.Write(identification, request, [offer]);
        var path = GoldenPath();
        if (Environment.GetEnvironmentVariable("RADREGEN_WRITE_GOLDEN") == "1")
        {
            File.WriteAllText(path, xml);
        }

        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), xml);

        // And it reads back: identification, the request's coded text, the response with its reference.
        var read = HubIrix.Read(xml, null);
        Assert.Equal(identification with { CreatedAt = identification.CreatedAt }, read.Identification with { Addressees = identification.Addressees });
        Assert.Equal(["B0002"], read.Identification.Addressees);
        Assert.Equal(2, read.Requests.Count);
        var fields = HubIrix.Fields(read.Requests[0].Text);
        Assert.Equal(request.Scope, fields.Single(f => f.Key == "Scope").Value);
        Assert.Equal(2, fields.Count(f => f.Key == "Line"));
        var response = read.Requests[1].Response!;
        Assert.Equal((offer.Id, "XS-CA", request.Id), (response.ResponseUuid, response.RequestingOrganisation, response.RequestUuid));
        Assert.Contains("State: committed", response.Text, StringComparison.Ordinal);
        Assert.Contains("EDXL-RM: CommitResource", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HubTests.Engines), MemberType = typeof(HubTests))]
    public async Task An_exported_request_imports_at_another_hub_and_newer_reports_follow_or_revoke_it(string engine)
    {
        await using var net = await HubNetwork.OpenAsync(engine);
        var (a, c) = (net.A, net.C);
        await a.Hub.DeclareMemberAsync(a.Coordinator, State());
        await a.Hub.DeclareMemberAsync(a.Coordinator, Center("A0001", 2));
        var created = await a.Hub.CreateRequestAsync(a.Coordinator, Request(label: "public"), Pw);
        var (first, r1) = await a.Hub.ExportIrixAsync(a.Coordinator, created.Request.Id, null);
        Assert.Null(r1.Follows);
        var (second, r2) = await a.Hub.ExportIrixAsync(a.Coordinator, created.Request.Id, "A0001");
        Assert.Equal(r1.ReportUuid, r2.Follows);
        Assert.Contains($"<id:Follows>{r1.ReportUuid}</id:Follows>", second, StringComparison.Ordinal);

        // C (another hub, say) knows the requesting State by its IRIX organisation, not by code.
        await c.Hub.DeclareMemberAsync(c.Coordinator, State() with { Code = "XS-CA" });
        var imported = await c.Hub.ImportIrixAsync(c.Coordinator, first, Pw);
        var (x, y) = (created.Request, imported.Request);
        Assert.Equal((x.Id, x.Requester, x.Subject, x.Scope, x.Urgency, x.Confidentiality, x.AnswerWithinHours, x.SupportingInformation),
            (y.Id, y.Requester, y.Subject, y.Scope, y.Urgency, y.Confidentiality, y.AnswerWithinHours, y.SupportingInformation));
        Assert.Equal(x.Lines, y.Lines);
        Assert.Equal(x.Patients, y.Patients);
        Assert.Equal("C0003", y.Source);
        await Assert.ThrowsAsync<ConflictException>(() => c.Hub.ImportIrixAsync(c.Coordinator, first, Pw));

        // A newer report follows the first: the request's fields are replaced; a revoking one releases it.
        await a.Hub.ReleaseRequestAsync(a.Coordinator, created.Request.Id, "no longer needed", Pw);
        var (third, r3) = await a.Hub.ExportIrixAsync(a.Coordinator, created.Request.Id, null);
        Assert.Equal((null, r2.ReportUuid), (r3.Follows, r3.Revokes));
        await Assert.ThrowsAsync<DomainValidationException>(() => c.Hub.ImportIrixAsync(c.Coordinator, third, Pw)); // revokes r2, which C never read
        var followed = await c.Hub.ImportIrixAsync(c.Coordinator, second, Pw);
        Assert.Equal(HubState.Requested, followed.State);
        var revoked = await c.Hub.ImportIrixAsync(c.Coordinator, third, Pw);
        Assert.Equal(HubState.Released, revoked.State);
        Assert.Contains(r3.ReportUuid, revoked.Request.ReleaseReason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HubTests.Engines), MemberType = typeof(HubTests))]
    public async Task A_file_that_does_not_parse_or_fails_the_schema_is_refused_and_nothing_is_written(string engine)
    {
        await using var net = await HubNetwork.OpenAsync(engine);
        var c = net.C;
        await c.Hub.DeclareMemberAsync(c.Coordinator, State());
        var before = (await c.OutboxAsync()).Count;
        Task<RequestView> Import(string xml, HubService? hub = null) => (hub ?? c.Hub).ImportIrixAsync(c.Coordinator, xml, Pw);

        Assert.Equal("irix", (await Assert.ThrowsAsync<DomainValidationException>(() => Import("<not xml"))).Errors[0].Field);
        Assert.Equal("irix", (await Assert.ThrowsAsync<DomainValidationException>(() => Import("<Report xmlns='urn:other' version='1.0'/>"))).Errors[0].Field);
        var doctype = "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><r>&x;</r>";
        Assert.Contains("does not parse", (await Assert.ThrowsAsync<DomainValidationException>(() => Import(doctype))).Errors[0].Message, StringComparison.Ordinal);
        var (request, offer) = Sample();
        var good = HubIrix.Write(new IrixIdentification("ca.xs.example", At, HubIrix.ReportContext, Guid.NewGuid().ToString("D"), null, null, "members", []),
            request with { Requester = "XS-CA", Lines = [new AssistanceLine(CapabilityArea.MedicalSupport, null, null, null, null)] }, []);
        var uncoded = good.Replace("Line: area=medical-support", "Line: area=cooking", StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<DomainValidationException>(() => Import(uncoded));
        Assert.Equal("lines[0].area", e.Errors.Single().Field);
        Assert.Equal(before, (await c.OutboxAsync()).Count);

        // With the operator's schema directory, a document that fails it is refused with the schema's words.
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "IRIX.xsd"), """
            <xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.iaea.org/2012/IRIX/Format" elementFormDefault="qualified">
              <xsd:element name="Report"><xsd:complexType><xsd:sequence><xsd:element name="Nothing" type="xsd:string"/></xsd:sequence>
                <xsd:attribute name="version" type="xsd:token" fixed="1.0" use="required"/></xsd:complexType></xsd:element>
            </xsd:schema>
            """);
        var strict = new HubService(c.World.Units, c.Clock, c.World.Get<RadRegen.Core.Access.SignatureService>(), c.Options with { IrixSchemaDirectory = dir.Path });
        var schema = await Assert.ThrowsAsync<DomainValidationException>(() => Import(good, strict));
        Assert.Contains("fails the IRIX schema", schema.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, (await c.OutboxAsync()).Count);
        Assert.Empty(await c.Hub.ListRequestsAsync(c.Coordinator));
        _ = offer;
        var missing = new HubService(c.World.Units, c.Clock, c.World.Get<RadRegen.Core.Access.SignatureService>(), c.Options with { IrixSchemaDirectory = Path.Combine(dir.Path, "none") });
        await Assert.ThrowsAsync<RuleViolationException>(() => Import(good, missing));
    }

    [Fact]
    [Trait("Kind", "Unit")]
    public void The_operators_schema_imports_resolve_from_local_files_only_never_from_the_network()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "Part.xsd"), """
            <xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:part"><xsd:element name="Part" type="xsd:string"/></xsd:schema>
            """);
        static string Main(string location) => $"""
            <xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.iaea.org/2012/IRIX/Format">
              <xsd:import namespace="urn:part" schemaLocation="{location}"/>
              <xsd:element name="Report" type="xsd:string"/>
            </xsd:schema>
            """;

        File.WriteAllText(Path.Combine(dir.Path, "IRIX.xsd"), Main("Part.xsd"));
        Assert.Equal(2, HubIrix.Schemas(dir.Path).Schemas().Count);

        // An address on the network is refused before any connection is tried (port 9 of a
        // documentation address: a download attempt would hang or fail differently).
        File.WriteAllText(Path.Combine(dir.Path, "IRIX.xsd"), Main("http://192.0.2.1:9/Part.xsd"));
        var refused = Assert.Throws<RuleViolationException>(() => HubIrix.Schemas(dir.Path));
        Assert.Contains("not a local file", refused.Message, StringComparison.Ordinal);
    }
}
