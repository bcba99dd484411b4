import * as assert from "assert";
import { FailoverLockedError } from "../../../automation/ports";
import { VirtualClock } from "../../../automation/simulation/clock";
import { documentOf, loadDocument } from "../../../automation/simulation/document";
import { standardWorld } from "../../../automation/simulation/standard-world";
import { artifactBuckets, CONFIG, MINUTE, NOW, rejection, timedWorld, world } from "./support";

describe("automation/simulation: the failover lock, identity and notifications", () => {
    it("takes the lock once; the holder's own run may take it again; another run is refused naming the holder", async () => {
        const w = world({ operator: "alice@ops-1" });
        const lock = w.ports().lock;
        await lock.acquire("failover-a");
        await lock.acquire("failover-a");
        const refused = await lock.acquire("failover-b").catch((error: unknown) => error);
        assert.ok(refused instanceof FailoverLockedError);
        assert.deepStrictEqual(refused.holder, {
            owner: "failover-a",
            since: NOW.toISOString(),
            by: "alice@ops-1",
        });
        assert.deepStrictEqual(await lock.holder(), refused.holder);
        assert.strictEqual(await lock.release("failover-b"), false);
        assert.strictEqual(await lock.release("failover-a"), true);
        assert.strictEqual(await lock.holder(), undefined);
        assert.deepStrictEqual(w.changes, ["lock failover-a", "unlock failover-a"]);
    });

    it("answers GetCallerIdentity with an assumed-role session of the operator", async () => {
        const identity = await world().ports().identity.callerIdentity();
        assert.strictEqual(identity.account, "123456789012");
        assert.strictEqual(
            identity.arn,
            "arn:aws:sts::123456789012:assumed-role/webank-dr-operator/rehearsal",
        );
        assert.match(identity.userId, /^AROA[A-Z0-9]{17}:rehearsal$/);
    });

    it("records notifications apart from the change log, and refuses a subject SNS would", async () => {
        const w = world();
        const topic = w.ports().notifications;
        await topic.publish("[SIMULATED] failover started", "run failover-a");
        assert.deepStrictEqual(w.notifications, [
            { subject: "[SIMULATED] failover started", message: "run failover-a" },
        ]);
        assert.deepStrictEqual(w.changes, []);
        assert.match(
            await rejection(topic.publish("x".repeat(100), "m")),
            /^InvalidParameter: Invalid parameter: Subject/,
        );
        assert.match(await rejection(topic.publish("two\nlines", "m")), /^InvalidParameter/);
    });
});

describe("automation/simulation: the virtual clock", () => {
    it("moves only while a sleep is pending; a ticker ticks on virtual time", async () => {
        const clock = new VirtualClock(NOW);
        const ticks: number[] = [];
        const stop = clock.every(30_000, () => ticks.push(clock.now().getTime() - NOW.getTime()));
        await clock.drive(clock.sleep(95_000));
        stop();
        assert.deepStrictEqual(ticks, [30_000, 60_000, 90_000]);
        assert.strictEqual(clock.now().getTime() - NOW.getTime(), 95_000);
        const real = new Promise<string>((resolve) => setTimeout(() => resolve("real"), 20));
        const ticker = clock.every(1000, () => undefined);
        assert.strictEqual(await clock.drive(real), "real");
        ticker();
        assert.strictEqual(clock.now().getTime() - NOW.getTime(), 95_000, "a ticker alone never moves time");
    });

    it("paces virtual minutes in real milliseconds when asked", async () => {
        const clock = new VirtualClock(NOW, 600);
        const started = Date.now();
        await clock.drive(clock.sleep(6_000));
        assert.ok(Date.now() - started >= 50, "0.1 virtual minute at 600 ms per minute");
    });

    it("keeps the schedules running as time passes: exports, bundles and replication stay current", async () => {
        const { world: w, clock } = timedWorld(() => 0);
        await clock.drive(clock.sleep(45 * MINUTE));
        const dr = w.ports().dr;
        const { dr: bucket } = artifactBuckets(w);
        const age = async (prefix: string) =>
            (clock.now().getTime() -
                (await clock.drive(dr.objects.newestObject(bucket, prefix)))!.lastModified.getTime()) /
            MINUTE;
        assert.ok((await age("argocd-exports/webank-primary/")) < 5, "the CronJob every 5 minutes");
        assert.ok((await age("git-bundles/webank/platform/")) < 5, "the mirror every 5 minutes");
        const latest = (await clock.drive(dr.database.replicatedBackups("webank-db")))!.latest;
        assert.strictEqual((clock.now().getTime() - latest.getTime()) / MINUTE, 4);
        assert.ok(
            Object.keys(w.state.clusters["webank-primary"].jobs).length <= 3,
            "the CronJob's history limit",
        );
    });
});

describe("automation/simulation: the standard world", () => {
    it("seeds 40-hex commits, a Helm history, a current kubeconfig context and nothing due at once", () => {
        const w = world();
        const refs = Object.values(w.state.git.remotes["https://github.com/webank/platform.git"].refs);
        refs.forEach((sha) => assert.match(sha, /^[0-9a-f]{40}$/));
        assert.deepStrictEqual(
            w.state.clusters["webank-primary"].helm["argocd/argocd"].revisions.map((r) => r.status),
            ["superseded", "deployed"],
        );
        assert.ok(w.state.kubeconfig.currentContext?.endsWith(":cluster/webank-primary"));
        w.settle();
        assert.deepStrictEqual(w.changes, []);
        assert.deepStrictEqual(w.state.scheduled, []);
    });

    it("round-trips through its JSON document: every map, date and body comes back", async () => {
        const w = world({ posture: "warm" });
        await w
            .ports()
            .home.objects.putObject(
                artifactBuckets(w).home,
                "bin",
                Buffer.from([0, 255, 1]),
                "application/octet-stream",
            );
        const text = JSON.stringify(documentOf(w, NOW));
        const copy = standardWorld(CONFIG, { now: new Date(0) });
        loadDocument(copy, JSON.parse(text));
        assert.strictEqual(JSON.stringify(documentOf(copy, NOW)), text);
        assert.deepStrictEqual(
            copy.home.buckets.get(artifactBuckets(w).home)?.get("bin")?.[0].body,
            Buffer.from([0, 255, 1]),
        );
        assert.ok(copy.home.instances.get("webank-db")?.latestRestorableTime instanceof Date);
    });

    it("activates the dr stack as its program does: the restored database, the cluster with Argo CD", async () => {
        const w = world();
        const dr = await w.ports().workspace.selectStack("dr");
        await dr.setConfig({
            "webank:activated": "true",
            "webank:restore": '{"source":"pitr","time":"latest"}',
        });
        const outputs = await dr.up({ onOutput: () => undefined });
        assert.strictEqual(outputs.clusterName, "webank-dr");
        assert.match(
            String(outputs.dbEndpoint),
            /^webank-db-dr-1\.[a-z0-9]{12}\.us-west-2\.rds\.amazonaws\.com:5432$/,
        );
        assert.strictEqual(w.dr.instances.get("webank-db-dr-1")?.status, "available");
        assert.ok(w.state.clusters["webank-dr"].argocd?.Application.platform);
        assert.match(
            await rejection(w.ports().workspace.removeStack("dr")),
            /still has resources; removal rejected/,
        );
    });
});
