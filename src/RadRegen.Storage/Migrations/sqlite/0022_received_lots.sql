-- Ownership of vials moves between centers (issue 13 item 3, ADR 0031). At the receiving center a
-- lot received from another center and accepted into the bank by QA (receipt inspection, e-signed)
-- is a lot of bank_lots under the source DIN; this row points to the source center, the shipment
-- and the source lot, and keeps the lineage it came with (product, DIN, source facility, line and
-- cell-bank codes, HLA typing, expiry, intended use, the sender's signed eligibility determination:
-- codes and results, never the donor) and the chain of custody (signed hand-offs), as JSON
-- documents. One row per lot and shipment; divisions names the vials that shipment brought.
-- At the sending center a vial shipped to another center is recorded as transferred out: it is that
-- center's from then on, until a return shipment accepted by QA brings it back (returned_at).

CREATE TABLE bank_received_lots (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    lot_id        INTEGER NOT NULL REFERENCES bank_lots (id),
    shipment_id   TEXT    NOT NULL,
    from_center   TEXT    NOT NULL,
    lineage       TEXT    NOT NULL,
    divisions     TEXT    NOT NULL,
    custody       TEXT    NOT NULL,
    accepted_at   TEXT    NOT NULL,
    accepted_by   TEXT    NOT NULL,
    signature_id  INTEGER NOT NULL REFERENCES signatures (id),
    UNIQUE (lot_id, shipment_id)
);

CREATE INDEX ix_bank_received_lots_shipment ON bank_received_lots (shipment_id);

CREATE TABLE bank_vial_transfers_out (
    vial_id             INTEGER PRIMARY KEY REFERENCES bank_vials (id),
    shipment_id         TEXT    NOT NULL,
    to_center           TEXT    NOT NULL,
    shipped_at          TEXT    NOT NULL,
    returned_at         TEXT,
    return_shipment_id  TEXT
);
