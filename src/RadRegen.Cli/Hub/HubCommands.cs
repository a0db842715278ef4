using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Access;
using RadRegen.Network.Hub;

namespace RadRegen.Cli.Hub;

/// <summary>
/// <c>radregen hub …</c>: the international hub (issue 14, docs/hub.md) on this center's database —
/// the registry, requests and offers with their EDXL-RM-named steps, matching, IRIX 1.0 export and
/// import. Reads act as the local operator with the auditor's read-only role; the registry is the
/// coordinator's work (as <c>care import</c>); every step of a request or offer is e-signed by a named
/// account (<c>--as NAME</c>, password on standard input), as the web's signatures are.
/// </summary>
internal static class HubCommands
{
    private static Actor Reader => CliDatabase.OperatorAs(Role.Auditor);

    private static readonly JsonSerializerOptions InputJson = new(JsonSerializerDefaults.Web);

    public static Command Create()
    {
        var hub = new Command("hub", "The international hub (docs/hub.md): registry of members and capabilities by RANET area, requests for and offers of assistance "
            + "(EDXL-RM states, e-signed), matching, IRIX 1.0 export and import.");
        hub.Add(Members());
        hub.Add(Declare());
        hub.Add(Capabilities());
        var request = new Command("request", "Requests for assistance: create, list, show, match, close, release.");
        request.Add(RequestCreate());
        request.Add(RequestList());
        request.Add(RequestShow());
        request.Add(RequestMatch());
        request.Add(RequestEnd("close", "Close a delivered request this center keeps (every accepted offer delivered); e-signed."));
        request.Add(RequestEnd("release", "Release a request this center keeps, with --reason (EDXL-RM ReleaseResource); its live offers are released; e-signed."));
        hub.Add(request);
        var offer = new Command("offer", "Offers of assistance: create against a request, then accept (requesting side), commit, deliver (offering side), withdraw or release.");
        offer.Add(OfferCreate());
        foreach (var step in new[] { "accept", "commit", "deliver", "withdraw", "release" })
        {
            offer.Add(OfferStep(step));
        }

        hub.Add(offer);
        hub.Add(Export());
        hub.Add(Import());
        return hub;
    }

    // ------------------------------------------------------------ registry

    private static Command Members()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("members", "The hub's members with their kind, linked center and capabilities.") { db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var members = await services.GetRequiredService<HubService>().ListMembersAsync(Reader, ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { total = members.Count, members = members.Select(MemberJson) });
                return ExitCodes.Ok;
            }

            TextTable.Write(parse.InvocationConfiguration.Output, ["member", "name", "kind", "center", "kept by", "capabilities"],
                members.Select(m => (IReadOnlyList<string>)[m.Code, m.Name, m.Kind.Name(), m.Center ?? "-", m.Source,
                    string.Join("; ", m.Capabilities.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Area.Name()}/{c.Kind.Name()} {c.Quantity}")))]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Declare()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var file = new Option<string>("--file") { Description = "The member as JSON: code, name, kind, country, organisation, center, capabilities[{area, kind, quantity, productType, hlaCoveragePercent, description, terms, validFrom, validUntil}].", Required = true };
        var command = new Command("declare", "Declare a member this center keeps and its capabilities (the whole declaration replaces the previous one); published to the network.") { file, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            var input = ReadJson<MemberInput>(parse.GetValue(file)!);
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var m = await services.GetRequiredService<HubService>().DeclareMemberAsync(CliDatabase.Coordinator, input, ct);
            return Done(parse, json, MemberJson(m), $"member {m.Code} declared with {m.Capabilities.Count} capabilities");
        });
        return command;
    }

    private static Command Capabilities()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var area = new Option<string?>("--area") { Description = "A RANET area (decontamination-advice, dose-assessment, sampling-analysis, medical-support, nuclear-installation-assessment, radiation-survey, radiological-assessment)." };
        var kind = new Option<string?>("--kind") { Description = "A kind (experts, equipment, materials, biodosimetry, bmt-beds, burn-beds, ipsc-product)." };
        var text = new Option<string?>("--text") { Description = "Words in the member's name, code or country or the capability's description or product." };
        var on = new Option<DateOnly?>("--valid-on") { Description = "A day the capability must hold on (default today, UTC)." };
        var command = new Command("capabilities", "Search the registry by area, kind, day and words.") { area, kind, text, on, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var hits = await services.GetRequiredService<HubService>().SearchAsync(Reader,
                new CapabilitySearch(parse.GetValue(area), parse.GetValue(kind), parse.GetValue(on), parse.GetValue(text)), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { total = hits.Count, capabilities = hits.Select(h => new { member = h.Member.Code, memberName = h.Member.Name, center = h.Member.Center, capability = CapabilityJson(h.Capability) }) });
                return ExitCodes.Ok;
            }

            TextTable.Write(parse.InvocationConfiguration.Output, ["member", "area", "kind", "quantity", "terms", "valid"],
                hits.Select(h => (IReadOnlyList<string>)[h.Member.Code, h.Capability.Area.Name(), h.Capability.Kind.Name() + (h.Capability.ProductType is { } p ? " " + p : ""),
                    string.Create(CultureInfo.InvariantCulture, $"{h.Capability.Quantity} {h.Capability.Kind.Unit()}"), h.Capability.Terms ?? "-",
                    $"{h.Capability.ValidFrom:yyyy-MM-dd}..{h.Capability.ValidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? ""}"]));
            return ExitCodes.Ok;
        });
        return command;
    }

    // ------------------------------------------------------------ requests

    private static Command RequestCreate()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var file = new Option<string>("--file") { Description = "The request as JSON: requester, subject, scope, lines[{area, kind, quantity, productType, note}], patients[{triage, responseCategory, count}], supportingInformation, urgency, confidentiality, addressees, answerWithinHours.", Required = true };
        var (user, stdin) = SignerOptions();
        var command = new Command("create", "Request assistance (EDXL-RM RequestResource), e-signed by --as; published to the network.") { file, user, stdin, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            var input = ReadJson<NewAssistanceRequest>(parse.GetValue(file)!);
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var (actor, password) = await SignerAsync(parse, services, user, stdin, ct);
            var v = await services.GetRequiredService<HubService>().CreateRequestAsync(actor, input, password, ct);
            return Done(parse, json, RequestJson(v), $"request {v.Request.Id} {v.State.Name()}; answer due {HubIrix.Time(v.AnswerDue)}");
        });
        return command;
    }

    private static Command RequestList()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var state = new Option<string?>("--state") { Description = "Only requests in this state (requested, offered, accepted, committed, delivered, closed, released)." };
        var open = new Option<bool>("--open") { Description = "Only requests not closed or released." };
        var member = new Option<string?>("--as-member") { Description = "As that member may see them (confidentiality labels)." };
        var command = new Command("list", "Requests for assistance, newest first, with state, answer timer and offers.") { state, open, member, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var list = await services.GetRequiredService<HubService>().ListRequestsAsync(Reader, parse.GetValue(state), parse.GetValue(open), parse.GetValue(member), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { total = list.Count, requests = list.Select(RequestJson) });
                return ExitCodes.Ok;
            }

            TextTable.Write(parse.InvocationConfiguration.Output, ["request", "state", "requester", "subject", "label", "answer due", "offers"],
                list.Select(v => (IReadOnlyList<string>)[v.Request.Id, v.State.Name(), v.Request.Requester, v.Request.Subject, v.Request.Confidentiality.Name(),
                    HubIrix.Time(v.AnswerDue) + (v.Overdue ? " OVERDUE" : v.AnsweredAt is not null ? " answered" : ""), v.Offers.Count.ToString(CultureInfo.InvariantCulture)]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RequestShow()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var id = new Argument<string>("id") { Description = "The request's UUID." };
        var member = new Option<string?>("--as-member") { Description = "As that member may see it (confidentiality labels)." };
        var command = new Command("show", "One request with its offers.") { id, member, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var v = await services.GetRequiredService<HubService>().GetRequestAsync(Reader, parse.GetValue(id)!, parse.GetValue(member), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, RequestJson(v));
                return ExitCodes.Ok;
            }

            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"request {v.Request.Id}: {v.State.Name()} ({v.State.EdxlRmMessage() ?? "-"}), {v.Request.Confidentiality.Name()}");
            output.WriteLine(HubIrix.RequestText(v.Request));
            output.WriteLine($"answer due {HubIrix.Time(v.AnswerDue)}{(v.Overdue ? " — OVERDUE" : v.AnsweredAt is { } a ? $" — answered {HubIrix.Time(a)}" : "")}");
            TextTable.Write(output, ["offer", "offerer", "state", "scope", "cost"], v.Offers.Select(o => (IReadOnlyList<string>)[o.Id, o.Offerer, o.State.Name(), o.Scope,
                o.CostAmount is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c:0.##} {o.CostCurrency}") : "-"]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RequestMatch()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var id = new Argument<string>("id") { Description = "The request's UUID." };
        var command = new Command("match", "Members ranked for the request by declared capabilities and live network data, with the reasoning.") { id, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var ranked = await services.GetRequiredService<HubMatching>().MatchAsync(Reader, parse.GetValue(id)!, ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { total = ranked.Count, members = ranked.Select(m => new { member = m.Member.Code, m.Member.Name, center = m.Member.Center, m.Score, m.LinesMet, m.Lines }) });
                return ExitCodes.Ok;
            }

            var output = parse.InvocationConfiguration.Output;
            foreach (var m in ranked)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Member.Code} ({m.Member.Name}): score {m.Score:0.###}, {m.LinesMet} line(s) met"));
                foreach (var l in m.Lines)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  line {l.Line}: {string.Join("; ", l.Reasons)}"));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RequestEnd(string name, string description)
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var id = new Argument<string>("id") { Description = "The request's UUID." };
        var reason = new Option<string?>("--reason") { Description = "Why (required for release)." };
        var (user, stdin) = SignerOptions();
        var command = new Command(name, description) { id, reason, user, stdin, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var (actor, password) = await SignerAsync(parse, services, user, stdin, ct);
            var hub = services.GetRequiredService<HubService>();
            var v = name == "close"
                ? await hub.CloseRequestAsync(actor, parse.GetValue(id)!, password, ct)
                : await hub.ReleaseRequestAsync(actor, parse.GetValue(id)!, parse.GetValue(reason), password, ct);
            return Done(parse, json, RequestJson(v), $"request {v.Request.Id} {v.State.Name()}");
        });
        return command;
    }

    // ------------------------------------------------------------ offers

    private static Command OfferCreate()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var request = new Option<string>("--request") { Description = "The request's UUID.", Required = true };
        var file = new Option<string>("--file") { Description = "The offer as JSON: offerer, scope, lines[{area, kind, quantity}], terms, costAmount, costCurrency, confidentiality.", Required = true };
        var (user, stdin) = SignerOptions();
        var command = new Command("create", "Offer assistance against an open request (EDXL-RM ResponseToRequestResource), e-signed by --as.") { request, file, user, stdin, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            var input = ReadJson<NewAssistanceOffer>(parse.GetValue(file)!);
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var (actor, password) = await SignerAsync(parse, services, user, stdin, ct);
            var o = await services.GetRequiredService<HubService>().OfferAsync(actor, parse.GetValue(request)!, input, password, ct);
            return Done(parse, json, OfferJson(o), $"offer {o.Id} {o.State.Name()} against request {o.RequestId}");
        });
        return command;
    }

    private static Command OfferStep(string step)
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var id = new Argument<string>("id") { Description = "The offer's UUID." };
        var reason = new Option<string?>("--reason") { Description = "Why (withdraw, release)." };
        var (user, stdin) = SignerOptions();
        var words = step switch
        {
            "accept" => "The requesting side accepts the offer (EDXL-RM RequisitionResource).",
            "commit" => "The offering side commits the resources (EDXL-RM CommitResource).",
            "deliver" => "The offering side reports the assistance delivered (EDXL-RM ReportResourceDeploymentStatus).",
            "withdraw" => "The offering side withdraws its offer before delivery, with --reason.",
            _ => "The requesting side releases the offer, with --reason (EDXL-RM ReleaseResource).",
        };
        var command = new Command(step, words + " E-signed by --as.") { id, reason, user, stdin, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var (actor, password) = await SignerAsync(parse, services, user, stdin, ct);
            var hub = services.GetRequiredService<HubService>();
            var offerId = parse.GetValue(id)!;
            var o = step switch
            {
                "accept" => await hub.AcceptAsync(actor, offerId, password, ct),
                "commit" => await hub.CommitAsync(actor, offerId, password, ct),
                "deliver" => await hub.DeliverAsync(actor, offerId, password, ct),
                "withdraw" => await hub.WithdrawAsync(actor, offerId, parse.GetValue(reason), password, ct),
                _ => await hub.ReleaseOfferAsync(actor, offerId, parse.GetValue(reason), password, ct),
            };
            return Done(parse, json, OfferJson(o), $"offer {o.Id} {o.State.Name()}");
        });
        return command;
    }

    // ------------------------------------------------------------ IRIX

    private static Command Export()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var request = new Option<string>("--request") { Description = "The request's UUID.", Required = true };
        var format = new Option<string>("--format") { Description = "The format: irix (IRIX 1.0 XML).", DefaultValueFactory = _ => "irix" };
        var forMember = new Option<string?>("--for") { Description = "The member the report is for; required unless the request is public." };
        var output = new Option<string?>("--output") { Description = "Write the report to this file (default: standard output)." };
        var command = new Command("export", "A request and the responses the addressee may see as an IRIX 1.0 report; each export Follows (or, once released, Revokes) the previous.")
            { request, format, forMember, output, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            if (!string.Equals(parse.GetValue(format), "irix", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliInputException($"--format: '{parse.GetValue(format)}' is not a format; the hub exports irix");
            }

            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var (xml, report) = await services.GetRequiredService<HubService>().ExportIrixAsync(Reader, parse.GetValue(request)!, parse.GetValue(forMember), ct);
            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, xml, ct);
            }
            else if (!parse.GetValue(json))
            {
                parse.InvocationConfiguration.Output.Write(xml);
                return ExitCodes.Ok;
            }

            return Done(parse, json, new { report.ReportUuid, report.RequestId, report.Follows, report.Revokes, file = parse.GetValue(output), xml = parse.GetValue(output) is null ? xml : null },
                $"IRIX report {report.ReportUuid} written to {parse.GetValue(output)}");
        });
        return command;
    }

    private static Command Import()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var file = new Option<string>("--file") { Description = "The IRIX 1.0 report (XML).", Required = true };
        var (user, stdin) = SignerOptions();
        var command = new Command("import", "Import an IRIX 1.0 request report: a new request, or a newer report that Follows/Revokes a known one; responses become offers. E-signed by --as.")
            { file, user, stdin, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            var xml = await File.ReadAllTextAsync(parse.GetValue(file)!, ct);
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var (actor, password) = await SignerAsync(parse, services, user, stdin, ct);
            var v = await services.GetRequiredService<HubService>().ImportIrixAsync(actor, xml, password, ct);
            return Done(parse, json, RequestJson(v), $"request {v.Request.Id} {v.State.Name()} with {v.Offers.Count} offer(s)");
        });
        return command;
    }

    // ------------------------------------------------------------ shared

    private static (Option<string> User, Option<bool> Stdin) SignerOptions() =>
        (new Option<string>("--as") { Description = "The account that signs (a coordinator).", Required = true },
         new Option<bool>("--password-stdin") { Description = "Read the signer's password from standard input (required: a signature needs it)." });

    /// <summary>The signer: the named account, its password read from standard input and checked as a sign-in is (throttled, journaled).</summary>
    private static async Task<(Actor Actor, string Password)> SignerAsync(ParseResult parse, IServiceProvider services, Option<string> user, Option<bool> stdin, CancellationToken ct)
    {
        if (!parse.GetValue(stdin))
        {
            throw new CliInputException("--password-stdin: an e-signature needs the signer's password on standard input");
        }

        var password = Console.In.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            throw new CliInputException("--password-stdin: no password on standard input");
        }

        var outcome = await services.GetRequiredService<AccessService>().LoginAsync(parse.GetValue(user)!, password, ct);
        return outcome is LoginOutcome.Succeeded ok
            ? (ok.Account.ToActor(), password)
            : throw new CliInputException($"--as: {parse.GetValue(user)} could not sign in (unknown account, wrong password, disabled or throttled)");
    }

    private static T ReadJson<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), InputJson) ?? throw new CliInputException($"--file: {path} is empty");
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"--file: {path} is not valid JSON for this command: {ex.Message}");
        }
    }

    private static int Done(ParseResult parse, Option<bool> json, object value, string text)
    {
        if (parse.GetValue(json))
        {
            CliAction.WriteJson(parse, value);
        }
        else
        {
            parse.InvocationConfiguration.Output.WriteLine(text);
        }

        return ExitCodes.Ok;
    }

    private static object CapabilityJson(Capability c) => new
    {
        area = c.Area.Name(), kind = c.Kind.Name(), unit = c.Kind.Unit(), c.Quantity, c.ProductType, c.HlaCoveragePercent, c.Description, c.Terms, c.ValidFrom, c.ValidUntil,
    };

    private static object MemberJson(HubMember m) => new
    {
        m.Code, m.Name, kind = m.Kind.Name(), m.Country, m.Organisation, m.Center, m.Source, m.DeclaredAt, capabilities = m.Capabilities.Select(CapabilityJson),
    };

    private static object LineJson(AssistanceLine l) => new { area = l.Area.Name(), kind = l.Kind?.Name(), l.Quantity, l.ProductType, l.Note };

    private static object OfferJson(AssistanceOffer o) => new
    {
        o.Id, o.RequestId, state = o.State.Name(), edxlRm = o.State.EdxlRmMessage(), o.Offerer, o.Source, o.RequestSource, o.Scope, lines = o.Lines.Select(LineJson),
        o.Terms, o.CostAmount, o.CostCurrency, confidentiality = o.Confidentiality.Name(), o.OfferedAt, o.AcceptedAt, o.CommittedAt, o.DeliveredAt, o.ClosedAt,
        o.WithdrawnAt, o.ReleasedAt, o.ReleaseReason,
    };

    private static object RequestJson(RequestView v) => new
    {
        v.Request.Id, state = v.State.Name(), edxlRm = v.State.EdxlRmMessage(), v.Request.Source, v.Request.Requester, v.Request.Subject, v.Request.Scope,
        lines = v.Request.Lines.Select(LineJson), v.Request.Patients, v.Request.SupportingInformation, urgency = v.Request.Urgency.Name(),
        confidentiality = v.Request.Confidentiality.Name(), v.Request.Addressees, v.Request.AnswerWithinHours, v.AnswerDue, v.AnsweredAt, v.Overdue,
        v.Request.RequestedAt, v.Request.RequestedBy, v.Request.ClosedAt, v.Request.ReleasedAt, v.Request.ReleaseReason, offers = v.Offers.Select(OfferJson),
    };
}
