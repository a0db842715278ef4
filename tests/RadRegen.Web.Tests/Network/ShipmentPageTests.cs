using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Network.Events;
using RadRegen.Network.Shipments;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Network;

/// <summary>The shipment page's forms (ADR 0031): the sending center packs an incoming request; a bad field is named beside it and nothing is packed.</summary>
public partial class ShipmentPageTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(U(path));
        fields["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value;
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(U(path), content);
    }

    [Fact]
    public async Task The_sending_center_packs_through_the_form_and_a_bad_field_is_named_beside_it()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var vials = await TherapySeed.ReleasedVialsAsync(server.Services, 2, "PAGE");
        var qa = await server.WithTokenAsync(Role.QaOfficer);
        var techApi = await server.WithTokenAsync(Role.CpcTechnician);
        await OkJson(await qa.PutAsJsonAsync(U("/api/v1/network/shipments/settings"),
            new { requalificationIntervalDays = 90, loggingIntervalMinutes = 10, reason = "SOP-SHIP-001" }));
        var now = DateTimeOffset.UtcNow;
        await OkJson(await techApi.PostAsJsonAsync(U("/api/v1/network/shipments/shippers"),
            new { serial = "DS-PAGE", model = "VS-10", qualifiedAt = now.AddDays(-5), qualifiedHoldHours = 240, qualificationReference = "QR-P" }), HttpStatusCode.Created);
        await OkJson(await techApi.PostAsJsonAsync(U("/api/v1/network/shipments/shippers/DS-PAGE/charge"), new { }));

        var id = "W0002-20261129-PAGETEST";
        var handler = server.Services.GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.Shipment);
        await using (var uow = await server.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write))
        {
            var payload = new ShipmentStatePayload(id, ShipmentSide.Receiver, RadRegen.Hosting.Configuration.CenterSettings.DemoFacilityCode, "W0002",
                new ShipmentRequest("ARS patients", [new RequestLine("S9102", 2, [])], now, "docb"), null, ReceiverSide.Initial);
            await handler.ApplyAsync(uow, new NetworkEnvelope(Guid.NewGuid(), ShipmentService.SchemaVersion, "W0002", EventKinds.Shipment,
                $"shipment/{id}/receiver", 1, now, JsonSerializer.Serialize(payload, ShipmentJson.Options)), CancellationToken.None);
            await uow.CommitAsync();
        }

        var (tech, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.CpcTechnician), server.PasswordOf(Role.CpcTechnician));
        var path = $"/network/shipments/{id}";
        var page = await tech.GetStringAsync(U(path));
        Assert.Contains("data-testid=\"form-pack\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"form-decline\"", page, StringComparison.Ordinal); // a technician does not decline
        var picked = string.Join("\n", vials.Select(v => $"{v.Din} {v.ProductCode} {v.Division}"));

        var badHours = await PostFormAsync(tech, path, new() { ["Action"] = "pack", ["Version"] = "1", ["ShipperSerial"] = "DS-PAGE", ["PlannedTransitHours"] = "two days", ["Vials"] = picked });
        Assert.Equal(HttpStatusCode.OK, badHours.StatusCode);
        var shown = await badHours.Content.ReadAsStringAsync();
        Assert.Contains("a number of hours", shown, StringComparison.Ordinal);
        Assert.Contains("is-invalid", shown, StringComparison.Ordinal);
        var badLine = await (await PostFormAsync(tech, path, new() { ["Action"] = "pack", ["Version"] = "1", ["ShipperSerial"] = "DS-PAGE", ["PlannedTransitHours"] = "36", ["Vials"] = "W0001 S9102" }))
            .Content.ReadAsStringAsync();
        Assert.Contains("line 1", badLine, StringComparison.Ordinal);
        Assert.Contains("requested", await tech.GetStringAsync(U(path)), StringComparison.Ordinal);

        var packed = await PostFormAsync(tech, path, new() { ["Action"] = "pack", ["Version"] = "1", ["ShipperSerial"] = "DS-PAGE", ["PlannedTransitHours"] = "36", ["Vials"] = picked });
        Assert.Equal(HttpStatusCode.Redirect, packed.StatusCode);
        var after = await tech.GetStringAsync(U(path));
        Assert.Contains(">packed<", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"form-dispatch\"", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"lot-lineage\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("D-PAGE0001", after, StringComparison.Ordinal);
    }
}
