-- Privacy of the network of centers (issue 13, ADR 0029).
--
-- network_centers.agreement_key / signing_key: the public keys a center tells in its center.profile
-- (base64 SubjectPublicKeyInfo, P-256): records addressed to it are sealed to agreement_key, and what
-- it seals is verified against signing_key. NULL for a center that has told none (an older RadRegen,
-- or one named only in Network:KnownCenters): nothing can be sealed to it or accepted sealed from it.
-- network_joins: the networks this center's whole state (profile, released stock, latest capacity)
-- was published to once when it first started with that network, so an older database that joins
-- tells the others what it already had.
-- network_link.last_error: why the link failed last (e.g. the NATS server refused the credentials),
-- cleared on the next contact; never a secret.

ALTER TABLE network_centers ADD COLUMN agreement_key TEXT;
ALTER TABLE network_centers ADD COLUMN signing_key TEXT;
ALTER TABLE network_link ADD COLUMN last_error TEXT;

CREATE TABLE network_joins (
    network       TEXT    PRIMARY KEY,
    center        TEXT    NOT NULL,
    published_at  TEXT    NOT NULL,
    lots          INTEGER NOT NULL,
    capacity      INTEGER NOT NULL
);
