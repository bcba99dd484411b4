/*
 * The port the failover and the failback move traffic through (automation/ports.ts re-exports
 * it): Route 53's failover pair of the platform's public name. The real adapter is
 * adapters/aws/traffic.ts; the simulated account's simulation/traffic.ts.
 *
 * Why a switch of the tool's own, and not the endpoint's health check inverted: an inverted
 * check of the home endpoint sends traffic home again the moment that endpoint fails
 * completely while failed over (inverted, a failing check reads healthy). The PRIMARY record's
 * health check is instead a CALCULATED "gate" that is healthy only while BOTH its children are:
 * the home endpoint's HTTPS check, and a switch the tool controls, a CALCULATED check with no
 * children and a HealthThreshold of 0 ("If you specify 0, Route 53 always considers this
 * health check to be healthy", Route 53 API reference, CreateHealthCheck, HealthCheckConfig
 * HealthThreshold). Inverting the switch makes it always unhealthy ("If you invert a health
 * check, Route 53 considers the health check to be unhealthy when the status is healthy",
 * Route 53 developer guide, Inverting health checks), so the gate fails and Route 53 answers
 * with the SECONDARY whatever the home endpoint does; only failback turns it back. The
 * endpoint check keeps running, so failback can see whether home is healthy before it moves
 * traffic there.
 */

/** The PRIMARY record's gate and its two children, as Route 53 reports them. */
export interface TrafficSwitchState {
    /** Id of the PRIMARY record's health check: the CALCULATED gate (a UUID). */
    readonly gateId: string;
    /** The home endpoint's HTTPS health check: its id, and whether Route 53's checkers find it healthy. */
    readonly endpoint: { readonly id: string; readonly healthy: boolean };
    /** Id of the tool's switch: the gate's CALCULATED child with no children of its own. */
    readonly switchId: string;
    /** True while the switch is inverted: traffic is held on the DR region. */
    readonly heldOnDr: boolean;
}

/** Route 53's failover pair of the platform's public name. */
export interface TrafficPort {
    /**
     * The PRIMARY failover record of `recordName` in `zoneId`, its gate and the gate's children;
     * undefined when there is no PRIMARY record, or its health check is not a gate with one
     * endpoint check and one switch (a primary stack older than the switch: its `up` adds it).
     */
    trafficSwitch(zoneId: string, recordName: string): Promise<TrafficSwitchState | undefined>;
    /**
     * Holds traffic on DR (`held` true: inverts the switch) or releases it (`held` false), on
     * the switch `switchId`. A switch already as asked is left alone, so a re-run changes
     * nothing. Changes the switch only; no record, no other check.
     */
    holdOnDr(switchId: string, held: boolean): Promise<void>;
    /** What Route 53 answers for the record now (TestDNSAnswer), e.g. the DR load balancer's name. */
    answer(zoneId: string, recordName: string): Promise<string | undefined>;
}
