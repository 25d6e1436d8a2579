-- Keep in step with migrations/sqlite/20261203000021_erased_search_keys.sql.

-- Erasure replaced the name and the e-mail address but left both in the
-- search key, so the people search still found an erased person by their
-- old name. The key becomes the pseudonym's, as erasure now writes it.
UPDATE people SET search_key = LOWER(full_name) || ' ' WHERE erased_at IS NOT NULL;
