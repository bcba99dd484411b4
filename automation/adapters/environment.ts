import { BackupClient } from "@aws-sdk/client-backup";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import * as os from "os";
import { StackConfig } from "../../config/stack-config";
import { alertTopicName, bootstrapKeyAlias, lockTableName, verifierSecretName } from "../../lib/naming";
import { partitionOf } from "../../lib/regions";
import { PROJECT_ROOT } from "../../config/stack-files";
import { AwsBackup } from "./aws/backup";
import { AwsClusterRestore } from "./aws/cluster-restore";
import { RdsDataVerifier } from "./aws/data";
import { RdsDatabase } from "./aws/database";
import { RdsReplica } from "./aws/replica";
import { StsIdentity } from "./aws/identity";
import { SnsNotifications } from "./aws/notifications";
import { CodeBuildDeployRunner } from "./aws/deploy-runner";
import { CodeBuildJobs } from "./aws/jobs";
import { S3Objects } from "./aws/objects";
import { awsClientConfig } from "./aws/retry";
import { Route53Traffic, ROUTE53_REGION } from "./aws/traffic";
import { commandRunner } from "./command-runner";
import { FailoverLock } from "./aws/lock";
import { RecoveryPorts, RegionPorts, Timers } from "../ports";
import { pulumiWorkspace } from "./pulumi-workspace";

/** Options of {@link realPorts}. */
export interface RealPortsOptions {
    /** Where progress lines go (the CLI passes stdout). */
    readonly output: (line: string) => void;
    /** Now. Default: the clock. */
    readonly now?: () => Date;
    /** The Pulumi project directory. Default {@link PROJECT_ROOT}. */
    readonly workDir?: string;
}

/**
 * The real ports: AWS in the home and DR regions, Route 53, CodeBuild (home region), the
 * Pulumi workspace of this project, the cluster tools, and the failover lock on the lock
 * table's replica in the DR region (where a failover runs when the home region is down).
 * Building them calls nothing and needs no credentials: SDK clients resolve credentials
 * on their first call, and the Pulumi CLI runs only when a stack is selected. So `--help`
 * and `--dry-run` argument errors work on a machine without any.
 */
export function realPorts(config: StackConfig, options: RealPortsOptions): RecoveryPorts {
    const now = options.now ?? (() => new Date());
    const lock = new FailoverLock(
        new DynamoDBClient(awsClientConfig(config.drRegion)),
        lockTableName(config.prefix),
    );
    const identity = new StsIdentity(new STSClient(awsClientConfig(config.drRegion)), config.drRegion);
    const topicArn = async () =>
        `arn:${partitionOf(config.drRegion)}:sns:${config.drRegion}:${await identity.accountId()}:${alertTopicName(config.prefix, "dr")}`;
    return {
        home: regionPorts(config.homeRegion, config.prefix),
        dr: regionPorts(config.drRegion, config.prefix),
        // Drill stacks live beside dr and keep their secrets with the same key.
        workspace: pulumiWorkspace(options.workDir ?? PROJECT_ROOT, {
            secretsProvider: `awskms://${bootstrapKeyAlias(config.prefix)}?region=${config.drRegion}`,
        }),
        traffic: new Route53Traffic(new Route53Client(awsClientConfig(ROUTE53_REGION))),
        jobs: new CodeBuildJobs(new CodeBuildClient(awsClientConfig(config.homeRegion)), config.homeRegion),
        commands: commandRunner(),
        identity,
        lock: {
            acquire: (owner) => lock.acquire({ owner, since: now().toISOString(), by: operatorName() }),
            holder: () => lock.holder(),
            release: (owner) => lock.release(owner),
        },
        notifications: new SnsNotifications(new SNSClient(awsClientConfig(config.drRegion)), topicArn),
        output: options.output,
        now,
        timers: realTimers,
    };
}

/** Timers of the wall clock. */
export const realTimers: Timers = {
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
    every: (ms, tick) => {
        const handle = setInterval(tick, ms);
        // A heartbeat never keeps the process alive on its own.
        handle.unref();
        return () => clearInterval(handle);
    },
};

/** RDS, AWS Backup, S3, the deploy runners (CodeBuild), the data verifier and the read replica (RDS, CloudWatch) in one region. */
export function regionPorts(region: string, prefix: string): RegionPorts {
    const rds = new RDSClient(awsClientConfig(region));
    return {
        region,
        database: new RdsDatabase(rds, region),
        replica: new RdsReplica(rds, new CloudWatchClient(awsClientConfig(region)), region),
        backup: new AwsBackup(new BackupClient(awsClientConfig(region)), region),
        clusterRestore: new AwsClusterRestore(new BackupClient(awsClientConfig(region)), region),
        // Buckets are addressed by name; following redirects keeps a bucket of another region readable.
        objects: new S3Objects(
            new S3Client({ ...awsClientConfig(region), followRegionRedirects: true }),
            region,
        ),
        runner: new CodeBuildDeployRunner(new CodeBuildClient(awsClientConfig(region)), region),
        data: new RdsDataVerifier(
            new SecretsManagerClient(awsClientConfig(region)),
            region,
            verifierSecretName(prefix),
        ),
    };
}

/** `user@host` for the lock item, so a second operator sees who holds it. */
function operatorName(): string {
    let user = process.env.USER ?? process.env.USERNAME ?? "unknown";
    try {
        user = os.userInfo().username;
    } catch {
        // Containers without a passwd entry: keep the environment's name.
    }
    return `${user}@${os.hostname()}`;
}
