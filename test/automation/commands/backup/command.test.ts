import * as assert from "assert";
import * as fs from "fs";
import {
    checkStackExport,
    onDemandSnapshotIdentifier,
} from "../../../../automation/commands/backup/artifacts";
import { backupDefinition } from "../../../../automation/commands/backup/definition";
import { OptionValues } from "../../../../automation/commands/definition";
import { drStackConfig } from "../../../../automation/commands/dr-config";
import { RecoveryPorts } from "../../../../automation/ports";
import { seededResources, standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { bundlePrefixOf } from "../../../../lib/artifacts";
import { bucketName, mirrorProjectName } from "../../../../lib/naming";
import { filesUnder, runDefinition } from "../../../support/commands";
import { archiveDir, journalFile as journalFileOf, readJournalFile } from "../../../support/journals";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import { useTempDir } from "../../../support/temp-dir";

const NOW = new Date("2026-11-25T03:00:00Z");
const config = drStackConfig();
const SNAPSHOT = "webank-ondemand-20261125t030000z";

/**
 * A simulated account on a normal day. Its mirror build and Argo CD export job write their
 * artifacts when they succeed, as the real jobs do; `mirrorWrites: false` points the mirror
 * elsewhere and `argocdWrites: false` makes the export job upload nothing, to test the checks
 * that an artifact really appeared. `state.now` moves the account's clock.
 */
function setup(
    jobs: { mirrorWrites: boolean; argocdWrites: boolean } = { mirrorWrites: true, argocdWrites: true },
) {
    const state = { now: NOW };
    const world = standardWorld(config, { now: NOW, clock: () => state.now });
    const artifacts = bucketName(config.prefix, "artifacts", world.accountId, config.homeRegion);
    const project = mirrorProjectName(config.prefix);
    if (!jobs.mirrorWrites) {
        world.state.mirrorProjects[project] = {
            ...world.state.mirrorProjects[project],
            prefix: "elsewhere/",
        };
    }
    if (!jobs.argocdWrites) {
        // The job runs and succeeds but uploads nothing (a wrong bucket, a silent upload error).
        world.commandHandlers.set("kubectl -n argocd create job", () => "job.batch/argocd-export created\n");
        world.commandHandlers.set("kubectl -n argocd wait", () => "job.batch/argocd-export condition met\n");
    }
    const restoreMirror = () => {
        world.state.mirrorProjects[project] = {
            ...world.state.mirrorProjects[project],
            prefix: bundlePrefixOf(config.platform.mirror.repository),
        };
    };
    current = world;
    return { world, ports: world.ports(), artifacts, state, restoreMirror };
}

/** The world of the test's last setup(), which run() reads its output from. */
let current: SimulatedWorld | undefined;

const count = (items: readonly string[], pattern: RegExp) =>
    items.filter((item) => pattern.test(item)).length;

/** A backup discards nothing, and renames no instance and imports no stack state either. */
const KEEPS = { alsoForbidden: /rename|import/ };

describe("automation/commands/backup", () => {
    const dir = useTempDir("backup-");
    const journalFile = () => journalFileOf(dir(), "backup");
    const run = (ports: RecoveryPorts, values: OptionValues = {}, world: SimulatedWorld = current!) =>
        runDefinition(backupDefinition, { yes: true, ...values }, { world, ports, config, workDir: dir() });
    const journaled = () => readJournalFile(journalFile()).steps.map((s) => s.step);
    const archives = () => filesUnder(archiveDir(dir(), "backup"));

    it("snapshots, copies, backs up, exports and triggers both jobs, verifying each", async () => {
        const { world, ports, artifacts } = setup();
        const account = world.accountId;
        assert.strictEqual(await run(ports, { label: "before-release-42" }), 0, world.lines.join("\n"));

        const rdsArn = `arn:aws:rds:us-east-1:${account}:db:webank-db`;
        const volumeArn = seededResources(config).volumeArn;
        const drVault = `arn:aws:backup:us-west-2:${account}:backup-vault:webank-vault`;
        const changes = world.changes;
        assert.ok(changes.includes(`home rds snapshot webank-db -> ${SNAPSHOT}`), changes.join("\n"));
        assert.ok(
            changes.includes(
                `dr rds copy arn:aws:rds:us-east-1:${account}:snapshot:${SNAPSHOT} -> ${SNAPSHOT} (key alias/webank-data)`,
            ),
        );
        assert.ok(changes.includes(`home backup job ${rdsArn} -> webank-vault`));
        assert.ok(changes.includes(`home backup job ${volumeArn} -> webank-vault`));
        assert.strictEqual(count(changes, /^home backup job /), 2);
        assert.strictEqual(count(changes, new RegExp(`^home backup copy .* -> ${drVault}$`)), 2);
        for (const stack of ["primary", "dr"]) {
            assert.ok(
                changes.includes(
                    `home s3 put s3://${artifacts}/stack-exports/${stack}/20261125T030000Z.json`,
                ),
            );
            const stored = world.home.buckets
                .get(artifacts)
                ?.get(`stack-exports/${stack}/20261125T030000Z.json`);
            assert.strictEqual(stored?.[0].body.toString(), world.stacks.get(stack)?.deployment);
        }
        assert.ok(changes.includes("codebuild start webank-source-mirror"));
        assert.ok(
            world.commandsRun.includes(
                "kubectl -n argocd create job --from=cronjob/argocd-export argocd-export-20261125t030000z",
            ),
            world.commandsRun.join("\n"),
        );
        assert.ok(
            world.commandsRun.some((c) =>
                /^kubectl -n argocd wait --for=condition=complete job\/argocd-export-20261125t030000z --timeout=\d+s$/.test(
                    c,
                ),
            ),
        );
        // The copies landed in the DR vault: the two seeded points plus one per resource.
        assert.strictEqual(world.dr.vaults.get("webank-vault")?.length, 4);
        assertNothingDeleted(world, KEEPS);

        const text = world.lines.join("\n");
        assert.match(text, /label before-release-42/);
        assert.match(text, /backup complete: .*\n(.*\n)*every artifact was made and verified:/);
        assert.match(
            text,
            new RegExp(`rds-snapshot: RDS snapshot arn:aws:rds:us-east-1:${account}:snapshot:${SNAPSHOT}`),
        );
        assert.match(
            text,
            new RegExp(
                `rds-snapshot-copy: RDS snapshot copy arn:aws:rds:us-west-2:${account}:snapshot:${SNAPSHOT}`,
            ),
        );
        assert.strictEqual(count(world.lines, /^ {2}backup-jobs: recovery point /), 2);
        assert.strictEqual(
            count(world.lines, /^ {2}backup-copies: DR recovery point arn:aws:[a-z0-9]+:us-west-2:/),
            2,
        );
        assert.strictEqual(count(world.lines, /^ {2}stack-exports: stack export s3:\/\//), 2);
        assert.match(
            text,
            /mirror: git bundle s3:\/\/.*git-bundles\/webank\/platform\/20261125T030000Z\.bundle/,
        );
        assert.match(
            text,
            /argocd-export: Argo CD export s3:\/\/.*argocd-exports\/webank-primary\/20261125T030000Z\.yaml/,
        );
        // The finished journal is archived, so the next backup is a new run.
        assert.ok(!fs.existsSync(journalFile()));
        assert.strictEqual(archives().length, 1);
        assert.match(archives()[0], /^backup-2026-11-25T03-00-00-000Z-[0-9a-f]{6}\.json$/);
    });

    it("prints the steps in waves on --dry-run and changes nothing", async () => {
        const { world, ports } = setup();
        assert.strictEqual(await run(ports, { "dry-run": true }), 0, world.lines.join("\n"));
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(world.commandsRun, []);
        assert.deepStrictEqual(filesUnder(dir()), [], "no journal, no report");
        const text = world.lines.join("\n");
        assert.match(text, /^DRY RUN: on-demand backup of webank .*; nothing will be changed or written\./);
        assert.match(
            text,
            /1\. rds-snapshot: .* \| backup-jobs: .* \| stack-exports: .* \| mirror: .* \| argocd-export: .*\(concurrently\)/,
        );
        assert.match(text, /2\. rds-snapshot-copy: .* \| backup-copies: /);
        assert.match(text, /2 protected resource\(s\) in webank-vault/);
    });

    it("stops after a failed snapshot copy, and a re-run resumes without repeating the snapshot or the jobs", async () => {
        const { world, ports } = setup();
        world.failNext("dr.database.copySnapshot", new Error("KMSKeyNotAccessibleFault: alias/webank-data"));
        assert.strictEqual(await run(ports, { label: "before-release-42" }), 1);
        const text = world.lines.join("\n");
        assert.match(text, /step rds-snapshot-copy failed: KMSKeyNotAccessibleFault/);
        assert.match(
            text,
            /resume with:\n {2}npm run dr -- backup --label before-release-42 --simulate --yes/,
        );
        const done = journaled();
        for (const step of ["rds-snapshot", "backup-jobs", "stack-exports", "mirror", "argocd-export"]) {
            assert.ok(done.includes(step), `${step} in ${done.join(", ")}`);
        }
        assert.ok(!done.includes("rds-snapshot-copy"));
        assert.strictEqual(count(world.changes, /^dr rds copy /), 0);
        assertNothingDeleted(world, KEEPS);

        const snapshotCalls = count(world.calls, /^home\.database\.createSnapshot$/);
        const jobCalls = count(world.calls, /^home\.backup\.startBackupJob$/);
        const exportPuts = count(world.changes, /^home s3 put .*stack-exports\//);
        world.lines.length = 0;
        assert.strictEqual(await run(ports, { label: "before-release-42" }), 0, world.lines.join("\n"));
        assert.strictEqual(count(world.calls, /^home\.database\.createSnapshot$/), snapshotCalls);
        assert.strictEqual(count(world.calls, /^home\.backup\.startBackupJob$/), jobCalls);
        assert.strictEqual(count(world.changes, /^home s3 put .*stack-exports\//), exportPuts);
        assert.strictEqual(count(world.changes, /^home rds snapshot /), 1);
        assert.strictEqual(count(world.changes, /^home backup job /), 2);
        assert.strictEqual(count(world.changes, /^home backup copy /), 2);
        assert.strictEqual(count(world.changes, /^codebuild start /), 1);
        assert.ok(
            world.changes.includes(
                `dr rds copy arn:aws:rds:us-east-1:${world.accountId}:snapshot:${SNAPSHOT} -> ${SNAPSHOT} (key alias/webank-data)`,
            ),
        );
        assert.match(world.lines.join("\n"), /skip {2}rds-snapshot/);
        // The summary lists the artifacts of the first attempt too.
        assert.match(world.lines.join("\n"), /rds-snapshot: RDS snapshot arn:/);
        assertNothingDeleted(world, KEEPS);
    });

    it("resumes the DR copies of the recovery points an interrupted run made, starting no second backup job", async () => {
        const { world, ports } = setup();
        world.failNext("home.backup.waitCopyJob", new Error("copy job timed out after 240 minutes"));
        assert.strictEqual(await run(ports), 1);
        assert.ok(journaled().includes("backup-jobs"));
        assert.ok(!journaled().includes("backup-copies"));
        assert.match(world.lines.join("\n"), /1 of 2 copy jobs failed: .*timed out/);
        const made = world.changes.filter((c) => c.startsWith("home backup job ")).length;
        const points = (world.home.vaults.get("webank-vault") ?? []).filter((p) => p.createdAt >= NOW);
        assert.strictEqual(points.length, 2);

        const jobCalls = count(world.calls, /^home\.backup\.startBackupJob$/);
        assert.strictEqual(await run(ports), 0, world.lines.join("\n"));
        assert.strictEqual(count(world.calls, /^home\.backup\.startBackupJob$/), jobCalls);
        assert.strictEqual(count(world.changes, /^home backup job /), made);
        // Each of this run's recovery points was copied exactly once; the seeded older ones were not.
        for (const point of points) {
            assert.strictEqual(count(world.changes, new RegExp(`^home backup copy ${point.arn} -> `)), 1);
        }
        assert.strictEqual(count(world.changes, /^home backup copy /), 2);
        assertNothingDeleted(world, KEEPS);
    });

    it("fails the mirror step when the build writes no new bundle, and resumes when one appears", async () => {
        const { world, ports, artifacts, restoreMirror } = setup({ mirrorWrites: false, argocdWrites: true });
        assert.strictEqual(await run(ports), 1);
        const text = world.lines.join("\n");
        assert.match(
            text,
            new RegExp(
                `step mirror failed: the mirror build webank-source-mirror:[0-9a-f-]{36} reported success, but no new object appeared under s3://${artifacts}/git-bundles/webank/platform/ since 2026-11-25T03:00:00.000Z \\(the newest is git-bundles/webank/platform/20261125T024700Z.bundle from 2026-11-25T02:48:00.000Z\\); read the build log in /aws/codebuild/webank-source-mirror`,
            ),
        );
        assert.ok(!journaled().includes("mirror"));
        assert.ok(journaled().includes("rds-snapshot-copy") || journaled().includes("rds-snapshot"));
        assertNothingDeleted(world, KEEPS);

        restoreMirror();
        const snapshotCalls = count(world.calls, /^home\.database\.createSnapshot$/);
        assert.strictEqual(await run(ports), 0, world.lines.join("\n"));
        assert.strictEqual(count(world.calls, /^home\.database\.createSnapshot$/), snapshotCalls);
        assert.strictEqual(count(world.changes, /^codebuild start /), 2, "the mirror step ran again");
        assertNothingDeleted(world, KEEPS);
    });

    it("fails the Argo CD step when the job uploads no new export, naming the kubectl context to check", async () => {
        const { world, ports } = setup({ mirrorWrites: true, argocdWrites: false });
        world.commandHandlers.set("kubectl config current-context", () => "staging");
        assert.strictEqual(await run(ports), 1);
        const text = world.lines.join("\n");
        assert.match(text, /warning: kubectl context staging does not name webank-primary/);
        assert.match(
            text,
            /step argocd-export failed: the Argo CD export job argocd-export-20261125t030000z reported success, but no new object appeared under s3:\/\/.*\/argocd-exports\/webank-primary\/ .*is kubectl's context \(staging\) the primary cluster webank-primary \(aws eks update-kubeconfig --region us-east-1 --name webank-primary\)\?/,
        );
        assert.ok(!journaled().includes("argocd-export"));
        assertNothingDeleted(world, KEEPS);
    });

    it("stops the Argo CD step when kubectl has no context, saying how to select the primary cluster", async () => {
        const { world, ports } = setup();
        world.commandHandlers.set("kubectl config current-context", () => {
            throw new Error("kubectl config current-context: error: current-context is not set");
        });
        assert.strictEqual(await run(ports), 1);
        assert.match(
            world.lines.join("\n"),
            /step argocd-export failed: kubectl has no usable context \(.*current-context is not set\); select the primary cluster with: aws eks update-kubeconfig --region us-east-1 --name webank-primary/,
        );
        assert.ok(!world.commandsRun.some((c) => c.includes("create job")));
        assertNothingDeleted(world, KEEPS);
    });

    it("refuses to store an invalid stack export, naming the stack, and stores the valid one", async () => {
        const { world, ports, artifacts } = setup();
        world.stacks.get("dr")!.deployment = "{}";
        assert.strictEqual(await run(ports), 1);
        assert.match(
            world.lines.join("\n"),
            /1 of 2 stack exports failed: dr: the export of stack dr has no deployment/,
        );
        assert.ok(
            world.changes.includes(
                `home s3 put s3://${artifacts}/stack-exports/primary/20261125T030000Z.json`,
            ),
        );
        assert.strictEqual(count(world.changes, /stack-exports\/dr\//), 0);
        assert.ok(!journaled().includes("stack-exports"));
        assertNothingDeleted(world, KEEPS);
    });

    it("rejects an invalid --label before any change or read", async () => {
        for (const label of ["Before_Release", "a".repeat(41), ""]) {
            const { world, ports } = setup();
            assert.strictEqual(await run(ports, { label }), 2);
            assert.deepStrictEqual(world.changes, []);
            assert.deepStrictEqual(world.calls, []);
            assert.deepStrictEqual(filesUnder(dir()), []);
            assert.match(world.lines.join("\n"), new RegExp(`--label must .*; got "${label}"`));
        }
    });

    it("starts new AWS Backup jobs on a resume after a job FAILED, not the failed ones again", async () => {
        const { world, ports } = setup();
        world.failNext("home.backup.waitBackupJob", new Error("backup job FAILED: volume in use"));
        assert.strictEqual(await run(ports), 1);
        // A FAILED job leaves no completed recovery point (AWS Backup, "Backup job statuses").
        const vault = world.home.vaults.get("webank-vault")!;
        world.home.vaults.set(
            "webank-vault",
            vault.filter((p) => p.createdAt < NOW),
        );
        const tokens = () => world.changes.filter((c) => c.startsWith("home backup job ")).length;
        const before = tokens();
        assert.strictEqual(await run(ports), 0, world.lines.join("\n"));
        assert.ok(tokens() > before, "the resumed run started new jobs (a new idempotency token)");
    });

    it("starts a new run after a finished one, stamped with its own start", async () => {
        const { world, ports, state } = setup();
        assert.strictEqual(await run(ports), 0);
        const later = new Date("2026-11-25T05:30:00Z");
        state.now = later;
        assert.strictEqual(await run({ ...ports, now: () => later }), 0, world.lines.join("\n"));
        assert.ok(world.changes.includes(`home rds snapshot webank-db -> ${SNAPSHOT}`));
        assert.ok(world.changes.includes("home rds snapshot webank-db -> webank-ondemand-20261125t053000z"));
        assert.strictEqual(onDemandSnapshotIdentifier("webank", later), "webank-ondemand-20261125t053000z");
        assert.strictEqual(count(world.changes, /^codebuild start /), 2);
        assert.strictEqual(archives().length, 2);
        assertNothingDeleted(world, KEEPS);
    });

    it("checks stack exports", () => {
        checkStackExport("primary", JSON.stringify({ version: 3, deployment: { resources: [] } }));
        checkStackExport("primary", JSON.stringify({ version: 3, checkpoint: { stack: "primary" } }));
        assert.throws(() => checkStackExport("dr", ""), /export of stack dr is not JSON/);
        assert.throws(() => checkStackExport("dr", "[]"), /export of stack dr has no deployment/);
        assert.throws(
            () => checkStackExport("dr", '{"deployment": null}'),
            /export of stack dr has no deployment/,
        );
    });
});
