import * as assert from "assert";
import { parseFlags } from "../../../../automation/cli/parse-flags";
import { COMMANDS } from "../../../../automation/cli/registry";
import { restoreClusterDefinition } from "../../../../automation/commands/restore/cluster/definition";
import { seedClusterBackup } from "../../../../automation/simulation/backup-eks";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { HEARTBEAT_CRONJOB_NAME, HEARTBEAT_NAMESPACE } from "../../../../lib/heartbeat-writer";
import { backupVaultName, clusterName } from "../../../../lib/naming";
import { UsageError } from "../../../../automation/run/refusal";
import { makeTempDir } from "../../../support/temp-dir";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import {
    archived,
    assertRefused,
    CONFIG,
    dispose,
    Harness,
    journaled,
    NOW,
    reports,
    runWith,
    text,
} from "./support";

/*
 * `restore cluster` rehearsed end to end in the simulated account: the primary cluster's EKS
 * composite recovery point, copied to the DR vault, restored into a warm standby's cluster
 * (non-destructively: what is there stays), the job followed to COMPLETED, then the cluster
 * checked (Argo CD's applications, the heartbeat CronJob). Every flag's typo and bad value is
 * refused before anything is read or changed.
 */

const OPERATION = "restore-cluster";
const WARM = { ...CONFIG, dr: { ...CONFIG.dr, posture: "warm" as const } };
const VAULT = backupVaultName(CONFIG.prefix);
const PRIMARY = clusterName(CONFIG.prefix, "primary");
const DR = clusterName(CONFIG.prefix, "dr");
const HEARTBEAT = `${HEARTBEAT_NAMESPACE}/${HEARTBEAT_CRONJOB_NAME}`;

/** A warm standby's account whose primary cluster runs the heartbeat CronJob (components/heartbeat.ts). */
function warmHarness(restoreMinutes = 0): Harness {
    const box: { clock: Date } = { clock: NOW };
    const world = standardWorld(WARM, {
        now: NOW,
        clock: () => box.clock,
        posture: "warm",
        // The restore job alone takes time; the run's sleeps move the virtual clock.
        durations: (operation) => (operation === "background.backup.restore" ? restoreMinutes * 60_000 : 0),
        sleep: (ms) => {
            box.clock = new Date(box.clock.getTime() + ms);
            return Promise.resolve();
        },
    });
    world.state.clusters[PRIMARY].cronJobs[HEARTBEAT] = {
        name: HEARTBEAT_CRONJOB_NAME,
        namespace: HEARTBEAT_NAMESPACE,
        periodMinutes: 1,
        lastScheduleTime: NOW.toISOString(),
    };
    return Object.assign(box, { dir: makeTempDir("restore-cluster-"), world, config: WARM });
}

/** The primary cluster's backup, `minutesAgo` old, copied into the DR vault. */
function backupInDrVault(h: Harness, minutesAgo: number, volumeArns: string[] = []): string {
    return seedClusterBackup(h.world, {
        side: "dr",
        vaultName: VAULT,
        clusterName: PRIMARY,
        sourceSide: "home",
        at: new Date(NOW.getTime() - minutesAgo * 60_000),
        volumeArns,
    });
}

describe("automation/commands/restore/cluster: restore cluster", function () {
    this.timeout(60_000);
    let h: Harness;
    beforeEach(() => {
        h = warmHarness();
    });
    afterEach(() => dispose(h));

    it("is registered under restore cluster with the change flags", () => {
        assert.ok(COMMANDS.includes(restoreClusterDefinition));
        assert.deepStrictEqual(restoreClusterDefinition.path, ["restore", "cluster"]);
        for (const flag of ["dry-run", "yes", "journal"]) {
            assert.ok(flag in restoreClusterDefinition.options, flag);
        }
    });

    it("restores the newest composite point into the DR cluster, waits, verifies, and measures RPO and RTO", async () => {
        backupInDrVault(h, 600);
        const newest = backupInDrVault(h, 90);
        assert.ok(!h.world.state.clusters[DR].cronJobs[HEARTBEAT], "the standby has no heartbeat yet");
        const code = await runWith(h, restoreClusterDefinition, {});
        assert.strictEqual(code, 0, text(h));
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight", "restore", "wait-restore", "verify"]);
        assert.ok(h.world.state.clusters[DR].cronJobs[HEARTBEAT], "the heartbeat CronJob restored");
        assert.match(
            text(h),
            new RegExp(`restore ${newest.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(taken`),
        );
        assert.match(text(h), /restore job [0-9A-F-]{36} COMPLETED/);
        assert.match(text(h), /CronJob webank-dr\/heartbeat/);
        const [report] = reports(h);
        assert.strictEqual(report.measurements?.rpo?.minutes, 90);
        assert.ok(report.measurements?.rto !== undefined);
        const job = Object.values(h.world.state.eks?.restoreJobs ?? {})[0];
        assert.strictEqual(job.clusterName, DR);
        assertNothingDeleted(h.world);
    });

    it("follows a long restore job with progress lines until it completes", async () => {
        dispose(h);
        h = warmHarness(20);
        backupInDrVault(h, 90);
        assert.strictEqual(await runWith(h, restoreClusterDefinition, {}), 0, text(h));
        assert.match(text(h), /restore job [0-9A-F-]{36}: RUNNING 0\.00%/);
        const [report] = reports(h);
        assert.ok((report.measurements?.rto?.minutes ?? 0) >= 20, JSON.stringify(report.measurements));
    });

    it("gives up after the bound (exit 1, resumable), the job left running, and resumes to wait again", async () => {
        dispose(h);
        h = warmHarness(200);
        backupInDrVault(h, 90);
        assert.strictEqual(await runWith(h, restoreClusterDefinition, {}), 1, text(h));
        assert.match(
            text(h),
            /was not complete after 180 minutes \(RUNNING\); check it with: aws backup describe-restore-job --region us-west-2 --restore-job-id /,
        );
        assert.strictEqual(await runWith(h, restoreClusterDefinition, {}), 0, text(h));
        assert.strictEqual(
            Object.keys(h.world.state.eks?.restoreJobs ?? {}).length,
            1,
            "resumed, not restarted",
        );
    });

    it("restores a named point, with namespaces and manifests only, as AWS Backup's metadata says", async () => {
        const older = backupInDrVault(h, 600);
        backupInDrVault(h, 90);
        const code = await runWith(h, restoreClusterDefinition, {
            "recovery-point": older,
            namespaces: `${HEARTBEAT_NAMESPACE},argocd`,
            "manifests-only": true,
        });
        assert.strictEqual(code, 0, text(h));
        const job = Object.values(h.world.state.eks?.restoreJobs ?? {})[0];
        assert.strictEqual(job.recoveryPointArn, older);
        assert.deepStrictEqual(job.namespaces, [HEARTBEAT_NAMESPACE, "argocd"]);
    });

    it("refuses a point with EBS volumes without --volumes-az, and restores them with it", async () => {
        const volume = `arn:aws:ec2:${CONFIG.homeRegion}:123456789012:volume/vol-0123456789abcdef0`;
        backupInDrVault(h, 90, [volume]);
        await assertRefused(
            h,
            () => runWith(h, restoreClusterDefinition, {}),
            /--volumes-az must be given: .* holds 1 EBS volume/,
        );
        const code = await runWith(h, restoreClusterDefinition, { "volumes-az": `${CONFIG.drRegion}b` });
        assert.strictEqual(code, 0, text(h));
    });

    it("refuses a named point that is not in the DR vault, naming it, before anything changes", async () => {
        backupInDrVault(h, 90);
        const absent = `arn:aws:backup:${CONFIG.drRegion}:123456789012:recovery-point:composite:eks/${PRIMARY}-20261101000000`;
        await assertRefused(
            h,
            () => runWith(h, restoreClusterDefinition, { "recovery-point": absent }),
            /--recovery-point must name a COMPLETED composite recovery point .* it is not there; got/,
        );
    });

    it("fails (exit 1, resumable) when the DR vault holds no cluster point yet, changing nothing", async () => {
        const code = await runWith(h, restoreClusterDefinition, {});
        assert.strictEqual(code, 1, text(h));
        assert.match(
            text(h),
            /no COMPLETED composite recovery point of arn:aws:eks:us-east-1:\d{12}:cluster\/webank-primary in webank-vault/,
        );
        assert.deepStrictEqual(
            h.world.changes.filter((c) => c.includes("eks restore")),
            [],
        );
    });

    it("fails at verify when the restored cluster has no heartbeat CronJob, and resumes there", async () => {
        delete h.world.state.clusters[PRIMARY].cronJobs[HEARTBEAT];
        backupInDrVault(h, 90);
        assert.strictEqual(await runWith(h, restoreClusterDefinition, {}), 1, text(h));
        assert.match(text(h), /cronjobs.batch "heartbeat" not found/);
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight", "restore", "wait-restore"]);
        // The CronJob appears (Argo CD synced it): the resumed run verifies without a second restore.
        h.world.state.clusters[DR].cronJobs[HEARTBEAT] = {
            name: HEARTBEAT_CRONJOB_NAME,
            namespace: HEARTBEAT_NAMESPACE,
            periodMinutes: 1,
            lastScheduleTime: NOW.toISOString(),
        };
        assert.strictEqual(await runWith(h, restoreClusterDefinition, {}), 0, text(h));
        assert.strictEqual(Object.keys(h.world.state.eks?.restoreJobs ?? {}).length, 1, "one restore job");
        assert.strictEqual(archived(h, OPERATION).length, 1);
    });

    it("fails (exit 1) when AWS Backup ends the job FAILED, naming the job and how to check it", async () => {
        backupInDrVault(h, 90);
        const standby = h.world.state.clusters[DR];
        delete (h.world.state.clusters as Record<string, unknown>)[DR];
        assert.strictEqual(await runWith(h, restoreClusterDefinition, {}), 1, text(h));
        assert.match(
            text(h),
            /restore job [0-9A-F-]{36} ended FAILED: Cluster webank-dr not found; check it with: aws backup describe-restore-job --region us-west-2/,
        );
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight", "restore"]);
        assert.ok(standby);
    });

    it("refuses a pilot light, which has no cluster to restore into", async () => {
        const pilot = { ...h, config: CONFIG } as Harness;
        backupInDrVault(h, 90);
        await assertRefused(
            pilot,
            () => runWith(pilot, restoreClusterDefinition, {}),
            /the dr stack runs no cluster/,
        );
    });
});

describe("automation/commands/restore/cluster: the flags", () => {
    const parse = (values: Record<string, unknown>) =>
        restoreClusterDefinition.parse(values as never, { config: CONFIG, now: NOW, simulated: true });
    const refused = (values: Record<string, unknown>, message: RegExp) =>
        assert.throws(
            () => parse(values),
            (e: unknown) => e instanceof UsageError && message.test(e.problems.join("\n")),
        );

    it("the CLI refuses typos, suggesting the flag, and values given to switches", () => {
        for (const [typo, flag] of [
            ["--recovery-piont", "--recovery-point"],
            ["--namespace", "--namespaces"],
            ["--manifest-only", "--manifests-only"],
            ["--volume-az", "--volumes-az"],
        ]) {
            const parsed = parseFlags([typo, "x"], restoreClusterDefinition);
            assert.match(
                parsed.problems.join("\n"),
                new RegExp(`${typo} must be a flag of restore cluster.*did you mean ${flag}\\?`),
            );
        }
        assert.match(
            parseFlags(["--manifests-only=yes"], restoreClusterDefinition).problems.join("\n"),
            /--manifests-only must be given without a value/,
        );
        assert.match(
            parseFlags(["--recovery-point"], restoreClusterDefinition).problems.join("\n"),
            /--recovery-point must be given a value/,
        );
    });

    it("takes the defaults: the newest point, the whole cluster, volumes too", () => {
        const request = parse({});
        assert.strictEqual(request.recoveryPoint, undefined);
        assert.strictEqual(request.namespaces, undefined);
        assert.strictEqual(request.manifestsOnly, false);
    });

    it("refuses a recovery point that is not a composite EKS point of the DR region", () => {
        for (const bad of [
            "newest",
            `arn:aws:backup:${CONFIG.homeRegion}:123456789012:recovery-point:composite:eks/webank-primary-20261125`,
            `arn:aws:backup:${CONFIG.drRegion}:123456789012:recovery-point:eks/webank-primary-20261125`,
            `arn:aws:backup:${CONFIG.drRegion}:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`,
        ]) {
            refused(
                { "recovery-point": bad },
                /--recovery-point must be the ARN of a composite EKS recovery point in the DR vault/,
            );
        }
    });

    it("refuses bad namespaces: a bad name, more than five, one twice, an empty entry", () => {
        for (const bad of ["Webank", "a,b,c,d,e,f", "argocd,argocd", "argocd,", "web_ank"]) {
            refused({ namespaces: bad }, /--namespaces must be 1 to 5 distinct Kubernetes namespace names/);
        }
        assert.deepStrictEqual(parse({ namespaces: "argocd, webank-dr" }).namespaces, [
            "argocd",
            "webank-dr",
        ]);
    });

    it("refuses a zone of another region, and a zone with --manifests-only", () => {
        refused(
            { "volumes-az": `${CONFIG.homeRegion}a` },
            /--volumes-az must be an Availability Zone of the DR region us-west-2/,
        );
        refused({ "volumes-az": CONFIG.drRegion }, /--volumes-az must be an Availability Zone/);
        refused(
            { "volumes-az": `${CONFIG.drRegion}a`, "manifests-only": true },
            /--volumes-az must not be given with --manifests-only/,
        );
    });

    it("refuses values of the wrong type from a caller that skips the CLI", () => {
        refused({ "manifests-only": "yes" }, /--manifests-only must be given without a value/);
        refused({ namespaces: 5 }, /--namespaces must be given a text value/);
    });
});
