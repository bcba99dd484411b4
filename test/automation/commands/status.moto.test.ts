import * as assert from "assert";
import { CreateBackupVaultCommand } from "@aws-sdk/client-backup";
import { StartDBInstanceAutomatedBackupsReplicationCommand } from "@aws-sdk/client-rds";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { StackConfig } from "../../../config/stack-config";
import type { RecoveryPorts } from "../../../automation/ports";
import { AwsBackup } from "../../../automation/adapters/aws/backup";
import { FailoverLock } from "../../../automation/adapters/aws/lock";
import { drStackConfig } from "../../../automation/commands/dr-config";
import type { StatusReport } from "../../../automation/commands/status/document";
import { statusDefinition } from "../../../automation/commands/status/definition";
import { standardWorld, stateObjectKey } from "../../../automation/simulation/standard-world";
import { argocdExportPrefix, bundlePrefixOf } from "../../../lib/artifacts";
import { backupVaultName, bucketName, clusterName, lockTableName } from "../../../lib/naming";
import { runDefinition } from "../../support/commands";
import { MotoServer, motoVersion, startMoto } from "../../support/moto";
import {
    failoverPair,
    PrimaryChecks,
    hostedZone,
    lockTable,
    MOTO_ACCOUNT,
    MotoClients,
    motoPorts,
    versionedBucket,
} from "../../support/moto-ports";
import { requirePeer } from "../../support/peers";
import { withTempDir } from "../../support/temp-dir";

/*
 * `npm run dr -- status` with every port moto answers replaced by the real adapter: S3 (the
 * Argo CD export, the Git bundle, the state replica and its home bucket), Route 53 (the PRIMARY
 * record and its health check), the DynamoDB lock table and STS (the account in every bucket
 * name). The rows read from them are the real answers; the others stay simulated.
 *
 * Gaps of moto 5.2.1, kept simulated (and checked below, so this fails once moto has them):
 * - no automated backups replicated across regions: StartDBInstanceAutomatedBackupsReplication
 *   is not implemented, and DescribeDBInstanceAutomatedBackups gives no RestoreWindow or ARN,
 *   so the `database PITR` row reads the simulated replicated backups;
 * - AWS Backup has vaults only: ListRecoveryPointsByBackupVault answers 404, so the two
 *   recovery-point rows read the simulated vaults;
 * - S3 stores a replication configuration but replicates no object, so the test writes the
 *   DR replicas itself (after the home object: a replica keeps its source's creation time, S3
 *   user guide, "What does Amazon S3 replicate?");
 * - GetHealthCheckStatus answers one canned "Success" observation, so Route 53 always sees the
 *   PRIMARY healthy (an unhealthy PRIMARY is tested with the mocks of the adapter's own test).
 * The DR stack (Pulumi), the failover journal and the projected RTO are not AWS.
 */

const BASE = drStackConfig();
const DR = BASE.drRegion;
const HOME = BASE.homeRegion;
const PRIMARY_CLUSTER = clusterName(BASE.prefix, "primary");
/** The failover pair's names: an ALB's DNS name is `<name>-<id>.<region>.elb.amazonaws.com` (ELB user guide, "DNS name"). */
const TRAFFIC = {
    zone: "webank.example",
    recordName: "app.webank.example",
    primary: "webank-primary-alb-1234567890.us-east-1.elb.amazonaws.com",
    secondary: "webank-dr-alb-0987654321.us-west-2.elb.amazonaws.com",
    path: "/healthz",
};

/** A compact UTC stamp, as the export job and the mirror name their files (`20261203T031500Z`). */
function stamp(date: Date): string {
    return date
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
        .replace(/[-:]/g, "");
}

/** One account in one moto server, seeded as the two stacks leave it; `broken` leaves out what a half-made DR side lacks. */
async function account(
    moto: MotoServer,
    broken: boolean,
): Promise<{ clients: MotoClients; config: StackConfig; checks?: PrimaryChecks }> {
    const clients = new MotoClients(moto.endpoint);
    const artifacts = bucketName(BASE.prefix, "artifacts", MOTO_ACCOUNT, DR);
    const homeState = bucketName(BASE.prefix, "state", MOTO_ACCOUNT, HOME);
    const drState = bucketName(BASE.prefix, "state", MOTO_ACCOUNT, DR);
    const put = (region: string, bucket: string, key: string, body: string) =>
        clients.s3(region).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    if (!broken) {
        // The replication's destination: the half-made DR side never got it.
        await versionedBucket(clients.s3(DR), artifacts, DR);
        const now = stamp(new Date());
        await put(
            DR,
            artifacts,
            `${argocdExportPrefix(PRIMARY_CLUSTER)}${now}.yaml`,
            "apiVersion: v1\nkind: List\n",
        );
        await put(
            DR,
            artifacts,
            `${bundlePrefixOf(BASE.platform.mirror.repository)}${now}.bundle`,
            "# v2 git bundle\n",
        );
    }
    await versionedBucket(clients.s3(HOME), homeState, HOME);
    await versionedBucket(clients.s3(DR), drState, DR);
    for (const stack of ["primary", "dr"]) {
        const body = JSON.stringify({ version: 3, checkpoint: { stack, latest: { resources: [] } } });
        await put(HOME, homeState, stateObjectKey(stack), body);
        await put(DR, drState, stateObjectKey(stack), body);
    }
    await lockTable(clients.dynamodb(DR), BASE.prefix);
    const zoneId = await hostedZone(clients.route53(), TRAFFIC.zone);
    const checks = await failoverPair(clients.route53(), zoneId, {
        ...TRAFFIC,
        primaryHealthCheck: !broken,
    });
    const config: StackConfig = {
        ...BASE,
        platform: {
            ...BASE.platform,
            traffic: {
                zoneId,
                recordName: TRAFFIC.recordName,
                primaryEndpoint: TRAFFIC.primary,
                drEndpoint: TRAFFIC.secondary,
                healthCheckPath: TRAFFIC.path,
            },
        },
    };
    return { clients, config, ...(checks ? { checks } : {}) };
}

/**
 * The projected RTO row is the benchmark's simulated failover, not AWS (status/report.test.ts
 * judges it): the rows this file judges are the others, and the exit code must agree with all.
 */
const PROJECTED_RTO = "projected RTO";

/** The VERDICT column of the text report's table, by row title (columns are 2+ spaces apart). */
function verdicts(lines: readonly string[]): Map<string, string> {
    const header = lines.findIndex((l) => l.startsWith("ASSET  "));
    const rows = lines.slice(header + 1, lines.indexOf("", header));
    return new Map(rows.map((l) => l.split(/ {2,}/)).map((cells) => [cells[0], cells[cells.length - 1]]));
}

/** Rows that are not ok, the projected RTO left out. */
function failingRows(lines: readonly string[]): string[] {
    return [...verdicts(lines)]
        .filter(([title, v]) => title !== PROJECTED_RTO && v !== "ok")
        .map(([t, v]) => `${t} ${v}`);
}

/**
 * The S3 replication moto does not do (it stores the rule, never copies an object): S3 keeps
 * the version id in the replica (S3 user guide, "What does Amazon S3 replicate?": "the same
 * version ID"), which moto's own put cannot. The replica bucket's version list answers with
 * the home bucket's versions, as replication would leave it; every other call is moto's.
 */
function replicatedState(ports: RecoveryPorts): RecoveryPorts {
    const home = bucketName(BASE.prefix, "state", MOTO_ACCOUNT, HOME);
    const replica = bucketName(BASE.prefix, "state", MOTO_ACCOUNT, DR);
    const objects = ports.dr.objects;
    return {
        ...ports,
        dr: {
            ...ports.dr,
            objects: {
                region: objects.region,
                newestObject: (bucket, prefix) => objects.newestObject(bucket, prefix),
                currentObjects: (bucket, prefix) => objects.currentObjects(bucket, prefix),
                getObject: (bucket, key, versionId) => objects.getObject(bucket, key, versionId),
                putObject: (bucket, key, body, type) => objects.putObject(bucket, key, body, type),
                listVersions: (bucket, key) =>
                    bucket === replica
                        ? ports.home.objects.listVersions(home, key)
                        : objects.listVersions(bucket, key),
            },
        },
    };
}

/** Runs status as the CLI does, over the real adapters; returns its exit code and lines. */
async function status(
    clients: MotoClients,
    config: StackConfig,
    format: "text" | "json",
    replication = true,
): Promise<{ code: number; lines: string[] }> {
    const now = new Date();
    // Moto's clock is the real one, so is the world's: the seeded simulated copies count back from it.
    const world = standardWorld(config, { now, clock: () => new Date() });
    const code = await withTempDir("status-moto-", (dir) =>
        runDefinition(
            statusDefinition,
            { format },
            {
                world,
                config,
                workDir: dir,
                ports: replication
                    ? replicatedState(motoPorts(clients, config, world.ports()))
                    : motoPorts(clients, config, world.ports()),
            },
        ),
    );
    return { code, lines: world.lines };
}

describe("status through the real adapters against moto (peer)", function () {
    this.timeout(60_000);
    const servers: MotoServer[] = [];
    const clients: MotoClients[] = [];
    after(async () => {
        clients.forEach((c) => c.destroy());
        await Promise.all(servers.map((s) => s.stop()));
    });
    const start = async (broken: boolean) => {
        const moto = await startMoto();
        servers.push(moto);
        const seeded = await account(moto, broken);
        clients.push(seeded.clients);
        return seeded;
    };

    describe("an account as the stacks leave it", () => {
        let seeded: Awaited<ReturnType<typeof account>>;
        before(async function () {
            requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
            seeded = await start(false);
        });

        it("is ok on every row it reads from AWS, each saying what S3, Route 53, DynamoDB and STS answered", async () => {
            const { code, lines } = await status(seeded.clients, seeded.config, "text");
            const text = lines.join("\n");
            assert.deepStrictEqual(failingRows(lines), [], text);
            assert.strictEqual(code, verdicts(lines).get(PROJECTED_RTO) === "ok" ? 0 : 1);
            const artifacts = bucketName(BASE.prefix, "artifacts", MOTO_ACCOUNT, DR);
            assert.match(
                lines[0],
                /^DR status of webank at \S+ \(read-only\): home us-east-1, DR us-west-2, account 123456789012$/,
            );
            // The account STS answered is in every bucket the rows name.
            const row = (title: string) => lines.find((l) => l.startsWith(`${title}  `)) ?? "";
            assert.match(
                row("Argo CD export"),
                new RegExp(`s3://${artifacts}/argocd-exports/webank-primary/ .* ok$`),
            );
            assert.match(
                row("Git bundle"),
                new RegExp(`s3://${artifacts}/git-bundles/webank/platform/ .* ok$`),
            );
            assert.match(
                text,
                /^Argo CD export: newest argocd-exports\/webank-primary\/\d{8}T\d{6}Z\.yaml$/m,
            );
            assert.match(text, /^Git bundle: newest git-bundles\/webank\/platform\/\d{8}T\d{6}Z\.bundle$/m);
            assert.match(
                text,
                /^state replica: the replica holds the home bucket's newest state version, \.pulumi\/stacks\/webank\/(primary|dr)\.json \(modified [\d.]+ min ago\)$/m,
            );
            assert.ok(
                lines.includes(
                    `DNS failover: app.webank.example fails over on the home endpoint check ${seeded.checks!.endpointId}, which Route 53 sees healthy; traffic switch ${seeded.checks!.switchId} free`,
                ),
                text,
            );
            assert.ok(lines.includes("failover lock: free: a failover may take it"), text);
            assert.strictEqual(verdicts(lines).size, 11, "every row, none missing");
        });

        it("says HELD, naming the run, while a failover's lock item is in the table", async () => {
            const lock = new FailoverLock(seeded.clients.dynamodb(DR), lockTableName(BASE.prefix));
            const holder = {
                owner: "failover-2026-12-03T03-00-00-000Z",
                since: "2026-12-03T03:00:00.000Z",
                by: "alice@bastion-1",
            };
            await lock.acquire(holder);
            try {
                const { code, lines } = await status(seeded.clients, seeded.config, "text");
                assert.strictEqual(code, 1);
                assert.ok(
                    lines.includes(
                        `failover lock: held by run ${holder.owner} since ${holder.since}, taken by ${holder.by}: a failover runs, or ran and holds it until failback; another failover would be refused`,
                    ),
                    lines.join("\n"),
                );
                assert.deepStrictEqual(failingRows(lines), ["failover lock HELD"]);
                assert.match(
                    lines.at(-1)!,
                    /^verdict: NOT READY: \d of 11 checks failing: failover lock HELD/,
                );
            } finally {
                await lock.release(holder.owner);
            }
        });

        it("matches the state replica by version id: a later, different version of the key is not the home one", async () => {
            const homeState = bucketName(BASE.prefix, "state", MOTO_ACCOUNT, HOME);
            const drState = bucketName(BASE.prefix, "state", MOTO_ACCOUNT, DR);
            const key = stateObjectKey("primary");
            const s3 = (region: string) => seeded.clients.s3(region);
            // A new home version that never replicated; the replica got another, later write.
            await s3(HOME).send(new PutObjectCommand({ Bucket: homeState, Key: key, Body: '{"v":"home"}' }));
            await s3(DR).send(new PutObjectCommand({ Bucket: drState, Key: key, Body: '{"v":"other"}' }));
            const { lines } = await status(seeded.clients, seeded.config, "json", false);
            const doc = JSON.parse(lines.join("\n")) as { assets: { id: string; note: string }[] };
            const row = doc.assets.find((r) => r.id === "state-replica")!;
            assert.match(row.note, /lacks the home bucket's newest state version \S+ of/, row.note);
            // Put the replica level again for the other tests: the home version, replicated.
            const body = (await s3(HOME).send(new GetObjectCommand({ Bucket: homeState, Key: key }))).Body;
            await s3(DR).send(
                new PutObjectCommand({ Bucket: drState, Key: key, Body: await body!.transformToString() }),
            );
        });

        it("keeps simulated only what moto 5.2.1 cannot answer (remove the stand-in when this fails)", async () => {
            await assert.rejects(
                seeded.clients.rds(DR).send(
                    new StartDBInstanceAutomatedBackupsReplicationCommand({
                        SourceDBInstanceArn: `arn:aws:rds:${HOME}:${MOTO_ACCOUNT}:db:webank-db`,
                        BackupRetentionPeriod: BASE.database.replicatedBackupRetentionDays,
                    }),
                ),
            );
            const backup = seeded.clients.backup(DR);
            const vault = backupVaultName(BASE.prefix);
            await backup.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
            await assert.rejects(
                new AwsBackup(backup, DR).newestRecoveryPoint(vault, { resourceType: "RDS" }),
                /could not be read/,
            );
        });
    });

    describe("a half-made DR side", () => {
        let seeded: Awaited<ReturnType<typeof account>>;
        before(async function () {
            requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
            seeded = await start(true);
        });

        it("is NOT READY, naming the missing replica bucket and the PRIMARY record without its gate and switch", async () => {
            const { code, lines } = await status(seeded.clients, seeded.config, "json");
            assert.strictEqual(code, 1, lines.join("\n"));
            const doc = JSON.parse(lines.join("\n")) as StatusReport;
            assert.strictEqual(doc.account, MOTO_ACCOUNT);
            assert.strictEqual(doc.verdict, "not-ready");
            assert.deepStrictEqual(
                doc.failing.filter((id) => id !== "projected-rto"),
                ["argocd-export", "git-bundle", "dns-failover"],
            );
            const rowOf = (id: string) => doc.assets.find((r) => r.id === id)!;
            const artifacts = bucketName(BASE.prefix, "artifacts", MOTO_ACCOUNT, DR);
            for (const [id, prefix] of [
                ["argocd-export", argocdExportPrefix(PRIMARY_CLUSTER)],
                ["git-bundle", bundlePrefixOf(BASE.platform.mirror.repository)],
            ]) {
                // S3's own NoSuchBucket, as the adapter turns it into what to check.
                assert.strictEqual(rowOf(id).verdict, "UNREACHABLE");
                assert.strictEqual(
                    rowOf(id).note,
                    `lookup failed: could not list s3://${artifacts}/${prefix}: The specified bucket does not exist; ` +
                        `bucket ${artifacts} does not exist in ${DR}; check it with: aws s3api head-bucket --region ${DR} --bucket ${artifacts}`,
                );
            }
            assert.strictEqual(rowOf("dns-failover").verdict, "NOT MANAGED");
            assert.match(
                rowOf("dns-failover").note,
                /^no PRIMARY failover record with the gate and traffic switch for app\.webank\.example:/,
            );
            // One missing bucket fails its own rows only: the state buckets and the lock table still answer.
            assert.strictEqual(rowOf("state-replica").verdict, "ok");
            assert.strictEqual(rowOf("failover-lock").verdict, "ok");
        });
    });
});
