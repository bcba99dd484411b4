import * as assert from "assert";
import { HEARTBEAT_PERIOD_MINUTES, HEARTBEAT_TABLE, heartbeatSourceOf } from "../../lib/heartbeat";
import {
    HEARTBEAT_IMAGES,
    heartbeatInsertStatement,
    heartbeatSchedule,
    kubernetesLiteral,
    POSTGRES_PORT,
    setupSqlText,
    WRITER_DEADLINE_SECONDS,
    writerScript,
    writerTokenScript,
} from "../../lib/heartbeat-writer";
import { OfflineRun } from "../../offline/engine";
import { variantOverrides } from "../../offline/stack-variants";
import { envOf, podOf } from "../support/heartbeat-lab";
import { inputsOf, named, ofType, runStack } from "../support/offline";

/*
 * The database heartbeat as the plans declare it: where (primary; an activated dr, never a
 * pilot light), the writer CronJob's schedule and limits, the setup Job and its grants, and the
 * verifier secret with its replica. Three shared stack runs. IAM and the argument checks:
 * test/components/heartbeat-iam.test.ts.
 */

const COMPONENT = "webank:platform:DatabaseHeartbeat";
const CRONJOB = "kubernetes:batch/v1:CronJob";
const JOB = "kubernetes:batch/v1:Job";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

describe("components/heartbeat: DatabaseHeartbeat", () => {
    let primary: OfflineRun;
    let pilot: OfflineRun;
    let activated: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
        pilot = await runStack("dr", {}, { primary: primary.outputs });
        activated = await runStack("dr", variantOverrides("dr:activated"), { primary: primary.outputs });
    });

    describe("where it is declared", () => {
        it("primary: a heartbeat writing into its own database, in the webank-dr namespace", () => {
            assert.strictEqual(ofType(primary, COMPONENT).length, 1);
            const cron = inputsOf(named(primary, CRONJOB, "webank-primary-heartbeat-writer"));
            assert.deepStrictEqual(cron.metadata, { name: "heartbeat", namespace: "webank-dr" });
            const [host] = String(primary.outputs.dbEndpoint).split(":");
            const env = envOf(
                podOf(named(primary, CRONJOB, "webank-primary-heartbeat-writer")).containers[0],
            );
            assert.strictEqual(env.PGHOST, host, "the primary instance's address");
            assert.strictEqual(env.PGDATABASE, "webank", "webank:dbName's default");
            assert.strictEqual(primary.outputs.heartbeatCronJob, "webank-dr/heartbeat (* * * * * UTC)");
        });

        it("dr pilot light: none (no cluster, no database), and no verifier secret of its own", () => {
            assert.strictEqual(ofType(pilot, COMPONENT).length, 0);
            assert.strictEqual(ofType(pilot, CRONJOB).length, 0);
            assert.strictEqual(ofType(pilot, "aws:secretsmanager/secret:Secret").length, 0);
            assert.strictEqual(pilot.outputs.heartbeatCronJob, undefined);
        });

        it("dr activated: a heartbeat writing into the restored database at once, under its own source", () => {
            assert.strictEqual(ofType(activated, COMPONENT).length, 1);
            const cron = named(activated, CRONJOB, "webank-dr-heartbeat-writer");
            const [host] = String(activated.outputs.dbEndpoint).split(":");
            assert.match(host, /^webank-db-dr-1\..*\.us-west-2\.rds\.amazonaws\.com$/);
            assert.strictEqual(envOf(podOf(cron).containers[0]).PGHOST, host);
            // Not suspended: the verifier counts only the home source's beats (heartbeatSourceOf).
            assert.strictEqual(inputsOf(cron).spec.suspend, false);
            assert.deepStrictEqual(cron.ignoreChanges, []);
            assert.deepStrictEqual(podOf(cron).containers[0].command, [
                "sh",
                "-c",
                kubernetesLiteral(writerScript(heartbeatInsertStatement(heartbeatSourceOf("webank-dr")))),
            ]);
            // The writer waits for the setup Job, which waits for its role's policy.
            const job = named(activated, JOB, "webank-dr-heartbeat-setup");
            assert.ok(cron.dependencies.includes(job.urn));
            assert.ok(
                job.dependencies.includes(named(activated, ROLE_POLICY, "webank-dr-heartbeat-setup").urn),
            );
        });

        it("primary keeps its writer running: not suspended, and a later update resets a suspension", () => {
            const cron = named(primary, CRONJOB, "webank-primary-heartbeat-writer");
            assert.strictEqual(inputsOf(cron).spec.suspend, false);
            assert.deepStrictEqual(cron.ignoreChanges, []);
        });
    });

    describe("the verifier secret (primary)", () => {
        it("is KMS-encrypted, retained, protected, with a replica under the DR key, and no value in state", () => {
            const secret = named(primary, "aws:secretsmanager/secret:Secret", "webank-db-verifier");
            assert.strictEqual(secret.region, "us-east-1");
            assert.deepStrictEqual(
                [secret.protect, secret.retainOnDelete],
                [true, true],
                "a new password could not log in to older restores",
            );
            const inputs = inputsOf(secret);
            assert.strictEqual(inputs.name, "webank/db-verifier");
            assert.strictEqual(inputs.kmsKeyId, primary.outputs.dataKeyArn);
            assert.strictEqual(inputs.recoveryWindowInDays, 30);
            assert.deepStrictEqual(inputs.replicas, [
                { region: "us-west-2", kmsKeyId: primary.outputs.dataReplicaKeyArn },
            ]);
            assert.strictEqual(inputs.secretString, undefined);
            assert.match(
                String(primary.outputs.dbVerifierSecretArn),
                /^arn:aws:secretsmanager:us-east-1:123456789012:secret:webank\/db-verifier-[A-Za-z0-9]{6}$/,
            );
        });
    });

    describe("the writer CronJob", () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        let cron: any;
        before(() => {
            cron = inputsOf(named(primary, CRONJOB, "webank-primary-heartbeat-writer"));
        });

        it("runs every minute in UTC, one at a time, each run bounded below the period, never retried", () => {
            assert.strictEqual(cron.spec.schedule, "* * * * *");
            assert.strictEqual(cron.spec.schedule, heartbeatSchedule(HEARTBEAT_PERIOD_MINUTES));
            assert.strictEqual(cron.spec.timeZone, "Etc/UTC");
            assert.strictEqual(cron.spec.concurrencyPolicy, "Forbid");
            assert.ok(cron.spec.startingDeadlineSeconds >= 10 && cron.spec.startingDeadlineSeconds < 60);
            const job = cron.spec.jobTemplate.spec;
            assert.strictEqual(job.activeDeadlineSeconds, WRITER_DEADLINE_SECONDS);
            assert.ok(job.activeDeadlineSeconds < 60 * HEARTBEAT_PERIOD_MINUTES);
            assert.strictEqual(job.backoffLimit, 0);
            assert.strictEqual(job.template.spec.restartPolicy, "Never");
            assert.deepStrictEqual(
                [cron.spec.successfulJobsHistoryLimit, cron.spec.failedJobsHistoryLimit],
                [1, 3],
            );
        });

        it("runs non-root, locked down, bounded, on pinned images, passing the token through memory only", () => {
            const pod = cron.spec.jobTemplate.spec.template.spec;
            assert.deepStrictEqual(pod.securityContext, {
                runAsNonRoot: true,
                runAsUser: 65534,
                runAsGroup: 65534,
                fsGroup: 65534,
                seccompProfile: { type: "RuntimeDefault" },
            });
            assert.deepStrictEqual(
                pod.volumes.map((v: { emptyDir: { medium: string } }) => v.emptyDir.medium),
                ["Memory", "Memory"],
            );
            for (const container of [...pod.initContainers, ...pod.containers]) {
                assert.match(
                    container.image,
                    /:\d+\.\d+(\.\d+)?(-alpine)?$/,
                    `${container.name}: a pinned tag`,
                );
                assert.deepStrictEqual(container.securityContext, {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                });
                assert.ok(
                    container.resources.requests.memory && container.resources.limits.memory,
                    container.name,
                );
                assert.ok(container.resources.requests.cpu && container.resources.limits.cpu, container.name);
            }
            assert.deepStrictEqual(
                [...pod.initContainers, ...pod.containers].map((c: { image: string }) => c.image),
                [HEARTBEAT_IMAGES.awsCli, HEARTBEAT_IMAGES.psql],
            );
        });

        it("signs a token for the writer at the instance, then runs the one insert over verify-full TLS", () => {
            const pod = cron.spec.jobTemplate.spec.template.spec;
            const [token] = pod.initContainers;
            assert.deepStrictEqual(token.command, ["sh", "-c", kubernetesLiteral(writerTokenScript())]);
            assert.match(
                writerTokenScript(),
                new RegExp(`--port ${POSTGRES_PORT} `),
                "the port the token is signed for",
            );
            const tokenEnv = envOf(token);
            assert.strictEqual(tokenEnv.AWS_REGION, "us-east-1");
            assert.strictEqual(
                tokenEnv.RDS_CA_BUNDLE_URL,
                "https://truststore.pki.rds.amazonaws.com/us-east-1/us-east-1-bundle.pem",
            );
            const [write] = pod.containers;
            const insert = heartbeatInsertStatement(heartbeatSourceOf("webank-primary"));
            assert.strictEqual(insert, `INSERT INTO ${HEARTBEAT_TABLE} (source) VALUES ('webank-primary')`);
            assert.deepStrictEqual(write.command, ["sh", "-c", kubernetesLiteral(writerScript(insert))]);
            const env = envOf(write);
            assert.deepStrictEqual(
                [env.PGPORT, env.PGUSER, env.PGSSLMODE, env.PGSSLROOTCERT, env.HEARTBEAT_SECRETS_DIR],
                ["5432", "webank_dr_heartbeat", "verify-full", "/run/heartbeat/ca.pem", "/run/heartbeat"],
            );
        });
    });

    describe("the setup Job", () => {
        it("grants the verifier SELECT on the configured critical tables and the migration table, and on nothing by default", async () => {
            const configured = await runStack("primary", {
                "webank:verifyTables": '{"public.accounts": 1}',
                "webank:verifyMigrations": "flyway",
            });
            const sqlOf = (run: OfflineRun) =>
                envOf(
                    podOf(named(run, "kubernetes:batch/v1:Job", "webank-primary-heartbeat-setup"))
                        .initContainers[1],
                ).HEARTBEAT_SETUP_SQL;
            const sql = sqlOf(configured);
            for (const table of ["public.accounts", "public.flyway_schema_history"]) {
                assert.ok(
                    sql.includes(`GRANT SELECT ON ${table} TO webank_dr_verifier`),
                    `${table} in:\n${sql}`,
                );
            }
            assert.ok(!sqlOf(primary).includes("GRANT SELECT ON public."), sqlOf(primary));
        });

        it("fetches the secrets, prepares the SQL, runs it as the master user; generates the password only on primary", () => {
            const job = named(primary, JOB, "webank-primary-heartbeat-setup");
            const pod = podOf(job);
            assert.deepStrictEqual(
                [...pod.initContainers, ...pod.containers].map((c: { name: string; image: string }) => [
                    c.name,
                    c.image,
                ]),
                [
                    ["fetch", HEARTBEAT_IMAGES.awsCli],
                    ["prepare", HEARTBEAT_IMAGES.python],
                    ["setup", HEARTBEAT_IMAGES.psql],
                ],
            );
            const fetch = envOf(pod.initContainers[0]);
            assert.strictEqual(fetch.MASTER_SECRET_ID, primary.outputs.dbSecretArn);
            assert.strictEqual(fetch.VERIFIER_SECRET_ID, primary.outputs.dbVerifierSecretArn);
            assert.strictEqual(fetch.VERIFIER_SECRET_WRITABLE, "true");
            const prepare = envOf(pod.initContainers[1]);
            assert.strictEqual(prepare.HEARTBEAT_SETUP_SQL, kubernetesLiteral(setupSqlText()));
            assert.match(setupSqlText(), /^GRANT rds_iam TO webank_dr_heartbeat;$/m);
            assert.strictEqual(prepare.HEARTBEAT_VERIFIER_ROLE, "webank_dr_verifier");
            assert.strictEqual(envOf(pod.containers[0]).PGSSLMODE, "verify-full");
            assert.strictEqual(inputsOf(job).spec.backoffLimit, 3);
            assert.ok(inputsOf(job).spec.activeDeadlineSeconds > 0);
            assert.strictEqual(
                inputsOf(job).metadata.name,
                undefined,
                "auto-named: a changed template replaces it",
            );
        });

        it("lives in a namespace that enforces the restricted Pod Security Standard", () => {
            const ns = inputsOf(
                named(primary, "kubernetes:core/v1:Namespace", "webank-primary-heartbeat-ns"),
            );
            assert.deepStrictEqual(ns.metadata, {
                name: "webank-dr",
                labels: {
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                },
            });
        });
    });
});
