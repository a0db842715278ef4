using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;

namespace RadRegen.Web.Bank;

/// <summary>Expires vials automatically at expiry: every minute, the server moves what is due to expired (journaled).</summary>
public sealed partial class ExpiryWorker(IServiceProvider services, ILogger<ExpiryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Expiring what is past its date is a rule, not a judgement: the job does it in the role that may (ADR 0026).
        var actor = Actor.System("expiry", Role.CpcTechnician);
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        do
        {
            try
            {
                var n = await services.GetRequiredService<BankService>().ExpireDueAsync(actor, stoppingToken);
                if (n > 0)
                {
                    Expired(logger, n);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Information, "{Count} vials expired")]
    private static partial void Expired(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "expiry run failed")]
    private static partial void Failed(ILogger logger, Exception ex);
}
