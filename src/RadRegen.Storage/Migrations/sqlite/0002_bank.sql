-- Placeholder so that the care branch's 0003 has a predecessor. The bank branch adds the real
-- 0002_bank.sql; when both are merged, take the bank's file (this one does nothing).
SELECT 1;
