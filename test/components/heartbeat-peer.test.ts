import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { readHeartbeats } from "../../automation/adapters/postgres-verifier";
import {
    HEARTBEAT_READER_ROLE,
    HEARTBEAT_TABLE,
    HEARTBEAT_WRITER_ROLE,
    heartbeatSourceOf,
} from "../../lib/heartbeat";
import { heartbeatInsertStatement, kubernetesLiteral, writerScript } from "../../lib/heartbeat-writer";
import { OfflineRun } from "../../offline/engine";
import { awsCliVersion } from "../support/aws-cli";
import { MotoServer, motoVersion, startMoto } from "../support/moto";
import { commandVersion, freePort, requirePeer } from "../support/peers";
import { PostgresCluster, PostgresLab, postgresBinDir } from "../support/postgres";
import { makeTempDir, removeTempDir } from "../support/temp-dir";
import {
    componentRun,
    expandLikeKubernetes,
    HEARTBEAT_TEST_CLUSTER,
    pythonVersion,
    Started,
    startedContainers,
} from "../support/heartbeat-lab";

/*
 * The heartbeat's setup Job and writer CronJob, run for real: the exact scripts and environment
 * the plan gives their containers (taken from an offline run of the component, with
 * Kubernetes's `$(VAR)`/`$$` expansion applied as the kubelet applies it), against PostgreSQL 15
 * over TLS with verify-full, and the AWS CLI against moto's Secrets Manager. Only the
 * connection target and the scratch directory are replaced: PGHOST=localhost and the lab's port
 * and CA instead of the instance and the RDS bundle. The lab cannot check an IAM token, so the
 * writer logs in with a password set here, the one step RDS does differently (it accepts the
 * token of a role granted `rds_iam`); `rds_iam` itself is created as the NOLOGIN role RDS has.
 */

const CLUSTER = HEARTBEAT_TEST_CLUSTER;
const ADMIN = { username: "webank_admin", password: "admin-not-a-secret-Aa1" };
const VERIFIER_PASSWORD = "VerifierNotASecret0123456789abcdefABCDEF";
const WRITER_LAB_PASSWORD = "writer-lab-token-standing-in-for-iam";
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" };

describe("components/heartbeat: Kubernetes expansion of the scripts", () => {
    it("gives a container exactly the text kubernetesLiteral was given, `$` and `$(...)` included", () => {
        const script = `d="\${X:?}"; echo "$(date)" $$ '$(HOME)' DO $$ BEGIN END $$`;
        assert.strictEqual(
            expandLikeKubernetes(kubernetesLiteral(script), { HOME: "/root", X: "x" }),
            script,
        );
        // Without the escaping, Kubernetes would have changed it: the reason for kubernetesLiteral.
        assert.notStrictEqual(expandLikeKubernetes(script, { HOME: "/root" }), script);
    });
});

describe("components/heartbeat: setup Job and writer against PostgreSQL 15 and moto (peer)", function () {
    this.timeout(180_000);
    let lab: PostgresLab | undefined;
    let db: PostgresCluster;
    let bin = "";
    let plan: OfflineRun;
    let scratch = "";

    before(async function () {
        bin = requirePeer(this, "PostgreSQL 15 server (initdb, pg_ctl)", postgresBinDir());
        requirePeer(this, "python3 (the setup Job's prepare step)", pythonVersion());
        lab = PostgresLab.create(bin);
        db = lab.start(lab.initdb("heartbeat"), await freePort());
        // What an RDS instance has before the setup Job: the rds_iam role (NOLOGIN, RDS's own),
        // a master user that may create roles but is no superuser, and the application database.
        db.sql("CREATE ROLE rds_iam NOLOGIN");
        db.sql(`CREATE ROLE ${ADMIN.username} LOGIN CREATEROLE PASSWORD '${ADMIN.password}'`);
        db.sql(`CREATE DATABASE webank OWNER ${ADMIN.username}`);
        plan = await componentRun("us-east-1");
        scratch = makeTempDir("webank-heartbeat-");
        fs.writeFileSync(path.join(scratch, "lab-ca.pem"), lab.ca);
    });
    after(() => {
        lab?.remove();
        if (scratch) {
            removeTempDir(scratch);
        }
    });

    /** A fresh shared directory (the pod's emptyDir), with `files` in it. */
    const podDir = (files: Record<string, string> = {}): string => {
        const dir = fs.mkdtempSync(path.join(scratch, "pod-"));
        for (const [name, text] of Object.entries(files)) {
            fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 });
        }
        return dir;
    };

    /** Runs a container's command here, with its environment pointed at the lab and `dir`. */
    const start = (container: Started, dir: string, extra: Record<string, string> = {}) =>
        spawnSync(container.command[0], container.command.slice(1), {
            encoding: "utf8",
            timeout: 60_000,
            env: {
                PATH: `${bin}:${process.env.PATH}`,
                ...container.env,
                HOME: dir,
                HEARTBEAT_SECRETS_DIR: dir,
                PGHOST: "localhost",
                PGPORT: String(db.port),
                PGSSLROOTCERT: path.join(dir, "ca.pem"),
                ...extra,
            },
        });

    /** The setup Job's prepare and setup containers on the secrets the fetch step would have written. */
    const setupOnce = (verifierPassword = VERIFIER_PASSWORD) => {
        const [, prepare, setup] = startedContainers(plan, "kubernetes:batch/v1:Job", "hb-setup");
        const dir = podDir({
            "master.json": JSON.stringify(ADMIN),
            "verifier.json": JSON.stringify({ username: HEARTBEAT_READER_ROLE, password: verifierPassword }),
            "ca.pem": lab!.ca,
        });
        const prepared = start(prepare, dir);
        const ran = prepared.status === 0 ? start(setup, dir) : undefined;
        return { prepared, ran, dir };
    };

    it("sets up the schema, the roles and the grants as the master user, twice (idempotent), without leaking a value", () => {
        for (const round of [1, 2]) {
            const { prepared, ran, dir } = setupOnce();
            assert.strictEqual(prepared.status, 0, `prepare, round ${round}: ${prepared.stderr}`);
            assert.strictEqual(ran?.status, 0, `setup, round ${round}: ${ran?.stderr}`);
            const output = prepared.stdout + prepared.stderr + ran.stdout + ran.stderr;
            for (const value of [VERIFIER_PASSWORD, ADMIN.password]) {
                assert.ok(!output.includes(value), "no secret in the containers' output");
            }
            assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["ca.pem"], "credential files removed");
        }
        assert.strictEqual(
            db.sql(
                `SELECT string_agg(rolname || ':' || rolcanlogin, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'webank_dr_%'`,
            ),
            `${HEARTBEAT_WRITER_ROLE}:true,${HEARTBEAT_READER_ROLE}:true`,
        );
        assert.strictEqual(
            db.sql(`SELECT pg_has_role('${HEARTBEAT_WRITER_ROLE}', 'rds_iam', 'MEMBER')`),
            "t",
            "the writer is granted rds_iam",
        );
        assert.match(
            db.sql(`SELECT rolpassword FROM pg_authid WHERE rolname = '${HEARTBEAT_READER_ROLE}'`),
            /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/,
            "stored as the SCRAM verifier the Job computed, the plaintext never sent",
        );
    });

    it("writes one heartbeat with the CronJob's exact script, which the verifier then reads", async () => {
        db.sql(`ALTER ROLE ${HEARTBEAT_WRITER_ROLE} PASSWORD '${WRITER_LAB_PASSWORD}'`);
        const [, write] = startedContainers(plan, "kubernetes:batch/v1:CronJob", "hb-writer");
        assert.strictEqual(write.env.PGSSLMODE, "verify-full");
        const before = new Date();
        const wrote = start(write, podDir({ token: WRITER_LAB_PASSWORD, "ca.pem": lab!.ca }));
        assert.strictEqual(wrote.status, 0, wrote.stderr);
        assert.match(wrote.stdout, /heartbeat written to webank on localhost as webank_dr_heartbeat/);
        assert.strictEqual(
            db.sql(`SELECT source FROM ${HEARTBEAT_TABLE}`, "webank"),
            heartbeatSourceOf(CLUSTER),
        );
        const verifier = {
            host: "localhost",
            port: db.port,
            database: "webank",
            user: HEARTBEAT_READER_ROLE,
            password: VERIFIER_PASSWORD,
            ca: lab!.ca,
        };
        // As the verify steps read it: only the home platform's beats (its cluster's source).
        const observed = await readHeartbeats(verifier, { heartbeatSource: heartbeatSourceOf(CLUSTER) });
        assert.strictEqual(observed.heartbeatTable, true);
        assert.strictEqual(observed.beats, 1);
        assert.ok(observed.newestBeat!.getTime() >= before.getTime() - 1000, "the beat just written");
        // A DR writer's beats are told apart by their source, so they never count as the home's.
        const dr = await readHeartbeats(verifier, { heartbeatSource: heartbeatSourceOf("webank-dr") });
        assert.strictEqual(dr.beats, 0);
    });

    it("gives the writer INSERT and nothing else: no SELECT, UPDATE, DELETE, nor any other table", async () => {
        db.sql(
            `CREATE TABLE public.accounts (iban text); INSERT INTO public.accounts VALUES ('DE00'); ALTER TABLE public.accounts OWNER TO ${ADMIN.username}`,
            "webank",
        );
        const writer = new Client({
            host: "localhost",
            port: db.port,
            database: "webank",
            user: HEARTBEAT_WRITER_ROLE,
            password: WRITER_LAB_PASSWORD,
            ssl: { ca: lab!.ca, rejectUnauthorized: true },
        });
        await writer.connect();
        try {
            for (const statement of [
                `SELECT * FROM ${HEARTBEAT_TABLE}`,
                `UPDATE ${HEARTBEAT_TABLE} SET source = 'forged'`,
                `DELETE FROM ${HEARTBEAT_TABLE}`,
                "SELECT * FROM public.accounts",
                "INSERT INTO public.accounts VALUES ('forged')",
            ]) {
                await assert.rejects(writer.query(statement), /permission denied/, statement);
            }
        } finally {
            await writer.end();
        }
    });

    it("fails (non-zero) on a wrong table name in the insert", () => {
        const [, write] = startedContainers(plan, "kubernetes:batch/v1:CronJob", "hb-writer");
        const wrong = writerScript(
            heartbeatInsertStatement(heartbeatSourceOf(CLUSTER)).replace(
                HEARTBEAT_TABLE,
                `${HEARTBEAT_TABLE}s`,
            ),
        );
        const ran = start(
            { ...write, command: ["sh", "-c", wrong] },
            podDir({ token: WRITER_LAB_PASSWORD, "ca.pem": lab!.ca }),
        );
        assert.notStrictEqual(ran.status, 0);
        assert.match(ran.stderr, /relation "webank_dr\.heartbeats" does not exist/);
        assert.doesNotMatch(ran.stdout, /heartbeat written/);
    });

    it("fails (non-zero) when the server's certificate does not chain to the CA it is given (verify-full)", () => {
        const other = PostgresLab.create(bin);
        try {
            const [, write] = startedContainers(plan, "kubernetes:batch/v1:CronJob", "hb-writer");
            const ran = start(write, podDir({ token: WRITER_LAB_PASSWORD, "ca.pem": other.ca }));
            assert.notStrictEqual(ran.status, 0);
            assert.match(ran.stderr, /certificate verify failed/);
        } finally {
            other.remove();
        }
    });

    it("refuses a verifier secret for another user, naming the problem and not the value", () => {
        const [, prepare] = startedContainers(plan, "kubernetes:batch/v1:Job", "hb-setup");
        const dir = podDir({
            "master.json": JSON.stringify(ADMIN),
            "verifier.json": JSON.stringify({ username: "postgres", password: VERIFIER_PASSWORD }),
        });
        const ran = start(prepare, dir);
        assert.notStrictEqual(ran.status, 0);
        assert.match(ran.stderr, /the verifier secret is for the user 'postgres', not 'webank_dr_verifier'/);
        assert.ok(!(ran.stdout + ran.stderr).includes(VERIFIER_PASSWORD));
    });

    describe("the AWS CLI steps, against moto's Secrets Manager", () => {
        let moto: MotoServer | undefined;
        let awsEnv: Record<string, string> = {};
        const aws = (...args: string[]) =>
            execFileSync("aws", [...args, "--output", "json"], {
                encoding: "utf8",
                env: awsEnv,
                stdio: ["ignore", "pipe", "pipe"],
            });

        before(async function () {
            requirePeer(this, "the AWS CLI (aws)", awsCliVersion());
            requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
            requirePeer(this, "curl", commandVersion("curl"));
            moto = await startMoto();
            awsEnv = {
                PATH: process.env.PATH ?? "",
                ...CREDENTIALS,
                AWS_DEFAULT_REGION: "us-east-1",
                AWS_ENDPOINT_URL: moto.endpoint,
                AWS_CONFIG_FILE: path.join(scratch, "no-config"),
                AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, "no-credentials"),
                HOME: scratch,
            };
        });
        after(async () => moto?.stop());

        /** A secret as Pulumi creates it (no value), or with `value`; returns its ARN. */
        const secret = (name: string, value?: unknown): string =>
            (
                JSON.parse(
                    aws(
                        "secretsmanager",
                        "create-secret",
                        "--name",
                        name,
                        ...(value === undefined ? [] : ["--secret-string", JSON.stringify(value)]),
                    ),
                ) as { ARN: string }
            ).ARN;

        /** The fetch step with its plan environment, the secrets named, against moto. */
        const fetch = (master: string, verifier: string, writable: boolean) => {
            const [step] = startedContainers(plan, "kubernetes:batch/v1:Job", "hb-setup");
            assert.strictEqual(step.env.VERIFIER_SECRET_WRITABLE, "true", "the plan's primary value");
            const dir = podDir();
            const ran = start(step, dir, {
                ...awsEnv,
                HOME: dir,
                MASTER_SECRET_ID: master,
                VERIFIER_SECRET_ID: verifier,
                VERIFIER_SECRET_WRITABLE: String(writable),
                RDS_CA_BUNDLE_URL: `file://${path.join(scratch, "lab-ca.pem")}`,
            });
            return { ran, dir };
        };

        it("generates the verifier password once, stores it, and never rotates it on a re-run", async () => {
            const master = secret("rds-db-heartbeat-test", ADMIN);
            const verifier = secret("webank/db-verifier");
            const first = fetch(master, verifier, true);
            assert.strictEqual(first.ran.status, 0, first.ran.stderr);
            assert.match(first.ran.stdout, /generating its password, once/);
            const stored = JSON.parse(fs.readFileSync(path.join(first.dir, "verifier.json"), "utf8"));
            assert.strictEqual(stored.username, HEARTBEAT_READER_ROLE);
            assert.match(stored.password, /^[A-Za-z0-9]{40}$/);
            assert.ok(!(first.ran.stdout + first.ran.stderr).includes(stored.password), "never printed");
            assert.deepStrictEqual(
                JSON.parse(fs.readFileSync(path.join(first.dir, "master.json"), "utf8")),
                ADMIN,
            );
            assert.strictEqual(fs.readFileSync(path.join(first.dir, "ca.pem"), "utf8"), lab!.ca);

            const second = fetch(master, verifier, true);
            assert.strictEqual(second.ran.status, 0, second.ran.stderr);
            assert.doesNotMatch(second.ran.stdout, /generating/);
            assert.deepStrictEqual(
                JSON.parse(fs.readFileSync(path.join(second.dir, "verifier.json"), "utf8")),
                stored,
                "the same password: restores from before still verify",
            );
            const versions = JSON.parse(
                aws("secretsmanager", "list-secret-version-ids", "--secret-id", verifier),
            );
            assert.deepStrictEqual(
                versions.Versions.map((v: { VersionId: string }) => v.VersionId),
                ["webank-dr-verifier-password-generated-once"],
            );

            // End to end: that password, through prepare and setup, lets the verifier log in.
            const { prepared, ran } = setupOnce(stored.password);
            assert.strictEqual(prepared.status, 0, prepared.stderr);
            assert.strictEqual(ran?.status, 0, ran?.stderr);
            const login = new Client({
                host: "localhost",
                port: db.port,
                database: "webank",
                user: HEARTBEAT_READER_ROLE,
                password: stored.password,
                ssl: { ca: lab!.ca, rejectUnauthorized: true },
            });
            await login.connect();
            await login.end();
        });

        it("only reads where the secret is read-only (a replica): no value there fails, nothing is written", () => {
            const master = secret("rds-db-heartbeat-replica", ADMIN);
            const verifier = secret("webank/db-verifier-replica-test");
            const { ran } = fetch(master, verifier, false);
            assert.notStrictEqual(ran.status, 0);
            assert.match(ran.stderr, /has no value here and this stack only reads it/);
            assert.throws(() => aws("secretsmanager", "get-secret-value", "--secret-id", verifier));
        });

        it("signs the writer's IAM token locally (no call to RDS) and fetches the CA bundle", () => {
            const [token] = startedContainers(plan, "kubernetes:batch/v1:CronJob", "hb-writer");
            const dir = podDir();
            const ran = start(token, dir, {
                ...awsEnv,
                HOME: dir,
                PGHOST: "webank-db.abcdefghijkl.us-east-1.rds.amazonaws.com",
                RDS_CA_BUNDLE_URL: `file://${path.join(scratch, "lab-ca.pem")}`,
            });
            assert.strictEqual(ran.status, 0, ran.stderr);
            assert.strictEqual(ran.stdout, "", "the token is not printed");
            const signed = fs.readFileSync(path.join(dir, "token"), "utf8");
            assert.match(
                signed,
                /^webank-db\.abcdefghijkl\.us-east-1\.rds\.amazonaws\.com:5432\/\?Action=connect/,
            );
            assert.match(signed, /DBUser=webank_dr_heartbeat/);
            assert.match(signed, /X-Amz-Signature=/);
            assert.strictEqual(fs.readFileSync(path.join(dir, "ca.pem"), "utf8"), lab!.ca);
        });
    });
});
