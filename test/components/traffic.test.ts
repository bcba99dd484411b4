import * as assert from "assert";
import { runComponent } from "../support/component";
import { refusedBeforeDeclaring } from "../support/rejection";
import { failoverTtlSeconds, TrafficFailover, TrafficFailoverArgs } from "../../components/traffic";
import { FAILOVER_TTL_SECONDS } from "../../lib/dns-failover";
import { OfflineRun, OfflineRunError } from "../../offline/engine";
import { inputsOf, named, ofType } from "../support/offline";

const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const RECORD = "aws:route53/record:Record";

const ARGS: TrafficFailoverArgs = {
    role: "PRIMARY",
    zoneId: "Z0123456789ABCDEFGHIJ",
    recordName: "app.webank.example",
    target: "k8s-webank-ingress-0123456789.us-east-1.elb.amazonaws.com",
    rtoMinutes: 60,
};

/** Declares one TrafficFailover named `traffic` (home provider) and returns the run. */
async function declareTraffic(overrides: Partial<TrafficFailoverArgs> = {}): Promise<OfflineRun> {
    return runComponent((provider) => {
        const traffic = new TrafficFailover("traffic", { ...ARGS, ...overrides }, { provider });
        return {
            healthCheckId: traffic.healthCheckId,
            recordFqdn: traffic.recordFqdn,
            ttlSeconds: traffic.ttlSeconds,
        };
    });
}

describe("components/traffic: TrafficFailover", () => {
    describe("failoverTtlSeconds", () => {
        for (const [rto, ttl] of [
            [1, 30],
            [10, 30],
            [11, 33],
            [15, 45],
            [19, 57],
            [20, 60],
            [60, 60],
            [1440, 60],
        ]) {
            it(`gives ${ttl} s for an RTO of ${rto} minutes`, () => {
                assert.strictEqual(failoverTtlSeconds(rto), ttl);
            });
        }

        it("never leaves [30, 60] s and never exceeds a twentieth of an RTO above 10 minutes", () => {
            for (let rto = 1; rto <= 600; rto++) {
                const ttl = failoverTtlSeconds(rto);
                assert.ok(Number.isInteger(ttl));
                assert.ok(
                    ttl >= FAILOVER_TTL_SECONDS.min && ttl <= FAILOVER_TTL_SECONDS.max,
                    `RTO ${rto}: ${ttl}`,
                );
                if (rto >= 10) {
                    assert.ok(ttl <= (rto * 60) / 20, `RTO ${rto}: ${ttl}`);
                }
            }
        });
    });

    for (const role of ["PRIMARY", "SECONDARY"] as const) {
        describe(`the ${role} side`, () => {
            let run: OfflineRun;
            before(async () => {
                run = await declareTraffic({ role, rtoMinutes: 15 });
            });

            it("health-checks the endpoint over HTTPS: fast checks, 3 failures, /healthz, no latency graphs", () => {
                const check = inputsOf(named(run, HEALTH_CHECK, "traffic-health"));
                assert.strictEqual(check.type, "HTTPS");
                assert.strictEqual(check.fqdn, ARGS.target);
                assert.strictEqual(check.port, 443);
                assert.strictEqual(check.resourcePath, "/healthz");
                assert.strictEqual(check.requestInterval, 10);
                assert.strictEqual(check.failureThreshold, 3);
                assert.strictEqual(check.measureLatency, false);
                assert.strictEqual(check.enableSni, true);
                assert.strictEqual(ofType(run, HEALTH_CHECK).length, role === "PRIMARY" ? 3 : 1);
            });

            it(`is a ${role} failover CNAME to the endpoint, set identifier ${role.toLowerCase()}, guarded by the health check`, () => {
                const record = named(run, RECORD, "traffic-record");
                const inputs = inputsOf(record);
                assert.strictEqual(inputs.zoneId, ARGS.zoneId);
                assert.strictEqual(inputs.name, ARGS.recordName);
                assert.strictEqual(inputs.type, "CNAME");
                assert.deepStrictEqual(inputs.records, [ARGS.target]);
                assert.strictEqual(inputs.setIdentifier, role.toLowerCase());
                assert.deepStrictEqual(inputs.failoverRoutingPolicies, [{ type: role }]);
                assert.strictEqual(typeof inputs.healthCheckId, "string");
                const guard = role === "PRIMARY" ? "traffic-gate" : "traffic-health";
                assert.ok(record.dependencies.includes(named(run, HEALTH_CHECK, guard).urn));
                assert.strictEqual(ofType(run, RECORD).length, 1);
            });

            it("uses the TTL derived from the RTO (15 minutes: 45 s)", () => {
                assert.strictEqual(inputsOf(named(run, RECORD, "traffic-record")).ttl, 45);
                assert.strictEqual(run.outputs.ttlSeconds, 45);
                assert.strictEqual(run.outputs.recordFqdn, "app.webank.example");
            });
        });
    }

    describe("the PRIMARY's traffic switch (automation/traffic-ports.ts)", () => {
        let run: OfflineRun;
        before(async () => {
            run = await declareTraffic({ role: "PRIMARY" });
        });

        it("guards the record with a gate healthy only while the endpoint's check AND the switch are", () => {
            const gate = named(run, HEALTH_CHECK, "traffic-gate");
            const children = [
                named(run, HEALTH_CHECK, "traffic-health").urn,
                named(run, HEALTH_CHECK, "traffic-switch").urn,
            ];
            assert.strictEqual(inputsOf(gate).type, "CALCULATED");
            assert.strictEqual(inputsOf(gate).childHealthchecks.length, 2);
            // Both children must be healthy: a threshold of 1 would let a failed endpoint or a
            // held switch alone leave the PRIMARY answering.
            assert.strictEqual(inputsOf(gate).childHealthThreshold, 2);
            for (const child of children) {
                assert.ok(gate.dependencies.includes(child), child);
            }
            assert.deepStrictEqual(named(run, RECORD, "traffic-record").propertyDependencies.healthCheckId, [
                gate.urn,
            ]);
        });

        it("has a switch that is always healthy until the recovery commands invert it, and an up never turns it back", () => {
            const trafficSwitch = named(run, HEALTH_CHECK, "traffic-switch");
            const inputs = inputsOf(trafficSwitch);
            assert.strictEqual(inputs.type, "CALCULATED");
            assert.deepStrictEqual(inputs.childHealthchecks, []);
            assert.strictEqual(inputs.childHealthThreshold, 0);
            assert.strictEqual(inputs.invertHealthcheck, false);
            assert.deepStrictEqual([...trafficSwitch.ignoreChanges], ["invertHealthcheck"]);
        });

        it("leaves the SECONDARY on its endpoint's check alone: no switch, no gate", async () => {
            const secondary = await declareTraffic({ role: "SECONDARY" });
            assert.deepStrictEqual(
                ofType(secondary, HEALTH_CHECK).map((c) => inputsOf(c).type),
                ["HTTPS"],
            );
        });
    });

    it("probes a custom health check path, and the TTL follows the RTO", async () => {
        const run = await declareTraffic({ healthCheckPath: "/ready", rtoMinutes: 10 });
        assert.strictEqual(inputsOf(named(run, HEALTH_CHECK, "traffic-health")).resourcePath, "/ready");
        assert.strictEqual(inputsOf(named(run, RECORD, "traffic-record")).ttl, 30);
    });

    it("reports the record name without a final dot", async () => {
        const run = await declareTraffic({ recordName: "app.webank.example." });
        assert.strictEqual(run.outputs.recordFqdn, "app.webank.example");
    });

    describe("argument validation", () => {
        const cases: Array<[keyof TrafficFailoverArgs, unknown, string]> = [
            ["role", "TERTIARY", "be PRIMARY or SECONDARY"],
            ["role", "primary", "be PRIMARY or SECONDARY"],
            ["zoneId", "z0123456789", 'be a Route 53 hosted zone id: "Z" then uppercase letters and digits'],
            ["zoneId", "Zabc", 'be a Route 53 hosted zone id: "Z" then uppercase letters and digits'],
            ["zoneId", "", 'be a Route 53 hosted zone id: "Z" then uppercase letters and digits'],
            ["recordName", "app", "be a fully qualified DNS name such as app.webank.example"],
            ["recordName", "-app.webank.example", "be a fully qualified DNS name such as app.webank.example"],
            ["recordName", "app..webank.example", "be a fully qualified DNS name such as app.webank.example"],
            [
                "recordName",
                "app.webank.example/x",
                "be a fully qualified DNS name such as app.webank.example",
            ],
            ["target", "https://lb.example.com", "be the DNS name of this region's public endpoint"],
            ["target", "lb with spaces.example.com", "be the DNS name of this region's public endpoint"],
            ["healthCheckPath", "healthz", 'be a path starting with "/"'],
            ["healthCheckPath", "/health z", 'be a path starting with "/"'],
            ["rtoMinutes", 0, "be a positive whole number of minutes"],
            ["rtoMinutes", -5, "be a positive whole number of minutes"],
            ["rtoMinutes", 2.5, "be a positive whole number of minutes"],
        ];
        for (const [field, value, requirement] of cases) {
            it(`refuses ${field} ${JSON.stringify(value)} before declaring any child, naming the argument and the value`, async () => {
                await assert.rejects(
                    () => declareTraffic({ [field]: value }),
                    refusedBeforeDeclaring(
                        `TrafficFailover(traffic).${field}`,
                        requirement,
                        JSON.stringify(value),
                        (r) => r.type.startsWith("aws:"),
                    ),
                );
            });
        }

        it("reports every problem at once", async () => {
            await assert.rejects(
                () => declareTraffic({ zoneId: "nope", target: "nope", rtoMinutes: 0 }),
                (error: unknown) =>
                    error instanceof OfflineRunError &&
                    /3 problems/.test(error.message) &&
                    /\.zoneId must/.test(error.message) &&
                    /\.target must/.test(error.message) &&
                    /\.rtoMinutes must/.test(error.message),
            );
        });
    });
});
