/**
 * The shape of every VPC the program declares (components/network.ts), in one place so that
 * what reads it (the cost of a posture, automation/bench/costs.ts) does not restate it.
 */

/** How many availability zones every VPC spans. */
export const ZONE_COUNT = 3;

/** How NAT gateways are laid out. */
export type NatLayout = "per-zone" | "single";

/**
 * The dr stack's NAT layout. Activated, one per zone, as a serving region needs. Before: one
 * shared gateway, except in a hot standby, whose promise is a failover in minutes: creating the
 * other zones' gateways at activation would be its longest wait (automation/bench/durations.ts
 * `natGateway`), so it keeps them standing and pays for them (automation/bench/costs.ts).
 */
export function drNatLayout(state: { readonly activated: boolean; readonly hot: boolean }): NatLayout {
    return state.activated || state.hot ? "per-zone" : "single";
}

/** How many NAT gateways (each with its Elastic IP) a layout has: one per zone, or one shared. */
export function natGatewayCount(layout: NatLayout): number {
    return layout === "single" ? 1 : ZONE_COUNT;
}
