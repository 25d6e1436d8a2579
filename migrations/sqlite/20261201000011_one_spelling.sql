-- One spelling per code: JSON written before this release spelled the rule
-- "no check-in" as no_check_in (serde's name) while the database, CSV and
-- settings form used no_checkin. Rewrite the stored JSON to the code.
-- Keep in step with migrations/postgres/20261201000011_one_spelling.sql.

UPDATE alerts SET evidence = REPLACE(evidence, '"no_check_in"', '"no_checkin"')
    WHERE evidence LIKE '%"no_check_in"%';
UPDATE signal_settings SET settings = REPLACE(settings, '"no_check_in"', '"no_checkin"')
    WHERE settings LIKE '%"no_check_in"%';
