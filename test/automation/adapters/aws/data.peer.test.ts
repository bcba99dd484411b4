import * as assert from "assert";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import * as fs from "fs";
import * as path from "path";
import {
    CA_BUNDLE_VARIABLE,
    defaultCaBundle,
    RdsDataVerifier,
    splitEndpoint,
} from "../../../../automation/adapters/aws/data";
import { HEARTBEAT_READER_ROLE, heartbeatSetupSql, verifierGrantSql } from "../../../../lib/heartbeat";
import { MIGRATION_TABLES, verifiedTables } from "../../../../lib/restored-data";
import { verifierSecretName } from "../../../../lib/naming";
import { MotoServer, motoClientConfig, motoVersion, startMoto } from "../../../support/moto";
import { freePort, requirePeer } from "../../../support/peers";
import { PostgresCluster, PostgresLab, postgresBinDir } from "../../../support/postgres";

/*
 * The verifier as a failover runs it, against two real peers: its credentials from Secrets
 * Manager (moto) under the name the primary stack gives the secret, the data from a real
 * PostgreSQL 15 over TLS verified against the lab's CA (standing in for the RDS bundle), as the
 * least-privilege verifier role with the grants the setup gives it. Heartbeats from two
 * writers: only the home platform's count.
 */
const REGION = "us-west-2";
const DATABASE = "webank";
const PASSWORD = "verifier-not-a-secret-7";
const TABLES = { "public.accounts": 2, "public.ledger": 1 };

describe("automation/adapters/aws/data: RdsDataVerifier with Secrets Manager (moto) and PostgreSQL (peers)", function () {
    this.timeout(120_000);
    let moto: MotoServer | undefined;
    let lab: PostgresLab | undefined;
    let db: PostgresCluster;
    let secrets: SecretsManagerClient;
    const verifier = (secretId = verifierSecretName("webank")) =>
        new RdsDataVerifier(secrets, REGION, secretId, { caBundle: () => Promise.resolve(lab!.ca) });
    const target = (extra: object = {}) => ({
        identifier: "webank-db-dr-1",
        endpoint: `localhost:${db.port}`,
        database: DATABASE,
        heartbeatSource: "webank-primary",
        ...extra,
    });

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        const bin = requirePeer(this, "PostgreSQL 15 server (initdb, pg_ctl)", postgresBinDir());
        moto = await startMoto();
        secrets = new SecretsManagerClient(motoClientConfig(moto.endpoint, REGION));
        await secrets.send(
            new CreateSecretCommand({
                Name: verifierSecretName("webank"),
                SecretString: JSON.stringify({ username: HEARTBEAT_READER_ROLE, password: PASSWORD }),
            }),
        );
        await secrets.send(new CreateSecretCommand({ Name: "webank/not-json", SecretString: "hunter2" }));
        await secrets.send(
            new CreateSecretCommand({
                Name: "webank/wrong-password",
                SecretString: JSON.stringify({
                    username: HEARTBEAT_READER_ROLE,
                    password: "stale-password-9",
                }),
            }),
        );
        lab = PostgresLab.create(bin);
        db = lab.start(lab.initdb("restored"), await freePort());
        db.sql(`CREATE DATABASE ${DATABASE}`);
        for (const statement of heartbeatSetupSql()) {
            db.sql(statement, DATABASE);
        }
        db.sql(`ALTER ROLE ${HEARTBEAT_READER_ROLE} PASSWORD '${PASSWORD}'`);
        db.sql(
            "CREATE TABLE public.accounts (id int); INSERT INTO public.accounts VALUES (1), (2), (3)",
            DATABASE,
        );
        db.sql(
            "CREATE TABLE public.flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), success boolean NOT NULL);" +
                "INSERT INTO public.flyway_schema_history VALUES (1, '1.9', true), (2, '1.10', true), (3, '1.11', false), (4, NULL, true)",
            DATABASE,
        );
        // Before the grants, the verifier may read the heartbeat only.
        db.sql("CREATE TABLE public.secrets_of_customers (id int)", DATABASE);
        for (const statement of verifierGrantSql(verifiedTables(TABLES, "flyway"))) {
            db.sql(statement, DATABASE);
        }
        db.sql(
            "INSERT INTO webank_dr.heartbeat (beat_at, source) VALUES " +
                "('2026-12-03T09:58:00Z', 'webank-primary'), ('2026-12-03T09:59:00Z', 'webank-primary'), ('2026-12-03T10:30:00Z', 'webank-dr')",
            DATABASE,
        );
    });
    after(async () => {
        lab?.remove();
        secrets?.destroy();
        await moto?.stop();
    });

    it("reads the home writer's newest beat, the critical tables and the newest successful Flyway version", async () => {
        const observed = await verifier().read(target({ tables: Object.keys(TABLES), migrations: "flyway" }));
        assert.deepStrictEqual(observed.newestBeat, new Date("2026-12-03T09:59:00Z"));
        assert.strictEqual(observed.beats, 2);
        // public.ledger does not exist: null, not zero; the failed 1.11 and the repeatable row do not count.
        assert.deepStrictEqual(observed.tableRows, { "public.accounts": 3, "public.ledger": null });
        assert.strictEqual(observed.migrationVersion, "1.10");
    });

    it("counts the DR writer's beats only when asked for its source", async () => {
        const observed = await verifier().read(target({ heartbeatSource: "webank-dr" }));
        assert.deepStrictEqual(observed.newestBeat, new Date("2026-12-03T10:30:00Z"));
        assert.strictEqual(observed.beats, 1);
    });

    it("says the migration table is missing (null) for a tool whose table the database lacks", async () => {
        const observed = await verifier().read(target({ migrations: "golang-migrate" }));
        assert.strictEqual(observed.migrationVersion, null);
        assert.strictEqual(MIGRATION_TABLES["golang-migrate"], "public.schema_migrations");
    });

    it("names the missing grant when asked to count a table the verifier may not read", async () => {
        await assert.rejects(
            verifier().read(target({ tables: ["public.secrets_of_customers"] })),
            /permission denied for table secrets_of_customers; webank_dr_verifier needs SELECT on each table/,
        );
    });

    it("names the secret and how to check it when it does not exist, and never prints a malformed value", async () => {
        await assert.rejects(
            verifier("webank/db-verifer").read(target()),
            /cannot read the verifier secret webank\/db-verifer in us-west-2: ResourceNotFoundException.*aws secretsmanager describe-secret --region us-west-2 --secret-id webank\/db-verifer/,
        );
        await assert.rejects(verifier("webank/not-json").read(target()), (error: Error) => {
            assert.match(error.message, /must hold JSON \{"username": \.\.\., "password": \.\.\.\}/);
            assert.ok(!error.message.includes("hunter2"), error.message);
            return true;
        });
    });

    it("refuses a password the server does not take, over TLS", async () => {
        await assert.rejects(verifier("webank/wrong-password").read(target()), (error: Error) => {
            assert.match(
                error.message,
                /cannot connect to the restored database as webank_dr_verifier@localhost:\d+\/webank over verified TLS: password authentication failed/,
            );
            assert.ok(!error.message.includes("stale-password-9"), error.message);
            return true;
        });
    });

    describe("the CA bundle (WEBANK_RDS_CA_BUNDLE)", () => {
        const file = (name: string, text: string) => {
            const at = path.join(lab!.dir, name);
            fs.writeFileSync(at, text);
            return at;
        };

        it("verifies the server against the file the variable names, when no bundle is passed in", async () => {
            const saved = process.env[CA_BUNDLE_VARIABLE];
            process.env[CA_BUNDLE_VARIABLE] = file("bundle.pem", lab!.ca);
            try {
                const observed = await new RdsDataVerifier(
                    secrets,
                    REGION,
                    verifierSecretName("webank"),
                ).read(target());
                assert.strictEqual(observed.beats, 2);
            } finally {
                if (saved === undefined) {
                    delete process.env[CA_BUNDLE_VARIABLE];
                } else {
                    process.env[CA_BUNDLE_VARIABLE] = saved;
                }
            }
        });

        it("refuses a missing file and a file without certificates, naming the variable and the path", async () => {
            await assert.rejects(
                defaultCaBundle(REGION, { [CA_BUNDLE_VARIABLE]: "/nonexistent/global-bundle.pem" }),
                /WEBANK_RDS_CA_BUNDLE must name a readable PEM file of the RDS CA bundle; cannot read "\/nonexistent\/global-bundle\.pem": ENOENT/,
            );
            const empty = file("not-a-bundle.pem", "hello\n");
            await assert.rejects(
                defaultCaBundle(REGION, { [CA_BUNDLE_VARIABLE]: empty }),
                new RegExp(
                    `WEBANK_RDS_CA_BUNDLE must name a PEM file of certificates; "${empty}" holds none`,
                ),
            );
        });

        it("names the variable for a partition whose bundle RDS publishes elsewhere", async () => {
            await assert.rejects(
                defaultCaBundle("cn-north-1", {}),
                /cn-north-1 \(partition aws-cn\).*set WEBANK_RDS_CA_BUNDLE to a copy of that partition's bundle/,
            );
        });
    });

    it("splits host:port and defaults PostgreSQL's port", () => {
        assert.deepStrictEqual(splitEndpoint("webank-db.abc.us-west-2.rds.amazonaws.com:5432"), [
            "webank-db.abc.us-west-2.rds.amazonaws.com",
            5432,
        ]);
        assert.deepStrictEqual(splitEndpoint("localhost"), ["localhost", 5432]);
        assert.throws(() => splitEndpoint("a:b:c"), /must be host:port, got "a:b:c"/);
    });
});
