import * as assert from "assert";
import { ROUTE53_HEALTH_CHECK, ROUTE53_RECORD, route53PrimaryFailoverGate } from "../../policies/route53";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

/**
 * The PRIMARY record, its gate, the endpoint's check and the traffic switch as
 * components/traffic.ts declares them. Ids are in the form Route 53 returns from
 * CreateHealthCheck (a UUID; Route 53 API reference, HealthCheck Id).
 */
const ENDPOINT_ID = "0b5f7c39-3a5e-4d1e-9b62-5f3c4f1f8a11";
const SWITCH_ID = "6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607";
const GATE_ID = "9e8d7c6b-5a49-4382-b716-05f4e3d2c1b0";

function stack(
    overrides: {
        gate?: Record<string, unknown>;
        switch?: Record<string, unknown>;
        record?: Record<string, unknown>;
        recordFrom?: readonly string[];
        gateFrom?: readonly string[];
    } = {},
): StackResource[] {
    return [
        {
            type: ROUTE53_HEALTH_CHECK,
            name: "primary-health",
            props: { type: "HTTPS", fqdn: "webank-primary-alb-1234567890.us-east-1.elb.amazonaws.com" },
        },
        {
            type: ROUTE53_HEALTH_CHECK,
            name: "primary-switch",
            props: {
                type: "CALCULATED",
                childHealthchecks: [],
                childHealthThreshold: 0,
                ...overrides.switch,
            },
        },
        {
            type: ROUTE53_HEALTH_CHECK,
            name: "primary-gate",
            props: {
                type: "CALCULATED",
                childHealthchecks: [ENDPOINT_ID, SWITCH_ID],
                childHealthThreshold: 2,
                ...overrides.gate,
            },
            inputsFrom: { childHealthchecks: overrides.gateFrom ?? ["primary-health", "primary-switch"] },
        },
        {
            type: ROUTE53_RECORD,
            name: "primary-record",
            props: {
                type: "CNAME",
                failoverRoutingPolicies: [{ type: "PRIMARY" }],
                healthCheckId: GATE_ID,
                ...overrides.record,
            },
            inputsFrom: { healthCheckId: overrides.recordFrom ?? ["primary-gate"] },
        },
    ];
}

const policy = route53PrimaryFailoverGate;

describe("policies: the PRIMARY failover record's gate (route53-primary-failover-gate)", () => {
    it("passes the gate components/traffic.ts declares", () => {
        assert.deepStrictEqual(findings(policy, stack()), []);
    });

    it("leaves SECONDARY records alone: they follow their endpoint's own check", () => {
        const secondary = stack({
            record: { failoverRoutingPolicies: [{ type: "SECONDARY" }], healthCheckId: ENDPOINT_ID },
            recordFrom: ["primary-health"],
        });
        assert.deepStrictEqual(violations(policy, secondary), []);
    });

    it("refuses a PRIMARY record on the endpoint's own check: a failover could not hold traffic", () => {
        const lines = violations(policy, stack({ recordFrom: ["primary-health"] }));
        assert.strictEqual(lines.length, 1);
        assert.match(
            lines[0],
            /primary-record: .*primary-health is of type "?HTTPS"?, not a CALCULATED gate/,
        );
    });

    it("refuses a PRIMARY record whose healthCheckId comes from no health check", () => {
        assert.match(
            violations(policy, stack({ record: { healthCheckId: undefined }, recordFrom: [] })).join(),
            /healthCheckId: must be the id of the gate .* not computed from a health check/,
        );
    });

    for (const threshold of [0, 1, 3, undefined]) {
        it(`refuses a gate with childHealthThreshold ${threshold} over two children`, () => {
            assert.match(
                violations(policy, stack({ gate: { childHealthThreshold: threshold } })).join(),
                /childHealthThreshold .* for 2 children: it must need every child \(2\)/,
            );
        });
    }

    it("refuses an inverted gate", () => {
        assert.match(
            violations(policy, stack({ gate: { invertHealthcheck: true } })).join(),
            /invertHealthcheck true/,
        );
    });

    it("refuses a gate without the switch, and a switch that is not one", () => {
        const noSwitch = stack({
            gate: { childHealthchecks: [ENDPOINT_ID], childHealthThreshold: 1 },
            gateFrom: ["primary-health"],
        });
        assert.match(violations(policy, noSwitch).join(), /no traffic switch among its children/);
        for (const broken of [
            { childHealthThreshold: 1 },
            { childHealthchecks: [ENDPOINT_ID] },
            { type: "HTTPS", childHealthchecks: undefined, childHealthThreshold: undefined },
        ]) {
            assert.match(
                violations(policy, stack({ switch: broken })).join(),
                /no traffic switch among its children/,
                JSON.stringify(broken),
            );
        }
    });

    it("refuses a gate with no endpoint check: Route 53 would not fail over on its own", () => {
        const twoSwitches: StackResource[] = [
            ...stack({ gateFrom: ["primary-switch", "second-switch"] }),
            {
                type: ROUTE53_HEALTH_CHECK,
                name: "second-switch",
                props: { type: "CALCULATED", childHealthchecks: [], childHealthThreshold: 0 },
            },
        ];
        assert.match(violations(policy, twoSwitches).join(), /no endpoint health check among its children/);
    });

    it("reports an advisory, not a pass or a violation, when the gate's children are unknown in preview", () => {
        const preview = findings(policy, stack({ gate: { childHealthchecks: UNKNOWN_INPUT } }));
        assert.deepStrictEqual(
            preview.map((f) => f.level),
            ["advisory"],
        );
    });
});
