using System.Globalization;
using RadRegen.Core.Journal;

namespace RadRegen.Core.Tests;

/// <summary>
/// <see cref="JournalTime"/> writes its text digit by digit; every stored time and hashed journal
/// entry depends on that text, so it must be exactly what the documented format gives.
/// </summary>
public class JournalTimeTests
{
    private static string ByFormat(DateTimeOffset time) => time.UtcDateTime.ToString(JournalTime.Format, CultureInfo.InvariantCulture);

    public static TheoryData<DateTimeOffset> Edges => new()
    {
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
        new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.FromHours(-10)),
        new DateTimeOffset(999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999),
        new DateTimeOffset(2026, 11, 21, 8, 14, 0, TimeSpan.Zero).AddTicks(1_234_567),
        new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.FromHours(-9)), // the next year in UTC
        new DateTimeOffset(2028, 2, 29, 8, 59, 59, TimeSpan.FromHours(9)).AddTicks(1),
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void The_text_is_the_documented_format_at_the_edges(DateTimeOffset time)
    {
        Assert.Equal(ByFormat(time), JournalTime.ToText(time));
        Span<byte> utf8 = stackalloc byte[JournalTime.Length];
        JournalTime.WriteUtf8(time, utf8);
        Assert.Equal(ByFormat(time), System.Text.Encoding.UTF8.GetString(utf8));
    }

    [Fact]
    public void The_text_is_the_documented_format_for_any_time_and_offset()
    {
        var random = new Random(20261130);
        Span<byte> utf8 = stackalloc byte[JournalTime.Length];
        for (var i = 0; i < 100_000; i++)
        {
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            var ticks = random.NextInt64(DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay);
            var time = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
            var expected = ByFormat(time);
            Assert.Equal(expected, JournalTime.ToText(time));
            JournalTime.WriteUtf8(time, utf8);
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(utf8));
            Assert.Equal(time, JournalTime.Parse(expected));
        }
    }
}
