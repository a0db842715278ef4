using System.Globalization;
using Microsoft.Extensions.Configuration;
using RadRegen.Bank.Identity;
using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;
using RadRegen.Dosimetry.Clinical;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Storage;

namespace RadRegen.Hosting.Configuration;

/// <summary>A setting with a value RadRegen cannot run with. The message names the setting.</summary>
public sealed class ConfigurationException(string setting, string problem)
    : Exception($"setting {setting}: {problem}")
{
    /// <summary>The setting's key, e.g. <c>Center:FacilityCode</c>.</summary>
    public string Setting { get; } = setting;
}

/// <summary>
/// RadRegen's one configuration system: the .NET configuration sources, later ones winning —
/// <c>appsettings.json</c> beside the program, an optional file named by <c>--config</c>,
/// environment variables (<c>DOTNET_</c>/<c>ASPNETCORE_</c> for the environment name, then
/// <c>RADREGEN_</c> with <c>__</c> for <c>:</c>, e.g. <c>RADREGEN_CENTER__FACILITYCODE</c>), and
/// command-line options (<c>--database</c>, <c>--setting KEY=VALUE</c>) — read into a validated
/// <see cref="RadRegenSettings"/>. The table of settings is in the README.
/// </summary>
public static class RadRegenConfiguration
{
    /// <summary>Builds the configuration from its sources; <paramref name="overrides"/> are the command line's, highest first.</summary>
    public static IConfiguration Build(string? configFile = null, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new ConfigurationException("--config", $"no file '{full}'");
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables("RADREGEN_");
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationException(configFile ?? "appsettings.json", ex.Message);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException(configFile ?? "appsettings.json", ex.Message);
        }
    }

    /// <summary>
    /// Reads and validates every setting. <paramref name="demo"/> (<c>serve --demo</c>) lets the
    /// demo data's facility code stand in for a missing one; nothing else does. A
    /// <paramref name="database"/> already read from a command-line option (whose errors name the
    /// option) wins over the <c>Database</c> setting, which is then not read at all.
    /// </summary>
    public static RadRegenSettings Read(IConfiguration configuration, bool demo = false, DatabaseTarget? database = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        try
        {
            database ??= DatabaseTarget.Parse(configuration["Database"], "Database");
        }
        catch (DomainValidationException ex)
        {
            throw new ConfigurationException("Database", string.Join("; ", ex.Errors.Select(e => e.Message)));
        }

        var defaults = RadRegenSettings.ForDemo(database);
        var fin = Text(configuration, "Center:FacilityCode");
        if (fin is not null)
        {
            fin = Facility(fin, "Center:FacilityCode");
        }
        else if (Text(configuration, "Network:Center") is { } networkCenter)
        {
            // The network's code of the center is its facility code: one identity, set once.
            fin = Facility(networkCenter, "Network:Center");
        }
        else if (demo)
        {
            fin = CenterSettings.DemoFacilityCode;
        }

        var name = Text(configuration, "Center:Name") ?? (demo ? CenterSettings.Demo.Name : "");
        var center = new CenterSettings(name, fin, TimeZone(configuration, "Center:TimeZone", demo ? CenterSettings.Demo.TimeZone : TimeZoneInfo.Utc))
        {
            Capabilities = new RadRegen.Network.Centers.CenterCapabilities(
                Integer(configuration, "Center:Capabilities:BmtBeds", 0, 0, 100_000),
                Flag(configuration, "Center:Capabilities:BurnUnit"),
                Flag(configuration, "Center:Capabilities:BiodosimetryLab"),
                Flag(configuration, "Center:Capabilities:Cpc")),
        };
        var journal = JournalPaths(configuration, database);
        var network = ReadNetwork(configuration, fin, database, journal);

        var access = new AccessPolicy(
            Integer(configuration, "Access:MaxFailedLogins", AccessPolicy.Default.MaxFailedLogins, 1, 100),
            TimeSpan.FromMinutes(Integer(configuration, "Access:LockoutMinutes", (int)AccessPolicy.Default.LockoutDuration.TotalMinutes, 1, 24 * 60)),
            Integer(configuration, "Access:MinPasswordLength", AccessPolicy.Default.MinPasswordLength, 8, 128))
        {
            MaxAccountFailures = Integer(configuration, "Access:MaxAccountFailures", AccessPolicy.NistMaxConsecutiveFailures, 1,
                AccessPolicy.NistMaxConsecutiveFailures),
        };

        var web = new WebSettings(
            Text(configuration, "Urls") ?? WebSettings.DefaultUrls,
            TimeSpan.FromMinutes(Integer(configuration, "Access:SessionIdleMinutes", (int)WebSettings.Default.SessionIdleTimeout.TotalMinutes, 1, 24 * 60)),
            Integer(configuration, "Access:LoginAttemptsPerMinute", WebSettings.Default.LoginAttemptsPerMinute, 1, 10_000))
        {
            KeyRingCertificatePath = Text(configuration, "DataProtection:CertificatePath"),
            KeyRingCertificatePassword = configuration["DataProtection:CertificatePassword"],
        };

        var assessment = ReadAssessment(configuration);

        var priority = Priority(configuration);

        return defaults with
        {
            Journal = journal,
            Environment = Text(configuration, "Environment") ?? "Production",
            Center = center,
            Access = access,
            Web = web,
            Assessment = assessment,
            Priority = priority,
            CapacityStaleAfter = TimeSpan.FromMinutes(Integer(configuration, "Network:Capacity:StaleAfterMinutes",
                (int)RadRegen.Network.Capacity.CapacityOptions.DefaultStaleAfter.TotalMinutes, 1, 7 * 24 * 60)),
            SharedInventory = SharedInventorySettings.Read(configuration),
            Hub = HubSettings.Read(configuration),
            Network = network,
        };
    }

    private static string Facility(string text, string key)
    {
        try
        {
            return Din.ValidateFacility(text.ToUpperInvariant());
        }
        catch (DomainValidationException ex)
        {
            throw new ConfigurationException(key, string.Join("; ", ex.Errors.Select(e => e.Message)));
        }
    }

    private static bool Flag(IConfiguration configuration, string key)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return false;
        }

        return bool.TryParse(text, out var value) ? value : throw new ConfigurationException(key, $"'{text}' is not true or false");
    }

    /// <summary>
    /// <c>Network:*</c> (docs/network.md): none without <c>Network:Url</c>; with it, the URL must be
    /// <c>nats://HOST:PORT</c>, the center's code a facility code equal to <c>Center:FacilityCode</c>,
    /// the network's name a subject-safe token.
    /// </summary>
    private static NetworkSettings? ReadNetwork(IConfiguration configuration, string? fin, DatabaseTarget database, JournalSettings journal)
    {
        var url = Text(configuration, "Network:Url");
        var code = Text(configuration, "Network:Center");
        if (url is null)
        {
            return code is null
                ? null
                : throw new ConfigurationException("Network:Url", "required with Network:Center: the NATS server of the network (nats://HOST:PORT)");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls") || uri.Host.Length == 0
            || uri.AbsolutePath is not ("" or "/") || uri.UserInfo.Length > 0)
        {
            throw new ConfigurationException("Network:Url", $"'{url}' is not nats://HOST:PORT (or tls://HOST:PORT), without a path or credentials");
        }

        if (uri.Port <= 0)
        {
            throw new ConfigurationException("Network:Url", $"'{url}' names no port: nats://HOST:PORT (the NATS default is 4222)");
        }

        if (code is not null)
        {
            code = Facility(code, "Network:Center");
            if (fin is not null && !string.Equals(code, fin, StringComparison.Ordinal))
            {
                throw new ConfigurationException("Network:Center",
                    $"'{code}' is not this center's facility code Center:FacilityCode={fin}: a center joins the network under its own ISBT 128 facility code");
            }
        }

        code ??= fin ?? throw new ConfigurationException("Network:Center",
            "required with Network:Url: this center's ISBT 128 facility code (or set Center:FacilityCode)");

        var name = Text(configuration, "Network:Name") ?? NetworkSettings.DefaultName;
        if (name.Length > 32 || !name.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
        {
            throw new ConfigurationException("Network:Name", $"'{name}' is not 1 to 32 lower-case letters, digits, '-' or '_' (it becomes a NATS subject token)");
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in (Text(configuration, "Network:KnownCenters") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            known.Add(Facility(part, "Network:KnownCenters"));
        }

        return new NetworkSettings(new Uri($"{uri.Scheme}://{uri.Host}:{uri.Port}"), code, name, known)
        {
            KeyFile = NetworkKeyFile(configuration, database, journal),
            Auth = NetworkAuthentication(configuration),
            Tls = NetworkTransportSecurity(configuration),
        };
    }

    /// <summary><c>Network:User</c>+<c>Password</c>, <c>Network:Token</c> or <c>Network:CredentialsFile</c>: at most one way (ADR 0029).</summary>
    private static NetworkAuth? NetworkAuthentication(IConfiguration configuration)
    {
        var user = Text(configuration, "Network:User");
        var password = configuration["Network:Password"] is { Length: > 0 } p ? p : null; // a password is taken as given, spaces and all
        var token = configuration["Network:Token"] is { Length: > 0 } t ? t : null;
        var credentials = FilePath(configuration, "Network:CredentialsFile");
        if ((user is null) != (password is null))
        {
            throw new ConfigurationException(user is null ? "Network:User" : "Network:Password", "Network:User and Network:Password go together");
        }

        var ways = (user is null ? 0 : 1) + (token is null ? 0 : 1) + (credentials is null ? 0 : 1);
        if (ways > 1)
        {
            throw new ConfigurationException("Network:Token", "set one of Network:User with Network:Password, Network:Token or Network:CredentialsFile, not several");
        }

        if (credentials is not null && !File.Exists(credentials))
        {
            throw new ConfigurationException("Network:CredentialsFile", $"no file '{credentials}'");
        }

        return ways == 0 ? null : new NetworkAuth(user, password, token, credentials);
    }

    /// <summary><c>Network:Tls:CaFile</c>, <c>CertFile</c>, <c>KeyFile</c> (PEM): existing files; a client certificate with its key.</summary>
    private static NetworkTls? NetworkTransportSecurity(IConfiguration configuration)
    {
        var ca = FilePath(configuration, "Network:Tls:CaFile");
        var cert = FilePath(configuration, "Network:Tls:CertFile");
        var key = FilePath(configuration, "Network:Tls:KeyFile");
        if ((cert is null) != (key is null))
        {
            throw new ConfigurationException(cert is null ? "Network:Tls:CertFile" : "Network:Tls:KeyFile",
                "Network:Tls:CertFile and Network:Tls:KeyFile go together (this center's client certificate and its private key)");
        }

        foreach (var (setting, path) in (ReadOnlySpan<(string, string?)>)[("Network:Tls:CaFile", ca), ("Network:Tls:CertFile", cert), ("Network:Tls:KeyFile", key)])
        {
            if (path is not null && !File.Exists(path))
            {
                throw new ConfigurationException(setting, $"no file '{path}'");
            }
        }

        return ca is null && cert is null ? null : new NetworkTls(ca, cert, key);
    }

    /// <summary><c>Network:KeyFile</c>: as given, else beside the SQLite database or the checkpoint log (ADR 0029, following ADR 0019's key).</summary>
    private static string NetworkKeyFile(IConfiguration configuration, DatabaseTarget database, JournalSettings journal)
    {
        if (FilePath(configuration, "Network:KeyFile") is { } given)
        {
            if (string.Equals(given, journal.SigningKey, StringComparison.Ordinal) || string.Equals(given, journal.CheckpointLog, StringComparison.Ordinal))
            {
                throw new ConfigurationException("Network:KeyFile", "must not be the journal's signing key or checkpoint log: the network keys are a file of their own");
            }

            return given;
        }

        if (database.SqliteFile is { } file)
        {
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, Path.GetFileNameWithoutExtension(file) + NetworkSettings.DefaultKeyFileSuffix);
        }

        if (journal.CheckpointLog is { } log)
        {
            return Path.Combine(Path.GetDirectoryName(log)!, Path.GetFileNameWithoutExtension(log) + NetworkSettings.DefaultKeyFileSuffix);
        }

        throw new ConfigurationException("Network:KeyFile",
            "required with Network:Url on PostgreSQL (or set Journal:CheckpointLog): the file of this center's private network keys, outside the database (ADR 0029)");
    }

    /// <summary>
    /// The server's own rule: outside Development it does not start without the center's facility
    /// code, since every DIN it issued would otherwise carry someone else's.
    /// </summary>
    public static void RequireCenterForServing(RadRegenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Center.FacilityCode is null && !settings.IsDevelopment)
        {
            throw new ConfigurationException("Center:FacilityCode",
                "required to serve outside Development: the center's ISBT 128 facility identification number (one letter and four characters, "
                + "assigned by ICCBBA), e.g. RADREGEN_CENTER__FACILITYCODE=... or --setting Center:FacilityCode=...; 'serve --demo' uses the demo code "
                + CenterSettings.DemoFacilityCode);
        }
    }

    /// <summary>The effective settings as text, one per key, with secrets (database passwords) masked.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Describe(RadRegenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var c = CultureInfo.InvariantCulture;
        var p = settings.Priority;
        // Each key beside its value, in the order `config show` prints them, so the two cannot drift apart.
        return
        [
            new("Environment", settings.Environment),
            new("Database", MaskedDatabase(settings.Database)),
            new("Urls", settings.Web.Urls),
            new("Center:Name", settings.Center.Name),
            new("Center:FacilityCode", settings.Center.FacilityCode ?? "(not set: no DIN can be issued)"),
            new("Center:TimeZone", settings.Center.TimeZone.Id),
            new("Center:Capabilities:BmtBeds", settings.Center.Capabilities.BmtBeds.ToString(c)),
            new("Center:Capabilities:BurnUnit", settings.Center.Capabilities.BurnUnit ? "true" : "false"),
            new("Center:Capabilities:BiodosimetryLab", settings.Center.Capabilities.BiodosimetryLab ? "true" : "false"),
            new("Center:Capabilities:Cpc", settings.Center.Capabilities.Cpc ? "true" : "false"),
            new("Network:Url", settings.Network?.Url.ToString().TrimEnd('/') ?? "(not set: this center runs alone)"),
            new("Network:Center", settings.Network?.Center ?? "(not set)"),
            new("Network:Name", settings.Network?.Name ?? NetworkSettings.DefaultName),
            new("Network:KnownCenters", settings.Network is { KnownCenters.Count: > 0 } n ? string.Join(",", n.KnownCenters.Order(StringComparer.Ordinal)) : "(none)"),
            new("Network:KeyFile", settings.Network?.KeyFile ?? "(not set)"),
            new("Network:User", settings.Network?.Auth?.User ?? "(not set)"),
            new("Network:Password", settings.Network?.Auth?.Password is null ? "(not set)" : "(set, not shown)"),
            new("Network:Token", settings.Network?.Auth?.Token is null ? "(not set)" : "(set, not shown)"),
            new("Network:CredentialsFile", settings.Network?.Auth?.CredentialsFile ?? "(not set)"),
            new("Network:Tls:CaFile", settings.Network?.Tls?.CaFile ?? "(not set)"),
            new("Network:Tls:CertFile", settings.Network?.Tls?.CertFile ?? "(not set)"),
            new("Network:Tls:KeyFile", settings.Network?.Tls?.KeyFile ?? "(not set)"),
            new("Access:MaxFailedLogins", settings.Access.MaxFailedLogins.ToString(c)),
            new("Access:LockoutMinutes", settings.Access.LockoutDuration.TotalMinutes.ToString(c)),
            new("Access:MaxAccountFailures", settings.Access.MaxAccountFailures.ToString(c)),
            new("Access:MinPasswordLength", settings.Access.MinPasswordLength.ToString(c)),
            new("Access:SessionIdleMinutes", settings.Web.SessionIdleTimeout.TotalMinutes.ToString(c)),
            new("Access:LoginAttemptsPerMinute", settings.Web.LoginAttemptsPerMinute.ToString(c)),
            new("Journal:CheckpointLog", settings.Journal.CheckpointLog ?? "(not set: the journal is not anchored outside the database)"),
            new("Journal:SigningKey", settings.Journal.SigningKey ?? "(not set)"),
            new("DataProtection:CertificatePath", settings.Web.KeyRingCertificatePath ?? "(not set: the key ring is not encrypted at rest)"),
            new("DataProtection:CertificatePassword", settings.Web.KeyRingCertificatePassword is null ? "(not set)" : "(set, not shown)"),
            new("Care:Assessment:LowestLymphocyteTable", LowestLymphocytes.Name(settings.Assessment.LowestLymphocyteTable)),
            .. PriorityKeys(p).Select(k => new KeyValuePair<string, string>("Care:Priority:" + k.Key, k.Value)),
            new("Network:Capacity:StaleAfterMinutes", settings.CapacityStaleAfter.TotalMinutes.ToString(c)),
            .. settings.SharedInventory.Describe(),
            .. settings.Hub.Describe(),
        ];
    }

    private static JournalSettings JournalPaths(IConfiguration configuration, DatabaseTarget database)
    {
        var log = FilePath(configuration, "Journal:CheckpointLog");
        var key = FilePath(configuration, "Journal:SigningKey");
        if (log is not null && key is not null && string.Equals(log, key, StringComparison.Ordinal))
        {
            throw new ConfigurationException("Journal:SigningKey", "must not be the same file as Journal:CheckpointLog");
        }

        return JournalSettings.Default(database, log, key);
    }

    private static string? FilePath(IConfiguration configuration, string key)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return null;
        }

        string full;
        try
        {
            full = Path.GetFullPath(text);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigurationException(key, $"'{text}' is not a usable file path: {ex.Message}");
        }

        if (Directory.Exists(full))
        {
            throw new ConfigurationException(key, $"'{full}' is a directory; give the path of a file");
        }

        return full;
    }

    private static string MaskedDatabase(DatabaseTarget target)
    {
        if (target.Engine == Engine.Sqlite)
        {
            return target.Description;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "********";
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// The crisis-standards priority policy (ADR 0015) from <c>Care:Priority:*</c>: numbers, and
    /// lists as comma-separated numbers (<c>RcWeights</c>, <c>DoseBandsGy</c>, <c>DoseBandWeights</c>,
    /// <c>Benefit:RC0</c> … <c>Benefit:RC4</c>). Checked as a whole (<see cref="PriorityPolicy.Problems"/>).
    /// </summary>
    private static PriorityPolicy Priority(IConfiguration configuration)
    {
        var p = PriorityPolicy.Default;
        const string K = "Care:Priority:";
        var benefit = p.Benefit.Select((row, rc) => Numbers(configuration, string.Create(CultureInfo.InvariantCulture, $"{K}Benefit:RC{rc}"), row)).ToList();
        var policy = new PriorityPolicy
        {
            DoseBandsGy = Numbers(configuration, K + "DoseBandsGy", p.DoseBandsGy),
            RcWeights = Numbers(configuration, K + "RcWeights", p.RcWeights),
            DoseBandWeights = Numbers(configuration, K + "DoseBandWeights", p.DoseBandWeights),
            ChildBonus = Signed(configuration, K + "ChildBonus", p.ChildBonus),
            CombinedInjuryAdjustment = Signed(configuration, K + "CombinedInjuryAdjustment", p.CombinedInjuryAdjustment),
            ExpectantCombinedInjuryDoseGy = Number(configuration, K + "ExpectantCombinedInjuryDoseGy", p.ExpectantCombinedInjuryDoseGy, positive: true),
            ExpectantDoseGy = Number(configuration, K + "ExpectantDoseGy", p.ExpectantDoseGy, positive: true),
            WalkingWellDoseGy = Number(configuration, K + "WalkingWellDoseGy", p.WalkingWellDoseGy, positive: true),
            Benefit = benefit,
            HaematopoieticProduct = Text(configuration, K + "HaematopoieticProduct") ?? p.HaematopoieticProduct,
            PlateletsPerTransfusion = Number(configuration, K + "PlateletsPerTransfusion", p.PlateletsPerTransfusion, positive: true),
            PlateletsPerVial = Number(configuration, K + "PlateletsPerVial", p.PlateletsPerVial, positive: true),
            PlateletTransfusionThresholdPerNanolitre = Number(configuration, K + "PlateletTransfusionThresholdPerNanolitre", p.PlateletTransfusionThresholdPerNanolitre, positive: true),
            BleedingDegree = Integer(configuration, K + "BleedingDegree", p.BleedingDegree, 1, 4),
            TransfusionsOverNadirH4 = Integer(configuration, K + "TransfusionsOverNadirH4", p.TransfusionsOverNadirH4, 1, 100),
            TransfusionsOverNadirH3 = Integer(configuration, K + "TransfusionsOverNadirH3", p.TransfusionsOverNadirH3, 1, 100),
            CutaneousProduct = Text(configuration, K + "CutaneousProduct") ?? p.CutaneousProduct,
            UlcerDegree = Integer(configuration, K + "UlcerDegree", p.UlcerDegree, 1, 4),
            CutaneousVials = Integer(configuration, K + "CutaneousVials", p.CutaneousVials, 1, 1000),
            PlateletWindowHours = Number(configuration, K + "PlateletWindowHours", p.PlateletWindowHours, positive: true),
            PlateletNadirWindowHours = Number(configuration, K + "PlateletNadirWindowHours", p.PlateletNadirWindowHours, positive: true),
            CutaneousWindowHours = Number(configuration, K + "CutaneousWindowHours", p.CutaneousWindowHours, positive: true),
            RemoteStockDiscount = Number(configuration, K + "RemoteStockDiscount", p.RemoteStockDiscount, positive: false),
            TransportDiscountPerHour = Number(configuration, K + "TransportDiscountPerHour", p.TransportDiscountPerHour, positive: false),
        };
        if (policy.Problems() is [var first, ..])
        {
            var name = char.ToUpperInvariant(first.Field[0]) + first.Field[1..];
            throw new ConfigurationException(K + name, first.Message);
        }

        return policy;
    }

    /// <summary>The policy's settings as <c>config show</c> prints them (key after <c>Care:Priority:</c>).</summary>
    private static IEnumerable<KeyValuePair<string, string>> PriorityKeys(PriorityPolicy p)
    {
        var c = CultureInfo.InvariantCulture;
        string List(IEnumerable<double> v) => string.Join(",", v.Select(x => x.ToString(c)));
        yield return new("DoseBandsGy", List(p.DoseBandsGy));
        yield return new("RcWeights", List(p.RcWeights));
        yield return new("DoseBandWeights", List(p.DoseBandWeights));
        yield return new("ChildBonus", p.ChildBonus.ToString(c));
        yield return new("CombinedInjuryAdjustment", p.CombinedInjuryAdjustment.ToString(c));
        yield return new("ExpectantCombinedInjuryDoseGy", p.ExpectantCombinedInjuryDoseGy.ToString(c));
        yield return new("ExpectantDoseGy", p.ExpectantDoseGy.ToString(c));
        yield return new("WalkingWellDoseGy", p.WalkingWellDoseGy.ToString(c));
        for (var rc = 0; rc < p.Benefit.Count; rc++)
        {
            yield return new(string.Create(c, $"Benefit:RC{rc}"), List(p.Benefit[rc]));
        }

        yield return new("HaematopoieticProduct", p.HaematopoieticProduct);
        yield return new("PlateletsPerTransfusion", p.PlateletsPerTransfusion.ToString(c));
        yield return new("PlateletsPerVial", p.PlateletsPerVial.ToString(c));
        yield return new("PlateletTransfusionThresholdPerNanolitre", p.PlateletTransfusionThresholdPerNanolitre.ToString(c));
        yield return new("BleedingDegree", p.BleedingDegree.ToString(c));
        yield return new("TransfusionsOverNadirH4", p.TransfusionsOverNadirH4.ToString(c));
        yield return new("TransfusionsOverNadirH3", p.TransfusionsOverNadirH3.ToString(c));
        yield return new("CutaneousProduct", p.CutaneousProduct);
        yield return new("UlcerDegree", p.UlcerDegree.ToString(c));
        yield return new("CutaneousVials", p.CutaneousVials.ToString(c));
        yield return new("PlateletWindowHours", p.PlateletWindowHours.ToString(c));
        yield return new("PlateletNadirWindowHours", p.PlateletNadirWindowHours.ToString(c));
        yield return new("CutaneousWindowHours", p.CutaneousWindowHours.ToString(c));
        yield return new("RemoteStockDiscount", p.RemoteStockDiscount.ToString(c));
        yield return new("TransportDiscountPerHour", p.TransportDiscountPerHour.ToString(c));
    }

    private static double Signed(IConfiguration configuration, string key, double fallback)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ConfigurationException(key, $"'{text}' is not a number");
    }

    private static IReadOnlyList<double> Numbers(IConfiguration configuration, string key, IReadOnlyList<double> fallback)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                throw new ConfigurationException(key, $"'{text}' is not a comma-separated list of numbers");
            }

            values.Add(v);
        }

        return values;
    }

    private static string? Text(IConfiguration configuration, string key) =>
        configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int Integer(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ConfigurationException(key, $"'{text}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    private static double Number(IConfiguration configuration, string key, double fallback, bool positive = false)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)
            || value < 0 || (positive && value == 0))
        {
            throw new ConfigurationException(key, $"'{text}' is not a {(positive ? "positive" : "non-negative")} number");
        }

        return value;
    }

    /// <summary>Reads and validates the <c>Care:Assessment:*</c> settings alone (commands that assess without a database read only these).</summary>
    public static AssessmentOptions ReadAssessment(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new AssessmentOptions(LymphocyteTable(configuration, "Care:Assessment:LowestLymphocyteTable"));
    }

    // The two published tables for the lowest 48-h lymphocyte count disagree (reference/clinical F7); the center picks one.
    private static LowestLymphocyteTable LymphocyteTable(IConfiguration configuration, string key)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return AssessmentOptions.Default.LowestLymphocyteTable;
        }

        return LowestLymphocytes.Parse(text)
            ?? throw new ConfigurationException(key, $"'{text}' is not a lowest-lymphocyte table: MettlerVoelz2002 (Mettler & Voelz 2002, NEJM 346:1554) or Iaea2024 (IAEA EPR-Medical 2024 Table 6)");
    }

    private static TimeZoneInfo TimeZone(IConfiguration configuration, string key, TimeZoneInfo otherwise)
    {
        var id = Text(configuration, key);
        if (id is null)
        {
            return otherwise;
        }

        if (id == "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ConfigurationException(key, $"'{id}' is not a time zone known to this machine (use an IANA name such as Asia/Tokyo)");
        }
    }
}
