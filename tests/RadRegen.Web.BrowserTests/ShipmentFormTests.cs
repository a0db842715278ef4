using Microsoft.Playwright;
using RadRegen.Core.Access;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

/// <summary>ADR 0031's page forms: a physician requests a shipment from another center and cancels it, each form refusing a missing reason beside the field.</summary>
public class ShipmentFormTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task A_physician_requests_a_shipment_from_another_center_and_cancels_it_before_dispatch()
    {
        var doctor = await fixture.SignInAsync(Role.Physician);
        await doctor.GotoAsync("/network/shipments");
        await doctor.GetByTestId("request-center").FillAsync("W0002");
        await doctor.GetByTestId("request-product").FillAsync("S9102");
        await doctor.GetByTestId("request-count").FillAsync("2");
        await doctor.GetByTestId("request").ClickAsync();

        // No reason: refused beside the field, what was typed kept, nothing requested.
        await Expect(doctor.GetByTestId("error")).ToContainTextAsync("reason");
        await Expect(doctor.GetByTestId("request-center")).ToHaveValueAsync("W0002");
        await Expect(doctor.Locator("#rq-reason + .invalid-feedback")).ToBeVisibleAsync();

        await doctor.GetByTestId("request-reason").FillAsync("radiation accident: two ARS patients, local stock exhausted");
        await doctor.GetByTestId("request").ClickAsync();
        await Expect(doctor.GetByTestId("shipment-state")).ToHaveTextAsync("requested");
        await Expect(doctor.GetByTestId("notice")).ToContainTextAsync("requested from W0002");

        // Cancel before dispatch: a reason is required, then the request is cancelled.
        await doctor.GetByTestId("cancel").ClickAsync();
        await Expect(doctor.GetByTestId("error")).ToContainTextAsync("reason");
        await Expect(doctor.GetByTestId("shipment-state")).ToHaveTextAsync("requested");
        await doctor.Locator("#c-reason").FillAsync("patient transferred to another center");
        await doctor.GetByTestId("cancel").ClickAsync();
        await Expect(doctor.GetByTestId("shipment-state")).ToHaveTextAsync("cancelled");
        await Expect(doctor.GetByTestId("form-cancel")).ToHaveCountAsync(0);
    }
}
