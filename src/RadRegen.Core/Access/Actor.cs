namespace RadRegen.Core.Access;

/// <summary>
/// Who is acting: a signed-in person, a machine with an API token, or the local operator at the
/// command line. Domain services take an actor and check its roles themselves, so that no page or
/// endpoint is the only guard.
/// </summary>
/// <param name="UserId">The user's id; 0 for the local operator.</param>
/// <param name="UserName">The login name written to the journal.</param>
/// <param name="Roles">What the actor may do.</param>
public sealed record Actor(long UserId, string UserName, IReadOnlySet<Role> Roles)
{
    /// <summary>
    /// The operator of the <c>radregen</c> command on the server itself. Whoever can run it can
    /// already read the database file, so it acts as admin; the journal names it with the OS user.
    /// </summary>
    public static Actor LocalOperator(string osUser) =>
        new(0, $"local:{osUser}", new HashSet<Role> { Role.Admin });

    public bool Has(Role role) => Roles.Contains(role);

    /// <summary>Whether the permission table lets this actor do <paramref name="operation"/>.</summary>
    public bool May(Operation operation) => Permissions.Allows(this, operation);

    /// <summary>Throws <see cref="ForbiddenException"/> unless the permission table lets this actor do <paramref name="operation"/>.</summary>
    public void Demand(Operation operation) => Permissions.Require(this, operation);

    /// <summary>
    /// Throws <see cref="ForbiddenException"/> unless the actor holds one of <paramref name="anyOf"/>.
    /// Services do not list roles themselves: they <see cref="Demand"/> an operation of <see cref="Permissions"/>.
    /// </summary>
    public void Require(string action, params Role[] anyOf)
    {
        if (!anyOf.Any(Roles.Contains))
        {
            throw new ForbiddenException(
                $"{action} needs the role {string.Join(" or ", anyOf.Select(r => r.Name()))}; {UserName} has {RoleNames.Format(Roles)}");
        }
    }
}
