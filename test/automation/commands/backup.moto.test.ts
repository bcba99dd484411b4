import * as assert from "assert";
import { DescribeDBSnapshotsCommand } from "@aws-sdk/client-rds";
import {
    DeleteBucketCommand,
    DeleteObjectsCommand,
    GetObjectCommand,
    ListObjectsV2Command,
    ListObjectVersionsCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { CreateBackupVaultCommand } from "@aws-sdk/client-backup";
import { CreateProjectCommand, StartBuildCommand } from "@aws-sdk/client-codebuild";
import { AwsBackup } from "../../../automation/adapters/aws/backup";
import { RdsDatabase } from "../../../automation/adapters/aws/database";
import { backupDefinition } from "../../../automation/commands/backup/definition";
import { drStackConfig } from "../../../automation/commands/dr-config";
import type { CommandPort, JobsPort, ObjectStorePort, RecoveryPorts } from "../../../automation/ports";
import { standardWorld } from "../../../automation/simulation/standard-world";
import type { SimulatedWorld } from "../../../automation/simulation/world";
import { argocdExportPrefix, bundlePrefixOf } from "../../../lib/artifacts";
import {
    backupVaultName,
    bucketName,
    clusterName,
    dataKeyAlias,
    mirrorProjectName,
    primaryDatabaseIdentifier,
} from "../../../lib/naming";
import { runDefinition } from "../../support/commands";
import { MotoServer, motoVersion, startMoto } from "../../support/moto";
import {
    alertTopic,
    Delivered,
    FAST_POLLS,
    MOTO_ACCOUNT,
    motoCall,
    MotoClients,
    motoPorts,
    rdsInstance,
    subnetGroup,
    versionedBucket,
} from "../../support/moto-ports";
import { requirePeer } from "../../support/peers";
import { useTempDir } from "../../support/temp-dir";

/*
 * `npm run dr -- backup` with the real adapters against moto: the manual RDS snapshot and its
 * copy into the DR region re-encrypted with the replica of the multi-region data key (RDS and
 * KMS), the stack exports, the mirror's bundle and the Argo CD export found in the artifact
 * bucket (S3), the account (STS) and the on-call notifications (SNS, delivered to an HTTP
 * subscriber). The Pulumi workspace and kubectl are not AWS and stay simulated.
 *
 * Gaps of moto 5.2.1, kept simulated (the last test checks the first three still are):
 * - AWS Backup has vaults only: ListProtectedResourcesByBackupVault, StartBackupJob,
 *   DescribeBackupJob and StartCopyJob answer 404, so the `backup-jobs` and `backup-copies`
 *   steps run on the simulated vaults;
 * - CodeBuild: CreateProject refuses a NO_SOURCE project without a location (the mirror is one,
 *   components/source-mirror.ts), and StartBuild's answer carries ISO-8601 timestamps where the
 *   JSON protocol has epoch seconds, which the SDK refuses ("Expected real number"); so the
 *   mirror build is the simulated one, and what its buildspec uploads (`aws s3 cp` of the
 *   bundle) is put into moto's bucket when it succeeds, as is the Argo CD export job's file;
 * - a cross-region CopyDBSnapshot leaves SourceDBSnapshotIdentifier out of the copy's
 *   description (RDS sets it for a cross-region copy, API reference, DBSnapshot), so the
 *   adapter's reuse of an existing copy (a re-run after an interrupted copy) is tested with
 *   the mocks of database-snapshots.test.ts;
 * - a CopyDBSnapshot KmsKeyId unknown in the region answers HTTP 500 (moto's KMS lookup raises
 *   uncaught) instead of KMSKeyNotAccessibleFault, so a missing replica key is not tested here.
 */

const CONFIG = drStackConfig();
const HOME = CONFIG.homeRegion;
const DR = CONFIG.drRegion;
const SOURCE = primaryDatabaseIdentifier(CONFIG.prefix);
const HOME_ARTIFACTS = bucketName(CONFIG.prefix, "artifacts", MOTO_ACCOUNT, HOME);
const DR_ARTIFACTS = bucketName(CONFIG.prefix, "artifacts", MOTO_ACCOUNT, DR);
const BUNDLES = bundlePrefixOf(CONFIG.platform.mirror.repository);
const EXPORTS = argocdExportPrefix(clusterName(CONFIG.prefix, "primary"));

/**
 * The project's data key as components/keys.ts makes it: a multi-region key in `home` (`mrk-`
 * ids, KMS developer guide, "Multi-Region keys") replicated into `dr`, with `alias` on the
 * replica. Returns the replica's ARN.
 */
async function replicaKey(endpoint: string, home: string, dr: string, alias: string): Promise<string> {
    type Key = { KeyId: string; Arn: string };
    const kms = async <T>(region: string, target: string, json: unknown) =>
        JSON.parse(await motoCall(endpoint, region, "kms", { target: `TrentService.${target}`, json })) as T;
    const { KeyMetadata: key } = await kms<{ KeyMetadata: Key }>(home, "CreateKey", {
        MultiRegion: true,
        Description: "webank data key",
    });
    const { ReplicaKeyMetadata: replica } = await kms<{ ReplicaKeyMetadata: Key }>(home, "ReplicateKey", {
        KeyId: key.KeyId,
        ReplicaRegion: dr,
    });
    await kms(dr, "CreateAlias", { AliasName: alias, TargetKeyId: replica.KeyId });
    return replica.Arn;
}

/** A moto account as the primary stack leaves it. */
interface Account {
    readonly moto: MotoServer;
    readonly clients: MotoClients;
    /** The DR replica of the data key. */
    readonly replicaKeyArn: string;
    /** The DR alert topic and what its subscriber received. */
    readonly alerts: Awaited<ReturnType<typeof alertTopic>>;
}

/** The primary database, the data key and its DR replica, both artifact buckets and the DR alert topic. */
async function account(): Promise<Account> {
    const moto = await startMoto();
    const clients = new MotoClients(moto.endpoint);
    await subnetGroup(clients, HOME, CONFIG.prefix);
    await rdsInstance(clients.rds(HOME), CONFIG, SOURCE);
    const replicaKeyArn = await replicaKey(moto.endpoint, HOME, DR, dataKeyAlias(CONFIG.prefix));
    await versionedBucket(clients.s3(HOME), HOME_ARTIFACTS, HOME);
    await versionedBucket(clients.s3(DR), DR_ARTIFACTS, DR);
    const alerts = await alertTopic(clients.sns(DR), CONFIG.prefix);
    return { moto, clients, replicaKeyArn, alerts };
}

/** Removes a versioned bucket, every version first (DeleteBucket refuses a bucket that holds any). */
async function removeBucket(s3: S3Client, bucket: string): Promise<void> {
    const { Versions = [], DeleteMarkers = [] } = await s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket }),
    );
    const objects = [...Versions, ...DeleteMarkers].map((v) => ({ Key: v.Key!, VersionId: v.VersionId! }));
    if (objects.length > 0) {
        await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    }
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/**
 * What a job's own upload does (the mirror's `aws s3 cp`, the export job's): the simulated job
 * wrote its newest file under `prefix` into the simulated bucket; the same bytes go to moto's.
 */
async function upload(
    from: ObjectStorePort,
    to: ObjectStorePort,
    bucket: string,
    prefix: string,
): Promise<void> {
    const made = await from.newestObject(bucket, prefix);
    if (made) {
        await to.putObject(
            bucket,
            made.key,
            await from.getObject(bucket, made.key),
            "application/octet-stream",
        );
    }
}

/** The real ports over moto, with the simulated mirror and kubectl uploading what they make to moto's S3. */
function ports(clients: MotoClients, world: SimulatedWorld): RecoveryPorts {
    const simulated = world.ports();
    const real = motoPorts(clients, CONFIG, simulated);
    const jobs: JobsPort = {
        startMirror: (project) => simulated.jobs.startMirror(project),
        waitMirror: async (build, minutes) => {
            await simulated.jobs.waitMirror(build, minutes);
            await upload(simulated.home.objects, real.home.objects, HOME_ARTIFACTS, BUNDLES);
        },
    };
    const commands: CommandPort = {
        run: async (command, args, options) => {
            const result = await simulated.commands.run(command, args, options);
            if (command === "kubectl" && args.includes("--for=condition=complete")) {
                await upload(simulated.home.objects, real.home.objects, HOME_ARTIFACTS, EXPORTS);
            }
            return result;
        },
    };
    return { ...real, jobs, commands };
}

/** One backup run as the CLI runs it (`--yes`); the world's clock is the real one, as moto's. */
async function backup(clients: MotoClients, world: SimulatedWorld, dir: string): Promise<number> {
    return runDefinition(
        backupDefinition,
        { yes: true, label: "before-release-42" },
        { world, config: CONFIG, workDir: dir, ports: ports(clients, world) },
    );
}

/** The manual snapshots of the source in `region`, as RDS lists them. */
async function snapshots(a: Account, region: string) {
    const { DBSnapshots = [] } = await a.clients
        .rds(region)
        .send(new DescribeDBSnapshotsCommand({ SnapshotType: "manual" }));
    return DBSnapshots;
}

/** The keys under `prefix` in `bucket`. */
async function keys(a: Account, region: string, bucket: string, prefix: string): Promise<string[]> {
    const { Contents = [] } = await a.clients
        .s3(region)
        .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return Contents.map((o) => o.Key!);
}

/** Resolves at the start of the next wall-clock second. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));

const subjects = (delivered: readonly Delivered[]) =>
    delivered.map((d) => (d.Subject ?? "").replace(/: backup-\S+$/, ""));

describe("backup through the real adapters against moto (peer)", function () {
    this.timeout(90_000);
    let a: Account | undefined;
    const dir = useTempDir("backup-moto-");
    let world: SimulatedWorld;
    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        a = await account();
    });
    beforeEach(async () => {
        // A run's names are stamped with its start second: one in the previous test's second
        // would reuse that run's snapshot, as a resumed run does.
        await nextSecond();
        world = standardWorld(CONFIG, { now: new Date(), clock: () => new Date() });
        a!.alerts.delivered.length = 0;
    });
    after(async () => {
        a?.clients.destroy();
        await a?.alerts.stop();
        await a?.moto.stop();
    });
    const text = () => world.lines.join("\n");
    /** The snapshot identifiers in `region` that `before` did not list. */
    const made = async (region: string, before: readonly string[] = []) =>
        (await snapshots(a!, region)).filter((s) => !before.includes(s.DBSnapshotIdentifier!));

    it("snapshots the database, copies it under the DR replica key, and stores every artifact in S3", async () => {
        const before = (await snapshots(a!, HOME)).map((s) => s.DBSnapshotIdentifier!);
        assert.strictEqual(await backup(a!.clients, world, dir()), 0, text());
        const [snapshot, ...others] = await made(HOME, before);
        assert.deepStrictEqual(others, [], "one snapshot");
        assert.match(snapshot.DBSnapshotIdentifier!, /^webank-ondemand-\d{8}t\d{6}z$/);
        assert.strictEqual(snapshot.DBInstanceIdentifier, SOURCE);
        const [copy, ...more] = await made(DR, before);
        assert.deepStrictEqual(more, [], "one copy");
        assert.strictEqual(copy.DBSnapshotIdentifier, snapshot.DBSnapshotIdentifier);
        // RDS resolves the alias: the copy is under the DR replica of the multi-region data key.
        assert.strictEqual(copy.KmsKeyId, a!.replicaKeyArn);
        assert.match(a!.replicaKeyArn, new RegExp(`^arn:aws:kms:${DR}:${MOTO_ACCOUNT}:key/mrk-`));
        const line = `done  rds-snapshot-copy: RDS snapshot copy ${copy.DBSnapshotArn} (key alias/webank-data)`;
        assert.ok(
            world.lines.some((l) => l.includes(line)),
            text(),
        );

        const stamp = snapshot.DBSnapshotIdentifier!.replace("webank-ondemand-", "").toUpperCase();
        for (const stack of ["primary", "dr"]) {
            const key = `stack-exports/${stack}/${stamp}.json`;
            const { Body } = await a!.clients
                .s3(HOME)
                .send(new GetObjectCommand({ Bucket: HOME_ARTIFACTS, Key: key }));
            assert.strictEqual(await Body!.transformToString(), world.stacks.get(stack)!.deployment, key);
        }
        for (const prefix of [BUNDLES, EXPORTS]) {
            const [key] = await keys(a!, HOME, HOME_ARTIFACTS, prefix);
            assert.ok(
                world.lines.some((l) => l.includes(`s3://${HOME_ARTIFACTS}/${key} (`)),
                `${key} named\n${text()}`,
            );
        }
        const reports = await keys(a!, DR, DR_ARTIFACTS, "recovery-reports/backup/");
        assert.deepStrictEqual(reports.map((k) => k.replace(/backup-[\dTZ-]+-[0-9a-f]{6}/, "<run>")).sort(), [
            "recovery-reports/backup/<run>.json",
            "recovery-reports/backup/<run>.json.sha256",
            "recovery-reports/backup/<run>.md",
        ]);
        // Delivered by SNS to a subscriber, as the people on call receive them.
        assert.deepStrictEqual(subjects(a!.alerts.delivered), [
            "[SIMULATED] webank-dr backup started",
            "[SIMULATED] webank-dr backup completed",
        ]);
        assert.strictEqual(
            a!.alerts.delivered[0].TopicArn,
            `arn:aws:sns:${DR}:${MOTO_ACCOUNT}:webank-alerts-dr`,
        );
    });

    it("stops naming the missing home artifact bucket; a re-run once it exists takes no second snapshot", async () => {
        const s3 = a!.clients.s3(HOME);
        await removeBucket(s3, HOME_ARTIFACTS);
        const before = (await snapshots(a!, HOME)).map((s) => s.DBSnapshotIdentifier!);
        assert.strictEqual(await backup(a!.clients, world, dir()), 1, text());
        const failed = (step: string) => world.lines.find((l) => l.includes(`FAIL  ${step}: `)) ?? "";
        // S3's NoSuchBucket, as the adapter names the bucket and what to check.
        const missing = `bucket ${HOME_ARTIFACTS} does not exist in ${HOME}; check it with: aws s3api head-bucket --region ${HOME} --bucket ${HOME_ARTIFACTS}`;
        assert.ok(failed("stack-exports").includes(missing), text());
        // The mirror's and the export job's own uploads (made here for the simulated jobs) find no bucket either.
        for (const step of ["mirror", "argocd-export"]) {
            assert.ok(
                failed(step).includes("The specified bucket does not exist"),
                `${step}: ${failed(step)}`,
            );
        }
        assert.deepStrictEqual(subjects(a!.alerts.delivered), [
            "[SIMULATED] webank-dr backup started",
            "[SIMULATED] webank-dr backup failed",
        ]);
        const [snapshot, ...others] = await made(HOME, before);
        assert.deepStrictEqual(others, []);

        await versionedBucket(s3, HOME_ARTIFACTS, HOME);
        // The export job is named after the second its step starts, and kubectl refuses a name
        // that exists: an operator never resumes within the same second, the test must not either.
        await nextSecond();
        world.lines.length = 0;
        assert.strictEqual(await backup(a!.clients, world, dir()), 0, text());
        assert.deepStrictEqual(
            (await made(HOME, before)).map((s) => s.DBSnapshotIdentifier),
            [snapshot.DBSnapshotIdentifier],
            "the resumed run took no second snapshot",
        );
        assert.deepStrictEqual(
            (await made(DR, before)).map((s) => s.DBSnapshotIdentifier),
            [snapshot.DBSnapshotIdentifier],
            "and copied the first",
        );
        const stamp = snapshot.DBSnapshotIdentifier!.replace("webank-ondemand-", "").toUpperCase();
        assert.deepStrictEqual(await keys(a!, HOME, HOME_ARTIFACTS, "stack-exports/"), [
            `stack-exports/dr/${stamp}.json`,
            `stack-exports/primary/${stamp}.json`,
        ]);
    });

    it("keeps simulated only what moto 5.2.1 cannot answer (remove the stand-in when this fails)", async () => {
        const clients = a!.clients;
        const vault = backupVaultName(CONFIG.prefix);
        await clients.backup(HOME).send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
        await assert.rejects(
            new AwsBackup(clients.backup(HOME), HOME).protectedResources(vault),
            /could not be read/,
        );

        const codebuild = clients.codebuild(HOME);
        const project = {
            name: mirrorProjectName(CONFIG.prefix),
            artifacts: { type: "NO_ARTIFACTS" as const },
            environment: {
                type: "LINUX_CONTAINER" as const,
                image: "aws/codebuild/standard:7.0",
                computeType: "BUILD_GENERAL1_SMALL" as const,
            },
            serviceRole: `arn:aws:iam::${MOTO_ACCOUNT}:role/${mirrorProjectName(CONFIG.prefix)}`,
        };
        const source = { type: "NO_SOURCE" as const, buildspec: "version: 0.2" };
        await assert.rejects(
            codebuild.send(new CreateProjectCommand({ ...project, source })),
            /source location is required/,
        );
        await codebuild.send(new CreateProjectCommand({ ...project, source: { ...source, location: "-" } }));
        await assert.rejects(
            codebuild.send(new StartBuildCommand({ projectName: project.name })),
            /Expected real number/,
        );

        const rds = (region: string) => new RdsDatabase(clients.rds(region), region, FAST_POLLS);
        const arn = await rds(HOME).createSnapshot(SOURCE, "webank-gap-check", 1);
        await rds(DR).copySnapshot(arn, "webank-gap-check", dataKeyAlias(CONFIG.prefix), 1);
        const { DBSnapshots = [] } = await clients
            .rds(DR)
            .send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: "webank-gap-check" }));
        assert.strictEqual(DBSnapshots[0].SourceDBSnapshotIdentifier, undefined);
    });
});
