using System.Globalization;
using Hl7.Fhir.Model;
using RadRegen.Bank.Services;
using RadRegen.Care;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Network.Shipments;

namespace RadRegen.Fhir;

/// <summary>The query of a FHIR search: parameter → value (one value each; a repeated parameter is refused).</summary>
public sealed record FhirQuery(IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// HL7 FHIR R4 over our records (issue 17 item 1, ADR 0037): read and search of Patient,
/// Observation, Condition, BiologicallyDerivedProduct and SupplyDelivery, and a hospital's Bundle of
/// lab Observations recorded all or nothing. Every read and write goes through the domain services,
/// whose role checks apply unchanged (reading patients needs what reading care records needs;
/// posting needs <c>care.observation.record</c>).
/// </summary>
public sealed class FhirService(CareService care, BankService bank, ShipmentService shipments, IClock clock)
{
    /// <summary>The resource types we serve and their search parameters (docs/fhir.md; the CapabilityStatement lists the same).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<(string Name, SearchParamType Type, string Documentation)>> Served =
        new Dictionary<string, IReadOnlyList<(string, SearchParamType, string)>>(StringComparer.Ordinal)
        {
            ["Patient"] =
            [
                ("_id", SearchParamType.Token, "The care patient id."),
                ("identifier", SearchParamType.Token, $"[{FhirSystems.PatientId}|]id: the care patient id."),
            ],
            ["Observation"] =
            [
                ("subject", SearchParamType.Reference, "Patient/{id} or {id} (required; 'patient' is the same)."),
                ("patient", SearchParamType.Reference, "Patient/{id} or {id}."),
                ("category", SearchParamType.Token, "[system|]code of observation-category: laboratory, vital-signs, exam."),
                ("code", SearchParamType.Token, "[system|]code, e.g. http://loinc.org|731-0; matches Observation.code."),
            ],
            ["Condition"] =
            [
                ("subject", SearchParamType.Reference, "Patient/{id} or {id} (required; 'patient' is the same)."),
                ("patient", SearchParamType.Reference, "Patient/{id} or {id}."),
            ],
            ["BiologicallyDerivedProduct"] =
            [
                ("_id", SearchParamType.Token, "The vial id."),
                ("identifier", SearchParamType.Token, $"{FhirSystems.IsbtMphoUniqueIdentifier}|value: the MPHO Unique Identifier (FIN, product code, DIN, division)."),
            ],
            ["SupplyDelivery"] =
            [
                ("_id", SearchParamType.Token, "The shipment id."),
                ("status", SearchParamType.Token, "in-progress | completed | abandoned."),
            ],
        };

    /// <summary>Paging: <c>_count</c> (default <see cref="DefaultCount"/>, at most <see cref="MaxCount"/>) and <c>_offset</c>.</summary>
    public const int DefaultCount = 50;

    public const int MaxCount = 500;

    // ------------------------------------------------------------------------------------------
    // Read

    public async Task<Resource> ReadAsync(Actor actor, string type, string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        RequireServed(type);
        switch (type)
        {
            case "Patient":
                return FhirMapper.ToPatient((await care.GetPatientAsync(actor, LongId(type, id), ct)).Patient);

            case "Observation":
                {
                    var record = await care.GetPatientAsync(actor, PatientOf(type, id), ct);
                    return FhirMapper.ToObservations(record).FirstOrDefault(o => o.Id == id) ?? throw Unknown(type, id);
                }

            case "Condition":
                {
                    var record = await care.GetPatientAsync(actor, PatientOf(type, id), ct);
                    var condition = FhirMapper.ToCondition(record.Patient, record.Assessment);
                    return condition is not null && condition.Id == id ? condition : throw Unknown(type, id);
                }

            case "BiologicallyDerivedProduct":
                return FhirMapper.ToProduct(await bank.GetVialAsync(actor, LongId(type, id), ct), clock.UtcNow);

            default: // SupplyDelivery
                return FhirMapper.ToSupplyDelivery((await shipments.GetAsync(actor, id, ct)).Shipment);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Search

    /// <summary>A searchset Bundle of the matches, one page of them, with self/next/previous links under <paramref name="baseUrl"/>.</summary>
    public async Task<Bundle> SearchAsync(Actor actor, string type, FhirQuery query, string baseUrl, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        RequireServed(type);
        var known = Served[type].Select(p => p.Name).Concat(["_count", "_offset", "_format"]).ToHashSet(StringComparer.Ordinal);
        var unknown = query.Parameters.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new FhirException(400, [.. unknown.Select(k => new FhirIssue(OperationOutcome.IssueType.NotSupported,
                $"search parameter '{k}' is not supported on {type}; supported: {string.Join(", ", Served[type].Select(p => p.Name))}, _count, _offset", k))]);
        }

        var count = Paging(query["_count"], "_count", DefaultCount, 1, MaxCount);
        var offset = Paging(query["_offset"], "_offset", 0, 0, int.MaxValue);
        var matches = type switch
        {
            "Patient" => await SearchPatientsAsync(actor, query, ct),
            "Observation" => await SearchObservationsAsync(actor, query, ct),
            "Condition" => await SearchConditionsAsync(actor, query, ct),
            "BiologicallyDerivedProduct" => await SearchProductsAsync(actor, query, ct),
            _ => await SearchDeliveriesAsync(actor, query, ct),
        };
        return Page(type, matches, query, count, offset, baseUrl);
    }

    private async Task<IReadOnlyList<Resource>> SearchPatientsAsync(Actor actor, FhirQuery query, CancellationToken ct)
    {
        var id = query["_id"];
        if (query["identifier"] is { } identifier)
        {
            var (system, value) = Token(identifier);
            if (system is not null && system != FhirSystems.PatientId)
            {
                return [];
            }

            if (id is not null && id != value)
            {
                return [];
            }

            id = value;
        }

        if (id is null)
        {
            throw FhirException.Invalid("a Patient search needs _id or identifier (patients are pseudonymous: there is no name to search)", "identifier", OperationOutcome.IssueType.Required);
        }

        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var patientId))
        {
            return [];
        }

        try
        {
            return [FhirMapper.ToPatient((await care.GetPatientAsync(actor, patientId, ct)).Patient)];
        }
        catch (NotFoundException)
        {
            return [];
        }
    }

    private async Task<IReadOnlyList<Resource>> SearchObservationsAsync(Actor actor, FhirQuery query, CancellationToken ct)
    {
        var record = await SubjectRecordAsync(actor, query, "Observation", ct);
        if (record is null)
        {
            return [];
        }

        IEnumerable<Hl7.Fhir.Model.Observation> found = FhirMapper.ToObservations(record);
        if (query["category"] is { } category)
        {
            var (system, code) = Token(category);
            found = found.Where(o => o.Category.Any(c => c.Coding.Any(x => x.Code == code && (system is null || x.System == system))));
        }

        if (query["code"] is { } codeToken)
        {
            var (system, code) = Token(codeToken);
            found = found.Where(o => o.Code.Coding.Any(x => x.Code == code && (system is null || x.System == system)));
        }

        return [.. found];
    }

    private async Task<IReadOnlyList<Resource>> SearchConditionsAsync(Actor actor, FhirQuery query, CancellationToken ct)
    {
        var record = await SubjectRecordAsync(actor, query, "Condition", ct);
        return record is not null && FhirMapper.ToCondition(record.Patient, record.Assessment) is { } condition ? [condition] : [];
    }

    private async Task<PatientRecord?> SubjectRecordAsync(Actor actor, FhirQuery query, string type, CancellationToken ct)
    {
        var subject = query["subject"] ?? query["patient"];
        if (subject is null)
        {
            throw FhirException.Invalid($"an {type} search needs subject (or patient) = Patient/{{id}}", "subject", OperationOutcome.IssueType.Required);
        }

        var patientId = LabBundleReader.PatientId(subject.Contains('/', StringComparison.Ordinal) ? subject : "Patient/" + subject);
        if (patientId is null)
        {
            throw FhirException.Invalid($"subject '{subject}' is not Patient/{{id}}", "subject", OperationOutcome.IssueType.Value);
        }

        try
        {
            return await care.GetPatientAsync(actor, patientId.Value, ct);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<Resource>> SearchProductsAsync(Actor actor, FhirQuery query, CancellationToken ct)
    {
        if (query["_id"] is { } id)
        {
            try
            {
                return [await ReadAsync(actor, "BiologicallyDerivedProduct", id, ct)];
            }
            catch (FhirException e) when (e.Status == 404)
            {
                return [];
            }
            catch (NotFoundException)
            {
                return [];
            }
        }

        if (query["identifier"] is not { } identifier)
        {
            throw FhirException.Invalid("a BiologicallyDerivedProduct search needs _id or identifier (the MPHO Unique Identifier)", "identifier", OperationOutcome.IssueType.Required);
        }

        var (system, value) = Token(identifier);
        if (system != FhirSystems.IsbtMphoUniqueIdentifier || value.Length < 5 + 5 + 13 + 1)
        {
            throw FhirException.Invalid($"search by identifier takes {FhirSystems.IsbtMphoUniqueIdentifier}|value (facility, product code, DIN, division)", "identifier",
                OperationOutcome.IssueType.NotSupported);
        }

        try
        {
            var vial = await bank.FindVialAsync(actor, value[10..23], value[5..10], value[23..], ct);
            var product = FhirMapper.ToProduct(await bank.GetVialAsync(actor, vial.Id, ct), clock.UtcNow);
            return product.Identifier[0].Value == value ? [product] : [];
        }
        catch (NotFoundException)
        {
            return [];
        }
    }

    private async Task<IReadOnlyList<Resource>> SearchDeliveriesAsync(Actor actor, FhirQuery query, CancellationToken ct)
    {
        IEnumerable<SupplyDelivery> found;
        if (query["_id"] is { } id)
        {
            try
            {
                found = [FhirMapper.ToSupplyDelivery((await shipments.GetAsync(actor, id, ct)).Shipment)];
            }
            catch (NotFoundException)
            {
                found = [];
            }
        }
        else
        {
            found = (await shipments.ListAsync(actor, ct)).Select(v => FhirMapper.ToSupplyDelivery(v.Shipment));
        }

        if (query["status"] is { } status)
        {
            var (_, code) = Token(status);
            found = found.Where(d => d.Status is { } s && string.Equals(Hl7.Fhir.Utility.EnumUtility.GetLiteral(s), code, StringComparison.Ordinal));
        }

        return [.. found];
    }

    private static Bundle Page(string type, IReadOnlyList<Resource> matches, FhirQuery query, int count, int offset, string baseUrl)
    {
        string Link(int at)
        {
            var parameters = query.Parameters.Where(p => p.Key is not ("_count" or "_offset"))
                .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")
                .Concat([$"_count={count.ToString(CultureInfo.InvariantCulture)}", $"_offset={at.ToString(CultureInfo.InvariantCulture)}"]);
            return $"{baseUrl}/{type}?{string.Join('&', parameters)}";
        }

        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Total = matches.Count,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = Link(offset) }],
            Entry = [.. matches.Skip(offset).Take(count).Select(r => new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{r.TypeName}/{r.Id}",
                Resource = r,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            })],
        };
        if (offset + count < matches.Count)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = Link(offset + count) });
        }

        if (offset > 0)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "previous", Url = Link(Math.Max(0, offset - count)) });
        }

        return bundle;
    }

    // ------------------------------------------------------------------------------------------
    // Transaction / batch

    /// <summary>
    /// Records a hospital's Bundle of lab Observations as the patients' blood counts, ALL OR NOTHING
    /// in one unit of work (<see cref="CareService.RecordObservationBatchAsync"/>): a batch is handled
    /// as a transaction. A refused entry is named by index and reason; nothing is written then.
    /// </summary>
    public async Task<Bundle> PostBundleAsync(Actor actor, Resource body, bool confirm, string baseUrl, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        // The operation first: a role that may not record observations hears 403, not a 400 about the body.
        Permissions.RequireAny(actor, Operation.CareObservationRecord);
        var batch = LabBundleReader.Read(body);
        BatchResult result;
        try
        {
            result = await care.RecordObservationBatchAsync(actor, batch.Items, "fhir-bundle", confirm, ct);
        }
        catch (DomainValidationException ex)
        {
            throw new FhirException(422, [.. ex.Errors.SelectMany(e => Issues(batch, e))]);
        }

        var bundle = (Bundle)body;
        var response = new Bundle { Type = bundle.Type == Bundle.BundleType.Batch ? Bundle.BundleType.BatchResponse : Bundle.BundleType.TransactionResponse };
        var written = result.Observations.Zip(batch.Items).ToDictionary(p => p.Second.Field, p => p.First);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var (field, analyte) = batch.Groups.SelectMany(g => g.Value.EntryOfAnalyte.Where(a => a.Value == i).Select(a => (g.Key, a.Key))).First();
            var observation = written[field];
            var suffix = FhirMapper.BloodAnalytes.First(a => a.Field == analyte).Suffix;
            var panel = batch.Groups[field].EntryOfAnalyte.Count(a => a.Value == i) > 1;
            var location = panel ? $"Observation?subject=Patient/{FhirMapper.Id(observation.PatientId)}" : $"Observation/p{FhirMapper.Id(observation.PatientId)}-o{FhirMapper.Id(observation.Id)}-{suffix}";
            response.Entry.Add(new Bundle.EntryComponent
            {
                Response = new Bundle.ResponseComponent { Status = "201 Created", Location = location, LastModifiedElement = new Instant(observation.RecordedAt) },
            });
        }

        return response;
    }

    /// <summary>A domain error of a batch item, named by the Bundle entries it came from.</summary>
    private static IEnumerable<FhirIssue> Issues(LabBatch batch, FieldError error)
    {
        var targets = new List<string>();
        foreach (var part in error.Field.Split(", ", StringSplitOptions.RemoveEmptyEntries))
        {
            var dot = part.IndexOf('.', StringComparison.Ordinal);
            var group = dot < 0 ? part : part[..dot];
            var field = dot < 0 ? "" : part[(dot + 1)..];
            if (!batch.Groups.TryGetValue(group, out var g))
            {
                targets.Add(part);
                continue;
            }

            targets.AddRange(g.EntryOfAnalyte.TryGetValue(field, out var entry) ? [LabBundleReader.Entry(entry)] : g.Entries.Select(LabBundleReader.Entry));
        }

        var distinct = targets.Distinct(StringComparer.Ordinal).ToList();
        var field0 = error.Field.Contains('.', StringComparison.Ordinal) && !error.Field.Contains(", ", StringComparison.Ordinal) ? error.Field[(error.Field.IndexOf('.', StringComparison.Ordinal) + 1)..] + ": " : "";
        return distinct.Count == 0
            ? [new FhirIssue(OperationOutcome.IssueType.BusinessRule, field0 + error.Message)]
            : distinct.Select(t => new FhirIssue(OperationOutcome.IssueType.BusinessRule, field0 + error.Message, t));
    }

    // ------------------------------------------------------------------------------------------
    // CapabilityStatement

    /// <summary>What this server supports, exactly: the five resource types with read and search-type and their parameters, and transaction/batch.</summary>
    public static CapabilityStatement Capabilities(string baseUrl, DateTimeOffset now) => new()
    {
        Url = baseUrl + "/metadata",
        Name = "RadRegenFhirR4",
        Title = "RadRegen HL7 FHIR R4 server",
        Status = PublicationStatus.Active,
        Date = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Publisher = "RadRegen",
        Description = new Markdown("Pseudonymous patients, lab and dose observations, acute radiation syndrome, cell-therapy vials and shipments of a RadRegen center; a hospital posts lab Observations in a transaction or batch Bundle (all or nothing). Profiles: docs/fhir.md."),
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "RadRegen" },
        Implementation = new CapabilityStatement.ImplementationComponent { Description = "RadRegen /fhir/r4", Url = baseUrl },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = [FhirJson.MediaType, "json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = new Markdown("Errors are OperationOutcome resources. Unknown search parameters are refused (400)."),
                Security = new CapabilityStatement.SecurityComponent
                {
                    Description = new Markdown("As every RadRegen endpoint: the session cookie (people) or a bearer token (machines); the role checks of the care, bank and network services apply."),
                },
                Resource = [.. Served.Select(r => new CapabilityStatement.ResourceComponent
                {
                    Type = r.Key,
                    Interaction =
                    [
                        new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                        new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType },
                    ],
                    SearchParam = [.. r.Value.Select(p => new CapabilityStatement.SearchParamComponent { Name = p.Name, Type = p.Type, Documentation = new Markdown(p.Documentation) })],
                })],
                Interaction =
                [
                    new CapabilityStatement.SystemInteractionComponent
                    {
                        Code = CapabilityStatement.SystemRestfulInteraction.Transaction,
                        Documentation = new Markdown("A Bundle of lab Observations (CBC analytes by LOINC) of our patients, recorded all or nothing."),
                    },
                    new CapabilityStatement.SystemInteractionComponent
                    {
                        Code = CapabilityStatement.SystemRestfulInteraction.Batch,
                        Documentation = new Markdown("Handled as a transaction: all or nothing."),
                    },
                ],
            },
        ],
    };

    // ------------------------------------------------------------------------------------------

    /// <summary>Throws 404 for a type we do not serve.</summary>
    public static void RequireServed(string type)
    {
        if (!Served.ContainsKey(type ?? ""))
        {
            throw FhirException.NotSupported(404, $"resource type '{type}' is not served here; served: {string.Join(", ", Served.Keys)}");
        }
    }

    private static FhirException Unknown(string type, string id) => FhirException.NotFound($"no {type}/{id}");

    private static long LongId(string type, string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw Unknown(type, id);

    /// <summary>The patient of an id <c>p12-…</c>.</summary>
    private static long PatientOf(string type, string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return id.StartsWith('p') && dash > 1 && long.TryParse(id.AsSpan(1, dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Unknown(type, id);
    }

    private static (string? System, string Code) Token(string token)
    {
        var bar = token.LastIndexOf('|');
        return bar < 0 ? (null, token) : (bar == 0 ? null : token[..bar], token[(bar + 1)..]);
    }

    private static int Paging(string? text, string name, int fallback, int min, int max)
    {
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? Math.Min(value, max)
            : throw FhirException.Invalid($"{name} must be a whole number ≥ {min.ToString(CultureInfo.InvariantCulture)}", name, OperationOutcome.IssueType.Value);
    }
}
