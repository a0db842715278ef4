using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Care;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Network.Shipments;

namespace RadRegen.Fhir.Tests;

/// <summary>Records of every kind the FHIR mapping reads, made by hand (no database): a patient with each observation kind and an assessment, a vial, shipments.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Exposure = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Now = Exposure.AddDays(6);

    public const string Typing = "HLA-A*01:01+HLA-A*02:01^HLA-B*07:02+HLA-B*08:01^HLA-DRB1*03:01+HLA-DRB1*15:01^HLA-DPB1*04:01+HLA-DPB1*04:01";

    public static Patient Patient(long id = 12, string? hla = Typing) =>
        new(id, 1, "P-0001", 40, Sex.Female, 60, Exposure, 0.5, ExposureRoute.External, false, false, false, hla, Exposure, 1);

    public static CurveSpec Curve { get; } = new("IAEA-like test curve", "dicentric", "lq", 0.0005, 0.02, 0.06,
        [[1e-8, 0, 0], [0, 1e-5, 0], [0, 0, 1e-5]]);

    public static IReadOnlyList<Observation> Observations(long patientId = 12)
    {
        Observation O(long id, ObservationKind kind, double hours, ObservationData data) => new(id, patientId, kind, Exposure.AddHours(hours), data, "doctor1", Exposure.AddHours(hours + 0.2));
        return
        [
            O(1, ObservationKind.Symptoms, 2, new ObservationData { Signs = new Dictionary<string, double> { ["nausea"] = 2, ["vomitingPerDay"] = 3 }, VomitingOnsetAt = Exposure.AddHours(1) }),
            O(2, ObservationKind.Vitals, 2, new ObservationData { TemperatureC = 37.9, HeartRatePerMin = 104, SystolicMmHg = 118, DiastolicMmHg = 76, RespiratoryRatePerMin = 20, OxygenSaturationPercent = 97 }),
            O(3, ObservationKind.BloodCount, 4, new ObservationData { Lymphocytes = 1.1, Granulocytes = 6.2, Platelets = 210, Leukocytes = 7.8, HaemoglobinGPerL = 138 }),
            O(4, ObservationKind.BloodCount, 8, new ObservationData { Lymphocytes = 0.8, Granulocytes = 6.9 }),
            O(5, ObservationKind.BloodCount, 30, new ObservationData { Lymphocytes = 0.4, Granulocytes = 4.1, Platelets = 160, Note = "hospital lab" }),
            O(6, ObservationKind.Skin, 30, new ObservationData { Signs = new Dictionary<string, double> { ["erythema"] = 1 }, BsaPercent = 5, Site = "left forearm" }),
            O(7, ObservationKind.Cytogenetics, 48, new ObservationData { Cells = 500, Aberrations = 120, Method = "merkle83", Curve = Curve }),
            O(8, ObservationKind.BloodCount, 130, new ObservationData { Lymphocytes = 0.3, Granulocytes = 0.4, Platelets = 40 }),
        ];
    }

    public static PatientRecord Record(long patientId = 12)
    {
        var patient = Patient(patientId);
        var observations = Observations(patientId);
        return new PatientRecord(patient, observations, PatientAssessor.Assess(patient, observations, 1, Now));
    }

    public static VialDetail Vial(VialStatus status = VialStatus.Released)
    {
        var donor = new Donor(3, "D-0003", new ConsentScopes(true, false, true), Exposure.AddYears(-2), null, null, [], true, null, null, null, Exposure.AddYears(-2), "tech1");
        var line = new CellLine(4, "L-0004", 3, "episomal", "clone 7", 20, null, Exposure.AddYears(-2), "tech1");
        var mcb = new CellBank(5, "MCB-0005", CellBankKind.Mcb, 4, null, 22, 50, Exposure.AddYears(-1), "tech1");
        var wcb = new CellBank(6, "WCB-0006", CellBankKind.Wcb, 4, 5, 25, 200, Exposure.AddYears(-1), "tech1");
        var lot = new Lot(8, "LOT-0008", "A999921123456", "E0398", 6, 4, LotStatus.Released, Exposure.AddMonths(-3), Exposure.AddMonths(9), null,
            Exposure.AddMonths(-2), "qa1", 11, Exposure.AddMonths(-3), "tech1");
        var vial = new Vial(7, 8, 4, "A999921123456", "E0398", "A00000", status, 20, 2, 3, Exposure.AddMonths(9), null, null);
        var box = new StorageLocation(20, 19, LocationKind.Box, "Box 1", "Site A/Tank 1/Rack 2/Box 1", 9, 9, -150, null);
        return new VialDetail(new Lineage(vial, lot, wcb, mcb, line, donor), [], box);
    }

    public static Shipment Shipment(ShipmentState senderState = ShipmentState.Dispatched, bool received = false)
    {
        var items = new List<ShippedVial> { new("A999921123456", "E0398", "A00000", "LOT-0008", "L-0004", Exposure.AddMonths(9)), new("A999921123456", "E0398", "A00001", "LOT-0008", "L-0004", Exposure.AddMonths(9)) };
        var sender = SenderSide.Initial with { State = senderState, Items = items, DispatchedAt = Exposure.AddDays(1), Courier = "Cryo Express" };
        var receiver = received ? ReceiverSide.Initial with { State = ShipmentState.Received, ReceivedAt = Exposure.AddDays(1).AddHours(20), ReceivedBy = "tech9" } : ReceiverSide.Initial;
        return new Shipment("A9999-20261121-ABCD1234", "A9999", "B8888", new ShipmentRequest("ARS patients", [new RequestLine("E0398", 2, [])], Exposure, "coord1"),
            sender, receiver, Exposure.AddDays(1));
    }
}
