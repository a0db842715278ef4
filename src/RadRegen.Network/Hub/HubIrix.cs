using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using RadRegen.Core;

namespace RadRegen.Network.Hub;

/// <summary>The identification of an IRIX report (the fields RadRegen writes and reads).</summary>
public sealed record IrixIdentification(string OrganisationReporting, DateTimeOffset CreatedAt, string ReportContext, string ReportUuid, string? Follows, string? Revokes,
    string? Confidentiality, IReadOnlyList<string> Addressees);

/// <summary>One <c>Request</c> element: the request itself, or (with a response) an answer to it.</summary>
public sealed record IrixRequest(string RequestUuid, string Subject, string Text, IrixResponse? Response);

/// <summary>A <c>Response</c> with its reference to the request it answers.</summary>
public sealed record IrixResponse(string ResponseUuid, string? RequestingOrganisation, DateTimeOffset? RequestedAt, string? RequestUuid, string Text);

/// <summary>An IRIX report as RadRegen reads it: identification and requests.</summary>
public sealed record IrixReport(IrixIdentification Identification, IReadOnlyList<IrixRequest> Requests);

/// <summary>
/// IRIX 1.0 (the IAEA's International Radiological Information Exchange format, EPR-IEComm 2019
/// Attachment 3) for the hub's requests and responses: an <c>irix:Report</c> (version 1.0) with its
/// <c>Identification</c> and <c>Requests</c> sections, structure and namespaces as read from the
/// public schema (reference/network/hub.md §4). IRIX carries a request as subject and free text
/// (RequestUUID, RequestSubject, RequestText; Response with ResponseUUID, RequestReference,
/// ResponseText), so RadRegen writes its coded fields into the text as "Key: value" lines that it
/// reads back on import; a person reading the report in another system reads the same lines.
/// Validation against the schema runs only when the operator gives its directory (never shipped).
/// </summary>
public static class HubIrix
{
    public const string FormatNamespace = "http://www.iaea.org/2012/IRIX/Format";

    public static readonly XNamespace Irix = FormatNamespace;
    public static readonly XNamespace Id = FormatNamespace + "/Identification";
    public static readonly XNamespace Req = FormatNamespace + "/Requests";
    public static readonly XNamespace Base = FormatNamespace + "/Base";

    /// <summary>
    /// The report context RadRegen writes. The schema's list of contexts (ReportIdentification.xsd) was
    /// not in the stored copy [U]; with the operator's schema a wrong value shows as a validation error.
    /// </summary>
    public const string ReportContext = "Emergency";

    /// <summary>Writes the report of a request and the offers the addressee may see, as IRIX 1.0 XML.</summary>
    public static string Write(IrixIdentification identification, AssistanceRequest request, IReadOnlyList<AssistanceOffer> offers)
    {
        ArgumentNullException.ThrowIfNull(identification);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(offers);
        var idElement = new XElement(Id + "Identification",
            new XElement(Id + "OrganisationReporting", identification.OrganisationReporting),
            new XElement(Id + "DateAndTimeOfCreation", Time(identification.CreatedAt)),
            new XElement(Id + "ReportContext", identification.ReportContext),
            new XElement(Id + "ReportUUID", identification.ReportUuid),
            identification.Follows is { } f ? new XElement(Id + "Follows", f) : null,
            identification.Revokes is { } r ? new XElement(Id + "Revokes", r) : null,
            identification.Confidentiality is { } c ? new XElement(Id + "Confidentiality", c) : null,
            identification.Addressees.Count > 0 ? new XElement(Id + "Addressees", identification.Addressees.Select(a => new XElement(Id + "Addressee", a))) : null,
            new XElement(Id + "Identifications"));
        var requests = new XElement(Req + "Requests",
            new XElement(Req + "Request",
                new XElement(Req + "RequestUUID", request.Id),
                new XElement(Req + "RequestSubject", request.Subject),
                new XElement(Req + "RequestText", RequestText(request))));
        foreach (var o in offers)
        {
            requests.Add(new XElement(Req + "Request",
                new XElement(Req + "RequestUUID", request.Id),
                new XElement(Req + "RequestSubject", request.Subject),
                new XElement(Req + "RequestText", $"Response of {o.Offerer} to request {request.Id}"),
                new XElement(Req + "Response",
                    new XElement(Req + "ResponseUUID", o.Id),
                    new XElement(Req + "RequestReference",
                        new XElement(Req + "RequestingOrganisation", request.Requester),
                        new XElement(Req + "DateAndTimeOfRequest", Time(request.RequestedAt)),
                        new XElement(Req + "RequestUUID", request.Id),
                        new XElement(Req + "RequestSubject", request.Subject)),
                    new XElement(Req + "ResponseText", ResponseText(o)))));
        }

        var report = new XElement(Irix + "Report",
            new XAttribute(XNamespace.Xmlns + "irix", Irix.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "id", Id.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "req", Req.NamespaceName),
            new XAttribute("version", "1.0"),
            idElement,
            requests);
        var doc = new XDocument(new XDeclaration("1.0", "UTF-8", null), report);
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(new StringWriterUtf8(sb, CultureInfo.InvariantCulture), new XmlWriterSettings { Indent = true, NewLineChars = "\n", Encoding = new UTF8Encoding(false) }))
        {
            doc.Save(writer);
        }

        return sb.Append('\n').ToString();
    }

    /// <summary>
    /// Reads an IRIX report: well-formed XML (no DTD, nothing fetched), root <c>irix:Report</c> version
    /// 1.0, an identification with a UUID, at least one request. With <paramref name="schemaDirectory"/>
    /// the document must also pass the IRIX schema. Every fault is a <see cref="DomainValidationException"/>
    /// on the field <c>irix</c> or the element named.
    /// </summary>
    public static IrixReport Read(string xml, string? schemaDirectory)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            throw new DomainValidationException("irix", "is empty: give an IRIX 1.0 report (XML)");
        }

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        var schemaErrors = new List<FieldError>();
        if (schemaDirectory is not null)
        {
            settings.Schemas = Schemas(schemaDirectory);
            settings.ValidationType = ValidationType.Schema;
            settings.ValidationEventHandler += (_, e) => schemaErrors.Add(new FieldError("irix",
                string.Create(CultureInfo.InvariantCulture, $"line {e.Exception?.LineNumber}: fails the IRIX schema: {e.Message}")));
        }

        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new DomainValidationException("irix", string.Create(CultureInfo.InvariantCulture, $"does not parse as XML (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message}"));
        }

        if (schemaErrors.Count > 0)
        {
            throw new DomainValidationException(schemaErrors);
        }

        var root = doc.Root!;
        if (root.Name != Irix + "Report")
        {
            throw new DomainValidationException("irix", $"the root element is {root.Name.LocalName} in '{root.Name.NamespaceName}', not Report in '{FormatNamespace}'");
        }

        if ((string?)root.Attribute("version") != "1.0")
        {
            throw new DomainValidationException("irix.version", $"'{(string?)root.Attribute("version")}' is not the IRIX version 1.0");
        }

        var errors = new List<FieldError>();
        var ident = root.Element(Id + "Identification");
        if (ident is null)
        {
            throw new DomainValidationException("Identification", "is required (the report envelope's first section)");
        }

        string Required(XElement parent, XName name, string field)
        {
            var v = parent.Element(name)?.Value.Trim();
            if (string.IsNullOrEmpty(v))
            {
                errors.Add(new FieldError(field, "is required"));
            }

            return v ?? "";
        }

        var org = Required(ident, Id + "OrganisationReporting", "Identification.OrganisationReporting");
        var createdText = Required(ident, Id + "DateAndTimeOfCreation", "Identification.DateAndTimeOfCreation");
        var context = Required(ident, Id + "ReportContext", "Identification.ReportContext");
        var reportUuid = Uuid(Required(ident, Id + "ReportUUID", "Identification.ReportUUID"), "Identification.ReportUUID", errors);
        var follows = Optional(ident.Element(Id + "Follows")?.Value, "Identification.Follows", errors);
        var revokes = Optional(ident.Element(Id + "Revokes")?.Value, "Identification.Revokes", errors);
        var created = ParseTime(createdText, "Identification.DateAndTimeOfCreation", errors);
        var requests = new List<IrixRequest>();
        var reqSection = root.Element(Req + "Requests");
        var elements = reqSection?.Elements(Req + "Request").ToList() ?? [];
        if (elements.Count == 0)
        {
            errors.Add(new FieldError("Requests", "a request report needs a Requests section with at least one Request"));
        }

        for (var i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            var f = $"Requests.Request[{i}].";
            var ruuid = Uuid(Required(e, Req + "RequestUUID", f + "RequestUUID"), f + "RequestUUID", errors);
            var subject = Required(e, Req + "RequestSubject", f + "RequestSubject");
            var text = Required(e, Req + "RequestText", f + "RequestText");
            IrixResponse? response = null;
            if (e.Element(Req + "Response") is { } resp)
            {
                var reference = resp.Element(Req + "RequestReference");
                response = new IrixResponse(
                    Uuid(Required(resp, Req + "ResponseUUID", f + "Response.ResponseUUID"), f + "Response.ResponseUUID", errors),
                    reference?.Element(Req + "RequestingOrganisation")?.Value.Trim(),
                    reference?.Element(Req + "DateAndTimeOfRequest")?.Value is { } at ? ParseTime(at, f + "Response.RequestReference.DateAndTimeOfRequest", errors) : null,
                    Optional(reference?.Element(Req + "RequestUUID")?.Value, f + "Response.RequestReference.RequestUUID", errors),
                    Required(resp, Req + "ResponseText", f + "Response.ResponseText"));
            }

            requests.Add(new IrixRequest(ruuid, subject, text, response));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return new IrixReport(new IrixIdentification(org, created ?? default, context, reportUuid, follows, revokes,
            ident.Element(Id + "Confidentiality")?.Value.Trim(), [.. ident.Element(Id + "Addressees")?.Elements(Id + "Addressee").Select(a => a.Value.Trim()) ?? []]), requests);
    }

    /// <summary>Checks a document RadRegen wrote against the operator's IRIX schema; the faults, or none.</summary>
    public static IReadOnlyList<string> Validate(string xml, string schemaDirectory)
    {
        var faults = new List<string>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, Schemas = Schemas(schemaDirectory), ValidationType = ValidationType.Schema };
        settings.ValidationEventHandler += (_, e) => faults.Add(string.Create(CultureInfo.InvariantCulture, $"line {e.Exception?.LineNumber}: {e.Message}"));
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read())
        {
        }

        return faults;
    }

    /// <summary>The schema set of <c>IRIX.xsd</c> in the operator's directory, its imports resolved from the same directory.</summary>
    public static XmlSchemaSet Schemas(string directory)
    {
        var main = Path.Combine(directory, "IRIX.xsd");
        if (!File.Exists(main))
        {
            throw new RuleViolationException($"Hub:IrixSchemaDirectory is {directory}, which has no IRIX.xsd; put the public IRIX 1.0 schema files there or remove the setting");
        }

        // Imports and includes resolve from local files only: the schema is never downloaded (issue 14 item 5),
        // even when a schemaLocation names an http address.
        var resolver = new LocalFilesOnlyResolver();
        var set = new XmlSchemaSet { XmlResolver = resolver };
        // An import or include that does not resolve is only a warning to XmlSchemaSet, which would then
        // validate against part of the schema; an incomplete schema set is refused instead.
        var unresolved = new List<string>();
        set.ValidationEventHandler += (_, e) => unresolved.Add(e.Exception?.InnerException?.Message is { } inner ? $"{e.Message} ({inner})" : e.Message);
        try
        {
            using var reader = XmlReader.Create(main, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = resolver });
            set.Add(null, reader);
            set.Compile();
            if (unresolved.Count > 0)
            {
                throw new RuleViolationException($"the IRIX schema in {directory} is incomplete: {string.Join("; ", unresolved)}");
            }
        }
        catch (Exception ex) when (ex is XmlException or XmlSchemaException or IOException or UnauthorizedAccessException)
        {
            throw new RuleViolationException($"the IRIX schema in {directory} does not load: {ex.Message}");
        }

        return set;
    }

    /// <summary>Resolves <c>file:</c> addresses only; any other is refused, so loading a schema never opens a connection.</summary>
    private sealed class LocalFilesOnlyResolver : XmlUrlResolver
    {
        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            ArgumentNullException.ThrowIfNull(absoluteUri);
            return absoluteUri.IsFile
                ? base.GetEntity(absoluteUri, role, ofObjectToReturn)
                : throw new UnauthorizedAccessException($"{absoluteUri} is not a local file; put every schema file the IRIX schema imports in the schema directory");
        }
    }

    // ------------------------------------------------------------ the coded text

    /// <summary>The request's coded fields as "Key: value" lines (values escaped so each stays on its line).</summary>
    public static string RequestText(AssistanceRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var sb = new StringBuilder();
        Line(sb, "Scope", r.Scope);
        Line(sb, "Requester", r.Requester);
        Line(sb, "Urgency", r.Urgency.Name());
        Line(sb, "Confidentiality", r.Confidentiality.Name());
        Line(sb, "Answer-Within-Hours", r.AnswerWithinHours.ToString(CultureInfo.InvariantCulture));
        Line(sb, "Requested-At", Time(r.RequestedAt));
        foreach (var l in r.Lines)
        {
            Line(sb, "Line", LineText(l));
        }

        foreach (var p in r.Patients)
        {
            Line(sb, "Patients", string.Create(CultureInfo.InvariantCulture, $"triage={p.Triage}; rc={p.ResponseCategory}; count={p.Count}"));
        }

        if (r.SupportingInformation is { } s)
        {
            Line(sb, "Supporting-Information", s);
        }

        if (r.ReleasedAt is not null)
        {
            Line(sb, "Released", r.ReleaseReason ?? "");
        }

        if (r.ClosedAt is not null)
        {
            Line(sb, "Closed", Time(r.ClosedAt.Value));
        }

        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The offer's coded fields as "Key: value" lines; the state is its EDXL-RM-named state.</summary>
    public static string ResponseText(AssistanceOffer o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var sb = new StringBuilder();
        Line(sb, "Offerer", o.Offerer);
        Line(sb, "State", o.State.Name());
        if (o.State.EdxlRmMessage() is { } m)
        {
            Line(sb, "EDXL-RM", m);
        }

        Line(sb, "Scope", o.Scope);
        foreach (var l in o.Lines)
        {
            Line(sb, "Line", LineText(l));
        }

        if (o.Terms is { } t)
        {
            Line(sb, "Terms", t);
        }

        if (o.CostAmount is { } c)
        {
            Line(sb, "Cost", string.Create(CultureInfo.InvariantCulture, $"{c:0.##} {o.CostCurrency}"));
        }

        Line(sb, "Confidentiality", o.Confidentiality.Name());
        Line(sb, "Offered-At", Time(o.OfferedAt));
        return sb.ToString().TrimEnd('\n');
    }

    private static string LineText(AssistanceLine l) =>
        string.Create(CultureInfo.InvariantCulture, $"area={l.Area.Name()}; kind={l.Kind?.Name()}; quantity={l.Quantity}; product={Part(l.ProductType)}; note={Part(l.Note)}");

    /// <summary>A value inside a "a=1; b=2" list: a backslash escapes itself and the separator.</summary>
    private static string Part(string? value) => (value ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal);

    private static void Line(StringBuilder sb, string key, string value) => sb.Append(key).Append(": ").Append(Escape(value)).Append('\n');

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                sb.Append(value[i + 1] == 'n' ? '\n' : value[i + 1]);
                i++;
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>The "Key: value" lines of a text, in order (keys repeat: Line, Patients).</summary>
    public static IReadOnlyList<(string Key, string Value)> Fields(string text) =>
        [.. (text ?? "").Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains(": ", StringComparison.Ordinal))
            .Select(l => (Key: l[..l.IndexOf(": ", StringComparison.Ordinal)].Trim(), Value: Unescape(l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..])))];

    /// <summary>The parts of a "a=1; b=2" value (a backslash escapes the next character).</summary>
    public static IReadOnlyDictionary<string, string> Parts(string value)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var text = value ?? "";
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else if (text[i] == ';')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        parts.Add(current.ToString());
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in parts.Select(p => p.Trim()).Where(p => p.Contains('=', StringComparison.Ordinal)))
        {
            result[p[..p.IndexOf('=', StringComparison.Ordinal)].Trim()] = p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
        }

        return result;
    }

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string text, string field, List<FieldError> errors)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t;
        }

        if (!string.IsNullOrEmpty(text))
        {
            errors.Add(new FieldError(field, $"'{text}' is not a date and time (ISO 8601, e.g. 2026-11-29T18:00:00Z)"));
        }

        return null;
    }

    private static string Uuid(string text, string field, List<FieldError> errors)
    {
        if (Guid.TryParse(text, out var g))
        {
            return g.ToString("D");
        }

        if (!string.IsNullOrEmpty(text))
        {
            errors.Add(new FieldError(field, $"'{text}' is not a UUID"));
        }

        return text;
    }

    private static string? Optional(string? text, string field, List<FieldError> errors) =>
        string.IsNullOrWhiteSpace(text) ? null : Uuid(text.Trim(), field, errors);

    private sealed class StringWriterUtf8(StringBuilder sb, IFormatProvider provider) : StringWriter(sb, provider)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
