import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { makeTempDir, removeTempDir } from "./temp-dir";

/*
 * A real PostgreSQL 15 for the tests: clusters made with initdb in a temporary directory,
 * serving TLS only on a loopback port the OS picks, with a CA and server certificate made
 * here by openssl. PostgreSQL refuses to run as root, so as root every server command runs as
 * the `postgres` user (runuser), which owns the directory. `PostgresLab.remove` stops every
 * server it started and deletes the directory.
 */

/** Debian's PostgreSQL 15 binaries. */
const BIN_DIRS = ["/usr/lib/postgresql/15/bin"];

/** The PostgreSQL 15 binary directory, or undefined when the server is not installed. */
export function postgresBinDir(): string | undefined {
    return BIN_DIRS.find(
        (dir) => fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl")),
    );
}

/** One running cluster. */
export interface PostgresCluster {
    /** Its data directory. */
    readonly dataDir: string;
    /** Its TCP port (TLS only, on localhost). */
    readonly port: number;
    /** Runs SQL as the superuser over the Unix socket; returns psql's unaligned, tuples-only output. */
    sql(statement: string, database?: string): string;
}

/** A directory of clusters, the CA their certificates chain to, and how to run the server's tools. */
export class PostgresLab {
    /** PEM of the CA that signed the servers' certificate. */
    public readonly ca: string;
    private readonly started: string[] = [];

    constructor(
        private readonly bin: string,
        /** The lab's directory (owned by the server's user). */
        public readonly dir: string,
    ) {
        this.ca = makeCertificates(dir);
        this.chown(dir);
    }

    /** A new lab in a temporary directory. */
    public static create(bin: string): PostgresLab {
        return new PostgresLab(bin, makeTempDir("webank-pg-"));
    }

    /** Runs a server tool as the server's user. */
    public run(tool: string, args: readonly string[]): string {
        const command = path.join(this.bin, tool);
        const asServer =
            process.getuid?.() === 0
                ? ["runuser", ["-u", "postgres", "--", command, ...args]]
                : [command, [...args]];
        return execFileSync(asServer[0] as string, asServer[1] as string[], {
            encoding: "utf8",
            cwd: this.dir,
            stdio: ["ignore", "pipe", "pipe"],
        });
    }

    /** initdb of a new cluster at `name` (superuser `postgres`, trusted on the socket, SCRAM over TLS). */
    public initdb(name: string): string {
        const dataDir = path.join(this.dir, name);
        this.run("initdb", [
            "-D",
            dataDir,
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--no-instructions",
        ]);
        return dataDir;
    }

    /** Starts the cluster in `dataDir` on `port` with `settings` added to its configuration. */
    public start(
        dataDir: string,
        port: number,
        settings: Readonly<Record<string, string>> = {},
    ): PostgresCluster {
        const conf: Record<string, string> = {
            listen_addresses: "'localhost'",
            port: String(port),
            unix_socket_directories: `'${this.dir}'`,
            ssl: "on",
            ssl_cert_file: `'${path.join(this.dir, "server.crt")}'`,
            ssl_key_file: `'${path.join(this.dir, "server.key")}'`,
            ...settings,
        };
        fs.appendFileSync(
            path.join(dataDir, "postgresql.auto.conf"),
            Object.entries(conf)
                .map(([k, v]) => `${k} = ${v}\n`)
                .join(""),
        );
        // TLS only over TCP: a plain connection is refused, as RDS with rds.force_ssl refuses it.
        fs.writeFileSync(
            path.join(dataDir, "pg_hba.conf"),
            "local all postgres trust\nlocal replication postgres trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n",
        );
        this.chown(dataDir);
        const log = path.join(this.dir, `${path.basename(dataDir)}.log`);
        try {
            this.run("pg_ctl", ["-D", dataDir, "-w", "-t", "60", "-l", log, "start"]);
        } catch (error) {
            const tail = fs.existsSync(log)
                ? fs.readFileSync(log, "utf8").split("\n").slice(-15).join("\n")
                : "(no log)";
            throw new Error(`${(error as Error).message}\nserver log:\n${tail}`, { cause: error });
        }
        this.started.push(dataDir);
        const psql = (statement: string, database = "postgres") =>
            this.run("psql", [
                "-h",
                this.dir,
                "-p",
                String(port),
                "-U",
                "postgres",
                "-d",
                database,
                "-XAtq",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                statement,
            ]).trim();
        return { dataDir, port, sql: psql };
    }

    /** Gives the server's user the files at `target` (as root; a no-op otherwise). */
    public chown(target: string): void {
        if (process.getuid?.() === 0) {
            execFileSync("chown", ["-R", "postgres:postgres", target]);
        }
    }

    /** Stops every server this lab started and removes its directory. */
    public remove(): void {
        for (const dataDir of this.started.reverse()) {
            try {
                this.run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
            } catch {
                // Already stopped.
            }
        }
        removeTempDir(this.dir);
    }
}

/** A CA and a server certificate for `localhost` (and 127.0.0.1, ::1) signed by it; returns the CA's PEM. */
function makeCertificates(dir: string): string {
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=webank test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
    );
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    );
    fs.writeFileSync(path.join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "san.ext",
        "-out",
        "server.crt",
    );
    fs.chmodSync(path.join(dir, "server.key"), 0o600);
    return fs.readFileSync(path.join(dir, "ca.crt"), "utf8");
}
