using Microsoft.Extensions.Configuration;
using RadRegen.Bank.Identity;
using RadRegen.Core;

namespace RadRegen.Hosting.Configuration;

/// <summary>
/// The international hub's settings (issue 14, ADR 0032).
/// </summary>
/// <param name="HubCenter"><c>Hub:Center</c>: the ISBT 128 facility code of the network's center with the hub role; it keeps every restricted request (default: none).</param>
/// <param name="IrixOrganisation"><c>Hub:IrixOrganisation</c>: this center's organisation identifier in IRIX reports (a domain name; default: the facility code).</param>
/// <param name="IrixSchemaDirectory"><c>Hub:IrixSchemaDirectory</c>: a directory with the public IRIX 1.0 XSD files (IRIX.xsd and its imports); when set, every IRIX export and import is validated against it. RadRegen neither ships nor downloads the schema.</param>
public sealed record HubSettings(string? HubCenter, string? IrixOrganisation, string? IrixSchemaDirectory)
{
    public static HubSettings Default { get; } = new(null, null, null);

    /// <summary>Reads and validates the settings; a wrong value stops the process naming the setting.</summary>
    public static HubSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? hub = null;
        if (configuration["Hub:Center"] is { } text && !string.IsNullOrWhiteSpace(text))
        {
            try
            {
                hub = Din.ValidateFacility(text.Trim().ToUpperInvariant());
            }
            catch (DomainValidationException ex)
            {
                throw new ConfigurationException("Hub:Center", string.Join("; ", ex.Errors.Select(e => e.Message)));
            }
        }

        var org = configuration["Hub:IrixOrganisation"] is { } o && !string.IsNullOrWhiteSpace(o) ? o.Trim() : null;
        if (org is { Length: > 200 })
        {
            throw new ConfigurationException("Hub:IrixOrganisation", "is longer than 200 characters (a domain name)");
        }

        string? dir = null;
        if (configuration["Hub:IrixSchemaDirectory"] is { } d && !string.IsNullOrWhiteSpace(d))
        {
            dir = Path.GetFullPath(d.Trim());
            if (!File.Exists(Path.Combine(dir, "IRIX.xsd")))
            {
                throw new ConfigurationException("Hub:IrixSchemaDirectory", $"{dir} has no IRIX.xsd (put the public IRIX 1.0 schema files there, or remove the setting)");
            }
        }

        return new HubSettings(hub, org, dir);
    }

    /// <summary>The settings as <c>config show</c> prints them.</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe() =>
    [
        new("Hub:Center", HubCenter ?? "(not set: no center keeps every restricted request)"),
        new("Hub:IrixOrganisation", IrixOrganisation ?? "(not set: the facility code)"),
        new("Hub:IrixSchemaDirectory", IrixSchemaDirectory ?? "(not set: IRIX reports are not checked against the schema)"),
    ];
}
