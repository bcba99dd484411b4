/**
 * Timing of the Route 53 failover pair: the program declares the record and its health
 * check (components/traffic.ts), and the failover benchmark models how long Route 53 and
 * resolvers take to act on them (automation/bench/durations.ts).
 */

/**
 * Bounds of the failover record's TTL, in seconds. Below 30 s many resolvers raise the TTL
 * anyway and query volume grows for nothing; above 60 s clients keep the failed region's
 * answer for a noticeable part of even a generous RTO.
 */
export const FAILOVER_TTL_SECONDS = { min: 30, max: 60 } as const;

/** Seconds between two Route 53 health checks from each checker (10 = fast checks). */
export const HEALTH_CHECK_INTERVAL_SECONDS = 10;

/** Consecutive failed checks before Route 53 considers the endpoint unhealthy. */
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;
