using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("RadRegen.Fhir.Tests")]
