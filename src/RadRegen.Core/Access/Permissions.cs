using System.Collections.Frozen;

namespace RadRegen.Core.Access;

/// <summary>
/// The named things a person can do. Which roles may do each is written once, in
/// <see cref="Permissions"/>; services demand an operation (<see cref="Actor.Demand"/>) and pages and
/// menus ask the same table (<see cref="Permissions.Allows(Actor, Operation)"/>), so a rule cannot differ between them.
/// </summary>
public enum Operation
{
    // ---- accounts and the journal
    AccountsManage,
    AccountsRead,
    AuditRead,

    // ---- cell bank
    BankRead,
    BankCatalogueConfigure,
    BankCatalogueSeed,
    BankDonorRegister,
    BankDonorWithdrawConsent,
    BankLineCreate,
    BankCellBankCreate,
    BankLotCreate,
    BankQcRecord,
    BankDeviationClose,
    BankLotRelease,
    BankLotReject,
    BankStorageSetUp,
    BankTemperatureRecord,
    BankExcursionResolve,
    BankVialMove,
    BankVialReserve,
    BankVialCancelReservation,
    BankVialShip,
    BankVialReceive,
    BankVialThaw,
    BankVialAdminister,
    BankVialDiscard,
    BankVialExpire,
    BankInventoryImport,

    // ---- emergency care
    CareRead,
    CareDrillRead,
    CareIncidentOpen,
    CareIncidentAssess,
    CarePatientRegister,
    CarePatientHla,
    CareObservationRecord,
    CareCytogeneticsRecord,
    CareTherapyRequest,
    CareTherapyReserve,
    CareTherapyCancel,
    CareTherapyDispatch,
    CareTherapyReceive,
    CareTherapyAdminister,
    CareTherapyFollowUp,
    CareVictimsImport,
    CareAllocationRun,
    CarePriorityPolicyChange,

    // ---- biodosimetry laboratory
    LabCurveFit,
    LabCurveEnter,
    LabCurveActivate,

    // ---- network: shipments
    NetworkShipmentRead,
    NetworkShipmentConfigure,
    NetworkShipperManage,
    NetworkShipmentRequest,
    NetworkShipmentPack,
    NetworkShipmentHandOff,
    NetworkShipmentReceive,
    NetworkShipmentQuarantineDecide,

    // ---- network: capacity
    NetworkCapacityRead,
    NetworkCapacityReport,
    NetworkCapacityRequest,
    NetworkTransferRead,
    NetworkTransferRequest,
    NetworkTransferDecide,
    NetworkTransferTrack,

    // ---- network: inventory
    NetworkInventoryRead,
    // ---- network: engine
    NetworkRead,

    // ---- network: hub
    HubRead,
    HubRegistryManage,
    HubRequest,
    HubOffer,
    HubIrixImport,
    // ---- network: netship
    NetworkShipmentDecline,
    NetworkShipmentCancel,
    NetworkShipmentAccept,
    NetworkShipmentReturn,
    NetworkShipmentReturnDecide,
    // ---- network: netalloc
    CareAllocationShipmentsRequest,
    // ---- hla
    HlaWorkbenchUse,
    HlaFrequencySetRegister,
    // ---- courses
    TrainingCatalogueRead,
    TrainingOwnRead,
    TrainingRecordsRead,
    TrainingCourseManage,
    TrainingEnrolmentManage,
    TrainingAssess,
    TrainingCertificateRevoke,
    TrainingRosterRead,
    TrainingRosterManage,
    TrainingRequirementsChange,
    TrainingCapacityDrillRead,
    TrainingCapacityDrillStart,
    TrainingCapacityDrillAnswer,
    // ---- planning
    PlanningRead,
    PlanningScenarioEdit,
    // ---- exercises
    TrainingExerciseRead,
    TrainingExerciseManage,
    TrainingExerciseAnswerKey,
    TrainingExercisePlay,
    // ---- fixes
    CareAssessmentSign,
}

/// <summary>Whether an operation only reads or also changes records (an auditor only reads).</summary>
public enum OperationKind
{
    Read,
    Change,
}

/// <summary>One row of the permission table.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="Name">Its stable dotted name (<c>bank.lot.release</c>), as the documentation and the logs write it.</param>
/// <param name="Action">What the actor is doing, in words, for the refusal ("releasing a lot needs the role qa-officer").</param>
/// <param name="Kind">Read or change.</param>
/// <param name="Roles">The roles allowed, in the order the refusal names them.</param>
public sealed record Permission(Operation Operation, string Name, string Action, OperationKind Kind, IReadOnlyList<Role> Roles)
{
    public bool Allows(Role role) => Roles.Contains(role);
}

/// <summary>
/// The one permission table: operation → roles (architecture: Security; docs/security.md prints it).
/// To change who may do something, change its row here; every service check, page, menu and the
/// documentation follow.
/// </summary>
public static class Permissions
{
    private const OperationKind R = OperationKind.Read;
    private const OperationKind C = OperationKind.Change;

    private const Role Admin = Role.Admin;
    private const Role Tech = Role.CpcTechnician;
    private const Role Qa = Role.QaOfficer;
    private const Role Doctor = Role.Physician;
    private const Role Coordinator = Role.Coordinator;
    private const Role Trainer = Role.Trainer;
    private const Role Auditor = Role.Auditor;

    /// <summary>Every row, in the enumeration's order.</summary>
    public static IReadOnlyList<Permission> All { get; } =
    [
        new(Operation.AccountsManage, "accounts.manage", "managing accounts and API tokens", C, [Admin]),
        new(Operation.AccountsRead, "accounts.read", "listing accounts and API tokens", R, [Admin, Auditor]),
        new(Operation.AuditRead, "audit.read", "reading the journal", R, [Auditor, Qa, Admin]),

        // Segregation of duties (issue 12 item 9, ADR 0026). The administrator manages accounts, tokens
        // and the shipped configuration and reads the journal, but makes no GMP record and reads no
        // patient: EU GMP Annex 11 §12.1 and 21 CFR 11.10(d),(g) limit record access to authorised
        // individuals for their function, so whoever administers the system is not also the one who
        // enters the records it protects; patients are read on a need-to-know basis (HIPAA minimum
        // necessary, 45 CFR 164.502(b) and 164.514(d)). The trainer reads drill incidents only.

        // The bank's stock, products and records carry no patient identity (donors are pseudonymous
        // codes): everyone working in the center reads them, except the trainer, whose drills run on
        // a simulated bank (DrillSimulator) and need none of the real one.
        new(Operation.BankRead, "bank.read", "reading the bank", R, [Admin, Tech, Qa, Doctor, Coordinator, Auditor]),
        // Product definitions (QC specifications, shelf life, intended use) decide what may be
        // released: GMP master data that quality approves (21 CFR 211.22(c); EU GMP Part I Chapter 2,
        // the head of Quality Control approves specifications), not system configuration. Seeding
        // installs the definitions shipped with the validated release.
        new(Operation.BankCatalogueConfigure, "bank.catalogue.configure", "configuring the product catalogue", C, [Qa]),
        new(Operation.BankCatalogueSeed, "bank.catalogue.seed", "seeding the product catalogue", C, [Admin]),
        new(Operation.BankDonorRegister, "bank.donor.register", "registering a donor", C, [Tech]),
        new(Operation.BankDonorWithdrawConsent, "bank.donor.withdraw-consent", "recording a consent withdrawal", C, [Tech, Qa]),
        new(Operation.BankLineCreate, "bank.line.create", "registering an iPSC line", C, [Tech]),
        new(Operation.BankCellBankCreate, "bank.cell-bank.create", "laying down a cell bank", C, [Tech]),
        new(Operation.BankLotCreate, "bank.lot.create", "making a lot", C, [Tech]),
        new(Operation.BankQcRecord, "bank.qc.record", "recording QC results", C, [Tech, Qa]),
        // Release is QA's alone (EU GMP Annex 16: certification by an independent person).
        new(Operation.BankDeviationClose, "bank.deviation.close", "closing a deviation", C, [Qa]),
        new(Operation.BankLotRelease, "bank.lot.release", "releasing a lot", C, [Qa]),
        new(Operation.BankLotReject, "bank.lot.reject", "rejecting a lot", C, [Qa]),
        new(Operation.BankStorageSetUp, "bank.storage.set-up", "setting up storage", C, [Tech]),
        new(Operation.BankTemperatureRecord, "bank.storage.temperature", "recording temperatures", C, [Tech]),
        new(Operation.BankExcursionResolve, "bank.storage.excursion.resolve", "resolving a temperature excursion", C, [Qa]),
        new(Operation.BankVialMove, "bank.vial.move", "moving a vial", C, [Tech]),
        new(Operation.BankVialReserve, "bank.vial.reserve", "reserving a vial", C, [Doctor, Coordinator, Tech]),
        new(Operation.BankVialCancelReservation, "bank.vial.cancel-reservation", "cancelling a reservation", C, [Doctor, Coordinator, Tech]),
        new(Operation.BankVialShip, "bank.vial.ship", "shipping a vial", C, [Tech, Coordinator]),
        new(Operation.BankVialReceive, "bank.vial.receive", "receiving a vial", C, [Tech, Doctor, Coordinator]),
        new(Operation.BankVialThaw, "bank.vial.thaw", "thawing a vial", C, [Tech, Doctor]),
        new(Operation.BankVialAdminister, "bank.vial.administer", "recording an administration", C, [Doctor]),
        new(Operation.BankVialDiscard, "bank.vial.discard", "discarding a vial", C, [Tech, Qa]),
        new(Operation.BankVialExpire, "bank.vial.expire", "expiring vials", C, [Tech, Qa]),
        new(Operation.BankInventoryImport, "bank.inventory.import", "importing an inventory", C, [Tech]),

        // Care records are health data: read by those who treat, coordinate, run the laboratory or
        // audit; not by QA, whose work is the bank's product, nor by the administrator.
        new(Operation.CareRead, "care.read", "reading care records", R, [Doctor, Coordinator, Auditor, Tech]),
        // Drill incidents (simulated victims, flagged when opened) and their patients: everyone who
        // reads care records, and the trainer, who reads nothing else of care (ADR 0026).
        new(Operation.CareDrillRead, "care.drill.read", "reading drill incidents", R, [Doctor, Coordinator, Auditor, Tech, Trainer]),
        new(Operation.CareIncidentOpen, "care.incident.open", "opening an incident", C, [Doctor, Coordinator]),
        new(Operation.CareIncidentAssess, "care.incident.assess", "assessing an incident", C, [Doctor, Coordinator]),
        new(Operation.CarePatientRegister, "care.patient.register", "registering a patient", C, [Doctor, Coordinator]),
        new(Operation.CarePatientHla, "care.patient.hla", "recording an HLA typing", C, [Doctor]),
        new(Operation.CareObservationRecord, "care.observation.record", "recording an observation", C, [Doctor]),
        // The biodosimetry laboratory works as CPC technicians.
        new(Operation.CareCytogeneticsRecord, "care.cytogenetics.record", "recording a cytogenetic result", C, [Doctor, Tech]),
        new(Operation.CareTherapyRequest, "care.therapy.request", "requesting a cell product", C, [Doctor, Coordinator]),
        // Who may request a product and hold vials for a patient (the bank lets these reserve).
        new(Operation.CareTherapyReserve, "care.therapy.reserve", "reserving vials for a patient", C, [Doctor, Coordinator]),
        new(Operation.CareTherapyCancel, "care.therapy.cancel", "cancelling a therapy request", C, [Doctor, Coordinator]),
        new(Operation.CareTherapyDispatch, "care.therapy.dispatch", "dispatching a therapy product", C, [Tech, Coordinator]),
        new(Operation.CareTherapyReceive, "care.therapy.receive", "receiving a therapy product", C, [Doctor, Tech, Coordinator]),
        new(Operation.CareTherapyAdminister, "care.therapy.administer", "recording an administration", C, [Doctor]),
        new(Operation.CareTherapyFollowUp, "care.therapy.follow-up", "recording a follow-up", C, [Doctor]),
        new(Operation.CareVictimsImport, "care.mass-casualty.import", "importing victims", C, [Coordinator, Doctor]),
        new(Operation.CareAllocationRun, "care.mass-casualty.allocate", "running an allocation", C, [Coordinator, Doctor]),
        // A clinical and ethical decision (crisis standards, ADR 0015): the physician lead or a
        // coordinator, with a reason and an e-signature; not the administrator.
        new(Operation.CarePriorityPolicyChange, "care.priority-policy.change", "changing the priority policy", C, [Doctor, Coordinator]),

        new(Operation.LabCurveFit, "lab.curve.fit", "fitting a calibration curve", C, [Doctor, Tech]),
        new(Operation.LabCurveEnter, "lab.curve.enter", "entering a calibration curve", C, [Doctor, Tech]),
        // Putting a dose curve into use is a quality decision, signed by QA (issue 12, item 9; ADR 0018).
        new(Operation.LabCurveActivate, "lab.curve.activate", "activating a calibration curve, signed by QA", C, [Qa]),

        // ---- network: shipments (issue 13 item 3, ADR 0024). Who reads the bank reads shipments (not
        // admin or trainer: GMP records). A request is a clinical need (physician, coordinator); pick and
        // pack and the shipper's records are the CPC's bench work; the hand-off to the courier is the
        // CPC's or the coordinator's, as for a therapy dispatch; the receipt is the CPC's (it scans the
        // vials and reads the logger); the requalification and logging intervals and the fate of a
        // quarantined receipt are quality decisions, QA's alone (as lot release, EU GMP Annex 16).
        new(Operation.NetworkShipmentRead, "network.shipment.read", "reading shipments between centers", R, [Tech, Qa, Doctor, Coordinator, Auditor]),
        new(Operation.NetworkShipmentConfigure, "network.shipment.configure", "setting the shipment requalification and logging intervals", C, [Qa]),
        new(Operation.NetworkShipperManage, "network.shipper.manage", "registering, qualifying and charging dry shippers", C, [Tech]),
        new(Operation.NetworkShipmentRequest, "network.shipment.request", "requesting a shipment from another center", C, [Doctor, Coordinator]),
        new(Operation.NetworkShipmentPack, "network.shipment.pack", "picking and packing a shipment", C, [Tech]),
        new(Operation.NetworkShipmentHandOff, "network.shipment.hand-off", "handing a shipment to a courier", C, [Tech, Coordinator]),
        new(Operation.NetworkShipmentReceive, "network.shipment.receive", "receiving a shipment", C, [Tech]),
        new(Operation.NetworkShipmentQuarantineDecide, "network.shipment.quarantine-decide", "releasing or rejecting a quarantined shipment", C, [Qa]),

        // ---- network: capacity (issue 13 items 4 and 5, ADR 0025). RITN's activation team that
        // reports beds and takes transfers is the BMT director and the RITN coordinator (Cooper's
        // RITN_Activation page, reference notes §1.2): physicians and coordinators. Not the
        // administrator (accounts, not patients) nor the trainer (drill data only).
        new(Operation.NetworkCapacityRead, "network.capacity.read", "reading the network's capacity", R, [Coordinator, Doctor, Auditor]),
        new(Operation.NetworkCapacityReport, "network.capacity.report", "reporting the center's bed capacity", C, [Coordinator, Doctor]),
        // A capacity request binds every center of the network: the control cell's coordinator enters it.
        new(Operation.NetworkCapacityRequest, "network.capacity.request", "entering a capacity request", C, [Coordinator]),
        new(Operation.NetworkTransferRead, "network.transfer.read", "reading patient transfers", R, [Doctor, Coordinator, Auditor]),
        // Sending a patient away is a clinical decision (physician) or an activation order (coordinator).
        new(Operation.NetworkTransferRequest, "network.transfer.request", "requesting a patient transfer", C, [Doctor, Coordinator]),
        // Accepting a patient takes a bed and clinical responsibility: the receiving physician or coordinator.
        new(Operation.NetworkTransferDecide, "network.transfer.decide", "accepting or declining a patient transfer", C, [Doctor, Coordinator]),
        new(Operation.NetworkTransferTrack, "network.transfer.track", "recording a transfer's transport, admission or release", C, [Doctor, Coordinator]),
        // ---- network: inventory
        // The network's stock (other centers' released vials and HLA typings, no donor identity; ADR 0023)
        // is read by those who match, allocate, ship and release products, and by the auditor; not
        // by the administrator (accounts and configuration) nor the trainer (drill data only).
        new(Operation.NetworkInventoryRead, "network.inventory.read", "reading the network's shared inventory", R, [Doctor, Coordinator, Tech, Qa, Auditor]),
        // ---- network: engine
        // The network overview (centers, link state, lag, pending outbox, parked events) is
        // operational knowledge every clinical and bank role needs in a mass-casualty event, and the
        // auditor reads it. The administrator too: it runs the server and its link to the network
        // (infrastructure, no GMP record or patient is shown), and `radregen network status` runs as
        // the local operator, who acts as admin. Not the trainer (drill data only, issue 12 item 9).
        new(Operation.NetworkRead, "network.read", "reading the network of centers", R, [Tech, Qa, Doctor, Coordinator, Admin, Auditor]),
        // ---- network: hub (issue 14, ADR 0032). RANET's National Assistance Capabilities each have a
        // NAC coordinator who registers capabilities and handles requests and offers (reference/network/hub.md
        // §3): the coordinator role does every changing step and signs it. Physicians read (an offer of
        // specialised treatment is theirs to advise on) and the auditor reads; not the administrator
        // (accounts, not assistance between States) nor the trainer (drill data only).
        new(Operation.HubRead, "hub.read", "reading the hub's registry, requests and offers", R, [Coordinator, Doctor, Auditor]),
        new(Operation.HubRegistryManage, "hub.registry.manage", "declaring hub members and their capabilities", C, [Coordinator]),
        new(Operation.HubRequest, "hub.request", "requesting assistance and accepting, closing or releasing offers", C, [Coordinator]),
        new(Operation.HubOffer, "hub.offer", "offering, committing, delivering or withdrawing assistance", C, [Coordinator]),
        new(Operation.HubIrixImport, "hub.irix.import", "importing an IRIX request report", C, [Coordinator]),
        // ---- network: netship
        // ADR 0031. Declining a request is the owning center's decision about its stock: the
        // coordinator (who weighs the center's own needs) or QA (who may refuse what it will not
        // certify). Cancelling is the requester's, as the request is (physician, coordinator).
        // Accepting a received lot into the bank is a GMP receipt inspection, QA's alone as a lot
        // release is; so is restocking or discarding a returned shipment. Sending a shipment back is
        // a hand-off to a courier (technician or coordinator, as the dispatch). Not admin or trainer.
        new(Operation.NetworkShipmentDecline, "network.shipment.decline", "declining another center's shipment request", C, [Coordinator, Qa]),
        new(Operation.NetworkShipmentCancel, "network.shipment.cancel", "cancelling this center's shipment request", C, [Doctor, Coordinator]),
        new(Operation.NetworkShipmentAccept, "network.shipment.accept", "accepting received vials into this center's bank", C, [Qa]),
        new(Operation.NetworkShipmentReturn, "network.shipment.return", "sending a shipment back to the center that sent it", C, [Tech, Coordinator]),
        new(Operation.NetworkShipmentReturnDecide, "network.shipment.return-decide", "restocking or discarding a returned shipment", C, [Qa]),
        // ---- network: netalloc
        // Turning the remote part of a mass-casualty allocation into shipment requests to the owning
        // centers (ADR 0030) is the coordinator's: it commits the incident's logistics across the
        // network. The requests themselves also need network.shipment.request, which the
        // coordinator holds. Not the administrator nor the trainer.
        new(Operation.CareAllocationShipmentsRequest, "care.mass-casualty.request-shipments", "requesting the shipments an allocation proposes from other centers", C, [Coordinator]),
        // ---- hla
        // The HLA workbench (issue 17 item 3) reads typings, the bank's pseudonymous lines and donors
        // and frequency sets: everyone working with the bank or with patients, not the administrator
        // (no GMP or patient record, ADR 0026) nor the trainer (drill data only). Matching a care
        // patient's typing also needs the care read the patient's incident asks for.
        new(Operation.HlaWorkbenchUse, "hla.workbench", "using the HLA workbench", R, [Tech, Qa, Doctor, Coordinator, Auditor]),
        // A registered frequency set drives the recruitment plan, a decision on which donors the bank
        // screens: registering one is QA's (data used for a GMP decision) or the coordinator's.
        new(Operation.HlaFrequencySetRegister, "hla.frequency-set.register", "registering a haplotype-frequency set", C, [Qa, Coordinator]),
        // ---- courses (issue 15 items 1, 6 and 7; ADR 0034). The education program is the trainer's
        // work: courses, sessions, enrolments, attendance, assessments and certificates are training
        // records, not patients or GMP records, so the trainer (who reads no patient) keeps them and
        // the administrator (accounts, not records: ADR 0026) does not. Everyone reads the catalogue and
        // their own enrolments and certificates; who is current in what is read by those who staff a
        // response (coordinator, physician lead) and checked by QA and the auditor. Rosters of real
        // incidents are the coordinator's (who staffs the response); roster requirements (which
        // certificates a roster role needs) are the coordinator's setting. A capacity drill across the
        // network is started by the trainer or coordinator and answered by the people who answer real
        // capacity requests (coordinator, physician), never the administrator.
        new(Operation.TrainingCatalogueRead, "training.catalogue.read", "reading the course catalogue and sessions", R, [Trainer, Coordinator, Doctor, Tech, Qa, Auditor]),
        new(Operation.TrainingOwnRead, "training.own.read", "reading one's own enrolments and certificates", R, [Trainer, Coordinator, Doctor, Tech, Qa, Auditor]),
        new(Operation.TrainingRecordsRead, "training.records.read", "reading every member of staff's enrolments and certificates (who is current in what)", R, [Trainer, Coordinator, Doctor, Qa, Auditor]),
        new(Operation.TrainingCourseManage, "training.course.manage", "entering courses and sessions", C, [Trainer]),
        new(Operation.TrainingEnrolmentManage, "training.enrolment.manage", "enrolling staff and recording attendance", C, [Trainer]),
        new(Operation.TrainingAssess, "training.assess", "recording an assessment (and issuing the certificate on a pass)", C, [Trainer]),
        new(Operation.TrainingCertificateRevoke, "training.certificate.revoke", "revoking a certificate", C, [Trainer]),
        new(Operation.TrainingRosterRead, "training.roster.read", "reading rosters and their certificate warnings", R, [Coordinator, Doctor, Trainer, Qa, Auditor]),
        new(Operation.TrainingRosterManage, "training.roster.manage", "assigning staff to an incident's or exercise's roster", C, [Coordinator, Trainer]),
        new(Operation.TrainingRequirementsChange, "training.requirements.change", "changing which certificates a roster role requires", C, [Coordinator]),
        new(Operation.TrainingCapacityDrillRead, "training.capacity-drill.read", "reading network capacity drills", R, [Trainer, Coordinator, Doctor, Qa, Auditor]),
        new(Operation.TrainingCapacityDrillStart, "training.capacity-drill.start", "starting a capacity drill across the network", C, [Trainer, Coordinator]),
        new(Operation.TrainingCapacityDrillAnswer, "training.capacity-drill.answer", "answering a capacity drill (reporting drill capacity, accepting a drill quota)", C, [Coordinator, Doctor]),
        // ---- planning
        // Readiness planning (issue 16, ADR 0036): who plans reads it (the coordinator and the
        // physician lead; the auditor reads everything). Entering or deriving a scenario is the
        // planner's, and the center's planner is its coordinator (there is no planner role). Not the
        // administrator (configuration, not the center's readiness) nor the trainer (drill data only).
        new(Operation.PlanningRead, "planning.read", "reading scenarios, demand, stock, plans and readiness", R, [Doctor, Coordinator, Auditor]),
        new(Operation.PlanningScenarioEdit, "planning.scenario.edit", "entering or deriving a planning scenario", C, [Coordinator]),
        // ---- exercises (issue 15 items 2-5 and 7, ADR 0035). HSEEP exercises on simulated incidents:
        // the trainer builds them and reads the answers and every score (the exercise's drill
        // incident holds simulated victims only, so this is drill data, as care.drill.read is); the
        // staff who play read the exercises they are assigned to and their own score (the service
        // checks the assignment); the auditor reads all, read-only.
        new(Operation.TrainingExerciseRead, "training.exercise.read", "reading exercises", R, [Trainer, Doctor, Coordinator, Tech, Auditor]),
        new(Operation.TrainingExerciseManage, "training.exercise.manage", "building and running exercises", C, [Trainer]),
        new(Operation.TrainingExerciseAnswerKey, "training.exercise.answer-key", "reading an exercise's answer key and every trainee's score", R, [Trainer, Auditor]),
        new(Operation.TrainingExercisePlay, "training.exercise.play", "playing an exercise as a trainee", C, [Doctor, Coordinator, Tech]),
        // ---- fixes (issue 17 item 2). A physician reviews a patient's dose assessment and signs the
        // version reviewed, with its advice (21 CFR 11.50/11.70); the dose report names who signed.
        new(Operation.CareAssessmentSign, "care.assessment.sign", "signing a patient's dose assessment as reviewed", C, [Doctor]),
    ];

    private static readonly FrozenDictionary<Operation, Permission> ByOperation = All.ToFrozenDictionary(p => p.Operation);

    /// <summary>The row of <paramref name="operation"/>.</summary>
    public static Permission Of(Operation operation) =>
        ByOperation.TryGetValue(operation, out var p) ? p : throw new ArgumentOutOfRangeException(nameof(operation), operation, "not in the permission table");

    /// <summary>The dotted name (<c>bank.lot.release</c>).</summary>
    public static string Name(this Operation operation) => Of(operation).Name;

    /// <summary>Whether any of the actor's roles may do <paramref name="operation"/>.</summary>
    public static bool Allows(Actor actor, Operation operation)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Allows(actor.Roles, operation);
    }

    /// <summary>Whether any of <paramref name="roles"/> may do <paramref name="operation"/>.</summary>
    public static bool Allows(IEnumerable<Role> roles, Operation operation)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var permission = Of(operation);
        return roles.Any(permission.Allows);
    }

    /// <summary>Throws <see cref="ForbiddenException"/> unless the actor may do <paramref name="operation"/>.</summary>
    public static void Require(Actor actor, Operation operation)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var permission = Of(operation);
        actor.Require(permission.Action, [.. permission.Roles]);
    }

    /// <summary>Throws <see cref="ForbiddenException"/> unless the actor may do at least one of <paramref name="operations"/>.</summary>
    public static void RequireAny(Actor actor, params Operation[] operations)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(operations);
        var rows = operations.Select(Of).ToList();
        actor.Require(string.Join(" or ", rows.Select(p => p.Action)), [.. rows.SelectMany(p => p.Roles).Distinct()]);
    }

    /// <summary>The operations a role may do (for the documentation and the tests).</summary>
    public static IEnumerable<Permission> For(Role role) => All.Where(p => p.Allows(role));
}
