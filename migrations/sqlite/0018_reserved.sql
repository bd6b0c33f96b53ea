-- Placeholder on branch issue-19r only: the number 0018 belongs to a
-- migration on another branch. Delete this file at merge (the runner wants
-- contiguous numbers, and 0020_suggestion_dismissals.sql follows).
SELECT 1;
