-- Haplotype-frequency sets the center registers for the HLA workbench (issue 17 item 3): the file
-- as supplied (NMDP Haplo,Count,Freq or haplotype,frequency), read and checked by RadRegen.Hla when
-- registered, so coverage and recruitment plans are recomputed from the same input. The NMDP 2007
-- sets shipped with RadRegen are built in and not stored here. Rows are never updated.

CREATE TABLE hla_frequency_sets (
    set_key        TEXT    NOT NULL PRIMARY KEY,
    key_folded     TEXT    NOT NULL UNIQUE,   -- upper-case key: keys are unique regardless of case
    name           TEXT    NOT NULL,
    population     TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    content        TEXT    NOT NULL,
    partial_table  INTEGER NOT NULL,             -- 1: a published top-N table (frequencies as printed)
    haplotypes     INTEGER NOT NULL,
    loci           TEXT    NOT NULL,
    registered_by  TEXT    NOT NULL,
    registered_at  TEXT    NOT NULL,
    CHECK (partial_table IN (0, 1))
);
