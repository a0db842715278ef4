namespace RadRegen.Care.Records;

/// <summary>Sex as recorded for dosimetry (FISH genome factor, background) and reference ranges.</summary>
public enum Sex
{
    Female,
    Male,
    Unknown,
}

/// <summary>How the person was exposed.</summary>
public enum ExposureRoute
{
    External,
    Internal,
    ExternalAndInternal,
}

/// <summary>
/// A victim, pseudonymous: the center knows them by a code; identity lives outside RadRegen.
/// </summary>
/// <param name="Id">Database id.</param>
/// <param name="IncidentId">The incident.</param>
/// <param name="Code">Pseudonymous code, unique within the incident (<c>P-0001</c>).</param>
/// <param name="AgeYears">Age in whole years (0–120).</param>
/// <param name="Sex">Sex.</param>
/// <param name="WeightKg">Body weight in kg (for dose per kg of a product).</param>
/// <param name="ExposureStart">When this person's exposure began (UTC; not before the incident).</param>
/// <param name="ExposureHours">Duration of exposure in hours (0 = acute); protraction matters above ~0.5 h.</param>
/// <param name="Route">External, internal or both.</param>
/// <param name="Contaminated">Externally contaminated at arrival.</param>
/// <param name="Burns">Combined injury: thermal burns.</param>
/// <param name="Trauma">Combined injury: wounds, fractures, blunt trauma.</param>
/// <param name="HlaTyping">The patient's HLA typing as a GL String, when typed.</param>
/// <param name="CreatedAt">When the record was made.</param>
/// <param name="Version">Row version.</param>
public sealed record Patient(
    long Id,
    long IncidentId,
    string Code,
    int AgeYears,
    Sex Sex,
    double WeightKg,
    DateTimeOffset ExposureStart,
    double ExposureHours,
    ExposureRoute Route,
    bool Contaminated,
    bool Burns,
    bool Trauma,
    string? HlaTyping,
    DateTimeOffset CreatedAt,
    long Version)
{
    /// <summary>Radiation combined with burns or trauma (worse prognosis; REMM cytokine criteria).</summary>
    public bool CombinedInjury => Burns || Trauma;
}

/// <summary>What a person gives to register a patient.</summary>
public sealed record NewPatient(
    string Code,
    int AgeYears,
    Sex Sex,
    double WeightKg,
    DateTimeOffset ExposureStart,
    double ExposureHours = 0,
    ExposureRoute Route = ExposureRoute.External,
    bool Contaminated = false,
    bool Burns = false,
    bool Trauma = false,
    string? HlaTyping = null);
