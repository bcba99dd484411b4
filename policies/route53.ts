import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { referencedBy, resourcesOfType } from "./lib/graph";
import { describe, listAt, UNKNOWN, valueAt } from "./lib/values";

/**
 * DNS failover: the PRIMARY failover record must follow the gate components/traffic.ts declares,
 * so a failover can hold traffic on DR until failback whatever the home endpoint does
 * (automation/traffic-ports.ts says why). Route 53 answers with the PRIMARY while its health
 * check is healthy ("Failover routing", Route 53 developer guide); a CALCULATED check is healthy
 * when at least HealthThreshold of its children are, and one with HealthThreshold 0 always is
 * ("HealthThreshold", Route 53 API reference, HealthCheckConfig).
 */

/** A DNS record. */
export const ROUTE53_RECORD = "aws:route53/record:Record";
/** A health check. */
export const ROUTE53_HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";

const CALCULATED = "CALCULATED";

/** Whether a health check is the traffic switch: CALCULATED, no children, threshold 0 (always healthy unless inverted). */
function isSwitch(check: PolicyResource): boolean {
    const children = listAt(check.props, "childHealthchecks");
    return (
        valueAt(check.props, "type") === CALCULATED &&
        children !== UNKNOWN &&
        children.length === 0 &&
        (valueAt(check.props, "childHealthThreshold") ?? 0) === 0
    );
}

/**
 * The gate's faults, one line each: not CALCULATED, inverted, a threshold below its number of
 * children (a healthy endpoint would then outvote a held switch), no switch among the children,
 * or no endpoint check (nothing would fail over on its own).
 */
function gateFaults(gate: PolicyResource, evaluation: Evaluation): string[] {
    const faults: string[] = [];
    const type = valueAt(gate.props, "type");
    if (type !== CALCULATED) {
        return [
            `is of type ${describe(type)}, not a CALCULATED gate over the endpoint's check and the traffic switch`,
        ];
    }
    if (valueAt(gate.props, "invertHealthcheck") === true) {
        faults.push("has invertHealthcheck true, which turns the gate's verdict over");
    }
    const children = listAt(gate.props, "childHealthchecks");
    if (children === UNKNOWN) {
        evaluation.unknown(gate, "childHealthchecks");
        return faults;
    }
    const threshold = valueAt(gate.props, "childHealthThreshold");
    if (threshold !== children.length) {
        faults.push(
            `has childHealthThreshold ${describe(threshold)} for ${children.length} children: it must need every child (${children.length}), or a healthy home endpoint outvotes a held switch`,
        );
    }
    const checks = referencedBy(gate, "childHealthchecks").filter((r) => r.type === ROUTE53_HEALTH_CHECK);
    if (checks.filter(isSwitch).length !== 1) {
        faults.push(
            "has no traffic switch among its children (one CALCULATED check with no children and childHealthThreshold 0)",
        );
    }
    if (!checks.some((c) => valueAt(c.props, "type") !== CALCULATED)) {
        faults.push(
            "has no endpoint health check among its children, so Route 53 would not fail over on its own",
        );
    }
    return faults;
}

/** The PRIMARY failover record follows the gate over the home endpoint's check and the traffic switch. */
export const route53PrimaryFailoverGate = stackPolicy({
    name: "route53-primary-failover-gate",
    description:
        "Checks whether each PRIMARY failover record follows a CALCULATED gate that needs both the endpoint's health check and the traffic switch, so a failover keeps traffic on DR until failback.",
    validate: (args, evaluation) => {
        for (const record of resourcesOfType(args, ROUTE53_RECORD)) {
            const policies = listAt(record.props, "failoverRoutingPolicies");
            if (policies === UNKNOWN) {
                evaluation.unknown(record, "failoverRoutingPolicies");
                continue;
            }
            if (!policies.some((p) => valueAt(p, "type") === "PRIMARY")) {
                continue;
            }
            const gates = referencedBy(record, "healthCheckId").filter(
                (r) => r.type === ROUTE53_HEALTH_CHECK,
            );
            if (gates.length !== 1) {
                evaluation.violation(
                    record,
                    "healthCheckId",
                    "must be the id of the gate health check declared in this stack (components/traffic.ts): without it a failover cannot hold traffic on DR; " +
                        `it is ${gates.length === 0 ? "not computed from a health check of the stack" : "computed from several"}.`,
                );
                continue;
            }
            for (const fault of gateFaults(gates[0], evaluation)) {
                evaluation.violation(record, "healthCheckId", `its health check ${gates[0].name} ${fault}.`);
            }
        }
    },
});
