// Every test in this project is of one kind (docs/testing.md): `dotnet test --filter Kind=Unit`.
[assembly: AssemblyTrait("Kind", "Unit")]
