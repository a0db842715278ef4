using System.Net;
using RadRegen.Testing;
using RadRegen.Web.Localization;

namespace RadRegen.Web.Tests;

/// <summary>The interface's language: the browser's Accept-Language, overridden by the user's choice (ADR 0041).</summary>
public class LocalizationTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    [Fact]
    public async Task A_browser_asking_for_Japanese_gets_the_shared_words_in_Japanese_and_others_in_English()
    {
        var server = await servers.ForAsync("sqlite");
        using var client = server.Anonymous();

        using var japanese = new HttpRequestMessage(HttpMethod.Get, new Uri("/login", UriKind.Relative));
        japanese.Headers.AcceptLanguage.ParseAdd("ja-JP,ja;q=0.9");
        var page = await (await client.SendAsync(japanese)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"ja\">", page, StringComparison.Ordinal);
        Assert.Contains("本文へ移動", page, StringComparison.Ordinal);

        using var english = new HttpRequestMessage(HttpMethod.Get, new Uri("/login", UriKind.Relative));
        english.Headers.AcceptLanguage.ParseAdd("de-DE");
        var fallback = await (await client.SendAsync(english)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", fallback, StringComparison.Ordinal);
        Assert.Contains("Skip to content", fallback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_users_choice_in_the_culture_cookie_wins_over_the_browser()
    {
        var server = await servers.ForAsync("sqlite");
        using var client = server.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/login", UriKind.Relative));
        request.Headers.AcceptLanguage.ParseAdd("en");
        request.Headers.Add("Cookie", UiCultures.CookieName + "=c%3Dja%7Cuic%3Dja");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("本文へ移動", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Asia/Tokyo", "2026-11-29 06:30 JST")]
    [InlineData("UTC", "2026-11-28 21:30 UTC")]
    [InlineData("America/New_York", "2026-11-28 16:30 UTC-05:00")]
    public void Times_are_shown_in_the_centers_zone_with_the_zone_named(string zone, string expected)
    {
        var instant = new DateTimeOffset(2026, 11, 28, 21, 30, 0, TimeSpan.Zero);
        Assert.Equal(expected, LocalTimeHtml.Format(instant, TimeZoneInfo.FindSystemTimeZoneById(zone)));
    }
}
