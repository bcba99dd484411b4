import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { HEARTBEAT_READER_ROLE, HEARTBEAT_WRITER_ROLE, heartbeatSourceOf } from "../lib/heartbeat";
import {
    HEARTBEAT_CRONJOB_NAME,
    HEARTBEAT_NAMESPACE,
    heartbeatInsertStatement,
    heartbeatSchedule,
    POSTGRES_PORT,
    rdsCaBundleUrl,
    rdsDbUserArn,
    SECRETS_DIR,
    SECRETS_DIR_ENV,
    SETUP_PREPARE_SCRIPT,
    SETUP_SERVICE_ACCOUNT,
    setupFetchScript,
    setupPsqlScript,
    setupSqlText,
    WRITER_DEADLINE_SECONDS,
    WRITER_SERVICE_ACCOUNT,
    WRITER_STARTING_DEADLINE_SECONDS,
    writerScript,
    writerTokenScript,
} from "../lib/heartbeat-writer";
import { isRegionName, partitionOf } from "../lib/regions";
import { container, env, libpqEnv, podSpec, setupPolicy, writerPolicy } from "./heartbeat-parts";
import { irsaTrustPolicy } from "./irsa";

/** The database a heartbeat is written into. */
export interface HeartbeatDatabase {
    /** The instance's endpoint address (`aws.rds.Instance.address`): the token is signed for it and its certificate names it. */
    address: pulumi.Input<string>;
    /** Its DbiResourceId (`Database.resourceId`): the resource of the writer's `rds-db:connect`. */
    resourceId: pulumi.Input<string>;
    /** The application database (`webank:dbName`), which holds the heartbeat table. */
    name: string;
    /** ARN of its RDS-managed master secret (`Database.masterSecretArn`), which the setup Job logs in with. */
    masterSecretArn: pulumi.Input<string | undefined>;
}

/** The Secrets Manager secret of the verifier role's credentials (lib/naming.ts verifierSecretName). */
export interface HeartbeatVerifierSecret {
    /** What the setup Job passes as `--secret-id`: the ARN, or the name (a replica, found without the primary's state). */
    secretId: pulumi.Input<string>;
    /** Its complete ARN, or the `<name>-??????` pattern of it (lib/heartbeat-writer.ts secretArnPattern): the IAM resource. */
    arn: pulumi.Input<string>;
    /**
     * Whether the setup Job may store a generated password in it when it has none: the primary
     * secret. A replica is read-only (Secrets Manager replicates the primary's value into it),
     * so there the Job only reads, and its role cannot write.
     * @default false
     */
    writable?: boolean;
}

/** Arguments of {@link DatabaseHeartbeat}. */
export interface DatabaseHeartbeatArgs {
    /** Kubernetes provider of the cluster the writer runs in. */
    provider: k8s.Provider;
    /** AWS provider of the cluster's region (the IRSA roles). */
    awsProvider: aws.Provider;
    /** The cluster's name: the `source` of every heartbeat it writes. */
    clusterName: string;
    /** The cluster's and the database's region. */
    region: string;
    /** The account of the database and the secrets. */
    accountId: pulumi.Input<string>;
    /** OIDC provider ARN of the cluster, for the IRSA roles. */
    oidcProviderArn: pulumi.Input<string>;
    /** OIDC issuer without `https://` (`Cluster.oidcIssuer`). */
    oidcIssuer: pulumi.Input<string>;
    /** The database to write into. */
    database: HeartbeatDatabase;
    /** The verifier's secret, whose password the setup Job gives the verifier role. */
    verifierSecret: HeartbeatVerifierSecret;
    /** KMS key (in this region) of the master secret and the verifier secret. */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Tables (`schema.table`) the verifier reads besides the heartbeat: the critical tables of
     * `webank:verifyTables` and the migration table (lib/restored-data.ts verifiedTables). The
     * setup grants SELECT on each that exists when it runs.
     * @default [] (the heartbeat only)
     */
    verifiedTables?: readonly string[];
}

/**
 * The heartbeat writer of a serving platform: every minute a CronJob inserts one row into
 * `webank_dr.heartbeat` (lib/heartbeat.ts) as the least-privilege role `webank_dr_heartbeat`,
 * logging in with an IAM token (its IRSA role may `rds-db:connect` as that user of that
 * instance, and nothing else) over TLS verified against the regional RDS CA. A one-off Job,
 * as the master user, creates the schema, the table and the two roles, grants `rds_iam`, and
 * gives the verifier role its password from the verifier secret, generated once and never
 * rotated (lib/heartbeat-writer.ts setupFetchScript). A restore is then judged by the newest
 * row it holds (automation/adapters/postgres-verifier.ts).
 */
export class DatabaseHeartbeat extends pulumi.ComponentResource {
    /** The writer's cron schedule (UTC). */
    public readonly schedule: string;
    /** The namespace of the writer and the setup Job. */
    public readonly namespace: string;
    /** The writer CronJob. */
    public readonly writer: k8s.batch.v1.CronJob;
    /** The setup Job. */
    public readonly setup: k8s.batch.v1.Job;
    /** The writer's IRSA role. */
    public readonly writerRole: aws.iam.Role;
    /** The setup Job's IRSA role. */
    public readonly setupRole: aws.iam.Role;

    constructor(name: string, args: DatabaseHeartbeatArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:platform:DatabaseHeartbeat", name, {}, opts);
        const port = POSTGRES_PORT;
        validate(name, args);
        const k8sOpts = { parent: this, provider: args.provider };
        this.schedule = heartbeatSchedule();
        this.namespace = HEARTBEAT_NAMESPACE;

        // Its own namespace, not Argo CD's: `argocd admin export` reads the Secrets of Argo CD's
        // namespace, and the DR tooling's pods get the "restricted" Pod Security Standard
        // enforced by the admission controller (Kubernetes docs, "Pod Security Admission").
        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            {
                metadata: {
                    name: HEARTBEAT_NAMESPACE,
                    labels: {
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                    },
                },
            },
            k8sOpts,
        );

        const connectArn = pulumi
            .all([args.accountId, args.database.resourceId])
            .apply(([account, resourceId]) =>
                rdsDbUserArn(args.region, account, resourceId, HEARTBEAT_WRITER_ROLE),
            );
        const writer = this.irsaRole(name, "writer", WRITER_SERVICE_ACCOUNT, args, namespace, {
            description: `Writes the database heartbeat of ${args.clusterName} as ${HEARTBEAT_WRITER_ROLE}`,
            policy: connectArn.apply(writerPolicy),
        });
        this.writerRole = writer.role;
        const setup = this.irsaRole(name, "setup", SETUP_SERVICE_ACCOUNT, args, namespace, {
            description: `Sets up the database heartbeat of ${args.clusterName}: reads the master and verifier secrets`,
            policy: pulumi
                .all([args.database.masterSecretArn, args.verifierSecret.arn, args.kmsKeyArn])
                .apply(([masterSecretArn, verifierSecretArn, kmsKeyArn]) =>
                    setupPolicy({
                        owner: `DatabaseHeartbeat(${name})`,
                        region: args.region,
                        masterSecretArn,
                        verifierSecretArn,
                        kmsKeyArn,
                        writable: args.verifierSecret.writable ?? false,
                    }),
                ),
        });
        this.setupRole = setup.role;

        const caBundle = rdsCaBundleUrl(args.region);
        const awsEnv = [
            env("AWS_REGION", args.region),
            env("AWS_DEFAULT_REGION", args.region),
            env("RDS_CA_BUNDLE_URL", caBundle),
        ];
        const db = args.database;
        this.setup = new k8s.batch.v1.Job(
            `${name}-setup`,
            {
                metadata: {
                    namespace: namespace.metadata.name,
                    labels: { "app.kubernetes.io/name": "heartbeat-setup" },
                },
                spec: {
                    // A few retries for a database still starting; each try is idempotent.
                    backoffLimit: 3,
                    activeDeadlineSeconds: 600,
                    template: {
                        spec: podSpec(
                            setup.serviceAccount.metadata.name,
                            [
                                container("fetch", "awsCli", setupFetchScript(), [
                                    ...awsEnv,
                                    env(SECRETS_DIR_ENV, SECRETS_DIR),
                                    // Undefined only without a managed master secret, which setupPolicy refuses.
                                    env(
                                        "MASTER_SECRET_ID",
                                        pulumi.output(db.masterSecretArn).apply((arn) => arn ?? ""),
                                    ),
                                    env("VERIFIER_SECRET_ID", args.verifierSecret.secretId),
                                    env(
                                        "VERIFIER_SECRET_WRITABLE",
                                        String(args.verifierSecret.writable ?? false),
                                    ),
                                ]),
                                container("prepare", "python", SETUP_PREPARE_SCRIPT, [
                                    ...libpqEnv(db.address, port, db.name, undefined),
                                    env("HEARTBEAT_VERIFIER_ROLE", HEARTBEAT_READER_ROLE),
                                    env("HEARTBEAT_SETUP_SQL", setupSqlText(args.verifiedTables ?? [])),
                                ]),
                            ],
                            [
                                container(
                                    "setup",
                                    "psql",
                                    setupPsqlScript(),
                                    libpqEnv(db.address, port, db.name, undefined),
                                ),
                            ],
                        ),
                    },
                },
            },
            // Pulumi waits for the Job to complete (pulumi-kubernetes batch/v1 Job await: a
            // Failed condition fails the update). Its template is immutable, so a change of
            // script, image or database replaces the Job, which runs the setup again.
            { ...k8sOpts, dependsOn: [setup.policy], customTimeouts: { create: "15m", update: "15m" } },
        );

        this.writer = new k8s.batch.v1.CronJob(
            `${name}-writer`,
            {
                metadata: { name: HEARTBEAT_CRONJOB_NAME, namespace: namespace.metadata.name },
                spec: {
                    schedule: this.schedule,
                    timeZone: "Etc/UTC",
                    // One heartbeat at a time; a run that misses its start by more than the
                    // deadline is skipped (Kubernetes docs, "CronJob": concurrencyPolicy,
                    // startingDeadlineSeconds), the next minute writes.
                    concurrencyPolicy: "Forbid",
                    startingDeadlineSeconds: WRITER_STARTING_DEADLINE_SECONDS,
                    // Never suspended, on either side: every beat carries its cluster's name
                    // (lib/heartbeat.ts heartbeatSourceOf) and the verifier counts only the home
                    // platform's, so a DR writer may write into a restored copy at once.
                    suspend: false,
                    successfulJobsHistoryLimit: 1,
                    failedJobsHistoryLimit: 3,
                    jobTemplate: {
                        spec: {
                            // No retry: a retried beat is a late beat; the next one is a minute away.
                            backoffLimit: 0,
                            activeDeadlineSeconds: WRITER_DEADLINE_SECONDS,
                            template: {
                                metadata: { labels: { "app.kubernetes.io/name": "heartbeat" } },
                                spec: podSpec(
                                    writer.serviceAccount.metadata.name,
                                    [
                                        container("token", "awsCli", writerTokenScript(), [
                                            ...awsEnv,
                                            ...libpqEnv(db.address, port, db.name, HEARTBEAT_WRITER_ROLE),
                                        ]),
                                    ],
                                    [
                                        container(
                                            "write",
                                            "psql",
                                            writerScript(
                                                heartbeatInsertStatement(heartbeatSourceOf(args.clusterName)),
                                            ),
                                            libpqEnv(db.address, port, db.name, HEARTBEAT_WRITER_ROLE),
                                        ),
                                    ],
                                ),
                            },
                        },
                    },
                },
            },
            // No ignoreChanges on spec.suspend: every update resumes a writer suspended by hand.
            { ...k8sOpts, dependsOn: [this.setup, writer.policy] },
        );
        this.registerOutputs({ schedule: this.schedule, namespace: this.namespace });
    }

    /** An IRSA role that only `serviceAccount` of the heartbeat's namespace may assume, its policy, and that service account. */
    private irsaRole(
        name: string,
        role: "writer" | "setup",
        serviceAccount: string,
        args: DatabaseHeartbeatArgs,
        namespace: k8s.core.v1.Namespace,
        what: { description: string; policy: pulumi.Output<string> },
    ): { role: aws.iam.Role; policy: aws.iam.RolePolicy; serviceAccount: k8s.core.v1.ServiceAccount } {
        const awsOpts = { parent: this, provider: args.awsProvider };
        const iamRole = new aws.iam.Role(
            `${name}-${role}`,
            {
                description: what.description,
                assumeRolePolicy: irsaTrustPolicy(
                    args.oidcProviderArn,
                    args.oidcIssuer,
                    HEARTBEAT_NAMESPACE,
                    serviceAccount,
                ),
            },
            awsOpts,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-${role}`,
            { role: iamRole.id, policy: what.policy },
            awsOpts,
        );
        const account = new k8s.core.v1.ServiceAccount(
            `${name}-${role}`,
            {
                metadata: {
                    name: serviceAccount,
                    namespace: namespace.metadata.name,
                    annotations: { "eks.amazonaws.com/role-arn": iamRole.arn },
                },
            },
            { parent: this, provider: args.provider },
        );
        return { role: iamRole, policy, serviceAccount: account };
    }
}

/** Refuses plain arguments that cannot work, naming each. */
function validate(name: string, args: DatabaseHeartbeatArgs): void {
    const problems = new ProblemCollector();
    const field = (f: string) => `DatabaseHeartbeat(${name}).${f}`;
    if (!isRegionName(args.region)) {
        problems.add(field("region"), "be an AWS region", args.region);
    } else if (partitionOf(args.region) !== "aws") {
        problems.add(
            field("region"),
            "be a region of the aws partition (its RDS CA bundle URL is known)",
            args.region,
        );
    }
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(args.database.name)) {
        problems.add(
            field("database.name"),
            "be 1 to 63 lower-case letters, digits or underscores, starting with a letter",
            args.database.name,
        );
    }
    if (!args.clusterName) {
        problems.add(field("clusterName"), "name the cluster (the heartbeat's source)", args.clusterName);
    }
    problems.throwIfAny(`Invalid arguments for DatabaseHeartbeat "${name}"`);
}
