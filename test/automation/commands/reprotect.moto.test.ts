import * as assert from "assert";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
    CreateDBInstanceReadReplicaCommand,
    DescribeDBInstancesCommand,
    RDSClient,
} from "@aws-sdk/client-rds";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { RdsReplica } from "../../../automation/adapters/aws/replica";
import { FailoverLock } from "../../../automation/adapters/aws/lock";
import { drStackConfig } from "../../../automation/commands/dr-config";
import { reprotectDefinition } from "../../../automation/commands/reprotect/definition";
import type { RecoveryPorts, StackPort, WorkspacePort } from "../../../automation/ports";
import { standardWorld } from "../../../automation/simulation/standard-world";
import type { SimulatedWorld } from "../../../automation/simulation/world";
import {
    bucketName,
    failbackDatabaseIdentifier,
    lockTableName,
    restoredDatabaseIdentifier,
} from "../../../lib/naming";
import { runDefinition } from "../../support/commands";
import { MotoServer, motoVersion, startMoto } from "../../support/moto";
import {
    FAST_POLLS,
    lockTable,
    MOTO_ACCOUNT,
    MotoClients,
    motoPorts,
    rdsInstance,
    subnetGroup,
    versionedBucket,
} from "../../support/moto-ports";
import { requirePeer } from "../../support/peers";
import { useTempDir } from "../../support/temp-dir";

/*
 * `npm run dr -- reprotect` through the real adapters against moto: the failover's lock read
 * from the DynamoDB lock table, the DR database described in RDS (us-west-2), the home replica
 * described in RDS (us-east-1) and its ReplicaLag read from CloudWatch, the journal's copy and the
 * report in the DR buckets (S3). The Pulumi workspace is the simulated one, whose primary stack's
 * `up` also makes the replica in moto as the program's ReplicaDatabase would (CreateDBInstanceReadReplica
 * in the home region, the source named by its ARN). Stand-ins, as in replica.moto.test.ts: moto
 * publishes no ReplicaLag, so the fake `up` puts the datapoint RDS would (PutMetricData into
 * AWS/RDS, which only RDS writes in AWS).
 */

const BASE = drStackConfig();
const HOME = BASE.homeRegion;
const DR = BASE.drRegion;
const RESTORED = restoredDatabaseIdentifier(BASE.prefix, 1);
const REPLICA = failbackDatabaseIdentifier(BASE.prefix, 1);
const FAILOVER_RUN = "failover-2026-12-05T03-00-00-000Z-a1b2c3";

describe("reprotect through the real adapters against moto (peer)", function () {
    this.timeout(90_000);
    let moto: MotoServer | undefined;
    let clients: MotoClients;
    let world: SimulatedWorld;
    /** The ReplicaLag the fake up publishes, in seconds. */
    let publishedLag = 20;
    const dir = useTempDir("reprotect-moto-");

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        moto = await startMoto();
        clients = new MotoClients(moto.endpoint);
        await lockTable(clients.dynamodb(DR), BASE.prefix);
        await versionedBucket(clients.s3(DR), bucketName(BASE.prefix, "state", MOTO_ACCOUNT, DR), DR);
        await versionedBucket(clients.s3(DR), bucketName(BASE.prefix, "artifacts", MOTO_ACCOUNT, DR), DR);
        await subnetGroup(clients, DR, BASE.prefix);
        await rdsInstance(clients.rds(DR), BASE, RESTORED);
    });
    beforeEach(() => {
        world = standardWorld(BASE, { now: new Date(), clock: () => new Date() });
        // What the failover left: the dr stack activated on the restore of generation 1.
        const dr = world.stacks.get("dr")!;
        dr.config["webank:activated"] = "true";
        dr.config["webank:restore"] = JSON.stringify({ source: "pitr", time: "latest", generation: 1 });
        world.dr.instances.set(RESTORED, { ...world.home.instances.get("webank-db")!, identifier: RESTORED });
        // Applied from here, so the fake up below is the one that runs.
        world.stacks.get("primary")!.config["webank:kubernetesAccess"] = "direct";
    });
    after(async () => {
        clients?.destroy();
        await moto?.stop();
    });

    const lock = () => new FailoverLock(clients.dynamodb(DR), lockTableName(BASE.prefix));
    const text = () => world.lines.join("\n");
    const homeInstance = async (rds: RDSClient = clients.rds(HOME)) =>
        (await rds.send(new DescribeDBInstancesCommand({}))).DBInstances?.find(
            (i) => i.DBInstanceIdentifier === REPLICA,
        );

    /** The simulated workspace, whose primary `up` also creates the replica in moto and publishes its lag. */
    const replicatingWorkspace = (simulated: WorkspacePort): WorkspacePort => ({
        ...simulated,
        selectStack: async (name) => {
            const stack = await simulated.selectStack(name);
            if (name !== "primary") {
                return stack;
            }
            const up: StackPort["up"] = async (options) => {
                const outputs = await stack.up(options);
                if (!(await homeInstance())) {
                    const [source] = (
                        await clients
                            .rds(DR)
                            .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: RESTORED }))
                    ).DBInstances!;
                    await clients.rds(HOME).send(
                        new CreateDBInstanceReadReplicaCommand({
                            DBInstanceIdentifier: REPLICA,
                            SourceDBInstanceIdentifier: source.DBInstanceArn,
                            DBInstanceClass: BASE.database.instanceClass,
                        }),
                    );
                }
                await clients.cloudwatch(HOME).send(
                    new PutMetricDataCommand({
                        Namespace: "AWS/RDS",
                        MetricData: [
                            {
                                MetricName: "ReplicaLag",
                                Dimensions: [{ Name: "DBInstanceIdentifier", Value: REPLICA }],
                                Value: publishedLag,
                                Unit: "Seconds",
                                Timestamp: new Date(Date.now() - 60_000),
                            },
                        ],
                    }),
                );
                return outputs;
            };
            return { ...stack, up };
        },
    });
    const run = () => {
        const simulated = world.ports();
        const real = motoPorts(clients, BASE, simulated);
        const ports: RecoveryPorts = {
            ...real,
            home: {
                ...real.home,
                replica: new RdsReplica(clients.rds(HOME), clients.cloudwatch(HOME), HOME, FAST_POLLS),
            },
            workspace: replicatingWorkspace(simulated.workspace),
        };
        return runDefinition(
            reprotectDefinition,
            { yes: true },
            { world, config: BASE, workDir: dir(), ports },
        );
    };

    it("is refused while the lock table holds no failover, and creates nothing", async () => {
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /no failover holds the failover lock/);
        assert.strictEqual(await homeInstance(), undefined);
    });

    it("creates the home replica of the DR database, reads its lag from CloudWatch, and keeps the failover's lock", async () => {
        const holder = { owner: FAILOVER_RUN, since: "2026-12-05T03:00:00.000Z", by: "alice@bastion-1" };
        await lock().acquire(holder);
        try {
            assert.strictEqual(await run(), 0, text());
            const replica = await homeInstance();
            assert.strictEqual(
                replica?.ReadReplicaSourceDBInstanceIdentifier,
                `arn:aws:rds:${DR}:${MOTO_ACCOUNT}:db:${RESTORED}`,
            );
            assert.match(text(), new RegExp(`${REPLICA} is ${publishedLag} s behind ${RESTORED}`));
            assert.deepStrictEqual(await lock().holder(), holder, "the failover's lock is untouched");
            const journals = bucketName(BASE.prefix, "state", MOTO_ACCOUNT, DR);
            const runId = /run (reprotect-\S+?)[ :]/.exec(text())?.[1] ?? "";
            const journal = await clients.s3(DR).send(
                new GetObjectCommand({
                    Bucket: journals,
                    Key: `recovery-journals/reprotect/${runId}.json`,
                }),
            );
            assert.strictEqual(JSON.parse(await journal.Body!.transformToString()).runId, runId);

            // A lag above the RPO is waited for, not accepted: the run fails and resumes.
            publishedLag = (BASE.objectives.database.rpoMinutes + 1) * 60;
            world.lines.length = 0;
            world.stacks.get("primary")!.config["webank:failback"] = JSON.stringify({
                generation: 1,
                source: RESTORED,
            });
            assert.strictEqual(await run(), 1, text());
            assert.match(text(), new RegExp(`is not within the database RPO .*ReplicaLag ${publishedLag} s`));
        } finally {
            await lock().release(FAILOVER_RUN);
            publishedLag = 20;
        }
    });
});
