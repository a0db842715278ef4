using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Hla;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Security;
using RadRegen.Storage;

namespace RadRegen.Hosting;

/// <summary>
/// The one composition root: the web host and the command line register the same services, so a
/// CLI command runs exactly the domain code the server runs.
/// </summary>
public static class RadRegenServices
{
    /// <summary>Registers RadRegen's domain services over <paramref name="settings"/> (read and validated by <see cref="RadRegenConfiguration"/>).</summary>
    public static IServiceCollection AddRadRegen(this IServiceCollection services, RadRegenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var target = settings.Database;
        services.AddSingleton(settings);
        services.AddSingleton(settings.Center);
        // The one holder of this center's own code (ADR 0029); the options below are made from it.
        var identity = settings.Identity;
        services.AddSingleton(identity);
        services.AddSingleton(settings.Priority);
        services.AddSingleton(settings.Assessment);
        services.AddSingleton(target);
        services.AddSingleton(new Database(target));
        services.AddSingleton<IClock, SystemClock>();
        services.AddSingleton(StoreRegistry.CreateDefault());
        if (settings.Journal is { CheckpointLog: { } log, SigningKey: { } key })
        {
            // One log per process, told each committed journal head; read by audit verify.
            services.AddSingleton(sp => new RadRegen.Hosting.Journal.JournalCheckpointLog(log, key, sp.GetRequiredService<IClock>(),
                sp.GetService<Microsoft.Extensions.Logging.ILogger<RadRegen.Hosting.Journal.JournalCheckpointLog>>()));
            services.AddSingleton<IJournalHeadObserver>(sp => sp.GetRequiredService<RadRegen.Hosting.Journal.JournalCheckpointLog>());
            services.AddSingleton<IJournalCheckpoints>(sp => sp.GetRequiredService<RadRegen.Hosting.Journal.JournalCheckpointLog>());
        }

        services.AddSingleton<SqlUnitOfWorkFactory>();
        services.AddSingleton<IUnitOfWorkFactory>(sp => sp.GetRequiredService<SqlUnitOfWorkFactory>());
        services.AddSingleton<Migrator>();
        services.AddSingleton<IPasswordHashing, AspNetPasswordHashing>();
        services.AddSingleton(settings.Access);
        // Password throttling shared by sign-in and e-signatures (ADR 0020); the web replaces the source with the client's address.
        services.AddSingleton<CredentialThrottle>();
        services.AddSingleton<IAttemptSource, LocalAttemptSource>();
        services.AddSingleton<AttemptJournal>();
        services.AddSingleton<AccessService>();
        services.AddSingleton<SignatureService>();
        services.AddSingleton<AuditService>();
        services.AddSingleton(BankOptions.For(identity));
        services.AddSingleton<IHlaTyping, HlaLibraryTyping>();
        services.AddSingleton<ProductCatalogueService>();
        services.AddSingleton<DonorService>();
        services.AddSingleton<LineService>();
        services.AddSingleton<LotService>();
        services.AddSingleton<ReleaseService>();
        services.AddSingleton<StorageService>();
        services.AddSingleton<VialService>();
        services.AddSingleton<ReceivedLotService>();
        services.AddSingleton<InventoryService>();
        services.AddSingleton<BankService>();
        services.AddSingleton<RadRegen.Bank.Import.InventoryImport>();
        services.AddSingleton<RadRegen.Hosting.Bank.HaplobankView>();
        services.AddSingleton(sp => RadRegen.Hosting.Hla.HlaReferenceFiles.FromConfiguration(sp.GetService<Microsoft.Extensions.Configuration.IConfiguration>()));
        services.AddSingleton<RadRegen.Hosting.Hla.HlaWorkbench>();
        services.AddSingleton<RadRegen.Care.CareService>();
        services.AddSingleton<RadRegen.Care.Laboratory.LaboratoryService>();
        services.AddSingleton<RadRegen.Care.Allocation.PriorityPolicyService>();
        services.AddSingleton<RadRegen.Care.MassCasualty.MassCasualtyService>();
        services.AddSingleton<RadRegen.Care.MassCasualty.IProductInventory, RadRegen.Care.Therapy.BankProductInventory>();
        services.AddSingleton<RadRegen.Care.Allocation.ICompatibility>(RadRegen.Care.Allocation.HlaCompatibility.Default);
        services.AddSingleton<RadRegen.Care.Therapy.TherapyService>();
        services.AddSingleton<RadRegen.Care.Assessment.AssessmentSignOff>();
        services.AddSingleton<RadRegen.Training.Exercises.ExerciseService>();
        services.AddSingleton<RadRegen.Network.Shipments.ShipmentService>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Network.Shipments.ShipmentEventHandler>();
        services.AddSingleton(RadRegen.Network.Capacity.CapacityOptions.For(identity, settings.CapacityStaleAfter));
        services.AddSingleton<RadRegen.Network.Capacity.CapacityService>();
        services.AddSingleton<RadRegen.Network.Transfers.TransferService>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Network.Capacity.CapacitySnapshotHandler>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Network.Transfers.PatientTransferHandler>();
        AddSharedInventory(services, settings, identity);
        // The network of centers (issue 13, ADR 0022): the inbox, the status and this center's
        // profile are here for every process (the outbox records events even when the center runs
        // alone); the relay and the consumer start only in the server (AddRadRegenNetworkEngine).
        services.AddSingleton(RadRegen.Network.Inbox.NetworkMembership.For(identity, settings.Network?.KnownCenters));
        // This center's network keys (ADR 0029), from their file outside the database, read on first use.
        services.AddSingleton(settings.Network is { KeyFile: { } keyFile }
            ? new RadRegen.Network.Privacy.CenterKeyring(() => RadRegen.Hosting.Network.NetworkKeyFile.LoadOrCreate(keyFile))
            : RadRegen.Network.Privacy.CenterKeyring.None);
        services.AddSingleton<RadRegen.Network.Inbox.NetworkInbox>();
        services.AddSingleton<RadRegen.Network.Inbox.NetworkStatusReader>();
        services.AddSingleton<RadRegen.Network.Centers.CenterProfilePublisher>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Network.Centers.CenterProfileHandler>();
        // The international hub (issue 14, ADR 0032): its services and the handlers of its hub.* events.
        services.AddSingleton(new RadRegen.Network.Hub.HubOptions(settings.Center.FacilityCode, settings.Hub.HubCenter, settings.Hub.IrixOrganisation, settings.Hub.IrixSchemaDirectory));
        services.AddSingleton<RadRegen.Network.Hub.HubService>();
        services.AddSingleton<RadRegen.Network.Hub.HubMatching>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Network.Hub.HubMemberHandler>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Network.Hub.HubRequestHandler>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Network.Hub.HubOfferHandler>();
        // Education (issue 15 items 1 and 6, ADR 0034): courses, certificates, rosters, the network capacity drill.
        services.AddSingleton<RadRegen.Training.Courses.CourseService>();
        services.AddSingleton<RadRegen.Training.Courses.RosterService>();
        services.AddSingleton<RadRegen.Training.CapacityDrill.CapacityDrillService>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Training.CapacityDrill.CapacityDrillHandler>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Training.CapacityDrill.DrillAnswerHandler>();
        // Readiness planning (issue 16, ADR 0036): the center's population frequency sets are the haplobank view's (NMDP 2007).
        services.AddSingleton(RadRegen.Planning.PlanningOptions.Default with
        {
            Populations = RadRegen.Hosting.Bank.HaplobankView.Index,
            PopulationNames = RadRegen.Hosting.Bank.HaplobankView.Populations,
        });
        services.AddSingleton<RadRegen.Planning.PlanningService>();
        // PDF reports (ADR 0038): one stateless renderer for every module's ReportDocument.
        services.AddSingleton<RadRegen.Core.Reporting.IReportRenderer, RadRegen.Reports.PdfReportRenderer>();
        return services;
    }

    /// <summary>The shared inventory (issue 13 item 2, ADR 0023): the bank's publisher, the handler of other centers' stock, the network's search.</summary>
    private static void AddSharedInventory(IServiceCollection services, RadRegenSettings settings, CenterIdentity identity)
    {
        services.AddSingleton(new RadRegen.Bank.Network.StockSharing(settings.SharedInventory.Shareable));
        services.AddSingleton<RadRegen.Bank.Network.StockPublisher>();
        services.AddSingleton<RadRegen.Network.Events.INetworkEventHandler, RadRegen.Network.Inventory.InventoryStockHandler>();
        services.AddSingleton(RadRegen.Network.Inventory.NetworkInventoryOptions.For(identity, settings.SharedInventory.TransportHours));
        services.AddSingleton<RadRegen.Network.Inventory.NetworkInventoryService>();
        // The mass-casualty allocation draws on other centers' stock through Care's port (ADR 0030).
        services.AddSingleton<RadRegen.Care.MassCasualty.IRemoteStock, RadRegen.Network.Allocation.NetworkRemoteStock>();
        services.AddSingleton<RadRegen.Network.Allocation.AllocationShipments>();
        // What waits for whom (the inbox, ADR 0040): one source per module, the Worklist merges them.
        services.AddSingleton<RadRegen.Core.Work.Worklist>();
        services.AddSingleton<RadRegen.Core.Work.IWorkSource, RadRegen.Bank.Services.BankWork>();
        services.AddSingleton<RadRegen.Core.Work.IWorkSource, RadRegen.Care.Therapy.TherapyWork>();
        services.AddSingleton<RadRegen.Core.Work.IWorkSource, RadRegen.Network.Shipments.ShipmentWork>();
        services.AddSingleton<RadRegen.Core.Work.IWorkSource, RadRegen.Network.Hub.HubWork>();
    }
}
