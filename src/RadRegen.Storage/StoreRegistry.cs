using RadRegen.Core.Access;
using RadRegen.Care;
using RadRegen.Storage.Access;
using RadRegen.Storage.Bank;
using RadRegen.Storage.Care;

namespace RadRegen.Storage;

/// <summary>
/// Which SQL class implements each store port. A module adds its stores here; a unit of work
/// creates them on demand, bound to its transaction.
/// </summary>
public sealed class StoreRegistry
{
    private readonly Dictionary<Type, Func<SqlSession, object>> _factories = [];

    /// <summary>The registry with every store RadRegen has.</summary>
    public static StoreRegistry CreateDefault()
    {
        var registry = new StoreRegistry();
        registry.Add<IUserStore>(s => new SqlUserStore(s));
        registry.Add<ITokenStore>(s => new SqlTokenStore(s));
        registry.Add<ISignatureStore>(s => new SqlSignatureStore(s));
        registry.Add<RadRegen.Bank.IBankStore>(s => new SqlBankStore(s));
        registry.Add<ICareStore>(s => new SqlCareStore(s));
        registry.Add<RadRegen.Care.Therapy.ITherapyStore>(s => new SqlTherapyStore(s));
        registry.Add<RadRegen.Care.Laboratory.ILabCurveStore>(s => new SqlLabCurveStore(s));
        registry.Add<RadRegen.Care.Allocation.IPriorityPolicyStore>(s => new SqlPriorityPolicyStore(s));
        registry.Add<RadRegen.Core.Messaging.IOutbox>(s => new Network.SqlOutbox(s));
        registry.Add<RadRegen.Network.Shipments.IShipmentStore>(s => new Network.SqlShipmentStore(s));
        registry.Add<RadRegen.Bank.IReceivedLotStore>(s => new Network.SqlReceivedLotStore(s));
        registry.Add<RadRegen.Network.Capacity.ICapacityStore>(s => new Network.SqlCapacityStore(s));
        registry.Add<RadRegen.Network.Transfers.ITransferStore>(s => new Network.SqlTransferStore(s));
        registry.Add<RadRegen.Bank.Network.IStockStore>(s => new SqlStockStore(s));
        registry.Add<RadRegen.Network.Inventory.INetworkStockStore>(s => new Network.SqlNetworkStockStore(s));
        registry.Add<RadRegen.Network.Inbox.INetworkStore>(s => new Network.SqlNetworkStore(s));
        registry.Add<RadRegen.Network.Hub.IHubStore>(s => new Network.SqlHubStore(s));
        registry.Add<RadRegen.Bank.Hla.IHlaFrequencySetStore>(s => new Hla.SqlFrequencySetStore(s));
        registry.Add<RadRegen.Training.Courses.ITrainingStore>(s => new Training.SqlTrainingStore(s));
        registry.Add<RadRegen.Training.CapacityDrill.ICapacityDrillStore>(s => new Training.SqlCapacityDrillStore(s));
        registry.Add<RadRegen.Planning.IScenarioStore>(s => new Planning.SqlScenarioStore(s));
        registry.Add<RadRegen.Training.Exercises.IExerciseStore>(s => new Training.SqlExerciseStore(s));
        return registry;
    }

    public StoreRegistry Add<TStore>(Func<SqlSession, TStore> factory) where TStore : class
    {
        _factories[typeof(TStore)] = factory;
        return this;
    }

    internal object Create(Type type, SqlSession session) =>
        _factories.TryGetValue(type, out var factory)
            ? factory(session)
            : throw new InvalidOperationException($"no SQL store is registered for {type.Name}");
}
