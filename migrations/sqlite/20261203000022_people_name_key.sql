-- Keep in step with migrations/postgres/20261203000022_people_name_key.sql.

-- The starters list sorts and pages by name in the database instead of
-- reading every employment of the institution: each person's name folded
-- for sorting (lower case, accents off; `domain::search_key` of the name
-- alone). The application writes it with every name and fills it in for
-- the people who are here already when it starts.
ALTER TABLE people ADD COLUMN name_key TEXT;
