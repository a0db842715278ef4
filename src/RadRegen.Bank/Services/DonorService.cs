using System.Security.Cryptography;
using RadRegen.Bank.Hla;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

public sealed record RegisterDonorRequest(
    string? Code,
    ConsentScopes Consent,
    DateTimeOffset? ConsentedAt,
    IReadOnlyList<ScreeningResult> Screening,
    string? HlaGl,
    string? Reason = null);

/// <summary>
/// Donors and their consent: registration with infectious-marker screening and an optional HLA
/// typing, and consent withdrawal, which flags every line, lot and vial made from the donor.
/// </summary>
public sealed class DonorService(IUnitOfWorkFactory units, IClock clock, IHlaTyping hla, Network.StockPublisher stock)
{
    public static readonly IReadOnlyList<string> ScreeningMarkers = ["HIV-1/2", "HBV", "HCV", "HTLV-1/2", "Syphilis"];

    public async Task<Donor> RegisterDonorAsync(Actor actor, RegisterDonorRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.BankDonorRegister);
        var donor = BuildDonor(request, actor.UserName, clock.UtcNow);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var saved = await InsertDonorAsync(uow, actor, donor, request.Reason, ct);
        await uow.CommitAsync(ct);
        return saved;
    }

    internal Donor BuildDonor(RegisterDonorRequest request, string user, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var code = string.IsNullOrWhiteSpace(request.Code) ? NewDonorCode() : request.Code.Trim().ToUpperInvariant();
        if (!BankRules.CodePattern().IsMatch(code))
        {
            errors.Add(new("code", "a donor code is 3–20 letters, digits or '-' (pseudonymous: never a name)"));
        }

        if (request.Consent is null || !request.Consent.Banking)
        {
            errors.Add(new("consent", "a donor can be registered only with consent to banking"));
        }

        var screening = new List<ScreeningResult>();
        foreach (var s in (request.Screening ?? []).Take(Limits.ShortList.MaxCount))
        {
            // Issue 12 item 8: a marker and its result are short names (Core.Limits); a longer one is not echoed back.
            var before = errors.Count;
            new InputLimits(errors).Text("screening", s.Marker, Limits.ShortName).Text("screening result", s.Result, Limits.ShortName);
            if (errors.Count > before)
            {
                continue;
            }

            var marker = ScreeningMarkers.FirstOrDefault(m => string.Equals(m, s.Marker?.Trim(), StringComparison.OrdinalIgnoreCase));
            var result = s.Result?.Trim().ToLowerInvariant();
            if (marker is null)
            {
                errors.Add(new("screening", $"unknown marker '{s.Marker}'; expected {string.Join(", ", ScreeningMarkers)}"));
            }
            else if (result is not ("negative" or "positive"))
            {
                errors.Add(new($"screening {marker}", "the result is negative or positive"));
            }
            else
            {
                screening.Add(new ScreeningResult(marker, result));
            }
        }

        if (screening.GroupBy(s => s.Marker).Any(g => g.Count() > 1))
        {
            errors.Add(new("screening", "each marker once"));
        }

        HlaTypingAnalysis? typing = null;
        if (!string.IsNullOrWhiteSpace(request.HlaGl))
        {
            try
            {
                typing = hla.Analyze(request.HlaGl);
            }
            catch (DomainValidationException ex)
            {
                errors.Add(new("hlaGl", ex.Errors[0].Message));
            }
        }

        var consentedAt = request.ConsentedAt ?? now;
        if (consentedAt > now.AddMinutes(5))
        {
            errors.Add(new("consentedAt", "consent cannot be dated in the future"));
        }

        // Issue 12 item 8: named limits (Core.Limits) on the donor's texts and list.
        new InputLimits(errors).Text("hlaGl", request.HlaGl, Limits.GlString).Text("reason", request.Reason, Limits.FreeText)
            .Count("screening", request.Screening?.Count ?? 0, Limits.ShortList);

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var eligible = ScreeningMarkers.All(m => screening.Any(s => s.Marker == m && s.Result == "negative"));
        return new Donor(0, code, request.Consent!, consentedAt, null, null, screening, eligible,
            typing?.GlString, typing?.Homozygous, typing?.Haplotype, now, user);
    }

    internal static async Task<Donor> InsertDonorAsync(IUnitOfWork uow, Actor actor, Donor donor, string? reason, CancellationToken ct)
    {
        var store = uow.Store<IBankStore>();
        if (await store.FindDonorByCodeAsync(donor.Code, ct) is not null)
        {
            throw new ConflictException($"donor {donor.Code} is already registered");
        }

        var id = await store.InsertDonorAsync(donor, ct);
        var saved = donor with { Id = id };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("donor", saved.Code, "registered", new
        {
            saved.Code,
            consent = saved.Consent,
            consentedAt = JournalTime.ToText(saved.ConsentedAt),
            saved.Screening,
            saved.Eligible,
            hla = saved.HlaGl,
            saved.Homozygous,
        }, reason), ct);
        return saved;
    }

    public async Task<Donor> GetDonorAsync(Actor actor, long id, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await BankRules.DonorAsync(uow.Store<IBankStore>(), id, ct);
    }

    public async Task<IReadOnlyList<Donor>> ListDonorsAsync(Actor actor, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListDonorsAsync(ct);
    }

    /// <summary>One page of donors: search by code, HLA or haplotype; sort by <see cref="BankLists.Donors"/>.</summary>
    public async Task<ListPage<Donor>> SearchDonorsAsync(Actor actor, ListQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        BankRules.Read(actor);
        var order = query.Validate(BankLists.Donors);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().SearchDonorsAsync(query, order, ct);
    }

    /// <summary>
    /// Withdraws consent: no new line, bank, lot or reservation from this donor's material; every
    /// existing line, lot and vial is flagged, and each flag is journaled.
    /// </summary>
    public async Task<Donor> WithdrawConsentAsync(Actor actor, long donorId, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankDonorWithdrawConsent);
        BankRules.RequireReason(reason);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var donor = await BankRules.DonorAsync(store, donorId, ct);
        if (donor.ConsentWithdrawn)
        {
            throw new RuleViolationException($"donor {donor.Code} withdrew consent already ({JournalTime.ToText(donor.WithdrawnAt!.Value)})");
        }

        var now = clock.UtcNow;
        var updated = donor with { WithdrawnAt = now, WithdrawalReason = reason.Trim() };
        if (!await store.UpdateDonorAsync(updated, donor.Version, ct))
        {
            throw new ConflictException($"donor {donor.Code} was changed by someone else; reload and try again");
        }

        var flag = $"consent withdrawn {JournalTime.ToText(now)[..10]}";
        await store.FlagLinesOfDonorAsync(donorId, flag, ct);
        await store.FlagLotsOfDonorAsync(donorId, flag, ct);
        var vials = await store.FlagVialsOfDonorAsync(donorId, flag, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("donor", donor.Code, "consent-withdrawn",
            new { donor.Code, withdrawnAt = JournalTime.ToText(now), flaggedVials = vials.Count }, reason.Trim()), ct);
        foreach (var vialId in vials)
        {
            await store.InsertCustodyAsync(new CustodyEvent(0, vialId, now, actor.UserName, "flagged", null, "flagged", null, null, flag), ct);
        }

        await stock.PublishLotsAsync(uow, await uow.Store<Network.IStockStore>().LotsOfDonorAsync(donorId, ct), ct);
        await uow.CommitAsync(ct);
        return updated with { Version = donor.Version + 1 };
    }

    private static string NewDonorCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        Span<char> chars = stackalloc char[8];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return "D-" + new string(chars);
    }
}
