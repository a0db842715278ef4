// Every test in this project is of one kind (docs/testing.md): `dotnet test --filter Kind=Unit`.
// No database and no network: the validator reads the R4 specification.zip copied beside the tests.
[assembly: AssemblyTrait("Kind", "Unit")]
