-- Placeholder on branch issue-19 only: the numbers 0013-0019 belong to
-- migrations on other branches. Delete this file at merge (the runner wants
-- contiguous numbers, and 0020_starter_set.sql follows).
SELECT 1;
