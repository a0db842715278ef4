// Every test in this project is of one kind (docs/testing.md): `dotnet test --filter Kind=Browser`.
[assembly: AssemblyTrait("Kind", "Browser")]
