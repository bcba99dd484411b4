import * as fs from "fs";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { DataObservation } from "../../../lib/heartbeat";
import type { DataPort, DataTarget } from "../../ports";
import { readHeartbeats } from "../postgres-verifier";

/*
 * The verifier's view of a restored database on RDS: its credentials from Secrets Manager (the
 * secret lib/naming.ts verifierSecretName names, read in the database's own region, where the
 * primary stack replicates it), the RDS certificate authorities, and a read-only TLS session
 * (automation/adapters/postgres-verifier.ts). No password is ever printed or journaled.
 */

/**
 * RDS's bundle of every commercial Region's certificate authorities (RDS user guide, "Using
 * SSL/TLS to encrypt a connection to a DB instance or cluster": the global bundle at
 * truststore.pki.rds.amazonaws.com). An operator without that route sets
 * `WEBANK_RDS_CA_BUNDLE` to a copy of the file (GovCloud and China publish their own bundles).
 */
export const RDS_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";

/** The environment variable naming a local copy of the CA bundle. */
export const CA_BUNDLE_VARIABLE = "WEBANK_RDS_CA_BUNDLE";

/** Options of {@link RdsDataVerifier}. */
export interface RdsDataVerifierOptions {
    /** Reads the CA bundle. @default `WEBANK_RDS_CA_BUNDLE`'s file, else {@link RDS_CA_BUNDLE_URL} */
    readonly caBundle?: () => Promise<string>;
    /** Milliseconds to connect. @default 10 000 */
    readonly connectTimeoutMillis?: number;
}

/** The credentials' shape: RDS's own secrets hold `username` and `password` (RDS user guide, "Password management with Amazon RDS and AWS Secrets Manager"). */
interface Credentials {
    readonly username: string;
    readonly password: string;
}

/** {@link DataPort} over Secrets Manager and PostgreSQL in one region. */
export class RdsDataVerifier implements DataPort {
    private bundle: Promise<string> | undefined;

    constructor(
        private readonly secrets: SecretsManagerClient,
        /** The region (for messages). */
        public readonly region: string,
        /** The verifier secret's name or ARN. */
        private readonly secretId: string,
        private readonly options: RdsDataVerifierOptions = {},
    ) {}

    /** Reads the target's data as the verifier secret's user, over TLS verified against the RDS CAs. */
    public async read(target: DataTarget): Promise<DataObservation> {
        const [host, port] = splitEndpoint(target.endpoint);
        const credentials = await this.credentials();
        return readHeartbeats(
            {
                host,
                port,
                database: target.database,
                user: credentials.username,
                password: credentials.password,
                ca: await this.caBundle(),
                connectTimeoutMillis: this.options.connectTimeoutMillis,
            },
            { tables: target.tables, migrations: target.migrations, heartbeatSource: target.heartbeatSource },
        );
    }

    private async credentials(): Promise<Credentials> {
        const where = `the verifier secret ${this.secretId} in ${this.region}`;
        let text: string | undefined;
        try {
            text = (await this.secrets.send(new GetSecretValueCommand({ SecretId: this.secretId })))
                .SecretString;
        } catch (error) {
            throw new Error(
                `cannot read ${where}: ${(error as Error).name}: ${(error as Error).message}; ` +
                    `check it with: aws secretsmanager describe-secret --region ${this.region} --secret-id ${this.secretId}`,
                { cause: error },
            );
        }
        let parsed: Partial<Credentials> = {};
        try {
            parsed = JSON.parse(text ?? "") as Partial<Credentials>;
        } catch {
            // Reported below without the value: it may be a password.
        }
        if (typeof parsed.username !== "string" || typeof parsed.password !== "string" || !parsed.password) {
            throw new Error(
                `${where} must hold JSON {"username": ..., "password": ...} (the heartbeat setup Job writes it); it does not`,
            );
        }
        return { username: parsed.username, password: parsed.password };
    }

    private caBundle(): Promise<string> {
        this.bundle ??= (this.options.caBundle ?? defaultCaBundle)();
        return this.bundle;
    }
}

/** `host:port` split; the port defaults to PostgreSQL's 5432. */
export function splitEndpoint(endpoint: string): [string, number] {
    const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(endpoint);
    if (!match) {
        throw new Error(`a database endpoint must be host:port, got ${JSON.stringify(endpoint)}`);
    }
    return [match[1], match[2] ? Number(match[2]) : 5432];
}

/** The CA bundle: the file `WEBANK_RDS_CA_BUNDLE` names, else RDS's published bundle over HTTPS. */
async function defaultCaBundle(): Promise<string> {
    const file = process.env[CA_BUNDLE_VARIABLE];
    if (file) {
        return fs.promises.readFile(file, "utf8");
    }
    const response = await fetch(RDS_CA_BUNDLE_URL).catch((error: Error) => {
        throw new Error(
            `cannot download the RDS CA bundle ${RDS_CA_BUNDLE_URL}: ${error.message}; set ${CA_BUNDLE_VARIABLE} to a copy of it`,
            { cause: error },
        );
    });
    const text = await response.text();
    if (!response.ok || !text.includes("BEGIN CERTIFICATE")) {
        throw new Error(
            `${RDS_CA_BUNDLE_URL} answered ${response.status} without certificates; set ${CA_BUNDLE_VARIABLE} to a copy of the bundle`,
        );
    }
    return text;
}
