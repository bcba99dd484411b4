import * as assert from "assert";
import { seededResources } from "../../../automation/simulation/standard-world";
import { artifactBuckets, CONFIG, MINUTE, NOW, rejection, timedWorld, world } from "./support";

const SOURCE = "webank-db";
const VAULT = "webank-vault";
const DR_VAULT_ARN = `arn:aws:backup:${CONFIG.drRegion}:123456789012:backup-vault:${VAULT}`;

describe("automation/simulation: RDS", () => {
    it("restores an instance `creating`, available after the restore's background time", async () => {
        const { world: w, clock } = timedWorld((op) => (op === "background.rds.restore" ? 30 * MINUTE : 0));
        const db = w.ports().home.database;
        const like = (await db.describeInstance(SOURCE))!;
        await clock.drive(db.restoreToPointInTime(SOURCE, "webank-db-r1", "latest", like));
        assert.strictEqual((await clock.drive(db.describeInstance("webank-db-r1")))?.status, "creating");
        await clock.drive(db.waitAvailable("webank-db-r1", 90));
        const restored = (await clock.drive(db.describeInstance("webank-db-r1")))!;
        assert.strictEqual(restored.status, "available");
        assert.strictEqual(clock.now().getTime() - NOW.getTime(), 30 * MINUTE);
        assert.match(restored.endpoint!, /^webank-db-r1\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com:5432$/);
        assert.deepStrictEqual(restored.securityGroupIds, like.securityGroupIds, "the source's settings");
        assert.strictEqual(restored.latestRestorableTime, undefined, "no backup of its own yet");
    });

    it("times out a wait that the restore outlasts, saying how to check", async () => {
        const { world: w, clock } = timedWorld((op) => (op === "background.rds.restore" ? 120 * MINUTE : 0));
        const db = w.ports().home.database;
        await clock.drive(
            db.restoreToPointInTime(SOURCE, "webank-db-r1", "latest", (await db.describeInstance(SOURCE))!),
        );
        assert.match(
            await rejection(clock.drive(db.waitAvailable("webank-db-r1", 90))),
            /webank-db-r1 was not available after 90 minutes; check it with: aws rds describe-db-instances --region us-east-1/,
        );
        assert.strictEqual(clock.now().getTime() - NOW.getTime(), 90 * MINUTE);
    });

    it("renames an instance with its endpoint and refuses names that exist or instances that do not", async () => {
        const w = world();
        const db = w.ports().home.database;
        await db.renameInstance(SOURCE, "webank-db-old");
        assert.match((await db.describeInstance("webank-db-old"))!.endpoint!, /^webank-db-old\./);
        assert.strictEqual(await db.describeInstance(SOURCE), undefined);
        assert.match(await rejection(db.renameInstance(SOURCE, "x")), /^DBInstanceNotFound/);
        await db.restoreToPointInTime(
            "webank-db-old",
            "webank-db-r1",
            "latest",
            (await db.describeInstance("webank-db-old"))!,
        );
        assert.match(
            await rejection(db.renameInstance("webank-db-r1", "webank-db-old")),
            /^DBInstanceAlreadyExists/,
        );
        assert.deepStrictEqual(w.changes.slice(0, 1), ["home rds rename webank-db -> webank-db-old"]);
    });

    it("copies only a snapshot that exists, and keeps the replicated backups trailing while the source lives", async () => {
        const { world: w, clock } = timedWorld(() => 0);
        const ports = w.ports();
        assert.match(
            await rejection(
                ports.dr.database.copySnapshot(
                    "arn:aws:rds:us-east-1:123456789012:snapshot:none",
                    "none",
                    "alias/k",
                    10,
                ),
            ),
            /^DBSnapshotNotFound/,
        );
        await clock.drive(clock.sleep(60 * MINUTE));
        const backups = (await clock.drive(ports.dr.database.replicatedBackups(SOURCE)))!;
        assert.strictEqual(NOW.getTime() + 60 * MINUTE - backups.latest.getTime(), 4 * MINUTE);
    });
});

describe("automation/simulation: AWS Backup", () => {
    it("lists a job's recovery point once it completes, and a repeated token starts no second job", async () => {
        const { world: w, clock } = timedWorld((op) => (op === "background.backup.job" ? 20 * MINUTE : 0));
        const backup = w.ports().home.backup;
        const job = {
            vaultName: VAULT,
            resourceArn: seededResources(CONFIG).databaseArn,
            iamRoleArn: "arn:aws:iam::123456789012:role/b",
            idempotencyToken: "t1",
        };
        const id = await clock.drive(backup.startBackupJob(job));
        assert.match(id, /^[0-9A-F-]{36}$/);
        assert.strictEqual(await clock.drive(backup.startBackupJob(job)), id);
        assert.strictEqual(
            (await clock.drive(
                backup.newestRecoveryPoint(VAULT, { resourceType: "RDS" }),
            ))!.createdAt.getTime(),
            NOW.getTime() - 50 * MINUTE,
        );
        const point = await clock.drive(backup.waitBackupJob(id, 240));
        assert.strictEqual(point.createdAt.getTime(), NOW.getTime(), "created when the job started");
        assert.strictEqual(clock.now().getTime() - NOW.getTime(), 20 * MINUTE);
        const copy = await clock.drive(
            backup.startCopyJob({
                sourceVaultName: VAULT,
                recoveryPointArn: point.arn,
                destinationVaultArn: DR_VAULT_ARN,
                iamRoleArn: job.iamRoleArn,
                idempotencyToken: "c1",
            }),
        );
        const copied = await clock.drive(backup.waitCopyJob(copy, 240));
        assert.match(copied, /^arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:job-/);
        const drPoint = w.dr.vaults.get(VAULT)!.find((p) => p.arn === copied);
        assert.ok(drPoint, "the copy is in the DR vault");
        // AWS Backup: a copy keeps its source's creation date, not the copy's (the data's age).
        assert.strictEqual(drPoint.createdAt.getTime(), point.createdAt.getTime());
        assert.strictEqual(w.changes.filter((c) => c.startsWith("home backup job")).length, 1);
    });

    it("refuses a job into a vault that does not exist and a copy of a point it does not hold", async () => {
        const backup = world().ports().home.backup;
        const role = "arn:aws:iam::123456789012:role/b";
        assert.match(
            await rejection(
                backup.startBackupJob({
                    vaultName: "nope",
                    resourceArn: "arn:aws:rds:us-east-1:123456789012:db:x",
                    iamRoleArn: role,
                    idempotencyToken: "t",
                }),
            ),
            /^ResourceNotFoundException: Backup vault nope does not exist/,
        );
        assert.match(
            await rejection(
                backup.startCopyJob({
                    sourceVaultName: VAULT,
                    recoveryPointArn: "arn:aws:backup:us-east-1:1:recovery-point:x",
                    destinationVaultArn: DR_VAULT_ARN,
                    iamRoleArn: role,
                    idempotencyToken: "c",
                }),
            ),
            /^ResourceNotFoundException: Recovery point/,
        );
    });

    it("runs the backup plans on their schedule, copying each new point to the DR vault", async () => {
        const { world: w, clock } = timedWorld(() => 0);
        await clock.drive(clock.sleep(15 * MINUTE));
        const dr = (await clock.drive(
            w.ports().dr.backup.newestRecoveryPoint(VAULT, { resourceType: "EBS" }),
        ))!;
        assert.strictEqual(
            dr.createdAt.getTime(),
            NOW.getTime() + 10 * MINUTE,
            "the hourly run after the seeded one, 50 minutes old",
        );
        assert.deepStrictEqual(w.changes, [], "a schedule's run is AWS's, not a change through the ports");
    });
});

describe("automation/simulation: S3", () => {
    it("replicates a put to the DR replica with the same version id and Last-Modified", async () => {
        const w = world();
        const ports = w.ports();
        const { home, dr } = artifactBuckets(w);
        await ports.home.objects.putObject(home, "stack-exports/x.json", "{}", "application/json");
        const [source] = await ports.home.objects.listVersions(home, "stack-exports/x.json");
        const [replica] = await ports.dr.objects.listVersions(dr, "stack-exports/x.json");
        assert.deepStrictEqual(replica, source);
        assert.match(source.versionId!, /^[A-Za-z0-9._]{32}$/);
        assert.deepStrictEqual(w.changes, [`home s3 put s3://${home}/stack-exports/x.json`]);
    });

    it("does not replicate a put into the replica (one-way), lists newest first, and names S3's errors", async () => {
        const w = world();
        const ports = w.ports();
        const { home, dr } = artifactBuckets(w);
        await ports.dr.objects.putObject(dr, "k", "one", "text/plain");
        await ports.dr.objects.putObject(dr, "k", "two", "text/plain");
        assert.match(await rejection(ports.home.objects.getObject(home, "k")), /^NoSuchKey/);
        const versions = await ports.dr.objects.listVersions(dr, "k");
        assert.deepStrictEqual(
            versions.map((v) => v.isLatest),
            [true, false],
        );
        assert.strictEqual(
            (await ports.dr.objects.getObject(dr, "k", versions[1].versionId)).toString(),
            "one",
        );
        assert.match(await rejection(ports.dr.objects.getObject(dr, "k", "nope")), /^NoSuchVersion/);
        assert.match(await rejection(ports.home.objects.newestObject("no-bucket", "")), /^NoSuchBucket/);
    });
});

describe("automation/simulation: Route 53 and CodeBuild", () => {
    it("answers the SECONDARY while the switch holds traffic on DR or the home endpoint fails, and names an unknown switch", async () => {
        const config = {
            ...CONFIG,
            platform: {
                ...CONFIG.platform,
                traffic: {
                    zoneId: "Z1",
                    recordName: "app.example.com",
                    primaryEndpoint: "p",
                    drEndpoint: "d",
                    healthCheckPath: "/healthz",
                },
            },
        };
        const { standardWorld } = await import("../../../automation/simulation/standard-world");
        const w = standardWorld(config, { now: NOW });
        const traffic = w.ports().traffic;
        const state = (await traffic.trafficSwitch("Z1", "app.example.com"))!;
        for (const id of [state.gateId, state.endpoint.id, state.switchId]) {
            assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        }
        assert.strictEqual(new Set([state.gateId, state.endpoint.id, state.switchId]).size, 3);
        assert.strictEqual(await traffic.answer("Z1", "app.example.com"), "p");
        await traffic.holdOnDr(state.switchId, true);
        assert.strictEqual(await traffic.answer("Z1", "app.example.com"), "d");
        // The defect the switch removes: a failed home endpoint under a held switch stays on DR.
        w.healthCheck = { ...w.healthCheck!, healthy: false };
        assert.strictEqual(await traffic.answer("Z1", "app.example.com"), "d");
        await traffic.holdOnDr(state.switchId, false);
        assert.strictEqual(await traffic.answer("Z1", "app.example.com"), "d", "home still unhealthy");
        w.healthCheck = { ...w.healthCheck, healthy: true };
        assert.strictEqual(await traffic.answer("Z1", "app.example.com"), "p");
        assert.match(await rejection(traffic.holdOnDr(state.endpoint.id, true)), /^NoSuchHealthCheck/);
    });

    it("builds the mirror: a bundle of GitHub's refs under the start's stamp, replicated; an unknown project fails", async () => {
        const { world: w, clock } = timedWorld((op) =>
            op === "background.codebuild.mirror" ? 3 * MINUTE : 0,
        );
        const jobs = w.ports().jobs;
        const id = await clock.drive(jobs.startMirror("webank-source-mirror"));
        await clock.drive(jobs.waitMirror(id, 125));
        const newest = (await clock.drive(
            w.ports().dr.objects.newestObject(artifactBuckets(w).dr, "git-bundles/webank/platform/"),
        ))!;
        assert.strictEqual(newest.key, "git-bundles/webank/platform/20261125T030000Z.bundle");
        assert.strictEqual(newest.lastModified.getTime(), NOW.getTime() + 3 * MINUTE);
        assert.match(
            await rejection(jobs.startMirror("nope")),
            /^ResourceNotFoundException: Project cannot be found/,
        );
        assert.match(await rejection(jobs.waitMirror("nope:1", 5)), /build nope:1 was not found/);
    });
});
