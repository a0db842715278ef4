using System.Text.RegularExpressions;
using RadRegen.Care;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Training.Exercises;

namespace RadRegen.Training.Courses;

/// <summary>
/// Rosters (issue 15 item 1): the staff assigned to a real incident or to a drill (an exercise), each
/// in a roster role, checked against the certificates that role requires. Which courses a roster role
/// requires is a versioned center setting (<see cref="RosterRequirements"/>); the roster warns about
/// every required certificate that is expired, revoked or missing on the roster's day.
/// </summary>
public sealed partial class RosterService(IUnitOfWorkFactory units, IClock clock)
{
    /// <summary>
    /// The built-in requirements (version 0), a demonstration the center replaces with its own: the
    /// course codes are those of the demonstration catalogue. Modelled on reference/training/education-and-drills.md:
    /// REAC/TS teaches radiation emergency medicine to physicians, PAs, NPs and nurses; Hirosaki's
    /// course for nurses and radiological technologists drills wound decontamination and PPE;
    /// a RITN center's activation team includes a RITN coordinator. The choice of courses per role
    /// is the center's, not the sources'.
    /// </summary>
    public static RosterRequirements Default { get; } = new(0,
    [
        new RoleRequirement("physician", ["REM-CLIN"]),
        new RoleRequirement("nurse", ["REM-CLIN", "DECON-PPE"]),
        new RoleRequirement("radiological-technologist", ["DECON-PPE"]),
        new RoleRequirement("coordinator", ["RITN-ACT"]),
    ], null, null, "built-in demonstration requirements; the center's to replace");

    [GeneratedRegex("^[a-z][a-z0-9-]{0,49}$")]
    private static partial Regex RolePattern();

    public static RosterKind ParseKind(string? text, string field = "kind") => text?.Trim().ToLowerInvariant() switch
    {
        "incident" => RosterKind.Incident,
        "exercise" => RosterKind.Exercise,
        _ => throw new DomainValidationException(field, $"'{text}' is not a roster kind; expected incident or exercise"),
    };

    /// <summary>The requirements in force: the highest stored version, else the built-in <see cref="Default"/>.</summary>
    public async Task<RosterRequirements> RequirementsAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingRosterRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await CurrentAsync(uow.Store<ITrainingStore>(), ct);
    }

    /// <summary>Adds a version of the requirements (every role with its course codes) with a reason.</summary>
    public async Task<RosterRequirements> SetRequirementsAsync(Actor actor, IReadOnlyList<RoleRequirement>? roles, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingRequirementsChange);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new FieldError("reason", "is required (why the requirements change)"));
        }

        var limits = new InputLimits(errors).Text("reason", reason, Limits.FreeText).Count("roles", roles?.Count ?? 0, Limits.ShortList);
        var clean = new List<RoleRequirement>();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITrainingStore>();
        var codes = (await store.ListCoursesAsync(ct)).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < (roles?.Count ?? 0); i++)
        {
            var r = roles![i];
            var role = r?.RosterRole?.Trim().ToLowerInvariant() ?? "";
            if (!RolePattern().IsMatch(role))
            {
                errors.Add(new FieldError($"roles[{i}].rosterRole", $"'{r?.RosterRole}' is not a roster role (lower-case letters, digits and hyphens, e.g. physician)"));
            }
            else if (clean.Any(c => c.RosterRole == role))
            {
                errors.Add(new FieldError($"roles[{i}].rosterRole", $"{role} is given twice"));
            }

            var courses = (r?.Courses ?? []).Select(CourseService.NormalizeCode).Distinct(StringComparer.Ordinal).ToList();
            limits.List($"roles[{i}].courses", courses, Limits.ShortList, Limits.ShortName);
            foreach (var (c, j) in courses.Select((c, j) => (c, j)))
            {
                if (!codes.Contains(c))
                {
                    errors.Add(new FieldError($"roles[{i}].courses[{j}]", $"no course {c} in the catalogue"));
                }
            }

            clean.Add(new RoleRequirement(role, courses));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var previous = await CurrentAsync(store, ct);
        var version = new RosterRequirements(previous.Version + 1, clean, clock.UtcNow, actor.UserName, reason!.Trim());
        await store.InsertRequirementsAsync(version, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-roster-requirements", CourseService.Id(version.Version), "set", version), ct);
        await uow.CommitAsync(ct);
        return version;
    }

    /// <summary>Assigns a member of staff to an incident's or exercise's roster in a roster role.</summary>
    public async Task<RosterMember> AssignAsync(Actor actor, RosterKind kind, long targetId, string? staff, string? rosterRole, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingRosterManage);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(staff))
        {
            errors.Add(new FieldError("staff", "is required (the user name of the member of staff)"));
        }

        var role = rosterRole?.Trim().ToLowerInvariant() ?? "";
        if (!RolePattern().IsMatch(role))
        {
            errors.Add(new FieldError("rosterRole", $"'{rosterRole}' is not a roster role (lower-case letters, digits and hyphens, e.g. physician)"));
        }

        new InputLimits(errors).Text("staff", staff, Limits.ShortName);
        if (targetId < 1)
        {
            errors.Add(new FieldError(kind == RosterKind.Incident ? "incident" : "exercise", "must be a positive id"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        staff = staff!.Trim();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITrainingStore>();
        await RequireTargetAsync(uow, kind, targetId, ct);
        if (!await CourseService.StaffExistsAsync(uow, staff, ct))
        {
            throw new DomainValidationException("staff", $"no active account '{staff}'");
        }

        if ((await store.ListRosterAsync(kind, targetId, ct)).Any(m => m.Staff == staff))
        {
            throw new ConflictException($"{staff} is already on the roster of {Name(kind)} {targetId}");
        }

        var member = new RosterMember(0, kind, targetId, staff, role, clock.UtcNow, actor.UserName);
        member = member with { Id = await store.InsertRosterMemberAsync(member, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-roster", $"{Name(kind)}/{targetId}", "assigned", member), ct);
        await uow.CommitAsync(ct);
        return member;
    }

    /// <summary>Takes a member off a roster.</summary>
    public async Task RemoveAsync(Actor actor, long memberId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingRosterManage);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITrainingStore>();
        var member = await store.GetRosterMemberAsync(memberId, ct) ?? throw new NotFoundException($"no roster member {memberId}");
        await store.DeleteRosterMemberAsync(memberId, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-roster", $"{Name(member.Kind)}/{member.TargetId}", "removed", member), ct);
        await uow.CommitAsync(ct);
    }

    /// <summary>The roster with a warning for every required certificate that is not current on <paramref name="asOf"/> (default today).</summary>
    public async Task<Roster> RosterAsync(Actor actor, RosterKind kind, long targetId, DateOnly? asOf = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingRosterRead);
        var day = asOf ?? DateOnly.FromDateTime(clock.UtcNow.UtcDateTime);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ITrainingStore>();
        await RequireTargetAsync(uow, kind, targetId, ct);
        var requirements = await CurrentAsync(store, ct);
        var certificates = (await store.ListCertificatesAsync(null, ct)).ToLookup(c => c.Staff, StringComparer.Ordinal);
        var lines = new List<RosterLine>();
        foreach (var member in await store.ListRosterAsync(kind, targetId, ct))
        {
            lines.Add(new RosterLine(member, Warnings(member, requirements, [.. certificates[member.Staff]], day)));
        }

        return new Roster(kind, targetId, day, requirements.Version, lines);
    }

    /// <summary>The warnings of one member: each course their role requires whose certificate is not current on <paramref name="day"/>.</summary>
    public static IReadOnlyList<RosterWarning> Warnings(RosterMember member, RosterRequirements requirements, IReadOnlyList<Certificate> certificates, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(requirements);
        var warnings = new List<RosterWarning>();
        foreach (var code in requirements.CoursesFor(member.RosterRole))
        {
            var cell = CourseService.Cell(code, certificates, day, 0);
            switch (cell.Currency)
            {
                case Currency.Expired:
                    warnings.Add(new RosterWarning(code, cell.Currency, cell.Certificate!.ExpiresOn,
                        $"{member.Staff} ({member.RosterRole}): the {code} certificate expired on {cell.Certificate.ExpiresOn:yyyy-MM-dd}"));
                    break;
                case Currency.Revoked:
                    warnings.Add(new RosterWarning(code, cell.Currency, null, $"{member.Staff} ({member.RosterRole}): the {code} certificate was revoked"));
                    break;
                case Currency.Never:
                    warnings.Add(new RosterWarning(code, cell.Currency, null, $"{member.Staff} ({member.RosterRole}): no {code} certificate"));
                    break;
            }
        }

        return warnings;
    }

    private static string Name(RosterKind kind) => kind == RosterKind.Incident ? "incident" : "exercise";

    private static async Task<RosterRequirements> CurrentAsync(ITrainingStore store, CancellationToken ct) =>
        (await store.ListRequirementsAsync(ct)).LastOrDefault() ?? Default;

    /// <summary>The roster's incident must exist in care, its exercise among the exercises (404 otherwise, nothing written).</summary>
    private static async Task RequireTargetAsync(IUnitOfWork uow, RosterKind kind, long targetId, CancellationToken ct)
    {
        if (kind == RosterKind.Incident && await uow.Store<ICareStore>().GetIncidentAsync(targetId, ct) is null)
        {
            throw new NotFoundException($"no incident {targetId}");
        }

        if (kind == RosterKind.Exercise && await uow.Store<IExerciseStore>().GetAsync(targetId, ct) is null)
        {
            throw new NotFoundException($"no exercise {targetId}");
        }
    }
}
