-- Account events apply in order: an older #account event (a redelivery, a replay that reads partitions unevenly) must
-- never undo a newer one. The status keeps the upstream sequence and the Jetstream time of the event that set it.
ALTER TABLE appview.actors ADD COLUMN account_seq bigint, ADD COLUMN account_time_us bigint;
