// Every test in this project is of one kind (docs/testing.md): `dotnet test --filter Kind=Unit`.
// They need Debian's pdftotext (poppler-utils) to read the PDFs back; without it they fail, never skip.
[assembly: AssemblyTrait("Kind", "Unit")]
