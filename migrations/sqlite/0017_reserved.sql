-- Reserved: number 17 is another branch's (0017_throttles.sql). This file
-- only keeps the numbers contiguous on this branch; it is dropped at merge.
SELECT 1;
