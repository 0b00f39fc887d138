/**
 * A report read into JavaScript carries its received_at in milliseconds;
 * PostgreSQL keeps microseconds. Statements find such a report again by id
 * and received_at within this much of the value read, which names its month
 * (`reports` is partitioned by received_at) so only that month is searched.
 */
export const RECEIVED_AT_SLACK = `interval '1 millisecond'`;
