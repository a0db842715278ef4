using System.Text;
using RadRegen.Core.Access;

namespace RadRegen.Core.Tests;

public class PermissionTableTests
{
    private const string Begin = "<!-- permission-table:begin (generated from Permissions.All by PermissionTableTests) -->";
    private const string End = "<!-- permission-table:end -->";

    [Fact]
    public void Every_operation_has_one_row_a_unique_dotted_name_an_action_and_at_least_one_role()
    {
        Assert.Equal(Enum.GetValues<Operation>(), Permissions.All.Select(p => p.Operation));
        Assert.Equal(Permissions.All.Count, Permissions.All.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (var p in Permissions.All)
        {
            Assert.Matches("^[a-z]+(\\.[a-z-]+)+$", p.Name);
            Assert.False(string.IsNullOrWhiteSpace(p.Action), p.Name);
            Assert.NotEmpty(p.Roles);
            Assert.Equal(p.Roles.Count, p.Roles.Distinct().Count());
            Assert.Same(p, Permissions.Of(p.Operation));
        }
    }

    [Fact]
    public void The_auditor_reads_and_changes_nothing()
    {
        Assert.All(Permissions.For(Role.Auditor), p => Assert.Equal(OperationKind.Read, p.Kind));
        Assert.True(Permissions.Allows([Role.Auditor], Operation.AuditRead));
        Assert.True(Permissions.Allows([Role.Auditor], Operation.CareRead));
        Assert.True(Permissions.Allows([Role.Auditor], Operation.BankRead));
    }

    [Fact]
    public void Release_is_qa_alone_and_qa_does_not_read_patient_records()
    {
        foreach (var op in new[] { Operation.BankLotRelease, Operation.BankLotReject, Operation.BankDeviationClose })
        {
            Assert.Equal([Role.QaOfficer], Permissions.Of(op).Roles);
        }

        Assert.False(Permissions.Allows([Role.QaOfficer], Operation.CareRead));
        Assert.DoesNotContain(Permissions.For(Role.QaOfficer), p => p.Name.StartsWith("care.", StringComparison.Ordinal));
        Assert.Equal([Role.Physician], Permissions.Of(Operation.BankVialAdminister).Roles);
        Assert.Equal([Role.Physician], Permissions.Of(Operation.CareTherapyAdminister).Roles);
    }

    [Fact]
    public void Every_role_but_the_trainer_reads_the_bank_and_every_change_names_no_reader_only_role()
    {
        // Issue 12 item 9: the trainer's drills run on a simulated bank; the real one is not theirs to read.
        Assert.All(RoleNames.All.Where(r => r != Role.Trainer), r => Assert.True(Permissions.Allows([r], Operation.BankRead)));
        Assert.False(Permissions.Allows([Role.Trainer], Operation.BankRead));
        Assert.All(Permissions.All.Where(p => p.Kind == OperationKind.Change), p => Assert.DoesNotContain(Role.Auditor, p.Roles));
        // Accounts are an administrator's: nobody else manages them.
        Assert.Equal([Role.Admin], Permissions.Of(Operation.AccountsManage).Roles);
    }

    [Fact]
    public void The_administrator_manages_accounts_and_configuration_and_makes_no_gmp_record_and_reads_no_patient()
    {
        // Issue 12 item 9, ADR 0026: EU GMP Annex 11 §12, 21 CFR 11.10(d),(g); HIPAA minimum necessary.
        var admin = Permissions.For(Role.Admin).Select(p => p.Operation).ToHashSet();
        Assert.Equal(
            // network.read: the link, lag, outbox and parked events of the network the administrator configures (ADR 0022); no GMP record, no patient.
            new HashSet<Operation> { Operation.AccountsManage, Operation.AccountsRead, Operation.AuditRead, Operation.BankRead, Operation.BankCatalogueSeed, Operation.NetworkRead },
            admin);
        Assert.DoesNotContain(Permissions.For(Role.Admin), p => p.Name.StartsWith("care.", StringComparison.Ordinal) || p.Name.StartsWith("lab.", StringComparison.Ordinal));
        // Product definitions are GMP master data: QA configures them (21 CFR 211.22(c)).
        Assert.Equal([Role.QaOfficer], Permissions.Of(Operation.BankCatalogueConfigure).Roles);
        Assert.Equal([Role.QaOfficer], Permissions.Of(Operation.LabCurveActivate).Roles);
    }

    [Fact]
    public void The_trainer_reads_drill_incidents_and_nothing_else()
    {
        // Issue 15 item 7 (ADR 0035, amending 0026): the trainer also builds exercises and reads their
        // answers and scores — drill data only; no other care, bank or lab operation.
        Assert.Equal([Operation.CareDrillRead, Operation.TrainingExerciseRead, Operation.TrainingExerciseManage, Operation.TrainingExerciseAnswerKey],
            Permissions.For(Role.Trainer).Select(p => p.Operation));
        // Whoever reads real care records reads drills too.
        Assert.All(Permissions.Of(Operation.CareRead).Roles, r => Assert.True(Permissions.Allows([r], Operation.CareDrillRead)));
        var trainer = new Actor(7, "trainer1", new HashSet<Role> { Role.Trainer });
        var ex = Assert.Throws<ForbiddenException>(() => trainer.Demand(Operation.CareRead));
        Assert.Contains("trainer1 has trainer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Demand_refuses_with_the_operations_words_and_the_allowed_roles()
    {
        var qa = new Actor(4, "qa1", new HashSet<Role> { Role.QaOfficer });
        var ex = Assert.Throws<ForbiddenException>(() => qa.Demand(Operation.CareRead));
        Assert.StartsWith("reading care records needs the role physician or coordinator", ex.Message, StringComparison.Ordinal);
        Assert.Contains("qa1 has qa-officer", ex.Message, StringComparison.Ordinal);
        qa.Demand(Operation.BankLotRelease);
        Assert.True(qa.May(Operation.AuditRead));
        Assert.False(qa.May(Operation.BankDonorRegister));

        var tech = new Actor(3, "tech1", new HashSet<Role> { Role.CpcTechnician });
        Permissions.RequireAny(tech, Operation.CareObservationRecord, Operation.CareCytogeneticsRecord);
        var both = Assert.Throws<ForbiddenException>(() => Permissions.RequireAny(qa, Operation.CareObservationRecord, Operation.CareCytogeneticsRecord));
        Assert.Contains("recording an observation or recording a cytogenetic result", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_actor_with_several_roles_may_do_what_any_of_them_may()
    {
        var both = new Actor(5, "two-hats", new HashSet<Role> { Role.Auditor, Role.Physician });
        Assert.True(both.May(Operation.CareTherapyAdminister));
        Assert.True(both.May(Operation.AuditRead));
        Assert.False(both.May(Operation.BankLotRelease));
        Assert.False(new Actor(6, "nobody", new HashSet<Role>()).May(Operation.BankRead));
    }

    [Fact]
    public void No_service_page_or_menu_lists_roles_itself()
    {
        var sep = Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal))
            .Where(f => !f.EndsWith($"Access{sep}Actor.cs", StringComparison.Ordinal) && !f.EndsWith($"Access{sep}Permissions.cs", StringComparison.Ordinal))
            .Where(f =>
            {
                var text = File.ReadAllText(f);
                return text.Contains(".Require(\"", StringComparison.Ordinal) || text.Contains("IsInRole(", StringComparison.Ordinal)
                    || text.Contains("Authorize(Roles", StringComparison.Ordinal);
            })
            .ToList();
        Assert.True(offenders.Count == 0, "role lists outside the permission table: " + string.Join(", ", offenders));
    }

    [Fact]
    public void The_security_document_prints_the_table_as_it_is()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "security.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/security.md lacks the markers {Begin} … {End}");
        var expected = Matrix();
        var actual = text[(start + Begin.Length)..end];
        if (actual != expected && Environment.GetEnvironmentVariable("RADREGEN_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, text[..(start + Begin.Length)] + expected + text[end..]);
            return;
        }

        Assert.True(actual == expected,
            "docs/security.md does not match Permissions.All; run this test with RADREGEN_WRITE_DOCS=1 to rewrite it, or paste:\n" + expected);
    }

    /// <summary>The operation × role matrix as Markdown.</summary>
    private static string Matrix()
    {
        var sb = new StringBuilder("\n");
        sb.Append("| Operation | Kind | ").AppendJoin(" | ", RoleNames.All.Select(r => r.Name())).Append(" |\n");
        sb.Append("|---|---|").AppendJoin("", RoleNames.All.Select(_ => ":-:|")).Append('\n');
        foreach (var p in Permissions.All)
        {
            sb.Append("| `").Append(p.Name).Append("` (").Append(p.Action).Append(") | ").Append(p.Kind == OperationKind.Read ? "read" : "change").Append(" | ")
                .AppendJoin(" | ", RoleNames.All.Select(r => p.Allows(r) ? "✓" : "")).Append(" |\n");
        }

        return sb.ToString();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RadRegen.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (RadRegen.slnx) is not above " + AppContext.BaseDirectory);
    }
}
