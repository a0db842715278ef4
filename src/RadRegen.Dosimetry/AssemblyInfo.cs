// RadRegen.Dosimetry: cytogenetic calibration fitting and dose estimation, clinical dose
// estimators, METREPOL grading and triage. Pure library: depends on MathNet.Numerics only, no I/O
// beyond parsing text handed to it, no static mutable state. Every formula cites its source; the
// methods are described in docs/dosimetry.md.
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("RadRegen.Dosimetry.Tests")]
