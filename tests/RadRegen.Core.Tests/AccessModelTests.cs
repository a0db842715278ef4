using RadRegen.Core.Access;

namespace RadRegen.Core.Tests;

public class AccessModelTests
{
    [Fact]
    public void Role_names_round_trip_and_unknown_names_are_named_in_the_error()
    {
        foreach (var role in RoleNames.All)
        {
            Assert.True(RoleNames.TryParse(role.Name(), out var parsed));
            Assert.Equal(role, parsed);
        }

        Assert.Equal(7, RoleNames.All.Count);
        var ex = Assert.Throws<DomainValidationException>(() => RoleNames.ParseList("qa-officer,surgeon", "--role"));
        Assert.Equal("--role", ex.Errors[0].Field);
        Assert.Contains("surgeon", ex.Message, StringComparison.Ordinal);
        Assert.Throws<DomainValidationException>(() => RoleNames.ParseList(" , "));
    }

    [Fact]
    public void Require_refuses_an_actor_without_the_role_and_names_it()
    {
        var technician = new Actor(3, "tech1", new HashSet<Role> { Role.CpcTechnician });
        var ex = Assert.Throws<ForbiddenException>(() => technician.Require("releasing a lot", Role.QaOfficer));
        Assert.Contains("qa-officer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tech1", ex.Message, StringComparison.Ordinal);
        technician.Require("recording QC", Role.CpcTechnician, Role.QaOfficer);
    }

    [Fact]
    public void Generated_passwords_are_long_and_differ()
    {
        var a = PasswordGenerator.Generate();
        var b = PasswordGenerator.Generate();
        Assert.Equal(18, a.Length);
        Assert.NotEqual(a, b);
        Assert.DoesNotContain('0', a + b);
        Assert.DoesNotContain('l', a + b);
    }
}
