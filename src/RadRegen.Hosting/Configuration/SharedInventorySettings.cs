using System.Globalization;
using Microsoft.Extensions.Configuration;
using RadRegen.Bank.Identity;
using RadRegen.Core;

namespace RadRegen.Hosting.Configuration;

/// <summary>
/// The shared inventory's settings (issue 13 item 2, ADR 0023).
/// </summary>
/// <param name="Shareable">
/// <c>Network:Inventory:Shareable</c> (true/false, default true): whether this center consents to ship its
/// released clinical stock to other centers; every <c>inventory.stock</c> event it publishes carries it.
/// </param>
/// <param name="TransportHours">
/// <c>Network:TransportHours:&lt;CODE&gt;</c> (hours, 0–720): how long bringing a product from the center
/// with that ISBT 128 facility code to this one takes, the center's own planning estimate. The network's
/// search shows it as the cost of each other center's stock; a center without one shows "transport time unknown".
/// </param>
public sealed record SharedInventorySettings(bool Shareable, IReadOnlyDictionary<string, double> TransportHours)
{
    /// <summary>The longest transport time accepted (30 days): more is a typing error, not a journey.</summary>
    public const double MaxTransportHours = 720;

    public static SharedInventorySettings Default { get; } = new(true, new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Reads and validates the settings; a wrong value stops the process naming the setting.</summary>
    public static SharedInventorySettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var shareable = true;
        if (configuration["Network:Inventory:Shareable"] is { } text && !string.IsNullOrWhiteSpace(text))
        {
            shareable = bool.TryParse(text.Trim(), out var b)
                ? b
                : throw new ConfigurationException("Network:Inventory:Shareable", $"'{text}' is not true or false");
        }

        var hours = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in configuration.GetSection("Network:TransportHours").GetChildren())
        {
            var key = "Network:TransportHours:" + child.Key;
            try
            {
                Din.ValidateFacility(child.Key.ToUpperInvariant());
            }
            catch (DomainValidationException ex)
            {
                throw new ConfigurationException(key, "the key is a center's ISBT 128 facility code: " + string.Join("; ", ex.Errors.Select(e => e.Message)));
            }

            if (!double.TryParse(child.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) || !double.IsFinite(h) || h < 0 || h > MaxTransportHours)
            {
                throw new ConfigurationException(key, $"'{child.Value}' is not a number of hours from 0 to {MaxTransportHours.ToString(CultureInfo.InvariantCulture)}");
            }

            hours[child.Key.ToUpperInvariant()] = h;
        }

        return new SharedInventorySettings(shareable, hours);
    }

    /// <summary>The settings as <c>config show</c> prints them.</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe() =>
    [
        new("Network:Inventory:Shareable", Shareable ? "true" : "false"),
        .. TransportHours.OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => new KeyValuePair<string, string>("Network:TransportHours:" + h.Key, h.Value.ToString(CultureInfo.InvariantCulture))),
    ];
}
