import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { createServer } from "http";
import type { AddressInfo } from "net";
import { BackupClient } from "@aws-sdk/client-backup";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
    CreateDBInstanceCommand,
    CreateDBSubnetGroupCommand,
    DescribeDBInstancesCommand,
    RDSClient,
} from "@aws-sdk/client-rds";
import {
    ChangeResourceRecordSetsCommand,
    CreateHealthCheckCommand,
    CreateHostedZoneCommand,
    GetHealthCheckCommand,
    HealthCheckConfig,
    GetHealthCheckStatusCommand,
    ListResourceRecordSetsCommand,
    Route53Client,
    TestDNSAnswerCommand,
    TestDNSAnswerCommandInput,
    TestDNSAnswerCommandOutput,
} from "@aws-sdk/client-route-53";
import {
    BucketLocationConstraint,
    CreateBucketCommand,
    PutBucketVersioningCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import type { StackConfig } from "../../config/stack-config";
import { RdsDatabase } from "../../automation/adapters/aws/database";
import { StsIdentity } from "../../automation/adapters/aws/identity";
import { FailoverLock } from "../../automation/adapters/aws/lock";
import { SnsNotifications } from "../../automation/adapters/aws/notifications";
import { S3Objects } from "../../automation/adapters/aws/objects";
import { awsClientConfig } from "../../automation/adapters/aws/retry";
import { Route53Traffic, ROUTE53_REGION } from "../../automation/adapters/aws/traffic";
import type { DatabasePort, RecoveryPorts, RegionPorts } from "../../automation/ports";
import * as dns from "../../lib/dns-failover";
import { alertTopicName, lockTableName } from "../../lib/naming";
import { mockInstance } from "./mock-client";
import { motoClientConfig } from "./moto";

/*
 * The real AWS adapters wired to a moto server, for the tests that run a whole command against
 * it (test/automation/commands/*.moto.test.ts): one place builds what
 * automation/adapters/environment.ts builds for AWS, so each such test swaps the same ports and
 * keeps the same simulated ones where moto has no answer (each test file lists its gaps). And
 * the seeds those tests make, in the shapes the stacks declare.
 */

/** moto's default account ("the default account ID is 123456789012", moto docs, Multi-account), as the simulated world's. */
export const MOTO_ACCOUNT = "123456789012";

/** Waits that poll moto (which answers `available` at once) need no pause. */
export const FAST_POLLS = { pollDelays: { minDelaySeconds: 0.001, maxDelaySeconds: 0.002 } } as const;

/**
 * SDK clients of one moto server, each made once and all destroyed together. They take the
 * CLI's retry config with one attempt: moto answers an operation it lacks with HTTP 500 or
 * 404, which the real strategy would retry for a minute. S3 is path-style (the endpoint is an
 * IP address); Route 53 is signed for us-east-1, as the adapter's client is, and `name` makes
 * a second one (to mock).
 */
export class MotoClients {
    private readonly made = new Map<string, { destroy(): void }>();

    constructor(public readonly endpoint: string) {}

    public readonly rds = (region: string) => this.once(RDSClient, region);
    public readonly s3 = (region: string) => this.once(S3Client, region, { forcePathStyle: true });
    public readonly dynamodb = (region: string) => this.once(DynamoDBClient, region);
    public readonly sns = (region: string) => this.once(SNSClient, region);
    public readonly sts = (region: string) => this.once(STSClient, region);
    public readonly backup = (region: string) => this.once(BackupClient, region);
    public readonly codebuild = (region: string) => this.once(CodeBuildClient, region);
    public readonly cloudwatch = (region: string) => this.once(CloudWatchClient, region);
    public readonly route53 = (name = "") => this.once(Route53Client, ROUTE53_REGION, {}, name);

    /** Destroys every client made. */
    public destroy(): void {
        this.made.forEach((client) => client.destroy());
        this.made.clear();
    }

    private once<C extends { destroy(): void }, O extends object>(
        Client: new (config: ReturnType<typeof awsClientConfig> & O) => C,
        region: string,
        extra = {} as O,
        name = "",
    ): C {
        const key = `${Client.name} ${region} ${name}`;
        const config = {
            ...awsClientConfig(region, { maxAttempts: 1 }),
            ...motoClientConfig(this.endpoint, region),
        };
        return (this.made.get(key) ?? this.made.set(key, new Client({ ...config, ...extra })).get(key)) as C;
    }
}

/**
 * Whether Route 53 considers a health check healthy, read from moto's stored check. An endpoint
 * check is healthy when more than 18% of the checkers report success ("How Route 53 determines
 * whether a health check is healthy"); a CALCULATED one when at least HealthThreshold of its
 * children are, 0 meaning always ("HealthThreshold", CreateHealthCheck API reference). `Inverted`
 * turns either over.
 */
async function healthy(route53: Route53Client, HealthCheckId: string): Promise<boolean> {
    const config = (await route53.send(new GetHealthCheckCommand({ HealthCheckId }))).HealthCheck
        ?.HealthCheckConfig;
    let up: boolean;
    if (config?.Type === "CALCULATED") {
        const children = await Promise.all(
            (config.ChildHealthChecks ?? []).map((id) => healthy(route53, id)),
        );
        up = children.filter(Boolean).length >= (config.HealthThreshold ?? 0);
    } else {
        const status = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId }));
        const seen = status.HealthCheckObservations ?? [];
        const ok = seen.filter((o) => o.StatusReport?.Status?.startsWith("Success")).length;
        up = seen.length > 0 && ok / seen.length > 0.18;
    }
    return up !== (config?.Inverted ?? false);
}

/**
 * Route 53's failover answer, which moto cannot give (it has no TestDNSAnswer): the PRIMARY
 * record's value while its health check is healthy, else the SECONDARY's ("Failover routing",
 * Route 53 developer guide). Read from moto's own records and health checks, so it follows what
 * the adapter changed.
 */
export async function failoverAnswer(
    route53: Route53Client,
    input: TestDNSAnswerCommandInput,
): Promise<TestDNSAnswerCommandOutput> {
    const { HostedZoneId, RecordName, RecordType } = input;
    const name = `${(RecordName ?? "").toLowerCase().replace(/\.$/, "")}.`;
    const list = new ListResourceRecordSetsCommand({ HostedZoneId, StartRecordName: name });
    const named = ((await route53.send(list)).ResourceRecordSets ?? []).filter((s) => s.Type === RecordType);
    const sets = named.filter((s) => s.Name?.toLowerCase() === name);
    const [primary, secondary] = ["PRIMARY", "SECONDARY"].map((f) => sets.find((s) => s.Failover === f));
    let answered = primary ?? sets[0];
    if (primary?.HealthCheckId) {
        answered = (await healthy(route53, primary.HealthCheckId)) ? primary : (secondary ?? primary);
    }
    const RecordData = (answered?.ResourceRecords ?? []).map((r) => r.Value ?? "");
    const ResponseCode = RecordData.length > 0 ? "NOERROR" : "NXDOMAIN";
    const Nameserver = "ns-0.awsdns-00.com";
    return { $metadata: {}, RecordName, RecordType, RecordData, ResponseCode, Nameserver, Protocol: "UDP" };
}

/** The Route 53 adapter over moto, TestDNSAnswer (the one call moto lacks) answered by {@link failoverAnswer}. */
export function motoTraffic(clients: MotoClients): Route53Traffic {
    const client = clients.route53("with answers");
    const mock = mockInstance(client);
    // Every other call goes through to moto unchanged.
    mock.send.callThrough();
    mock.on(TestDNSAnswerCommand).callsFake((input: TestDNSAnswerCommandInput) =>
        failoverAnswer(clients.route53(), input),
    );
    return new Route53Traffic(client);
}

/**
 * Every port moto answers replaced by its real adapter: per region RDS and S3; Route 53, the
 * DynamoDB lock, STS and SNS. Kept from `simulated`: RDS's `replicatedBackups` (moto has no
 * automated backups replicated across regions: no StartDBInstanceAutomatedBackupsReplication,
 * and DescribeDBInstanceAutomatedBackups gives neither RestoreWindow nor ARN), AWS Backup (no
 * jobs or recovery points), CodeBuild (timestamps the SDK cannot parse), and what is not AWS:
 * the Pulumi workspace, the cluster tools, the verifier's `data`, the clock.
 */
export function motoPorts(
    clients: MotoClients,
    config: StackConfig,
    simulated: RecoveryPorts,
): RecoveryPorts {
    const region = (sim: RegionPorts): RegionPorts => {
        const real = new RdsDatabase(clients.rds(sim.region), sim.region, FAST_POLLS);
        // Inherits every other method (and the fields they use) from the real adapter.
        const database = Object.assign(Object.create(real) as DatabasePort, {
            replicatedBackups: (source: string) => sim.database.replicatedBackups(source),
        });
        return { ...sim, database, objects: new S3Objects(clients.s3(sim.region), sim.region) };
    };
    const identity = new StsIdentity(clients.sts(config.drRegion), config.drRegion);
    const topic = alertTopicName(config.prefix, "dr");
    // As environment.ts adapts the lock: the holder's time and name are added here.
    const lock = new FailoverLock(clients.dynamodb(config.drRegion), lockTableName(config.prefix));
    const by = "operator@moto-test";
    return {
        ...simulated,
        home: region(simulated.home),
        dr: region(simulated.dr),
        traffic: motoTraffic(clients),
        identity,
        lock: {
            acquire: (owner) => lock.acquire({ owner, since: simulated.now().toISOString(), by }),
            holder: () => lock.holder(),
            release: (owner) => lock.release(owner),
        },
        notifications: new SnsNotifications(
            clients.sns(config.drRegion),
            async () => `arn:aws:sns:${config.drRegion}:${await identity.accountId()}:${topic}`,
        ),
    };
}

/**
 * A versioned bucket as the stacks make them. Outside us-east-1 CreateBucket needs the region
 * as LocationConstraint ("If you don't specify a Region, the bucket is created in US East (N.
 * Virginia)", S3 API reference, CreateBucket).
 */
export async function versionedBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
    const location = {
        CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
    };
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ...(region === "us-east-1" ? {} : location) }));
    await s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }),
    );
}

/** The DR replica of the state lock table, keyed as components/state-backend.ts declares it (`LockID`, a string). */
export async function lockTable(dynamodb: DynamoDBClient, prefix: string): Promise<void> {
    await dynamodb.send(
        new CreateTableCommand({
            TableName: lockTableName(prefix),
            KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
            AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
            BillingMode: "PAY_PER_REQUEST",
        }),
    );
}

/** A public hosted zone; returns its id as the config holds it (without `/hostedzone/`). */
export async function hostedZone(route53: Route53Client, name: string): Promise<string> {
    const zone = new CreateHostedZoneCommand({ Name: name, CallerReference: `zone-${name}` });
    return (await route53.send(zone)).HostedZone!.Id!.replace("/hostedzone/", "");
}

/** The health checks of a failover pair's PRIMARY record (see components/traffic.ts). */
export type PrimaryChecks = {
    /** The endpoint's HTTPS check: Route 53's view of the home platform. */
    readonly endpointId: string;
    /** The traffic switch: CALCULATED with no children, inverted while traffic is held on DR. */
    readonly switchId: string;
    /** The gate the PRIMARY record carries: CALCULATED over the endpoint check and the switch. */
    readonly gateId: string;
};

/**
 * `recordName`'s failover pair as components/traffic.ts declares it: PRIMARY on `primary`,
 * guarded by the gate (CALCULATED, HealthThreshold 2 over the endpoint's HTTPS check and the
 * traffic switch, a CALCULATED check with no children and HealthThreshold 0), SECONDARY on
 * `secondary` with its own HTTPS check; each a CNAME with the longest failover TTL, each HTTPS
 * check fast (10 s interval, threshold 3, SNI). `primaryHealthCheck: false` makes the PRIMARY
 * without any check, as a record set by hand would be. Returns the PRIMARY's checks.
 */
export async function failoverPair(
    route53: Route53Client,
    zoneId: string,
    pair: {
        recordName: string;
        primary: string;
        secondary: string;
        path: string;
        primaryHealthCheck?: boolean;
    },
): Promise<PrimaryChecks | undefined> {
    const create = async (reference: string, HealthCheckConfig: HealthCheckConfig) =>
        (await route53.send(new CreateHealthCheckCommand({ CallerReference: reference, HealthCheckConfig })))
            .HealthCheck!.Id!;
    const https = (role: string, target: string) =>
        create(`${pair.recordName}-${role}`, {
            Type: "HTTPS",
            FullyQualifiedDomainName: target,
            Port: 443,
            ResourcePath: pair.path,
            EnableSNI: true,
            RequestInterval: dns.HEALTH_CHECK_INTERVAL_SECONDS,
            FailureThreshold: dns.HEALTH_CHECK_FAILURE_THRESHOLD,
        });
    let checks: PrimaryChecks | undefined;
    if (pair.primaryHealthCheck !== false) {
        const endpointId = await https("primary", pair.primary);
        const switchId = await create(`${pair.recordName}-switch`, {
            Type: "CALCULATED",
            ChildHealthChecks: [],
            HealthThreshold: 0,
        });
        const gateId = await create(`${pair.recordName}-gate`, {
            Type: "CALCULATED",
            ChildHealthChecks: [endpointId, switchId],
            HealthThreshold: 2,
        });
        checks = { endpointId, switchId, gateId };
    }
    const record = (Failover: "PRIMARY" | "SECONDARY", Value: string, HealthCheckId: string | undefined) => ({
        Action: "CREATE" as const,
        ResourceRecordSet: {
            Name: pair.recordName,
            Type: "CNAME" as const,
            SetIdentifier: Failover.toLowerCase(),
            Failover,
            TTL: dns.FAILOVER_TTL_SECONDS.max,
            ResourceRecords: [{ Value }],
            HealthCheckId,
        },
    });
    const Changes = [
        record("PRIMARY", pair.primary, checks?.gateId),
        record("SECONDARY", pair.secondary, await https("secondary", pair.secondary)),
    ];
    const change = new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes } });
    await route53.send(change);
    return checks;
}

/** A notification as an HTTP(S) subscriber receives it (SNS developer guide, "HTTP/S notification JSON format"). */
export type Delivered = { readonly Type: string; readonly Subject?: string; readonly TopicArn: string };

/**
 * The DR alert topic, with an HTTP subscriber on this machine that keeps every notification
 * moto delivers to it: what the people on call would receive.
 */
export async function alertTopic(
    sns: SNSClient,
    prefix: string,
): Promise<{ delivered: Delivered[]; stop(): Promise<void> }> {
    const delivered: Delivered[] = [];
    const server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const message = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Delivered;
            if (message.Type === "Notification") {
                delivered.push(message);
            }
            response.end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const Endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: alertTopicName(prefix, "dr") }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint }));
    return { delivered, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * One call of an AWS API the project has no SDK client of (EC2's Query protocol, KMS's JSON
 * 1.1), to seed moto in milliseconds (the AWS CLI takes one or two seconds a call). moto serves
 * every service on one port and reads the service and region from the SigV4 credential scope
 * (it checks no signature), so the scope is all the request carries. Returns the answer's text.
 */
export async function motoCall(
    endpoint: string,
    region: string,
    service: "ec2" | "kms",
    request: { form: Record<string, string> } | { target: string; json: unknown },
): Promise<string> {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    const query = "form" in request;
    const response = await fetch(`${endpoint}/`, {
        method: "POST",
        headers: {
            authorization: `AWS4-HMAC-SHA256 Credential=testing/${day}/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
            "content-type": query ? "application/x-www-form-urlencoded" : "application/x-amz-json-1.1",
            ...(query ? {} : { "x-amz-target": request.target }),
        },
        body: query ? new URLSearchParams(request.form).toString() : JSON.stringify(request.json),
    });
    const text = await response.text();
    if (!response.ok) {
        throw new Error(`moto ${service} ${region} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return text;
}

/**
 * The database subnet group `<prefix>-db` in `region`, over a new VPC (10.0.0.0/16) with a
 * subnet in each of two zones: a DB subnet group needs "at least two subnets in at least two
 * Availability Zones" (RDS user guide, "Working with a DB instance in a VPC").
 */
export async function subnetGroup(clients: MotoClients, region: string, prefix: string): Promise<void> {
    const ec2 = async (form: Record<string, string>, id: string) => {
        const answer = await motoCall(clients.endpoint, region, "ec2", {
            form: { Version: "2016-11-15", ...form },
        });
        return new RegExp(`<${id}>([^<]+)</${id}>`).exec(answer)![1];
    };
    const VpcId = await ec2({ Action: "CreateVpc", CidrBlock: "10.0.0.0/16" }, "vpcId");
    const SubnetIds = [];
    for (const [i, zone] of ["a", "b"].entries()) {
        const subnet = {
            Action: "CreateSubnet",
            VpcId,
            CidrBlock: `10.0.${i}.0/24`,
            AvailabilityZone: `${region}${zone}`,
        };
        SubnetIds.push(await ec2(subnet, "subnetId"));
    }
    const group = {
        DBSubnetGroupName: `${prefix}-db`,
        DBSubnetGroupDescription: `${prefix} database subnets`,
    };
    await clients.rds(region).send(new CreateDBSubnetGroupCommand({ ...group, SubnetIds }));
}

/**
 * An RDS instance as components/database.ts declares it (PostgreSQL of the config's version,
 * Multi-AZ, encrypted, deletion-protected, the config's class, storage and retention) in the
 * subnet group of {@link subnetGroup}. Returns its endpoint `host:port` as RDS describes it.
 */
export async function rdsInstance(rds: RDSClient, config: StackConfig, identifier: string): Promise<string> {
    const db = config.database;
    await rds.send(
        new CreateDBInstanceCommand({
            DBInstanceIdentifier: identifier,
            Engine: "postgres",
            EngineVersion: db.engineVersion,
            DBInstanceClass: db.instanceClass,
            AllocatedStorage: db.allocatedStorageGiB,
            MasterUsername: "webank",
            MasterUserPassword: "not-a-real-password-1",
            DBSubnetGroupName: `${config.prefix}-db`,
            BackupRetentionPeriod: db.backupRetentionDays,
            MultiAZ: true,
            StorageEncrypted: true,
            DeletionProtection: true,
        }),
    );
    const described = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    const endpoint = described.DBInstances![0].Endpoint!;
    return `${endpoint.Address}:${endpoint.Port}`;
}
