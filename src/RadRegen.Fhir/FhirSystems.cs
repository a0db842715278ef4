namespace RadRegen.Fhir;

/// <summary>
/// The code and identifier systems our FHIR resources use (docs/fhir.md; reference/fhir/README.md
/// cites each external one). RadRegen has no registered domain or OID, so its own systems are URNs
/// under <see cref="Base"/>; external ones are quoted from their source.
/// </summary>
public static class FhirSystems
{
    /// <summary>Our own systems (ADR 0037): a URN namespace, documented in docs/fhir.md.</summary>
    public const string Base = "urn:radregen:fhir:";

    /// <summary>The care patient id (our database id) as a pseudonymous identifier: no name leaves the center.</summary>
    public const string PatientId = Base + "patient-id";

    /// <summary>A shipment between centers (its id, <c>A9999-20261120-ABCD1234</c>).</summary>
    public const string ShipmentId = Base + "shipment-id";

    /// <summary>Our observation codes that no external code system covers (dose estimates, cytogenetic counts, METREPOL signs).</summary>
    public const string ObservationCode = Base + "observation";

    /// <summary>How a dose was estimated (cytogenetics, lymphocyte kinetics, lowest lymphocyte count, time to vomiting).</summary>
    public const string DoseMethod = Base + "dose-method";

    /// <summary>Acute radiation syndrome as a condition code (no external ARS/biodosimetry content exists: reference/fhir §5.2).</summary>
    public const string ConditionCode = Base + "condition";

    /// <summary>METREPOL response categories RC0–RC4 and organ degrees N/H/C/G 0–4 (Fliedner et al. 2001).</summary>
    public const string Metrepol = Base + "metrepol";

    /// <summary>Our vial states (<c>quarantine … expired</c>) as a tag: R4's BiologicallyDerivedProduct.status has only available | unavailable.</summary>
    public const string VialStatus = Base + "vial-status";

    /// <summary>Our shipment states as a tag: R4's SupplyDelivery.status has four.</summary>
    public const string ShipmentState = Base + "shipment-state";

    /// <summary>The bank's product codes as they stand in the catalogue (ISBT 128 Product Description Codes, <c>E0398</c>).</summary>
    public const string ProductCode = Base + "product-code";

    /// <summary>LOINC (reference/fhir/README.md: loinc.org term pages; the R4 vital-signs profiles).</summary>
    public const string Loinc = "http://loinc.org";

    /// <summary>UCUM units.</summary>
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>HL7 observation categories (R4 valueset observation-category).</summary>
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    /// <summary>HL7 condition clinical status.</summary>
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";

    /// <summary>HL7 condition verification status.</summary>
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

    /// <summary>HL7 condition category.</summary>
    public const string ConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category";

    /// <summary>GL String values of genotype observations (Genomics Reporting example genotype-hla-a-glstring-r4: system and version 1.0).</summary>
    public const string GlString = "http://glstring.org";

    /// <summary>The GL String format version the Genomics Reporting example states.</summary>
    public const string GlStringVersion = "1.0";

    /// <summary>HGNC gene ids (Genomics Reporting: component gene-studied).</summary>
    public const string HgncGeneId = "http://www.genenames.org/geneId";

    /// <summary>ISBT 128 MPHO Unique Identifier (R5 BiologicallyDerivedProduct example; reference/fhir §5.2).</summary>
    public const string IsbtMphoUniqueIdentifier = "https://www.isbt128.org/uri/MPHOUniqueIdentifier";

    /// <summary>ISBT 128 Donation Identification Number (same source).</summary>
    public const string IsbtDonationIdentificationNumber = "https://www.isbt128.org/uri/DonationIdentificationNumber";
}

/// <summary>LOINC codes we read and write, each with its long common name; sources in reference/fhir/README.md.</summary>
public static class LoincCodes
{
    /// <summary>CBC panel - Blood by Automated count.</summary>
    public const string CbcPanel = "58410-2";

    /// <summary>Lymphocytes [#/volume] in Blood by Automated count.</summary>
    public const string Lymphocytes = "731-0";

    /// <summary>Neutrophils [#/volume] in Blood by Automated count (our granulocytes: the count METREPOL grades).</summary>
    public const string Neutrophils = "751-8";

    /// <summary>Platelets [#/volume] in Blood by Automated count.</summary>
    public const string Platelets = "777-3";

    /// <summary>Leukocytes [#/volume] in Blood by Automated count.</summary>
    public const string Leukocytes = "6690-2";

    /// <summary>Hemoglobin [Mass/volume] in Blood.</summary>
    public const string Haemoglobin = "718-7";

    /// <summary>Vital signs, weight, height, head circumference, oxygen saturation and BMI panel (R4 vitalsigns profile).</summary>
    public const string VitalSignsPanel = "85353-1";

    /// <summary>Body temperature (R4 bodytemp profile).</summary>
    public const string BodyTemperature = "8310-5";

    /// <summary>Heart rate (R4 heartrate profile).</summary>
    public const string HeartRate = "8867-4";

    /// <summary>Systolic blood pressure (R4 bp profile).</summary>
    public const string Systolic = "8480-6";

    /// <summary>Diastolic blood pressure (R4 bp profile).</summary>
    public const string Diastolic = "8462-4";

    /// <summary>Respiratory rate (R4 resprate profile).</summary>
    public const string RespiratoryRate = "9279-1";

    /// <summary>Oxygen saturation in Arterial blood (R4 oxygensat profile).</summary>
    public const string OxygenSaturation = "2708-6";

    /// <summary>Genotype display name (Genomics Reporting genotype profile).</summary>
    public const string GenotypeDisplayName = "84413-4";

    /// <summary>Gene studied [ID] (Genomics Reporting component gene-studied).</summary>
    public const string GeneStudied = "48018-6";
}
