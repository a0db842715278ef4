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

    /// <summary>
    /// The local operator running a command that does one role's work (<c>bank import</c> is a
    /// technician's, <c>care import</c> a coordinator's): it acts in that role only, because the
    /// administrator makes no GMP record and reads no patient (ADR 0026). The journal names it as
    /// <see cref="LocalOperator(string)"/> does.
    /// </summary>
    public static Actor LocalOperator(string osUser, Role role) =>
        new(0, $"local:{osUser}", new HashSet<Role> { role });

    /// <summary>
    /// A job of the server with no person behind it (the expiry run, start-up seeding): named
    /// <c>system:job</c> in the journal and holding only the role whose work the job does (ADR 0026).
    /// </summary>
    public static Actor System(string job, Role role) =>
        new(0, $"system:{job}", new HashSet<Role> { role });

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
