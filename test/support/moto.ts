import { ChildProcess, execFileSync, spawn } from "child_process";
import { freePort } from "./peers";
import { CreateDBInstanceCommand, CreateDBSubnetGroupCommand, RDSClient } from "@aws-sdk/client-rds";

/*
 * moto's server mode (`python3 -m moto.server`): a local implementation of the AWS APIs that
 * answers the real wire protocol, so an adapter over the AWS SDK is tested against S3's own
 * XML, pagination and errors rather than against answers written here.
 */

/** A running moto server. */
export interface MotoServer {
    /** `http://127.0.0.1:<port>`, the endpoint an SDK client is pointed at. */
    readonly endpoint: string;
    /** Stops the server. */
    stop(): Promise<void>;
}

/** Any credentials do for moto; these fixed ones make sure no real account is ever signed for. */
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/**
 * What an SDK client needs to talk to the moto server at `endpoint` as `region`: spread it into
 * the client's config (an S3 client adds `forcePathStyle: true`: the endpoint is an IP address).
 */
export function motoClientConfig(
    endpoint: string,
    region: string,
): { region: string; endpoint: string; credentials: typeof MOTO_CREDENTIALS } {
    return { region, endpoint, credentials: MOTO_CREDENTIALS };
}

/** The moto version installed for `python3`, or undefined when there is none. */
export function motoVersion(): string | undefined {
    try {
        return execFileSync("python3", ["-c", "import moto; print(moto.__version__)"], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        }).trim();
    } catch {
        return undefined;
    }
}

/** Starts moto on a free port and resolves once it answers HTTP (at most `timeoutMs`). */
export async function startMoto(timeoutMs = 20_000): Promise<MotoServer> {
    const port = await freePort();
    const child: ChildProcess = spawn(
        "python3",
        ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)],
        {
            stdio: ["ignore", "ignore", "pipe"],
        },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString("utf8")).slice(-2000);
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const stop = () =>
        new Promise<void>((resolve) => {
            if (child.exitCode !== null) {
                resolve();
                return;
            }
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
        });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`moto.server exited with ${child.exitCode}: ${stderr}`);
        }
        try {
            // moto answers its dashboard and the S3 ListBuckets on `/`; any answer means it is up.
            await fetch(`${endpoint}/moto-api/`);
            return { endpoint, stop };
        } catch {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    }
    await stop();
    throw new Error(`moto.server did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr}`);
}

/**
 * The platform's database as the primary stack makes it, in moto: PostgreSQL 15, Multi-AZ,
 * encrypted, deletion-protected, 35 days of backups, in a subnet group `webank-db` over
 * {@link motoSubnets}. Needs the AWS CLI for the network.
 */
export async function motoPrimaryDatabase(
    endpoint: string,
    region: string,
    identifier: string,
    instanceClass: string,
): Promise<RDSClient> {
    const rds = new RDSClient(motoClientConfig(endpoint, region));
    await rds.send(
        new CreateDBSubnetGroupCommand({
            DBSubnetGroupName: "webank-db",
            DBSubnetGroupDescription: "webank database subnets",
            SubnetIds: motoSubnets(endpoint, region),
        }),
    );
    await rds.send(
        new CreateDBInstanceCommand({
            DBInstanceIdentifier: identifier,
            Engine: "postgres",
            EngineVersion: "15.7",
            DBInstanceClass: instanceClass,
            AllocatedStorage: 100,
            MasterUsername: "webank",
            MasterUserPassword: "not-a-real-password-1",
            DBSubnetGroupName: "webank-db",
            BackupRetentionPeriod: 35,
            MultiAZ: true,
            StorageEncrypted: true,
            DeletionProtection: true,
        }),
    );
    return rds;
}

/**
 * A VPC with two subnets in two zones of `region`, made in moto through the AWS CLI (the
 * project has no EC2 SDK client): what an RDS subnet group needs. Returns the subnet ids.
 */
export function motoSubnets(endpoint: string, region: string): string[] {
    const ec2 = (...args: string[]) =>
        JSON.parse(
            execFileSync("aws", ["ec2", ...args, "--region", region, "--output", "json"], {
                encoding: "utf8",
                env: {
                    ...process.env,
                    AWS_ENDPOINT_URL: endpoint,
                    AWS_ACCESS_KEY_ID: "testing",
                    AWS_SECRET_ACCESS_KEY: "testing",
                },
            }),
        ) as { Vpc?: { VpcId: string }; Subnet?: { SubnetId: string } };
    const vpc = ec2("create-vpc", "--cidr-block", "10.0.0.0/16").Vpc!.VpcId;
    return ["a", "b"].map(
        (zone, i) =>
            ec2(
                "create-subnet",
                "--vpc-id",
                vpc,
                "--cidr-block",
                `10.0.${i}.0/24`,
                "--availability-zone",
                `${region}${zone}`,
            ).Subnet!.SubnetId,
    );
}
