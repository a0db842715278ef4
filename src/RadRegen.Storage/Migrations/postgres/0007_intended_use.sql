-- Intended use and donor eligibility gates (issue 11 item 7, ADR 0016). A product type, a line and
-- a lot carry an intended use: 'starting-material', 'research' or 'clinical'; only clinical
-- products from clinical lots go to patients. Undifferentiated iPSC stock (S9100, master cell bank
-- material) is starting material. A line whose donor is not eligible (a positive or missing
-- infectious marker) is research use only, and so are its lots. A lot past its expiry is marked
-- expired once by the expiry run (expired_at, journaled): one expiry rule everywhere.

ALTER TABLE bank_products ADD COLUMN intended_use TEXT NOT NULL DEFAULT 'clinical'
    CHECK (intended_use IN ('starting-material', 'research', 'clinical'));
UPDATE bank_products SET intended_use = 'starting-material' WHERE code = 'S9100';

ALTER TABLE bank_lines ADD COLUMN intended_use TEXT NOT NULL DEFAULT 'clinical'
    CHECK (intended_use IN ('research', 'clinical'));
UPDATE bank_lines SET intended_use = 'research' WHERE donor_id IN (SELECT id FROM bank_donors WHERE eligible = 0);

ALTER TABLE bank_lots ADD COLUMN intended_use TEXT NOT NULL DEFAULT 'clinical'
    CHECK (intended_use IN ('starting-material', 'research', 'clinical'));
ALTER TABLE bank_lots ADD COLUMN expired_at TEXT;
UPDATE bank_lots SET intended_use = 'starting-material'
    WHERE product_code IN (SELECT code FROM bank_products WHERE intended_use = 'starting-material');
UPDATE bank_lots SET intended_use = 'research'
    WHERE product_code IN (SELECT code FROM bank_products WHERE intended_use = 'research')
       OR line_id IN (SELECT id FROM bank_lines WHERE intended_use = 'research');
