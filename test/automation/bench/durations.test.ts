import * as assert from "assert";
import { drStackConfig } from "../../../automation/commands/dr-config";
import { failoverDurations } from "../../../automation/bench/duration-model";
import {
    DR_STACK_RESOURCES,
    FAILOVER_DURATIONS,
    FailoverDuration,
} from "../../../automation/bench/durations";
import {
    ARGOCD_WAITS_FOR_EBS_CSI,
    criticalPath,
    Posture,
    scheduledMinutes,
    upMinutes,
    upPhases,
    UpPhase,
} from "../../../automation/bench/up-phases";
import { standardWorld } from "../../../automation/simulation/standard-world";

const MINUTE = 60_000;
const CALL_MS = FAILOVER_DURATIONS.awsApiCall.minutes * MINUTE;
const POSTURES: Posture[] = ["pilot", "warm", "hot"];
/** The postures the simulated world seeds (automation/simulation/standard-world.ts). */
const WORLD_POSTURES = ["pilot", "warm"] as const;
const ACTIVATED = (posture: Posture) => ({
    "webank:role": "dr",
    "webank:posture": posture,
    "webank:activated": "true",
    "webank:restore": '{"source":"pitr","time":"latest"}',
});

function assertCited(name: string, entry: { source: string; quote: string }): void {
    const url = new URL(entry.source);
    assert.strictEqual(url.protocol, "https:", `${name}: source must be an https URL`);
    assert.ok(url.hostname.includes("."), `${name}: source must name a host`);
    assert.ok(entry.quote.trim().length >= 20, `${name}: quote must be a sentence`);
    assert.ok(entry.quote.length <= 200, `${name}: quote must be short`);
}

describe("automation/bench/durations", () => {
    describe("FAILOVER_DURATIONS", () => {
        const entries = Object.entries(FAILOVER_DURATIONS) as [string, FailoverDuration][];

        it("cites a source URL and a quote for every phase, and says why", () => {
            assert.ok(entries.length >= 10);
            for (const [name, entry] of entries) {
                assert.ok(
                    Number.isFinite(entry.minutes) && entry.minutes > 0,
                    `${name}: minutes must be > 0`,
                );
                assertCited(name, entry);
                assert.ok(entry.why.length >= 40, `${name}: why must explain the derivation`);
                if (entry.context) {
                    assertCited(`${name}.context`, entry.context);
                }
            }
        });

        it("says when a number is only a bound, and cites what the time depends on for the RDS restore", () => {
            for (const [name, entry] of entries.filter(([, e]) => e.kind === "bound")) {
                assert.match(
                    entry.why,
                    /publishes no/,
                    `${name}: a bound must say AWS publishes no typical time`,
                );
            }
            assert.strictEqual(FAILOVER_DURATIONS.rdsPointInTimeRestore.kind, "bound");
            assert.match(FAILOVER_DURATIONS.rdsPointInTimeRestore.context.quote, /transaction logs/);
        });

        it("says when a number is an assumption, and cites the bound beside it", () => {
            const assumed = entries.filter(([, e]) => e.kind === "assumed");
            assert.ok(assumed.length >= 1);
            for (const [name, entry] of assumed) {
                assert.match(entry.why, /assumption/, `${name}: an assumed number must say so`);
                assert.ok(entry.context, `${name}: an assumed number must cite what bounds it`);
                assert.match(entry.why, /bound/, `${name}: and name the bound`);
            }
            assert.strictEqual(FAILOVER_DURATIONS.rdsReplicaPromotion.kind, "assumed");
            assert.match(FAILOVER_DURATIONS.rdsReplicaPromotion.quote, /several minutes or longer/);
        });

        it("takes a measured time as measured, with the figure in its quote", () => {
            for (const [name, entry] of entries.filter(([, e]) => e.kind === "measured")) {
                assert.ok(/\d/.test(entry.quote) || /typically/.test(entry.quote), `${name}: ${entry.quote}`);
            }
        });

        it("takes the documented numbers: EKS 15 min measured in us-west-2 (AWS: 9 on average), add-on 15, Argo CD 2 x 3 min, DNS 3 x 10 s + 60 s TTL", () => {
            assert.strictEqual(FAILOVER_DURATIONS.eksControlPlane.minutes, 15);
            assert.strictEqual(FAILOVER_DURATIONS.eksControlPlane.kind, "measured");
            // The quote's seconds, in the DR region, are the minutes taken.
            const seconds = Number(
                /us-west-2 (\d+\.\d+)/.exec(FAILOVER_DURATIONS.eksControlPlane.quote)?.[1],
            );
            assert.strictEqual(Math.round(seconds / 60), FAILOVER_DURATIONS.eksControlPlane.minutes);
            assert.match(FAILOVER_DURATIONS.eksControlPlane.context.quote, /9 minutes or less, on average/);
            assert.strictEqual(FAILOVER_DURATIONS.eksAddon.minutes, 15);
            assert.match(FAILOVER_DURATIONS.eksAddon.why, /15 minutes/);
            assert.strictEqual(FAILOVER_DURATIONS.argocdSync.minutes, 6);
            assert.match(FAILOVER_DURATIONS.argocdSync.quote, /every three minutes/);
            assert.strictEqual(FAILOVER_DURATIONS.healthCheckDetection.minutes, 0.5);
            assert.strictEqual(FAILOVER_DURATIONS.dnsTtl.minutes, 1);
            assert.ok(FAILOVER_DURATIONS.awsApiCall.minutes * 60 <= 5, "an API call takes seconds");
        });
    });

    describe("upPhases", () => {
        for (const posture of POSTURES) {
            it(`${posture}: every phase rests on a cited duration and waits only for phases of the list`, () => {
                const phases = upPhases(posture);
                const names = phases.map((p) => p.name);
                assert.strictEqual(new Set(names).size, names.length, "names are unique");
                for (const phase of phases) {
                    const entry: FailoverDuration = FAILOVER_DURATIONS[phase.duration];
                    assert.ok(entry, `${phase.name}: unknown duration ${phase.duration}`);
                    assert.ok(Math.abs(phase.minutes - phase.count * entry.minutes) < 1e-9, phase.name);
                    assert.ok(
                        phase.after.every((a) => names.includes(a)),
                        `${phase.name}: after ${phase.after.join(", ")}`,
                    );
                    assert.ok(phase.what.length > 0);
                }
            });
        }

        it("builds the cluster and Argo CD only for a pilot light; warm and hot scale their nodes", () => {
            const pilot = upPhases("pilot").map((p) => p.name);
            for (const standing of ["warm", "hot"] as const) {
                const names = upPhases(standing).map((p) => p.name);
                for (const name of ["eks-control-plane", "node-group", "argocd-helm-release"]) {
                    assert.ok(pilot.includes(name), name);
                    assert.ok(!names.includes(name), `${standing}: ${name}`);
                }
                assert.ok(names.includes("node-group-scale-up"), standing);
            }
            // Hot keeps every zone's NAT gateway standing (lib/network-layout.ts): none to create.
            assert.ok(!upPhases("hot").some((p) => p.duration === "natGateway"));
            for (const name of ["nat-gateway-zone-2", "nat-gateway-zone-3", "rds-point-in-time-restore"]) {
                assert.ok(pilot.includes(name) && upPhases("warm").some((p) => p.name === name), name);
            }
        });

        it("updates the promoted replica in hot's up, with no restore and no promotion, and selects it for backup", () => {
            const hot = new Map(upPhases("hot").map((p) => [p.name, p]));
            assert.ok(!hot.has("rds-point-in-time-restore"));
            assert.ok(!hot.has("database-network"), "the replica's network exists before the failover");
            // The failover's promote step promoted it before the refresh (background.rds.promote).
            assert.ok(![...hot.values()].some((p) => p.duration === "rdsReplicaPromotion"));
            assert.strictEqual(hot.get("rds-promoted-instance-update")?.duration, "awsApiCall");
            assert.ok(hot.get("backup-selection")?.after.includes("rds-promoted-instance-update"));
            assert.ok(upMinutes("hot") < upMinutes("warm"), `${upMinutes("hot")} vs ${upMinutes("warm")}`);
        });

        it("orders the pilot chain EKS control plane -> node group -> add-on, and Argo CD as the program does", () => {
            const byName = new Map(upPhases("pilot").map((p) => [p.name, p]));
            assert.ok(byName.get("node-group")?.after.includes("eks-control-plane"));
            assert.ok(byName.get("ebs-csi-addon")?.after.includes("node-group"));
            assert.strictEqual(
                byName.get("argocd-helm-release")?.after.includes("ebs-csi-addon"),
                ARGOCD_WAITS_FOR_EBS_CSI,
            );
            assert.ok(byName.get("backup-selection")?.after.includes("rds-point-in-time-restore"));
        });

        it("refuses a posture it does not know, naming the key", () => {
            assert.throws(
                () => upPhases("cold" as Posture),
                /webank:posture must be pilot, warm, hot; got "cold"/,
            );
        });
    });

    describe("up duration and Pulumi's parallelism", () => {
        for (const posture of POSTURES) {
            it(`${posture}: parallel up is the longest chain, --parallel 1 the sum, and parallel < sequential`, () => {
                const phases = upPhases(posture);
                const sum = phases.reduce((total, p) => total + p.minutes, 0);
                const longest = Math.max(
                    ...["rds-point-in-time-restore", "nat-gateway-zone-2"]
                        .filter((name) => phases.some((p) => p.name === name))
                        .map(
                            (name) =>
                                criticalPath(phases.filter((p) => chainOf(phases, name).includes(p.name)))
                                    .minutes,
                        ),
                );
                assert.ok(Math.abs(upMinutes(posture, 1) - sum) < 1e-9);
                assert.strictEqual(upMinutes(posture), criticalPath(phases).minutes);
                assert.ok(upMinutes(posture) >= longest);
                assert.ok(upMinutes(posture) < upMinutes(posture, 1));
                assert.ok(upMinutes(posture, 2) <= upMinutes(posture, 1));
                assert.ok(upMinutes(posture, 2) >= upMinutes(posture));
            });
        }

        it("warm up is shorter than pilot up, in parallel and in sequence", () => {
            assert.ok(upMinutes("warm") < upMinutes("pilot"));
            assert.ok(upMinutes("warm", 1) < upMinutes("pilot", 1));
        });

        it("puts the EKS chain on the pilot critical path and the RDS restore on the warm one", () => {
            const pilot = criticalPath(upPhases("pilot"));
            assert.deepStrictEqual(pilot.path.slice(0, 3), [
                "eks-control-plane",
                "node-group",
                "ebs-csi-addon",
            ]);
            const warm = criticalPath(upPhases("warm"));
            assert.ok(warm.path.includes("rds-point-in-time-restore"), warm.path.join(" -> "));
        });

        it("schedules a dependency after what it waits for, even with free slots", () => {
            const phases: UpPhase[] = [
                { name: "a", minutes: 5, after: [], duration: "awsApiCall", count: 1, what: "a" },
                { name: "b", minutes: 1, after: ["a"], duration: "awsApiCall", count: 1, what: "b" },
                { name: "c", minutes: 2, after: [], duration: "awsApiCall", count: 1, what: "c" },
            ];
            assert.strictEqual(scheduledMinutes(phases, 8), 6);
            assert.strictEqual(scheduledMinutes(phases, 1), 8);
            assert.deepStrictEqual(criticalPath(phases).path, ["a", "b"]);
        });

        it("refuses a cycle, an unknown dependency and a parallelism below 1", () => {
            const phase = (name: string, after: string[]): UpPhase => ({
                name,
                minutes: 1,
                after,
                duration: "awsApiCall",
                count: 1,
                what: name,
            });
            assert.throws(() => criticalPath([phase("a", ["b"]), phase("b", ["a"])]), /no cycle/);
            assert.throws(() => criticalPath([phase("a", ["x"])]), /a\.after must name phases/);
            assert.throws(() => scheduledMinutes([phase("a", [])], 0), /parallel must be a whole number/);
        });
    });

    describe("failoverDurations", () => {
        const model = failoverDurations();

        for (const posture of POSTURES) {
            it(`${posture}: stack.dr.up costs the parallel up, or the sum with parallel 1`, () => {
                const config = ACTIVATED(posture);
                assert.strictEqual(
                    model("stack.dr.up", { config, parallel: undefined }),
                    Math.round(upMinutes(posture) * MINUTE),
                );
                assert.strictEqual(
                    model("stack.dr.up", { config, parallel: 1 }),
                    Math.round(upMinutes(posture, 1) * MINUTE),
                );
                assert.ok(
                    model("stack.dr.up", { config, parallel: undefined }) <
                        model("stack.dr.up", { config, parallel: 1 }),
                );
            });
        }

        it("charges a few API calls for an up with nothing activated", () => {
            const up = model("stack.dr.up", { config: { "webank:posture": "warm" }, parallel: undefined });
            assert.ok(up > 0 && up < MINUTE, String(up));
        });

        it("refreshes one read per resource of the stack; the larger stack when the config is not given", () => {
            assert.strictEqual(
                model("stack.dr.refresh", { config: { "webank:posture": "pilot" } }),
                DR_STACK_RESOURCES.pilot * CALL_MS,
            );
            assert.strictEqual(model("stack.dr.refresh", {}), DR_STACK_RESOURCES.hot * CALL_MS);
            assert.ok(DR_STACK_RESOURCES.pilot < DR_STACK_RESOURCES.warm);
            assert.ok(DR_STACK_RESOURCES.warm < DR_STACK_RESOURCES.hot);
        });

        it("switches DNS in 2 API calls + failure threshold x interval + TTL", () => {
            assert.strictEqual(model("traffic.holdOnDr", {}), 2 * CALL_MS + 30_000 + 60_000);
            assert.strictEqual(model("traffic.trafficSwitch", {}), 4 * CALL_MS);
            assert.strictEqual(model("traffic.answer", {}), CALL_MS);
        });

        it("charges Argo CD's sync of a new root app; kubectl (wait too), other commands and the RDS waiter cost one call", () => {
            const wait = [
                "--context",
                "c",
                "-n",
                "argocd",
                "wait",
                "--for=jsonpath={.status.health.status}=Healthy",
            ];
            assert.strictEqual(model("background.argocd.sync", { cluster: "c" }), 6 * MINUTE);
            // The wait lasts as long as the simulated cluster's applications take (argocd-apps.ts).
            assert.strictEqual(model("command.kubectl", { args: wait }), CALL_MS);
            assert.strictEqual(model("command.kubectl", { args: ["get", "pods"] }), CALL_MS);
            assert.strictEqual(model("command.aws", { args: ["eks", "update-kubeconfig"] }), CALL_MS);
            assert.strictEqual(model("dr.database.waitAvailable", { identifier: "webank-db-dr-1" }), CALL_MS);
            assert.strictEqual(model("dr.database.describeInstance", {}), CALL_MS);
        });

        it("costs unknown operations a small default: not zero, not a crash", () => {
            for (const operation of ["no.such.operation", "", "stack.other.destroy", "home.jobs.whatever"]) {
                const ms = model(operation, {});
                assert.ok(ms > 0 && ms < MINUTE, `${operation}: ${ms}`);
            }
            assert.strictEqual(model("command.kubectl", { args: "not a list" }), CALL_MS);
            assert.strictEqual(model("stack.dr.up", { config: "not a map" }), 3 * CALL_MS);
        });

        it("scales every duration, and refuses a scale that is not a positive number", () => {
            const double = failoverDurations({ scale: 2 });
            assert.strictEqual(double("lock.acquire", {}), 2 * model("lock.acquire", {}));
            assert.strictEqual(
                double("stack.dr.up", { config: ACTIVATED("pilot"), parallel: undefined }),
                2 * model("stack.dr.up", { config: ACTIVATED("pilot"), parallel: undefined }),
            );
            assert.throws(
                () => failoverDurations({ scale: 0 }),
                /scale must be a finite number greater than 0; got 0/,
            );
            assert.throws(() => failoverDurations({ scale: Number.NaN }), /scale must be/);
        });

        it("refuses a parallelism Pulumi would not take and a posture it does not know", () => {
            assert.throws(
                () => model("stack.dr.up", { config: ACTIVATED("pilot"), parallel: 0 }),
                /parallel must be a whole number of 1 or more; got 0/,
            );
            assert.throws(
                () => model("stack.dr.up", { config: { ...ACTIVATED("pilot"), "webank:posture": "cold" } }),
                /webank:posture must be pilot, warm, hot; got "cold"/,
            );
        });

        it("is what the simulated world charges for the dr stack's up, as the world calls it", async () => {
            for (const posture of WORLD_POSTURES) {
                let elapsed = 0;
                const world = standardWorld(drStackConfig(), {
                    now: new Date("2026-11-25T03:00:00Z"),
                    posture,
                    durations: failoverDurations(),
                    sleep: (ms) => {
                        elapsed += ms;
                        return Promise.resolve();
                    },
                });
                const stack = await world.ports().workspace.selectStack("dr");
                await stack.setConfig({
                    "webank:activated": "true",
                    "webank:restore": ACTIVATED(posture)["webank:restore"],
                });
                const before = elapsed;
                await stack.up({ onOutput: () => undefined, parallel: undefined });
                assert.strictEqual(elapsed - before, Math.round(upMinutes(posture) * MINUTE), posture);
                assert.strictEqual(before, 2 * CALL_MS, "selectStack and setConfig cost one call each");
            }
        });
    });
});

/** The names of `name` and every phase it waits for, transitively. */
function chainOf(phases: readonly UpPhase[], name: string): string[] {
    const byName = new Map(phases.map((p) => [p.name, p]));
    const seen = new Set<string>();
    const visit = (n: string) => {
        if (!seen.has(n)) {
            seen.add(n);
            byName.get(n)?.after.forEach(visit);
        }
    };
    visit(name);
    return [...seen];
}
