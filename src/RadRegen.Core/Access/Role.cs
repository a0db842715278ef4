namespace RadRegen.Core.Access;

/// <summary>The roles of the center's people (architecture: Security).</summary>
public enum Role
{
    Admin,
    CpcTechnician,
    QaOfficer,
    Physician,
    Coordinator,
    Trainer,

    /// <summary>Reads everything, changes nothing.</summary>
    Auditor,
}

/// <summary>The roles' names as people and files write them (<c>cpc-technician</c>).</summary>
public static class RoleNames
{
    private static readonly (Role Role, string Name)[] Table =
    [
        (Role.Admin, "admin"),
        (Role.CpcTechnician, "cpc-technician"),
        (Role.QaOfficer, "qa-officer"),
        (Role.Physician, "physician"),
        (Role.Coordinator, "coordinator"),
        (Role.Trainer, "trainer"),
        (Role.Auditor, "auditor"),
    ];

    public static IReadOnlyList<Role> All { get; } = [.. Table.Select(t => t.Role)];

    public static string Name(this Role role) => Table.First(t => t.Role == role).Name;

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var (r, name) in Table)
        {
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = r;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>Parses a comma-separated role list; unknown names are a validation error on <paramref name="field"/>.</summary>
    public static IReadOnlySet<Role> ParseList(string? text, string field = "roles")
    {
        var roles = new SortedSet<Role>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParse(part, out var role))
            {
                throw new DomainValidationException(field,
                    $"unknown role '{part}'; expected one of {string.Join(", ", Table.Select(t => t.Name))}");
            }

            roles.Add(role);
        }

        if (roles.Count == 0)
        {
            throw new DomainValidationException(field, "at least one role is required");
        }

        return roles;
    }

    public static string Format(IEnumerable<Role> roles) => string.Join(",", roles.Order().Select(Name));
}
