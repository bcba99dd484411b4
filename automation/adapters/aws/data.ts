import { POSTGRES_PORT, rdsCaBundleUrl } from "../../../lib/postgres";
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

/** The environment variable naming a local copy of the CA bundle. */
export const CA_BUNDLE_VARIABLE = "WEBANK_RDS_CA_BUNDLE";

/** Options of {@link RdsDataVerifier}. */
export interface RdsDataVerifierOptions {
    /**
     * Reads the CA bundle. @default `WEBANK_RDS_CA_BUNDLE`'s file, else the region's bundle
     * (lib/postgres.ts rdsCaBundleUrl), the one the heartbeat writer verifies against too
     */
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
        this.bundle ??= (this.options.caBundle ?? (() => defaultCaBundle(this.region)))();
        return this.bundle;
    }
}

/** `host:port` split; the port defaults to PostgreSQL's. */
export function splitEndpoint(endpoint: string): [string, number] {
    const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(endpoint);
    if (!match) {
        throw new Error(`a database endpoint must be host:port, got ${JSON.stringify(endpoint)}`);
    }
    return [match[1], match[2] ? Number(match[2]) : POSTGRES_PORT];
}

/**
 * The CA bundle of `region`: the file `WEBANK_RDS_CA_BUNDLE` names (an operator without a route
 * to truststore.pki.rds.amazonaws.com, or in GovCloud or China, which publish their own), else
 * RDS's published regional bundle over HTTPS. Either must hold PEM certificates.
 */
export async function defaultCaBundle(region: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
    const file = env[CA_BUNDLE_VARIABLE];
    if (file !== undefined) {
        let text: string;
        try {
            text = await fs.promises.readFile(file, "utf8");
        } catch (error) {
            throw new Error(
                `${CA_BUNDLE_VARIABLE} must name a readable PEM file of the RDS CA bundle; cannot read ${JSON.stringify(file)}: ${(error as Error).message}`,
                { cause: error },
            );
        }
        if (!text.includes("-----BEGIN CERTIFICATE-----")) {
            throw new Error(
                `${CA_BUNDLE_VARIABLE} must name a PEM file of certificates; ${JSON.stringify(file)} holds none`,
            );
        }
        return text;
    }
    let url: string;
    try {
        url = rdsCaBundleUrl(region);
    } catch (error) {
        throw new Error(
            `${(error as Error).message}; set ${CA_BUNDLE_VARIABLE} to a copy of that partition's bundle`,
            {
                cause: error,
            },
        );
    }
    const response = await fetch(url).catch((error: Error) => {
        throw new Error(
            `cannot download the RDS CA bundle ${url}: ${error.message}; set ${CA_BUNDLE_VARIABLE} to a copy of it`,
            {
                cause: error,
            },
        );
    });
    const text = await response.text();
    if (!response.ok || !text.includes("-----BEGIN CERTIFICATE-----")) {
        throw new Error(
            `${url} answered ${response.status} without certificates; set ${CA_BUNDLE_VARIABLE} to a copy of the bundle`,
        );
    }
    return text;
}
