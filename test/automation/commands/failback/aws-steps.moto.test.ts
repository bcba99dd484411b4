import * as assert from "assert";
import {
    CreateDBInstanceReadReplicaCommand,
    DBInstance,
    DescribeDBInstancesCommand,
} from "@aws-sdk/client-rds";
import { GetHealthCheckCommand, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import type { StackConfig } from "../../../../config/stack-config";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { FailoverLock } from "../../../../automation/adapters/aws/lock";
import { RdsReplica } from "../../../../automation/adapters/aws/replica";
import { drStackConfig } from "../../../../automation/commands/dr-config";
import { finishSteps } from "../../../../automation/commands/failback/finish";
import { homeSteps } from "../../../../automation/commands/failback/home";
import {
    FailbackTarget,
    preflightHomeStep,
    preflightReplicaStep,
} from "../../../../automation/commands/failback/preflight";
import { promoteHomeStep } from "../../../../automation/commands/failback/promote";
import type { DatabasePort, RecoveryPorts, ReplicaPort } from "../../../../automation/ports";
import type { Step, StepContext, StepOutcome } from "../../../../automation/run/steps";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import {
    bucketName,
    clusterName,
    failbackDatabaseIdentifier,
    lockTableName,
    primaryDatabaseIdentifier,
    restoredDatabaseIdentifier,
    retiredDatabaseIdentifier,
} from "../../../../lib/naming";
import { MotoServer, motoVersion, startMoto } from "../../../support/moto";
import {
    FAST_POLLS,
    failoverPair,
    hostedZone,
    lockTable,
    MOTO_ACCOUNT,
    MotoClients,
    motoPorts,
    PrimaryChecks,
    rdsInstance,
    subnetGroup,
    versionedBucket,
} from "../../../support/moto-ports";
import { requirePeer } from "../../../support/peers";

/*
 * The failback's AWS-facing steps through the real adapters against moto: the preflight reads
 * the gate and the switch in Route 53, the home replica (CreateDBInstanceReadReplica of the DR
 * database, named by ARN) is promoted (PromoteReadReplica), the stale home database and the
 * promoted one trade names (ModifyDBInstance NewDBInstanceIdentifier), the switch is released
 * (UpdateHealthCheck Inverted false) and the lock freed by its conditional delete (DynamoDB).
 * The preflights read the gate and switch, and the replica's source and its ReplicaLag
 * (CloudWatch; moto publishes none, so the test puts the datapoint RDS would). Each step but the promotion is run twice, as a resumed run repeats the step it was in: the
 * second run changes nothing. What is not AWS (the Pulumi workspace, kubectl, the verifier) is the failback
 * command test's (test/automation/commands/failback.test.ts, simulated account); moto has no
 * TestDNSAnswer, answered from its own records (test/support/moto-ports.ts failoverAnswer).
 */

const BASE = drStackConfig();
const HOME = BASE.homeRegion;
const DR = BASE.drRegion;
const HOME_DB = primaryDatabaseIdentifier(BASE.prefix);
const RESTORED = restoredDatabaseIdentifier(BASE.prefix, 1);
const REPLICA = failbackDatabaseIdentifier(BASE.prefix, 1);
const FAILOVER_RUN = "failover-2026-12-05T03-00-00-000Z-a1b2c3";
const STAMP = "202612060400";
const RETIRED_HOME = retiredDatabaseIdentifier(HOME_DB, STAMP);
const RECORD = "app.webank.example";
const PRIMARY_ENDPOINT = "primary-alb.us-east-1.elb.amazonaws.com";

/**
 * The real replica adapter, its wait for the promotion cut to "available" (the real adapter's
 * wait for that, RdsDatabase.waitAvailable): moto 5.2 keeps reporting
 * ReadReplicaSourceDBInstanceIdentifier after PromoteReadReplica, where RDS drops it, so the
 * real waitPromoted would wait for ever (test/automation/adapters/aws/replica.moto.test.ts).
 */
function promotingReplica(real: ReplicaPort, database: DatabasePort): ReplicaPort {
    return Object.assign(Object.create(real) as ReplicaPort, {
        waitPromoted: (identifier: string, minutes: number) => database.waitAvailable(identifier, minutes),
    });
}

describe("failback's AWS steps through the real adapters against moto (peer)", function () {
    this.timeout(90_000);
    let moto: MotoServer | undefined;
    let clients: MotoClients;
    let config: StackConfig;
    let ports: RecoveryPorts;
    let checks: PrimaryChecks;
    const target: FailbackTarget = {
        holder: FAILOVER_RUN,
        setting: { generation: 1, source: RESTORED },
        replica: REPLICA,
        drCluster: clusterName(BASE.prefix, "dr"),
    };
    /** What each step journaled, as the runner hands it to later steps. */
    const journaled = new Map<string, Readonly<Record<string, string>>>();
    const context: StepContext = { dataOf: (step) => journaled.get(step) };
    /** Runs `step` as the runner would; returns its detail. */
    const run = async (step: Step): Promise<string> => {
        const outcome: string | StepOutcome = await step.run(context);
        if (typeof outcome === "string") {
            return outcome;
        }
        if (outcome.data) {
            journaled.set(step.name, outcome.data);
        }
        return outcome.detail;
    };
    const describe_ = async (region: string, identifier: string): Promise<DBInstance | undefined> =>
        (await clients.rds(region).send(new DescribeDBInstancesCommand({}))).DBInstances?.find(
            (i) => i.DBInstanceIdentifier === identifier,
        );
    let steps: Map<string, Step>;

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        moto = await startMoto();
        clients = new MotoClients(moto.endpoint);
        await lockTable(clients.dynamodb(DR), BASE.prefix);
        await new FailoverLock(clients.dynamodb(DR), lockTableName(BASE.prefix)).acquire({
            owner: FAILOVER_RUN,
            since: "2026-12-05T03:00:00.000Z",
            by: "operator@moto-test",
        });
        for (const region of [HOME, DR]) {
            await versionedBucket(
                clients.s3(region),
                bucketName(BASE.prefix, "artifacts", MOTO_ACCOUNT, region),
                region,
            );
            await subnetGroup(clients, region, BASE.prefix);
        }
        await rdsInstance(clients.rds(HOME), BASE, HOME_DB);
        await rdsInstance(clients.rds(DR), BASE, RESTORED);
        const source = await describe_(DR, RESTORED);
        await clients.rds(HOME).send(
            new CreateDBInstanceReadReplicaCommand({
                DBInstanceIdentifier: REPLICA,
                SourceDBInstanceIdentifier: source!.DBInstanceArn,
                DBInstanceClass: BASE.database.instanceClass,
                DBSubnetGroupName: `${BASE.prefix}-db`,
                DeletionProtection: true,
            }),
        );
        const zoneId = await hostedZone(clients.route53(), "webank.example");
        checks = (await failoverPair(clients.route53(), zoneId, {
            recordName: RECORD,
            primary: PRIMARY_ENDPOINT,
            secondary: "dr-alb.us-west-2.elb.amazonaws.com",
            path: "/healthz",
        }))!;
        // What the failover left: the switch held on DR.
        await clients
            .route53()
            .send(new UpdateHealthCheckCommand({ HealthCheckId: checks.switchId, Inverted: true }));
        config = {
            ...BASE,
            platform: {
                ...BASE.platform,
                traffic: {
                    zoneId,
                    recordName: RECORD,
                    primaryEndpoint: PRIMARY_ENDPOINT,
                    drEndpoint: "dr-alb.us-west-2.elb.amazonaws.com",
                    healthCheckPath: "/healthz",
                },
            },
        };
        const world = standardWorld(config, { now: new Date(), clock: () => new Date() });
        const real = motoPorts(clients, config, world.ports());
        ports = {
            ...real,
            home: {
                ...real.home,
                replica: promotingReplica(
                    new RdsReplica(clients.rds(HOME), clients.cloudwatch(HOME), HOME, FAST_POLLS),
                    real.home.database,
                ),
            },
        };
        // Moto publishes no ReplicaLag: the datapoint RDS would publish for the replica (AWS/RDS, seconds).
        await clients.cloudwatch(HOME).send(
            new PutMetricDataCommand({
                Namespace: "AWS/RDS",
                MetricData: [
                    {
                        MetricName: "ReplicaLag",
                        Dimensions: [{ Name: "DBInstanceIdentifier", Value: REPLICA }],
                        Value: 12,
                        Unit: "Seconds",
                        Timestamp: new Date(Date.now() - 60_000),
                    },
                ],
            }),
        );
        const backup = (region: string) => ({
            bucket: bucketName(BASE.prefix, "artifacts", MOTO_ACCOUNT, region),
            key: `stack-exports/before-failback-${STAMP}.json`,
        });
        const all = [
            preflightHomeStep(config, ports),
            preflightReplicaStep(config, ports, target),
            promoteHomeStep(config, ports, target),
            ...homeSteps(config, ports, target, {
                retired: RETIRED_HOME,
                stateBackup: backup(HOME),
                primary: await ports.workspace.selectStack("primary"),
                upSteps: () => [],
                upStep: "up-primary",
            }),
            ...finishSteps(config, ports, target, {
                runId: "failback-moto",
                retired: retiredDatabaseIdentifier(RESTORED, STAMP),
                generation: 1,
                stateBackup: backup(DR),
                dnsPollMilliseconds: 0,
            }),
        ];
        steps = new Map(all.map((s) => [s.name, s]));
    });
    after(async () => {
        await moto?.stop();
    });

    it("preflight: finds the gate's endpoint check healthy and the switch holding traffic on DR", async () => {
        const detail = await run(steps.get("preflight-home")!);
        assert.match(detail, new RegExp(`switch ${checks.switchId} holds traffic on DR`));
        assert.strictEqual(journaled.get("preflight-home")?.switchId, checks.switchId);
    });

    it("preflight: finds the home replica replicating the DR database by ARN, its CloudWatch lag within the RPO", async () => {
        assert.match(
            await run(steps.get("preflight-replica")!),
            /webank-db-home-1 replicates webank-db-dr-1 \(ReplicaLag 12 s at /,
        );
    });

    it("promotes the home replica with the primary's backup retention (PromoteReadReplica)", async () => {
        const before = await describe_(HOME, REPLICA);
        assert.strictEqual(
            before?.ReadReplicaSourceDBInstanceIdentifier,
            (await describe_(DR, RESTORED))?.DBInstanceArn,
        );
        assert.match(
            await run(steps.get("promote-home")!),
            /^promoted webank-db-home-1: available and standalone/,
        );
        const promoted = await describe_(HOME, REPLICA);
        assert.strictEqual(promoted?.DBInstanceStatus, "available");
        assert.strictEqual(promoted?.BackupRetentionPeriod, BASE.database.backupRetentionDays);
        // moto keeps the source after the promotion (see promotingReplica): that a repeat does not
        // promote again is the simulated account's to show (failback.test.ts, resumes).
    });

    it("gives the promoted instance the home name, the stale one kept under its retired name; a repeat renames nothing", async () => {
        const promotedId = (await describe_(HOME, REPLICA))?.DbiResourceId;
        const staleId = (await describe_(HOME, HOME_DB))?.DbiResourceId;
        assert.match(
            await run(steps.get("retire-stale-home")!),
            /renamed to webank-db-retired-202612060400: kept, deletion protection on/,
        );
        assert.match(await run(steps.get("rename-promoted")!), /^webank-db-home-1 renamed to webank-db$/);
        const home = await describe_(HOME, HOME_DB);
        const retired = await describe_(HOME, RETIRED_HOME);
        assert.strictEqual(home?.DbiResourceId, promotedId, "the home name is the promoted instance");
        assert.strictEqual(retired?.DbiResourceId, staleId, "the stale one is kept");
        assert.strictEqual(retired?.DeletionProtection, true);
        assert.strictEqual(await describe_(HOME, REPLICA), undefined);
        assert.match(await run(steps.get("retire-stale-home")!), /already renamed/);
        assert.match(await run(steps.get("rename-promoted")!), /already renamed to webank-db/);
        assert.strictEqual((await describe_(HOME, HOME_DB))?.DbiResourceId, promotedId);
    });

    it("releases the switch so Route 53 answers with the home endpoint; a repeat changes nothing", async () => {
        journaled.set("verify-home", {});
        assert.match(
            await run(steps.get("switch-home")!),
            new RegExp(`answers ${PRIMARY_ENDPOINT}: traffic is home`),
        );
        const inverted = async () =>
            (await clients.route53().send(new GetHealthCheckCommand({ HealthCheckId: checks.switchId })))
                .HealthCheck?.HealthCheckConfig?.Inverted;
        assert.strictEqual(await inverted(), false);
        assert.match(await run(steps.get("switch-home")!), /traffic is home/);
        assert.strictEqual(await inverted(), false);
    });

    it("frees the failover lock it ends, and a repeat finds it free", async () => {
        assert.strictEqual(
            await run(steps.get("release-lock")!),
            `lock released (it was held by ${FAILOVER_RUN})`,
        );
        assert.strictEqual(await ports.lock.holder(), undefined);
        assert.match(await run(steps.get("release-lock")!), /free already/);
    });
});
