using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using RadRegen.Core;
using RadRegen.Core.Reporting;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Shipments;
using RadRegen.Testing;
using RadRegen.Web.Reports;

namespace RadRegen.Web.Tests.Reports;

/// <summary>
/// The shipment manifest drawn from a shipment as the service returns it (a shipment between two
/// centers takes the network's whole set-up; its endpoint is the same two calls as the others'),
/// with the center in Asia/Tokyo: times in JST, the zone named.
/// </summary>
[Collection(nameof(CultureSensitive))]
public sealed class ManifestReportTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

    private static ShipmentView Shipment()
    {
        var handOff = new CustodyHandOff("W0001", "courier", At.AddHours(2), "W0001", "Sender Tech (tech1)", 41, null);
        var sender = SenderSide.Initial with
        {
            State = ShipmentState.Dispatched,
            Items = [new ShippedVial("W000126000042", "S9102", "A0", "LOT-42", "L-7", At.AddDays(300)), new ShippedVial("W000126000042", "S9102", "B0", "LOT-42", "L-7", At.AddDays(300))],
            Shipper = new ShipperSnapshot("DS-9", "CryoMoover 10", At.AddDays(-30), 240, At.AddHours(-6)),
            PlannedTransitHours = 48,
            TemperatureLimitCelsius = -150,
            LimitSource = "ISCT",
            PackedAt = At.AddHours(1),
            PackedBy = "tech1",
            DispatchedAt = At.AddHours(2),
            Courier = "World Courier",
            TrackingNumber = "WC-123",
            HandOffs = [handOff],
        };
        var shipment = new Shipment("SHP-W0002-7", "W0001", "W0002",
            new ShipmentRequest("Patient transfer after the Kyoto incident", [new RequestLine("S9102", 2, [])], At, "doctor2"), sender, ReceiverSide.Initial, At);
        return new ShipmentView(shipment, ShipmentSide.Sender, ShipmentState.Dispatched, 200, "200 h");
    }

    private static ReportContext Context(string culture)
    {
        var services = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider();
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        return new ReportContext(services.GetRequiredService<IStringLocalizer<ReportText>>(), new CenterSettings("Chiba center", "W0001", tokyo),
            new FixedClock(At.AddHours(3)));
    }

    [Fact]
    public void The_manifest_lists_contents_shipper_limit_and_the_signed_hand_off_in_the_centers_time()
    {
        var document = NetworkReports.Manifest(Context("en"), Shipment());
        var text = PdfText.Flat(PdfText.Extract(new RadRegen.Reports.PdfReportRenderer().Render(document), layout: true));

        Assert.Contains("Shipment manifest", text, StringComparison.Ordinal);
        Assert.Contains("SHP-W0002-7", text, StringComparison.Ordinal);
        Assert.Contains("W000126000042 S9102 B0", text, StringComparison.Ordinal);
        Assert.Contains("LOT-42", text, StringComparison.Ordinal);
        Assert.Contains("DS-9 (CryoMoover 10)", text, StringComparison.Ordinal);
        Assert.Contains("≤ -150 °C (ISCT)", text, StringComparison.Ordinal);
        Assert.Contains("Signed by Sender Tech (tech1)", text, StringComparison.Ordinal);
        Assert.Contains("Meaning handed from W0001 to courier", text, StringComparison.Ordinal);
        // 05:00 UTC is 14:00 in Tokyo.
        Assert.Contains("2026-11-29 14:00 JST", text, StringComparison.Ordinal);
        Assert.Contains("Generated 2026-11-29 15:00 JST (Asia/Tokyo)", text, StringComparison.Ordinal);
        Assert.Contains("Chiba center", text, StringComparison.Ordinal);
        Assert.Contains(document.Sections.SelectMany(s => s.Blocks).OfType<ReportCode>().Single().Payload, "SHP-W0002-7", StringComparison.Ordinal);
    }

    [Fact]
    public void Every_fixed_text_of_the_reports_has_a_japanese_translation()
    {
        var manifest = NetworkReports.Manifest(Context("ja"), Shipment());
        var text = PdfText.Flat(PdfText.Extract(new RadRegen.Reports.PdfReportRenderer().Render(manifest), layout: true));

        Assert.Contains("輸送明細書", text, StringComparison.Ordinal);
        Assert.Contains("管理の連鎖", text, StringComparison.Ordinal);
        Assert.Contains("W0001 から courier へ引き渡し", text, StringComparison.Ordinal);
        var sources = Directory.GetFiles(Path.Combine(RepositoryRoot(), "src/RadRegen.Web/Reports"), "*.cs").Select(File.ReadAllText);
        var keys = sources.SelectMany(s => System.Text.RegularExpressions.Regex.Matches(s, @"r(?:\[|\.Format\()""(?<key>[^""]+)""").Select(m => m.Groups["key"].Value)).ToHashSet();
        var resx = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot(), "src/RadRegen.Web/Resources/Reports/ReportText.ja.resx"));
        var translated = resx.Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet();
        Assert.Empty(keys.Except(translated));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RadRegen.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("RadRegen.slnx not found above the test binaries");
    }

    private sealed class FixedClock(DateTimeOffset now) : IClock
    {
        public DateTimeOffset UtcNow => now;
    }
}

/// <summary>Tests that set the thread's culture run one at a time.</summary>
[CollectionDefinition(nameof(CultureSensitive), DisableParallelization = true)]
public sealed class CultureSensitive;
