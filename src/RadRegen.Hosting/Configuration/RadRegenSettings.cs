using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;
using RadRegen.Core.Access;
using RadRegen.Storage;

namespace RadRegen.Hosting.Configuration;

/// <summary>
/// Who the installation is: the center's name, its ISBT 128 facility identification number (the
/// first five characters of every DIN it issues) and the time zone its people read times in.
/// </summary>
/// <param name="Name">The center's name, as pages and reports show it.</param>
/// <param name="FacilityCode">ISBT 128 FIN (one letter and four characters); null when not configured, and then no DIN can be issued.</param>
/// <param name="TimeZone">The display time zone; times are stored in UTC.</param>
public sealed record CenterSettings(string Name, string? FacilityCode, TimeZoneInfo TimeZone)
{
    /// <summary>What the center offers (<c>Center:Capabilities:*</c>); told to the network in its profile.</summary>
    public RadRegen.Network.Centers.CenterCapabilities Capabilities { get; init; } = RadRegen.Network.Centers.CenterCapabilities.None;

    /// <summary>The facility code of the demo data and of tests: ICCBBA's example FIN, never a real center's.</summary>
    public const string DemoFacilityCode = "W0001";

    /// <summary>
    /// The center that <c>serve --demo</c> and the tests run as: a Japanese center (the README's demo), so its
    /// people read times in Japan Standard Time unless <c>Center:TimeZone</c> says otherwise (ADR 0041).
    /// </summary>
    public static CenterSettings Demo { get; } = new("RadRegen demo center", DemoFacilityCode, DemoTimeZone());

    /// <summary>
    /// Asia/Tokyo from the machine's time-zone database; where the machine has none, the same zone built
    /// here: Japan has kept UTC+09:00 without summer time since 1951 (IANA tzdata, asia: "Japan").
    /// </summary>
    private static TimeZoneInfo DemoTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Tokyo", TimeSpan.FromHours(9), "Japan Standard Time", "Japan Standard Time");
        }
    }

    /// <summary>An installation that has not said who it is: it runs, but refuses to issue DINs.</summary>
    public static CenterSettings Unconfigured { get; } = new("", null, TimeZoneInfo.Utc);
}

/// <summary>What the web host needs beyond the domain: where to listen and how sessions behave.</summary>
/// <param name="Urls">Where to listen; loopback by default.</param>
/// <param name="SessionIdleTimeout">How long a person's session lasts without activity.</param>
/// <param name="LoginAttemptsPerMinute">Login attempts allowed per client address per minute, before lock-out even applies.</param>
public sealed record WebSettings(string Urls, TimeSpan SessionIdleTimeout, int LoginAttemptsPerMinute)
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static WebSettings Default { get; } = new(DefaultUrls, TimeSpan.FromMinutes(30), 20);

    /// <summary>
    /// <c>DataProtection:CertificatePath</c>: a PKCS#12 (.pfx) certificate with its private key that
    /// encrypts the data-protection key ring at rest; null: the keys stay unencrypted in their 0700
    /// folder and the server logs a warning naming this setting.
    /// </summary>
    public string? KeyRingCertificatePath { get; init; }

    /// <summary><c>DataProtection:CertificatePassword</c> (from the environment: <c>RADREGEN_DataProtection__CertificatePassword</c>).</summary>
    public string? KeyRingCertificatePassword { get; init; }
}

/// <summary>Where the journal's checkpoints are anchored outside the database (ADR 0019).</summary>
/// <param name="CheckpointLog">The checkpoint log (one signed JSON line per checkpoint); null: the journal is not anchored.</param>
/// <param name="SigningKey">The ECDSA P-256 private key (PEM) that signs checkpoints; created with mode 0600 on first use.</param>
public sealed record JournalSettings(string? CheckpointLog, string? SigningKey)
{
    /// <summary>The key's file name beside the database (SQLite) or beside the checkpoint log.</summary>
    public const string DefaultKeyFileName = "journal-signing-key.pem";

    public static JournalSettings None { get; } = new(null, null);

    /// <summary>
    /// The defaults: on SQLite, beside the database file (<c>radregen.checkpoints.jsonl</c> for
    /// <c>radregen.db</c>, so two databases in one folder keep two logs, and one
    /// <c>journal-signing-key.pem</c>); on PostgreSQL none (set <c>Journal:CheckpointLog</c>).
    /// </summary>
    public static JournalSettings Default(DatabaseTarget database, string? checkpointLog = null, string? signingKey = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (checkpointLog is null && database.SqliteFile is { } file)
        {
            checkpointLog = Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file) + ".checkpoints.jsonl");
        }

        if (checkpointLog is null)
        {
            return new JournalSettings(null, signingKey is null ? null : Path.GetFullPath(signingKey));
        }

        checkpointLog = Path.GetFullPath(checkpointLog);
        signingKey = Path.GetFullPath(signingKey ?? Path.Combine(Path.GetDirectoryName(checkpointLog)!, DefaultKeyFileName));
        return new JournalSettings(checkpointLog, signingKey);
    }
}

/// <summary>
/// Membership of a network of centers (issue 13, ADR 0022, docs/network.md): the NATS server with
/// JetStream, this center's code in the network and the network's name. Absent (null in
/// <see cref="RadRegenSettings.Network"/>): the center runs alone and nothing network-related starts.
/// </summary>
/// <param name="Url">The NATS server (<c>Network:Url</c>, <c>nats://HOST:PORT</c>).</param>
/// <param name="Center">This center's code: its ISBT 128 facility code (<c>Network:Center</c>, equal to <c>Center:FacilityCode</c>).</param>
/// <param name="Name">The network's name (<c>Network:Name</c>): the subject prefix <c>radregen.NAME.</c> and the stream <c>RADREGEN_NAME</c>.</param>
/// <param name="KnownCenters">Centers accepted before their profile arrives (<c>Network:KnownCenters</c>, comma-separated codes).</param>
public sealed record NetworkSettings(Uri Url, string Center, string Name, IReadOnlySet<string> KnownCenters)
{
    public const string DefaultName = "radregen";

    /// <summary>The key file's name beside the SQLite database (<c>NAME.network-keys.pem</c> for <c>NAME.db</c>) or beside the checkpoint log.</summary>
    public const string DefaultKeyFileSuffix = ".network-keys.pem";

    /// <summary>
    /// <c>Network:KeyFile</c> (ADR 0029): this center's two private keys (ECDSA and ECDH P-256, PKCS#8
    /// PEM), outside the database as the journal's signing key is (ADR 0019); created with mode 0600
    /// on first use. Default beside the SQLite database, or beside <c>Journal:CheckpointLog</c>;
    /// required on PostgreSQL without either. Null only where settings are built by hand (tests):
    /// then the center seals and opens nothing.
    /// </summary>
    public string? KeyFile { get; init; }

    /// <summary>How this center proves itself to the NATS server (ADR 0029); null: anonymously.</summary>
    public NetworkAuth? Auth { get; init; }

    /// <summary>TLS to the NATS server (<c>Network:Tls:*</c>, ADR 0029); null: as the URL and the server decide.</summary>
    public NetworkTls? Tls { get; init; }
}

/// <summary>
/// One of: <c>Network:User</c> with <c>Network:Password</c>; <c>Network:Token</c>;
/// <c>Network:CredentialsFile</c> (a NATS <c>.creds</c> file: JWT and NKey seed). Secrets are
/// never printed: <see cref="ToString"/> says only which kind is set, and <c>config show</c> and
/// <c>network status</c> show "(set, not shown)".
/// </summary>
public sealed class NetworkAuth(string? user, string? password, string? token, string? credentialsFile)
{
    public string? User { get; } = user;

    public string? Password { get; } = password;

    public string? Token { get; } = token;

    public string? CredentialsFile { get; } = credentialsFile;

    public override string ToString() =>
        CredentialsFile is not null ? "credentials file " + CredentialsFile : Token is not null ? "token (not shown)" : $"user {User}, password (not shown)";
}

/// <summary>TLS to the NATS server: the CA that signed its certificate, and optionally this center's client certificate and key (PEM files).</summary>
public sealed record NetworkTls(string? CaFile, string? CertFile, string? KeyFile);

/// <summary>
/// The effective settings of one RadRegen process, read once at start from the .NET configuration
/// system (<see cref="RadRegenConfiguration"/>) and validated there, so a wrong value stops the
/// process at start with the setting named instead of failing later in a user's request.
/// </summary>
public sealed record RadRegenSettings
{
    /// <summary>Where the data lives.</summary>
    public required DatabaseTarget Database { get; init; }

    /// <summary>ASP.NET Core environment name (Production unless configured).</summary>
    public string Environment { get; init; } = "Production";

    public CenterSettings Center { get; init; } = CenterSettings.Unconfigured;

    /// <summary>Lock-out threshold and duration, minimum password length.</summary>
    public AccessPolicy Access { get; init; } = AccessPolicy.Default;

    public WebSettings Web { get; init; } = WebSettings.Default;

    /// <summary>The center's assessment choices: which lowest-lymphocyte table reads the 48-h count (<c>Care:Assessment:LowestLymphocyteTable</c>).</summary>
    public AssessmentOptions Assessment { get; init; } = AssessmentOptions.Default;

    /// <summary>The care priority policy for scarce products (a local policy of the center).</summary>
    public PriorityPolicy Priority { get; init; } = PriorityPolicy.Default;

    /// <summary>A network capacity report older than this is shown as stale (<c>Network:Capacity:StaleAfterMinutes</c>, default 30, ADR 0025).</summary>
    public TimeSpan CapacityStaleAfter { get; init; } = RadRegen.Network.Capacity.CapacityOptions.DefaultStaleAfter;

    /// <summary>The journal's checkpoint log and signing key.</summary>
    public required JournalSettings Journal { get; init; }

    /// <summary>The shared inventory: consent to ship, transport time per center (<c>Network:Inventory:*</c>, <c>Network:TransportHours:*</c>).</summary>
    public SharedInventorySettings SharedInventory { get; init; } = SharedInventorySettings.Default;

    /// <summary>The international hub: the hub center, the IRIX organisation and schema directory (<c>Hub:*</c>, ADR 0032).</summary>
    public HubSettings Hub { get; init; } = HubSettings.Default;
    /// <summary>The network of centers this center joins; null: it runs alone (<c>Network:Url</c> not set).</summary>
    public NetworkSettings? Network { get; init; }

    /// <summary>
    /// Who this center is, bound once (ADR 0029): the network's code of the center when it joins one
    /// (configuration has made it equal to <c>Center:FacilityCode</c>), else the facility code; and its name.
    /// </summary>
    public RadRegen.Core.CenterIdentity Identity => new(Network?.Center ?? Center.FacilityCode, Center.Name);

    public bool IsDevelopment => string.Equals(Environment, "Development", StringComparison.OrdinalIgnoreCase);

    /// <summary>Settings for a database with everything else at its default and the demo center (tests, benchmarks).</summary>
    public static RadRegenSettings ForDemo(DatabaseTarget database) =>
        new() { Database = database, Center = CenterSettings.Demo, Journal = JournalSettings.Default(database) };
}
