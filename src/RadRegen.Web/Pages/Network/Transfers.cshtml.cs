using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Network.Transfers;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Network;

/// <summary>Patient transfers between centers (issue 13 item 5): requests, decisions, transport, admission or release.</summary>
[AuthorizeOperation(Operation.NetworkTransferRead)]
public sealed class TransfersModel(TransferService transfers) : BankPageModel
{
    public sealed class TransferForm
    {
        public long? PatientId { get; set; }

        public string? ToCenter { get; set; }

        public string? BedType { get; set; }

        public string? Reason { get; set; }
    }

    [BindProperty]
    public TransferForm Input { get; set; } = new();

    /// <summary>The reason typed for a decline or a release.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>A patient to prefill (a link from the patient's page).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Patient { get; set; }

    public IReadOnlyList<PatientTransfer> Transfers { get; private set; } = [];

    public string? LocalCenter => transfers.LocalCenter;

    public bool CanRequest => User.May(Operation.NetworkTransferRequest);

    public bool CanDecide => User.May(Operation.NetworkTransferDecide);

    public bool CanTrack => User.May(Operation.NetworkTransferTrack);

    public Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Input.PatientId ??= Patient;
        return PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    public async Task<IActionResult> OnPostRequestAsync(CancellationToken ct)
    {
        PatientTransfer? created = null;
        var ok = await TryAsync("request", async () =>
            created = await transfers.RequestAsync(User.Actor(), new NewTransfer(Input.PatientId, Input.ToCenter, Input.BedType, Input.Reason), ct));
        return await AfterAsync(ok, () => $"Transfer requested of {created!.ToCenter}; it waits for that center's decision.", ct);
    }

    public async Task<IActionResult> OnPostAcceptAsync(string id, CancellationToken ct) =>
        await AfterAsync(await TryAsync("row:" + id, () => transfers.AcceptAsync(User.Actor(), id, ct)), () => "Transfer accepted; the patient's record will arrive from the requesting center.", ct);

    public async Task<IActionResult> OnPostDeclineAsync(string id, CancellationToken ct) =>
        await AfterAsync(await TryAsync("row:" + id, () => transfers.DeclineAsync(User.Actor(), id, Reason, ct)), () => "Transfer declined.", ct);

    public async Task<IActionResult> OnPostDispatchAsync(string id, CancellationToken ct) =>
        await AfterAsync(await TryAsync("row:" + id, () => transfers.DispatchAsync(User.Actor(), id, ct)), () => "Patient dispatched: in transport.", ct);

    public async Task<IActionResult> OnPostAdmitAsync(string id, CancellationToken ct) =>
        await AfterAsync(await TryAsync("row:" + id, () => transfers.AdmitAsync(User.Actor(), id, ct)), () => "Patient admitted.", ct);

    public async Task<IActionResult> OnPostReleaseAsync(string id, CancellationToken ct) =>
        await AfterAsync(await TryAsync("row:" + id, () => transfers.ReleaseAsync(User.Actor(), id, Reason, ct)), () => "Patient released; the transfer is closed.", ct);

    private async Task<IActionResult> AfterAsync(bool ok, Func<string> notice, CancellationToken ct)
    {
        if (ok)
        {
            Notice(notice());
            return Redirect("/network/transfers");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    private async Task LoadAsync(CancellationToken ct) => Transfers = await transfers.ListAsync(User.Actor(), ct);

    public static string Badge(TransferStatus s) => s switch
    {
        TransferStatus.Requested => "text-bg-info",
        TransferStatus.Accepted => "text-bg-primary",
        TransferStatus.InTransport => "text-bg-warning",
        TransferStatus.Admitted => "text-bg-success",
        _ => "text-bg-secondary",
    };
}
