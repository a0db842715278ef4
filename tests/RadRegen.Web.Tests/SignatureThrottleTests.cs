using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests;

/// <summary>
/// Issue 12 item 1 through the API: wrong e-signature passwords are throttled (429 with
/// Retry-After) and journaled; the throttle is per source, so a stranger's guesses from one
/// address do not stop the owner at another; sign-in answers an unknown name like a wrong password.
/// </summary>
public partial class SignatureThrottleTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    /// <summary>A client whose connections come from <paramref name="local"/> (any 127.x.y.z is loopback on Linux): another source.</summary>
    private static HttpClient From(TestServer server, string local, string token)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(local), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<long> QuarantineLotAsync(HttpClient tech)
    {
        var donor = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/donors"), new
        {
            banking = true, research = true, clinical = true, hlaGl = "A*24:02+A*24:02^B*52:01+B*52:01",
            screening = new Dictionary<string, string>
            {
                ["HIV-1/2"] = "negative", ["HBV"] = "negative", ["HCV"] = "negative", ["HTLV-1/2"] = "negative", ["Syphilis"] = "negative",
            },
        }));
        var line = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/lines"), new
        {
            code = "SIG-L1", donorId = donor.GetProperty("id").GetInt64(), method = "episomal plasmid", cloneName = "c3", passage = 10,
        }));
        var lineId = line.GetProperty("id").GetInt64();
        var mcb = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/cell-banks"), new { code = "SIG-L1-MCB", kind = "mcb", lineId, passage = 12, vials = 100 }));
        var wcb = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/cell-banks"), new
        {
            code = "SIG-L1-WCB", kind = "wcb", lineId, parentId = mcb.GetProperty("id").GetInt64(), passage = 15, vials = 100,
        }));
        var lot = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/lots"), new { productCode = "S9102", wcbId = wcb.GetProperty("id").GetInt64(), vials = 2 }));
        return lot.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Wrong_signature_passwords_are_throttled_with_retry_after_and_journaled_but_the_owner_signs_from_another_address()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var lotId = await QuarantineLotAsync(tech);
        var qaToken = (await server.Access.CreateTokenAsync(Actor.LocalOperator("test"), "demo-qa-officer", "stolen", 1)).Secret;
        var reject = U($"/api/v1/bank/lots/{lotId}/reject");

        // Someone holding the QA officer's token guesses her signature password from 127.0.0.2.
        using var stranger = From(server, "127.0.0.2", qaToken);
        for (var i = 1; i <= 4; i++)
        {
            var refused = await Problem(await stranger.PostAsJsonAsync(reject, new { password = $"guess number {i}", reason = "test" }),
                HttpStatusCode.Forbidden);
            Assert.Contains("password does not match", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var fifth = await stranger.PostAsJsonAsync(reject, new { password = "guess number 5", reason = "test" });
        await Problem(fifth, HttpStatusCode.TooManyRequests);
        var retryAfter = fifth.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        // From there even the right password is refused unheard.
        var sixth = await stranger.PostAsJsonAsync(reject, new { password = server.PasswordOf(Role.QaOfficer), reason = "test" });
        await Problem(sixth, HttpStatusCode.TooManyRequests);
        Assert.NotNull(sixth.Headers.RetryAfter);

        // The owner, at her own address, is not held back by the stranger's failures.
        using var owner = From(server, "127.0.0.1", qaToken);
        var rejected = await OkJson(await owner.PostAsJsonAsync(reject, new { password = server.PasswordOf(Role.QaOfficer), reason = "contaminated" }));
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());

        // Each failure is journaled: signer, what was being signed, source and time; never the password.
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        List<JsonElement> failures = [];
        for (var wait = 0; wait < 50 && failures.Count < 5; wait++)
        {
            var page = await OkJson(await auditor.GetAsync(U("/api/v1/audit/entries?recordType=signature&pageSize=100")));
            failures = [.. page.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("action").GetString() == "signature-failed")];
            await Task.Delay(100);
        }

        Assert.Equal(5, failures.Count);
        foreach (var e in failures)
        {
            Assert.Equal("demo-qa-officer", e.GetProperty("user").GetString());
            Assert.StartsWith("lot/", e.GetProperty("recordId").GetString(), StringComparison.Ordinal);
            var payload = e.GetProperty("payload").GetString()!;
            Assert.Contains("\"source\":\"127.0.0.2\"", payload, StringComparison.Ordinal);
            Assert.Contains("\"meaning\":\"rejected\"", payload, StringComparison.Ordinal);
            Assert.Contains("\"at\":\"", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("guess number", payload, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sign_in_answers_an_unknown_name_exactly_like_a_wrong_password_and_throttles_both_alike()
    {
        // Three failures throttle here, so that the test stays within the login page's 20 requests a minute per address.
        await using var server = await TestServer.StartAsync("sqlite", o => o with
        {
            Settings = o.Settings with { Access = AccessPolicy.Default with { MaxFailedLogins = 3 } },
        });
        async Task<string> MessageAsync(string user, string password)
        {
            var (client, response) = await server.SignInAsync(user, password);
            client.Dispose();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return LoginError().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value;
        }

        var known = await MessageAsync("demo-physician", "wrong password!");
        var unknown = await MessageAsync("no-such-person", "wrong password!");
        Assert.Equal(Pages.LoginModel.WrongCredentials, known);
        Assert.Equal(known, unknown);

        for (var i = 0; i < 1; i++)
        {
            await MessageAsync("demo-physician", "wrong password!");
            await MessageAsync("no-such-person", "wrong password!");
        }

        var knownThrottled = await MessageAsync("demo-physician", "wrong password!");
        var unknownThrottled = await MessageAsync("no-such-person", "wrong password!");
        Assert.StartsWith("Too many failed sign-ins", knownThrottled, StringComparison.Ordinal);
        Assert.Equal(Digits().Replace(knownThrottled, "0"), Digits().Replace(unknownThrottled, "0")); // the same words; only the time may differ by a second
    }

    [GeneratedRegex("[0-9]")]
    private static partial Regex Digits();

    [GeneratedRegex("data-testid=\"login-error\">([^<]*)<")]
    private static partial Regex LoginError();
}
