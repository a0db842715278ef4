using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;
using RadRegen.Web.Localization;

namespace RadRegen.Web.Tests;

/// <summary>
/// The interface's language (the browser's Accept-Language, overridden by the user's choice, kept on the account)
/// and its times (the center's zone, named; inputs read in that zone and stored in UTC) — issue 17 item 4, ADR 0041.
/// </summary>
public partial class LocalizationTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
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
        Assert.Contains("<title>サインイン · RadRegen</title>", page, StringComparison.Ordinal);
        Assert.Contains("ユーザー名", page, StringComparison.Ordinal);

        using var english = new HttpRequestMessage(HttpMethod.Get, new Uri("/login", UriKind.Relative));
        english.Headers.AcceptLanguage.ParseAdd("de-DE");
        var fallback = await (await client.SendAsync(english)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", fallback, StringComparison.Ordinal);
        Assert.Contains("Skip to content", fallback, StringComparison.Ordinal);
        Assert.Contains("<title>Sign in · RadRegen</title>", fallback, StringComparison.Ordinal);
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

    [Fact]
    public async Task Signed_in_in_Japanese_the_title_navigation_and_footer_are_Japanese_with_the_zone_named()
    {
        var server = await servers.ForAsync("sqlite");
        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/care", UriKind.Relative));
            request.Headers.AcceptLanguage.ParseAdd("ja");
            var page = WebUtility.HtmlDecode(await (await client.SendAsync(request)).Content.ReadAsStringAsync());
            Assert.Contains("<title>緊急被ばく医療 · RadRegen</title>", page, StringComparison.Ordinal);
            Assert.Contains(">バンク</a>", page, StringComparison.Ordinal);
            Assert.Contains("新規事故・事象", page, StringComparison.Ordinal);
            Assert.Contains("時刻はJST (Asia/Tokyo)で表示", page, StringComparison.Ordinal);
            Assert.Contains("発生日時（JST）", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_form_refused_for_a_missing_field_says_so_in_Japanese()
    {
        var server = await servers.ForAsync("sqlite");
        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (client)
        {
            var form = await client.GetStringAsync(new Uri("/care", UriKind.Relative));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/care", UriKind.Relative))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = Token().Match(form).Groups[1].Value,
                    ["Input.Code"] = "INC-JA-1",
                    ["Input.Title"] = "未入力の発生日時",
                    ["Input.Kind"] = "criticality",
                }),
            };
            request.Headers.AcceptLanguage.ParseAdd("ja");
            var response = await client.SendAsync(request);
            var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("印の付いた項目を修正してください：startedAt: 入力してください", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_time_typed_on_a_page_is_read_in_the_centers_zone_stored_in_UTC_and_shown_back_with_the_zone()
    {
        var server = await servers.ForAsync("sqlite");
        Assert.Equal("Asia/Tokyo", server.Services.GetRequiredService<CenterSettings>().TimeZone.Id);
        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (client)
        {
            var form = await client.GetStringAsync(new Uri("/care", UriKind.Relative));
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Token().Match(form).Groups[1].Value,
                ["Input.Code"] = "INC-ZONE-1",
                ["Input.Title"] = "Zone",
                ["Input.Kind"] = "criticality",
                ["Input.StartedAt"] = "2026-11-29T09:30",
            });
            var created = await client.PostAsync(new Uri("/care", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

            var care = server.Services.GetRequiredService<CareService>();
            var incident = (await care.ListIncidentsAsync(new Actor(1, "dr", new HashSet<Role> { Role.Physician }))).Single(i => i.Code == "INC-ZONE-1");
            Assert.Equal(new DateTimeOffset(2026, 11, 29, 0, 30, 0, TimeSpan.Zero), incident.StartedAt);

            var page = await client.GetStringAsync(created.Headers.Location);
            Assert.Contains("<time datetime=\"2026-11-29T00:30:00Z\" title=\"2026-11-29T00:30:00Z\">2026-11-29 09:30 JST</time>", page, StringComparison.Ordinal);

            // The API stays UTC ISO-8601 whatever the zone.
            var json = await client.GetStringAsync(new Uri($"/api/v1/care/incidents/{incident.Id}", UriKind.Relative));
            Assert.Contains("2026-11-29T00:30:00", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_switcher_sets_the_cookie_and_the_choice_follows_the_person_to_the_next_sign_in()
    {
        var server = await servers.ForAsync("sqlite");
        var userName = "l10n-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "a long enough password 1";
        await server.Access.AddUserAsync(Actor.LocalOperator("test"), userName, "Language tester", new HashSet<Role> { Role.Auditor }, password);

        var (first, _) = await server.SignInAsync(userName, password);
        using (first)
        {
            var home = await first.GetStringAsync(new Uri("/", UriKind.Relative));
            Assert.Contains("data-testid=\"language-switcher\"", home, StringComparison.Ordinal);
            using var choose = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Token().Match(home).Groups[1].Value,
                ["Language"] = "ja",
                ["ReturnUrl"] = "/audit",
            });
            var chosen = await first.PostAsync(new Uri("/language", UriKind.Relative), choose);
            Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
            Assert.Equal("/audit", chosen.Headers.Location!.OriginalString);
            Assert.Contains(chosen.Headers.GetValues("Set-Cookie"), c => c.StartsWith(UiCultures.CookieName + "=c%3Dja%7Cuic%3Dja", StringComparison.Ordinal));
            Assert.Contains("<html lang=\"ja\">", await first.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
        }

        Assert.Equal("ja", (await server.Access.ListUsersAsync(Actor.LocalOperator("test"))).Single(u => u.UserName == userName).Language);

        // Another computer, a browser asking for English: the account's choice comes back at sign-in.
        var (second, signedIn) = await server.SignInAsync(userName, password);
        using (second)
        {
            Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(UiCultures.CookieName + "=c%3Dja%7Cuic%3Dja", StringComparison.Ordinal));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
            request.Headers.AcceptLanguage.ParseAdd("en");
            var page = await (await second.SendAsync(request)).Content.ReadAsStringAsync();
            Assert.Contains("<html lang=\"ja\">", page, StringComparison.Ordinal);
            Assert.Contains("ダッシュボード", page, StringComparison.Ordinal);

            // The switcher again: a language we do not offer is refused naming the field; "browser" forgets the choice.
            var home = await second.GetStringAsync(new Uri("/language", UriKind.Relative));
            using var bad = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Token().Match(home).Groups[1].Value,
                ["Language"] = "fr",
            });
            var refused = await second.PostAsync(new Uri("/language", UriKind.Relative), bad);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("language: &#x27;fr&#x27; is not a language of the interface", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var reset = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Token().Match(home).Groups[1].Value,
                ["Language"] = "browser",
            });
            var forgotten = await second.PostAsync(new Uri("/language", UriKind.Relative), reset);
            Assert.Equal(HttpStatusCode.Redirect, forgotten.StatusCode);
        }

        Assert.Null((await server.Access.ListUsersAsync(Actor.LocalOperator("test"))).Single(u => u.UserName == userName).Language);
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

    [Fact]
    public void A_wall_clock_time_the_zone_skips_is_refused_naming_the_field_and_a_repeated_one_reads_as_standard_time()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var skipped = Assert.Throws<RadRegen.Core.DomainValidationException>(() =>
            LocalTimeHtml.FromInput(new DateTime(2026, 3, 8, 2, 30, 0, DateTimeKind.Unspecified), newYork, "startedAt"));
        Assert.Equal("startedAt", skipped.Errors.Single().Field);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 6, 30, 0, TimeSpan.Zero),
            LocalTimeHtml.FromInput(new DateTime(2026, 11, 1, 1, 30, 0, DateTimeKind.Unspecified), newYork, "startedAt"));
        Assert.Equal("2026-11-29T09:30", LocalTimeHtml.InputValue(new DateTimeOffset(2026, 11, 29, 0, 30, 0, TimeSpan.Zero),
            TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")));
        Assert.Equal(CultureInfo.InvariantCulture.NumberFormat.NumberDecimalSeparator, CultureInfo.GetCultureInfo("ja").NumberFormat.NumberDecimalSeparator);
    }

    [Fact]
    public async Task Sentences_with_values_and_links_read_in_Japanese_order_and_stay_as_they_were_in_English()
    {
        var server = await servers.ForAsync("sqlite");
        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/network", UriKind.Relative));
            request.Headers.AcceptLanguage.ParseAdd("ja");
            var page = WebUtility.HtmlDecode(await (await client.SendAsync(request)).Content.ReadAsStringAsync());
            Assert.Contains("単独運用：ネットワーク未設定", page, StringComparison.Ordinal);
            Assert.Contains("当センターへの、また当センターからの依頼・受諾・搬送中・入院・解除の状況：<a href=\"/network/transfers\">患者転送</a>", page, StringComparison.Ordinal);

            var english = await client.GetStringAsync(new Uri("/network", UriKind.Relative));
            Assert.Contains("<a href=\"/network/transfers\">Patient transfers</a> requested of and by this center, accepted, in transport, admitted or released.", english, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Every literal key a page reads, <c>L["…"]</c> or <c>T["…"]</c>, has its Japanese: a page's own words in the
    /// resource file beside the view's path (<c>Resources/Pages/&lt;Area&gt;/&lt;Page&gt;.ja.resx</c>), the shared words in
    /// <c>Resources/Localization/UiText.ja.resx</c>; every resource file parses and names each key once, case ignored (ADR 0041).
    /// </summary>
    [Fact]
    public void Every_key_a_page_reads_has_a_Japanese_entry_in_the_matching_resource_file()
    {
        var web = Path.Combine(RepositoryRoot(), "src", "RadRegen.Web");
        var resources = Path.Combine(web, "Resources");
        var files = Directory.GetFiles(resources, "*.ja.resx", SearchOption.AllDirectories)
            .ToDictionary(f => f, ReadResx, StringComparer.Ordinal);
        var shared = files[Path.Combine(resources, "Localization", "UiText.ja.resx")];

        var missing = new List<string>();
        var pages = Path.Combine(web, "Pages");
        foreach (var view in Directory.GetFiles(pages, "*.cshtml", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(web, view);
            var own = files.GetValueOrDefault(Path.Combine(resources, Path.ChangeExtension(relative, null) + ".ja.resx"));
            foreach (Match key in LiteralKey().Matches(File.ReadAllText(view)))
            {
                var text = key.Groups["text"].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
                var entries = key.Groups["localizer"].Value == "T" ? shared : own;
                if (entries is null || !entries.TryGetValue(text, out var japanese) || string.IsNullOrWhiteSpace(japanese))
                {
                    missing.Add($"{relative}: {key.Groups["localizer"].Value}[\"{text}\"]");
                }
            }
        }

        Assert.True(missing.Count == 0, "Keys without a Japanese entry:\n" + string.Join("\n", missing));
    }

    private static Dictionary<string, string> ReadResx(string path)
    {
        // The resource compiler keeps only the first of two names that differ in case (MSB3568), and the lookup is
        // case-sensitive, so "Release" and "release" in one file would leave one of them in English.
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var data in XDocument.Load(path).Root!.Elements("data"))
        {
            var name = (string)data.Attribute("name")!;
            Assert.True(names.Add(name), $"{path}: the key \"{name}\" is there twice (case ignored)");
            entries[name] = (string?)data.Element("value") ?? "";
        }

        return entries;
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

    /// <summary><c>L["text"</c> or <c>T["text"</c> with a literal C# string (escaped quotes allowed).</summary>
    [GeneratedRegex(@"\b(?<localizer>[LT])\[""(?<text>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LiteralKey();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
