import { ROUTE53_HEALTH_CHECK, ROUTE53_RECORD } from "../../../policies/route53";
import { MutableResource, MutableStack } from "../mutable-stack";
import { MutationRow } from "../row";

const SERVICE = "Route 53";
const CONFIGURATION = "primary:dns";

/** The PRIMARY record, the gate it follows, the endpoint's check and the traffic switch (components/traffic.ts). */
const record = (s: MutableStack) => s.one(ROUTE53_RECORD, "primary-record");
const gate = (s: MutableStack) => s.one(ROUTE53_HEALTH_CHECK, "-gate");
const trafficSwitch = (s: MutableStack) => s.one(ROUTE53_HEALTH_CHECK, "-switch");
const endpoint = (s: MutableStack) =>
    s.all(ROUTE53_HEALTH_CHECK).find((c) => c.inputs.type !== "CALCULATED") ??
    ((): never => {
        throw new Error("no endpoint health check to point at");
    })();

/** Makes `input` of `from` computed from `targets`, as if the program had passed their ids. */
function pointAt(s: MutableStack, from: MutableResource, input: string, targets: MutableResource[]) {
    from.propertyDependencies = { ...from.propertyDependencies, [input]: targets.map((t) => t.urn) };
    return s;
}

/** Traffic stays on DR until failback: the protections of the PRIMARY record's gate. */
export const ROUTE53_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "the PRIMARY record follows the gate over the endpoint check and the traffic switch",
        mutation: "the PRIMARY record's healthCheckId is the endpoint's own check",
        configuration: CONFIGURATION,
        apply: (s) => pointAt(s, record(s), "healthCheckId", [endpoint(s)]),
        policy: "route53-primary-failover-gate",
    },
    {
        service: SERVICE,
        protection: "the PRIMARY record follows the gate over the endpoint check and the traffic switch",
        mutation: "the PRIMARY record without a health check",
        configuration: CONFIGURATION,
        apply: (s) => pointAt(s.unset(record(s), "healthCheckId"), record(s), "healthCheckId", []),
        policy: "route53-primary-failover-gate",
    },
    {
        service: SERVICE,
        protection: "the gate needs both children",
        mutation: "the gate's childHealthThreshold 1",
        configuration: CONFIGURATION,
        apply: (s) => s.set(gate(s), "childHealthThreshold", 1),
        policy: "route53-primary-failover-gate",
    },
    {
        service: SERVICE,
        protection: "the gate needs both children",
        mutation: "the gate inverted",
        configuration: CONFIGURATION,
        apply: (s) => s.set(gate(s), "invertHealthcheck", true),
        policy: "route53-primary-failover-gate",
    },
    {
        service: SERVICE,
        protection: "the gate holds a traffic switch",
        mutation: "the switch left out of the gate's children",
        configuration: CONFIGURATION,
        apply: (s) => {
            s.set(gate(s), "childHealthchecks", [(gate(s).inputs.childHealthchecks as unknown[])[0]]);
            s.set(gate(s), "childHealthThreshold", 1);
            pointAt(s, gate(s), "childHealthchecks", [endpoint(s)]);
        },
        policy: "route53-primary-failover-gate",
    },
    {
        service: SERVICE,
        protection: "the gate holds a traffic switch",
        mutation: "the switch's childHealthThreshold 1 (always unhealthy: held on DR from the first up)",
        configuration: CONFIGURATION,
        apply: (s) => s.set(trafficSwitch(s), "childHealthThreshold", 1),
        policy: "route53-primary-failover-gate",
    },
    {
        service: SERVICE,
        protection: "the gate holds a traffic switch",
        mutation:
            "the switch given the endpoint's check as a child (it would follow the endpoint, not the commands)",
        configuration: CONFIGURATION,
        apply: (s) => s.set(trafficSwitch(s), "childHealthchecks", ["endpoint-check-id"]),
        policy: "route53-primary-failover-gate",
    },
];
