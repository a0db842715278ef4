using BenchmarkDotNet.Running;

// Run every benchmark, or pick with --filter, e.g.:
//   dotnet run -c Release --project bench/RadRegen.Benchmarks -- --filter '*Journal*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
