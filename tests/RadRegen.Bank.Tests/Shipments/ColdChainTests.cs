using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Network.Shipments;

namespace RadRegen.Bank.Tests.Shipments;

/// <summary>Hold time, logger classification and the shipper rules, without a database (issue 13 item 3, ADR 0024).</summary>
[Trait("Kind", "Unit")]
public class ColdChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    private static readonly ShipmentSettings Settings = new(90, 15, T0, "qa1", "SOP");

    private static DryShipper Shipper(double holdHours = 240, int qualifiedDaysAgo = 10, double chargedHoursAgo = 2, DateTimeOffset? lastTrip = null) =>
        new("DS-1", "VS-10", T0.AddDays(-qualifiedDaysAgo), holdHours, "QR-1", T0.AddHours(-chargedHoursAgo), lastTrip, null, T0.AddYears(-1), "tech1");

    [Fact]
    public void Remaining_hold_is_charge_time_plus_the_qualified_hold_minus_now_at_any_moment()
    {
        var snapshot = new ShipperSnapshot("DS-1", "VS-10", T0.AddDays(-3), 240, T0);
        Assert.Equal(T0.AddHours(240), snapshot.HoldEndsAt);
        Assert.Equal(TimeSpan.FromHours(240), HoldTime.Remaining(snapshot, T0));
        Assert.Equal(TimeSpan.FromHours(190), HoldTime.Remaining(snapshot, T0.AddHours(50)));
        Assert.Equal(TimeSpan.FromHours(-10), HoldTime.Remaining(snapshot, T0.AddHours(250)));
        Assert.Equal("190.0 h", HoldTime.Text(TimeSpan.FromHours(190)));
        Assert.Equal("exhausted 10.0 h ago", HoldTime.Text(TimeSpan.FromHours(-10)));

        // Two shippers of one model differ (reference §1.5: up to ~40 %): the hold is each one's own qualification, not the model's.
        var weaker = snapshot with { QualifiedHoldHours = 150 };
        Assert.Equal(TimeSpan.FromHours(100), HoldTime.Remaining(weaker, T0.AddHours(50)));
    }

    [Fact]
    public void A_shipper_is_refused_when_its_qualification_is_older_than_the_interval_or_its_hold_is_shorter_than_the_transit()
    {
        var ok = ShipmentService.CheckShipper(Shipper(), Settings, 48, T0);
        Assert.Equal(T0.AddHours(-2), ok.ChargedAt);

        var old = Assert.Throws<RuleViolationException>(() => ShipmentService.CheckShipper(Shipper(qualifiedDaysAgo: 91), Settings, 48, T0));
        Assert.Contains("requalification interval of 90 days", old.Message, StringComparison.Ordinal);
        ShipmentService.CheckShipper(Shipper(qualifiedDaysAgo: 90), Settings, 48, T0); // exactly the interval is still within it

        // Charged 200 h ago with 240 h qualified: 40 h left, less than 48 h planned.
        var shortHold = Assert.Throws<RuleViolationException>(() => ShipmentService.CheckShipper(Shipper(chargedHoursAgo: 200), Settings, 48, T0));
        Assert.Contains("holds 40.0 h more", shortHold.Message, StringComparison.Ordinal);
        Assert.Contains("planned transit of 48 h", shortHold.Message, StringComparison.Ordinal);
        ShipmentService.CheckShipper(Shipper(chargedHoursAgo: 192), Settings, 48, T0); // 48 h left for 48 h planned

        var notRecharged = Assert.Throws<RuleViolationException>(() =>
            ShipmentService.CheckShipper(Shipper(chargedHoursAgo: 30, lastTrip: T0.AddHours(-20)), Settings, 48, T0));
        Assert.Contains("not been charged since its last trip", notRecharged.Message, StringComparison.Ordinal);
        var never = Shipper() with { ChargedAt = null };
        Assert.Throws<RuleViolationException>(() => ShipmentService.CheckShipper(never, Settings, 48, T0));

        var packed = Shipper() with { PackedIn = "W0002-X" };
        Assert.Contains("already packed", Assert.Throws<RuleViolationException>(() => ShipmentService.CheckShipper(packed, Settings, 48, T0)).Message,
            StringComparison.Ordinal);
        ShipmentService.CheckShipper(packed, Settings, 48, T0, packedIn: "W0002-X");
    }

    private static List<LoggerPoint> Every(int minutes, DateTimeOffset from, DateTimeOffset to, double celsius = -185)
    {
        var points = new List<LoggerPoint>();
        for (var t = from; t <= to; t = t.AddMinutes(minutes))
        {
            points.Add(new LoggerPoint(t, celsius));
        }

        return points;
    }

    [Fact]
    public void A_series_colder_than_the_limit_throughout_with_no_gap_longer_than_the_interval_is_ok()
    {
        var end = T0.AddHours(24);
        var c = LoggerSeries.Classify(Every(15, T0, end), T0, end, -150, TimeSpan.FromMinutes(15));
        Assert.Equal(TemperatureStatus.Ok, c.Status);
        Assert.Equal(97, c.Points);
        Assert.Empty(c.Excursions);
        Assert.Empty(c.Gaps);

        // Readings outside the trip (before the hand-off, after the receipt) do not count either way.
        var outside = Every(15, T0, end).Prepend(new LoggerPoint(T0.AddHours(-1), 20)).Append(new LoggerPoint(end.AddHours(1), 20)).ToList();
        Assert.Equal(TemperatureStatus.Ok, LoggerSeries.Classify(outside, T0, end, -150, TimeSpan.FromMinutes(15)).Status);
    }

    [Fact]
    public void A_reading_warmer_than_the_limit_is_an_excursion_named_with_its_interval_and_peak()
    {
        var end = T0.AddHours(24);
        var points = Every(15, T0, end);
        points[10] = points[10] with { Celsius = -140 };
        points[11] = points[11] with { Celsius = -120.5 };
        points[50] = points[50] with { Celsius = -150 }; // at the limit is not warmer than it
        var c = LoggerSeries.Classify(points, T0, end, -150, TimeSpan.FromMinutes(15));
        Assert.Equal(TemperatureStatus.Excursion, c.Status);
        var e = Assert.Single(c.Excursions);
        Assert.Equal(points[10].At, e.From);
        Assert.Equal(points[11].At, e.To);
        Assert.Contains("up to -120.5 °C", e.What, StringComparison.Ordinal);
        Assert.Contains("excursion 2026-11-21T11:30Z", c.Detail, StringComparison.Ordinal);

        // An excursion still open at the last reading is reported up to it.
        var open = Every(15, T0, end);
        open[^1] = open[^1] with { Celsius = -100 };
        Assert.Equal(open[^1].At, Assert.Single(LoggerSeries.Classify(open, T0, end, -150, TimeSpan.FromMinutes(15)).Excursions).To);
    }

    [Fact]
    public void Gaps_longer_than_the_logging_interval_at_the_start_in_the_middle_or_at_the_end_are_missing_data()
    {
        var end = T0.AddHours(24);
        var interval = TimeSpan.FromMinutes(15);
        var middle = Every(15, T0, end).Where(p => p.At < T0.AddHours(5) || p.At > T0.AddHours(6)).ToList();
        var c = LoggerSeries.Classify(middle, T0, end, -150, interval);
        Assert.Equal(TemperatureStatus.Missing, c.Status);
        Assert.Contains("90 min between readings", Assert.Single(c.Gaps).What, StringComparison.Ordinal);

        var lateStart = Every(15, T0.AddMinutes(20), end);
        Assert.Contains("after the hand-off", Assert.Single(LoggerSeries.Classify(lateStart, T0, end, -150, interval).Gaps).What, StringComparison.Ordinal);

        var earlyStop = Every(15, T0, end.AddHours(-1));
        Assert.Contains("before the receipt", Assert.Single(LoggerSeries.Classify(earlyStop, T0, end, -150, interval).Gaps).What, StringComparison.Ordinal);

        var none = LoggerSeries.Classify([], T0, end, -150, interval);
        Assert.Equal(TemperatureStatus.Missing, none.Status);
        Assert.Equal(0, none.Points);

        // Exactly the interval is not a gap; the same series with a 10-minute interval is.
        Assert.Equal(TemperatureStatus.Ok, LoggerSeries.Classify(Every(15, T0, end), T0, end, -150, interval).Status);
        Assert.Equal(TemperatureStatus.Missing, LoggerSeries.Classify(Every(15, T0, end), T0, end, -150, TimeSpan.FromMinutes(10)).Status);

        // An excursion and a gap: the status is the excursion, both are listed.
        var both = middle.Select((p, i) => i == 3 ? p with { Celsius = -90 } : p).ToList();
        var b = LoggerSeries.Classify(both, T0, end, -150, interval);
        Assert.Equal(TemperatureStatus.Excursion, b.Status);
        Assert.Single(b.Gaps);
    }

    [Fact]
    public void The_logger_CSV_is_read_by_the_one_reader_and_a_bad_cell_is_named_by_row_and_column()
    {
        var points = LoggerSeries.ReadCsv(new StringReader("celsius,time\n-185.5,2026-11-21T09:00:00Z\n-184,2026-11-21T10:15:00+01:00\n"));
        Assert.Equal([new LoggerPoint(T0, -185.5), new LoggerPoint(T0.AddMinutes(15), -184)], points);

        var badTime = Assert.Throws<DomainValidationException>(() => LoggerSeries.ReadCsv(new StringReader("time,celsius\n2026-11-21 09:00,-185\n")));
        Assert.Contains("row 2", badTime.Errors[0].Field, StringComparison.Ordinal);
        Assert.Contains("time", badTime.Errors[0].Field, StringComparison.Ordinal);
        var badValue = Assert.Throws<DomainValidationException>(() => LoggerSeries.ReadCsv(new StringReader("time,celsius\n2026-11-21T09:00:00Z,cold\n")));
        Assert.Contains("celsius", badValue.Errors[0].Field, StringComparison.Ordinal);
        var header = Assert.Throws<DomainValidationException>(() => LoggerSeries.ReadCsv(new StringReader("when,temp\nx,y\n")));
        Assert.Equal("header", header.Errors[0].Field);
        var implausible = Assert.Throws<DomainValidationException>(() => LoggerSeries.ReadCsv(new StringReader("time,celsius\n2026-11-21T09:00:00Z,150\n")));
        Assert.Equal("points[0].celsius", implausible.Errors[0].Field);
        var unterminated = Assert.Throws<DomainValidationException>(() => LoggerSeries.ReadCsv(new StringReader("time,celsius\n\"2026,-1\n")));
        Assert.NotEmpty(unterminated.Errors);
    }

    [Fact]
    public void The_shipment_operations_belong_to_the_roles_the_ADR_names_and_never_to_admin_or_trainer()
    {
        static IReadOnlyList<Role> Roles(Operation o) => Permissions.Of(o).Roles;
        Assert.Equal([Role.Physician, Role.Coordinator], Roles(Operation.NetworkShipmentRequest));
        Assert.Equal([Role.CpcTechnician], Roles(Operation.NetworkShipmentPack));
        Assert.Equal([Role.CpcTechnician, Role.Coordinator], Roles(Operation.NetworkShipmentHandOff));
        Assert.Equal([Role.CpcTechnician], Roles(Operation.NetworkShipmentReceive));
        Assert.Equal([Role.QaOfficer], Roles(Operation.NetworkShipmentQuarantineDecide));
        Assert.Equal([Role.QaOfficer], Roles(Operation.NetworkShipmentConfigure));
        Assert.Equal([Role.CpcTechnician], Roles(Operation.NetworkShipperManage));
        foreach (var p in Permissions.All.Where(p => p.Name.StartsWith("network.shipment", StringComparison.Ordinal) || p.Name.StartsWith("network.shipper", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(Role.Admin, p.Roles);
            Assert.DoesNotContain(Role.Trainer, p.Roles);
            Assert.True(p.Kind == OperationKind.Read || !p.Roles.Contains(Role.Auditor), p.Name);
        }

        // What the bank's own transitions need is held by whoever packs or hands off.
        Assert.All(Roles(Operation.NetworkShipmentPack), r => Assert.Contains(r, Roles(Operation.BankVialReserve)));
        Assert.All(Roles(Operation.NetworkShipmentHandOff), r => Assert.Contains(r, Roles(Operation.BankVialShip)));
    }
}
