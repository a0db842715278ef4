using System.Text.Json;
using RadRegen.Hosting.Bank;
using RadRegen.Web.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class HaplobankModel(HaplobankView view) : BankPageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "population")]
    public string? Population { get; set; }

    public HaplobankResult? Result { get; private set; }

    /// <summary>The curves for the chart (also shown as tables).</summary>
    public string ChartJson => Result is not { } r ? "{}" : JsonSerializer.Serialize(new
    {
        bankCis = r.Coverage.Rows.Select(x => Math.Round(x.CumulativeCis * 100, 2)),
        bankTrans = r.Coverage.Rows.Select(x => Math.Round(x.CumulativeTrans * 100, 2)),
        planCis = r.Plan.ByFrequency.Rows.Select(x => Math.Round(x.CumulativeCis * 100, 2)),
        planTrans = r.Plan.Greedy.Rows.Select(x => Math.Round(x.CumulativeTrans * 100, 2)),
    });

    public async Task OnGetAsync(CancellationToken ct) =>
        await TryAsync("population", async () => Result = await view.ComputeAsync(User.Actor(), Population, 10, ct));
}
