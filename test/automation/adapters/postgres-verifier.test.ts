import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { readHeartbeats, VerifierConnection } from "../../../automation/adapters/postgres-verifier";
import {
    HEARTBEAT_INSERT_SQL,
    HEARTBEAT_READER_ROLE,
    HEARTBEAT_WRITER_ROLE,
    heartbeatSetupSql,
    judgeData,
} from "../../../lib/heartbeat";
import { freePort, requirePeer } from "../../support/peers";
import { PostgresCluster, PostgresLab, postgresBinDir } from "../../support/postgres";

/*
 * The data verification against a real PostgreSQL 15 and a real point-in-time recovery: a
 * primary with WAL archiving, the heartbeat schema and roles as lib/heartbeat.ts declares them,
 * a base backup, heartbeats written by the writer role over TLS, then a recovery of the base
 * backup with `recovery_target_time` between two heartbeats. The verifier must find the last
 * heartbeat before the target and report the achieved RPO from it; an empty database and a
 * stale restore must fail.
 */

const DATABASE = "webank";
const PASSWORDS = {
    [HEARTBEAT_WRITER_ROLE]: "writer-not-a-secret-1",
    [HEARTBEAT_READER_ROLE]: "reader-not-a-secret-1",
};

describe("automation/adapters/postgres-verifier: heartbeats through a real PITR (PostgreSQL peer)", function () {
    this.timeout(180_000);
    let lab: PostgresLab | undefined;
    let primary: PostgresCluster;
    let restored: PostgresCluster;
    const beats: Date[] = [];
    let target = new Date(0);
    const as = (
        cluster: PostgresCluster,
        user: keyof typeof PASSWORDS,
        database = DATABASE,
    ): VerifierConnection => ({
        host: "localhost",
        port: cluster.port,
        database,
        user,
        password: PASSWORDS[user],
        ca: lab!.ca,
    });

    before(async function () {
        const bin = requirePeer(this, "PostgreSQL 15 server (initdb, pg_ctl)", postgresBinDir());
        lab = PostgresLab.create(bin);
        const archive = path.join(lab.dir, "archive");
        fs.mkdirSync(archive);
        lab.chown(archive);
        primary = lab.start(lab.initdb("primary"), await freePort(), {
            wal_level: "replica",
            archive_mode: "on",
            archive_command: `'test ! -f ${archive}/%f && cp %p ${archive}/%f'`,
        });
        primary.sql(`CREATE DATABASE ${DATABASE}`);
        for (const statement of heartbeatSetupSql()) {
            primary.sql(statement, DATABASE);
        }
        for (const [role, password] of Object.entries(PASSWORDS)) {
            primary.sql(`ALTER ROLE ${role} PASSWORD '${password}'`);
        }
        const base = path.join(lab.dir, "base");
        lab.run("pg_basebackup", [
            "-h",
            lab.dir,
            "-p",
            String(primary.port),
            "-U",
            "postgres",
            "-D",
            base,
            "-X",
            "fetch",
            "-c",
            "fast",
        ]);

        // Six heartbeats by the writer role, half a second apart; the target falls between the third and the fourth.
        const writer = new Client({
            ...as(primary, HEARTBEAT_WRITER_ROLE),
            ssl: { ca: lab.ca, rejectUnauthorized: true },
        });
        writer.on("error", () => undefined);
        await writer.connect();
        for (let i = 0; i < 6; i++) {
            // No RETURNING: the writer may insert only, not read back (lib/heartbeat.ts).
            await writer.query(HEARTBEAT_INSERT_SQL, ["test-writer"]);
            await new Promise((resolve) => setTimeout(resolve, 500));
            if (i === 2) {
                target = new Date();
                await new Promise((resolve) => setTimeout(resolve, 200));
            }
        }
        await writer.end();
        beats.push(
            ...primary
                .sql(
                    "SELECT to_char(beat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM webank_dr.heartbeat ORDER BY beat_at",
                    DATABASE,
                )
                .split("\n")
                .map((t) => new Date(t)),
        );
        assert.strictEqual(beats.length, 6);
        // Close the WAL segment holding the heartbeats and wait until it is archived.
        const segment = primary.sql("SELECT pg_walfile_name(pg_switch_wal())");
        for (let i = 0; i < 100 && !fs.existsSync(path.join(archive, segment)); i++) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.ok(fs.existsSync(path.join(archive, segment)), `WAL segment ${segment} was archived`);

        // The point-in-time recovery, as RDS runs one: the base backup, the archived WAL, a target time.
        fs.writeFileSync(path.join(base, "recovery.signal"), "");
        restored = lab.start(base, await freePort(), {
            restore_command: `'cp ${archive}/%f %p'`,
            // PostgreSQL's timestamptz input: "YYYY-MM-DD HH:MM:SS.sss+00" (the "T" and "Z" of ISO are refused here).
            recovery_target_time: `'${target.toISOString().replace("T", " ").replace("Z", "+00")}'`,
            recovery_target_action: "'promote'",
            archive_mode: "off",
        });
        for (let i = 0; i < 100 && restored.sql("SELECT pg_is_in_recovery()") === "t"; i++) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    });
    after(() => lab?.remove());

    it("finds the last heartbeat before the target and reports the achieved RPO from it", async () => {
        const observed = await readHeartbeats(as(restored, HEARTBEAT_READER_ROLE));
        assert.strictEqual(
            observed.beats,
            3,
            "the recovery stopped at the target, between the third and fourth beat",
        );
        // JavaScript dates keep milliseconds; PostgreSQL keeps microseconds.
        assert.strictEqual(observed.newestBeat?.toISOString(), beats[2].toISOString());
        const verdict = judgeData(observed, { target, periodMinutes: 1, rpoMinutes: 5 });
        assert.ok(verdict.ok, verdict.detail);
        assert.ok(
            verdict.achievedRpoMinutes! >= 0 && verdict.achievedRpoMinutes! < 1,
            String(verdict.achievedRpoMinutes),
        );
        // The primary kept every heartbeat: the difference is what the restore left out.
        assert.strictEqual((await readHeartbeats(as(primary, HEARTBEAT_READER_ROLE))).beats, 6);
    });

    it("fails a restore that is stale against a later target", async () => {
        const observed = await readHeartbeats(as(restored, HEARTBEAT_READER_ROLE));
        const later = new Date(target.getTime() + 30 * 60_000);
        const verdict = judgeData(observed, { target: later, periodMinutes: 1, rpoMinutes: 5 });
        assert.strictEqual(verdict.ok, false);
        assert.match(verdict.detail, /stale data/);
    });

    it("fails an empty database: no heartbeat table", async () => {
        restored.sql("CREATE DATABASE empty");
        restored.sql(`GRANT CONNECT ON DATABASE empty TO ${HEARTBEAT_READER_ROLE}`);
        const observed = await readHeartbeats(as(restored, HEARTBEAT_READER_ROLE, "empty"));
        assert.deepStrictEqual(observed, { heartbeatTable: false, beats: 0 });
        assert.match(
            judgeData(observed, { target, periodMinutes: 1, rpoMinutes: 5 }).detail,
            /empty or not the platform's/,
        );
    });

    it("refuses a server whose certificate does not chain to the given CA", async () => {
        const otherCa = PostgresLab.create(postgresBinDir()!);
        try {
            await assert.rejects(
                readHeartbeats({ ...as(restored, HEARTBEAT_READER_ROLE), ca: otherCa.ca }),
                /cannot connect to the restored database as webank_dr_verifier@localhost:\d+\/webank over verified TLS/,
            );
        } finally {
            otherCa.remove();
        }
    });

    it("gives the roles no more than they need: the writer cannot read, the verifier cannot write", async () => {
        const client = (user: keyof typeof PASSWORDS) =>
            new Client({ ...as(primary, user), ssl: { ca: lab!.ca, rejectUnauthorized: true } });
        const writer = client(HEARTBEAT_WRITER_ROLE);
        const reader = client(HEARTBEAT_READER_ROLE);
        await writer.connect();
        await reader.connect();
        try {
            await assert.rejects(writer.query("SELECT * FROM webank_dr.heartbeat"), /permission denied/);
            await assert.rejects(reader.query(HEARTBEAT_INSERT_SQL, ["reader"]), /permission denied/);
        } finally {
            await writer.end();
            await reader.end();
        }
    });
});
