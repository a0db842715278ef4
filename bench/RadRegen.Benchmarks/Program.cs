using BenchmarkDotNet.Running;

// Run every benchmark, or pick with --filter, e.g.:
//   dotnet run -c Release --project bench/RadRegen.Benchmarks -- --filter '*Journal*'
// Scenario runs that measure latency percentiles and concurrency rather than micro-benchmarks:
//   dotnet run -c Release --project bench/RadRegen.Benchmarks -- bank-search [--database ...] [--vials N]
//   dotnet run -c Release --project bench/RadRegen.Benchmarks -- bank-reserve [--database ...] [--requests N]
//   dotnet run -c Release --project bench/RadRegen.Benchmarks -- care-import [--database ...] [--victims N] [--seed S]
//   dotnet run -c Release --project bench/RadRegen.Benchmarks -- network-latency [--events N] [--bulk N] [--nats-server PATH]
//   dotnet run -c Release --project bench/RadRegen.Benchmarks -- network-inventory-latency [--lots N] [--vials N] [--poll-ms N] [--nats-server PATH]
//   dotnet run -c Release --project bench/RadRegen.Benchmarks -- plan [--lots N] [--rounds N] [--warning-days N]
if (args.Length > 0 && args[0].StartsWith("bank-", StringComparison.Ordinal))
{
    return await RadRegen.Benchmarks.Bank.BankScenarios.RunAsync(args);
}

if (args.Length > 0 && args[0] == "care-import")
{
    return await RadRegen.Benchmarks.Care.ImportScenario.RunAsync(args);
}

if (args.Length > 0 && args[0] == "network-inventory-latency")
{
    return await RadRegen.Benchmarks.Network.InventoryLatencyScenario.RunAsync(args);
}

if (args.Length > 0 && args[0] == "plan")
{
    return await RadRegen.Benchmarks.Planning.PlanScenario.RunAsync(args);
}

if (args.Length > 0 && args[0] == "network-latency")
{
    return await RadRegen.Benchmarks.Network.NetworkScenario.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
