import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { HEARTBEAT_IMAGES, kubernetesLiteral, SECRETS_DIR, SECRETS_DIR_ENV } from "../lib/heartbeat-writer";

/*
 * The parts of components/heartbeat.ts: the IAM policies of its two roles, and the pod pieces
 * its CronJob and setup Job share: the
 * non-root security context, the memory-backed volume the containers pass files through, the
 * containers' resources, and the libpq environment. Every pod here meets the "restricted" Pod
 * Security Standard (Kubernetes docs, "Pod Security Standards": runAsNonRoot, no privilege
 * escalation, every capability dropped, the RuntimeDefault seccomp profile, only emptyDir and
 * projected volumes), which its namespace enforces.
 */

type Container = k8s.types.input.core.v1.Container;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type PodSpec = k8s.types.input.core.v1.PodSpec;

/** The unprivileged user and group every container runs as (no image needs it in its /etc/passwd). */
export const RUN_AS_USER = 65534;

/** The volume holding the token, the secrets and the CA bundle: memory only, never on the node's disk. */
const SECRETS_VOLUME = "secrets";

/** A writable /tmp (and HOME) on a read-only root filesystem. */
const TMP_VOLUME = "tmp";

/** What each kind of container may use: the AWS CLI is a Python program, psql and the prepare step are small. */
const RESOURCES = {
    awsCli: { requests: { cpu: "50m", memory: "96Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    python: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "200m", memory: "64Mi" } },
    psql: { requests: { cpu: "20m", memory: "16Mi" }, limits: { cpu: "200m", memory: "64Mi" } },
} as const;

/** One environment variable whose value reaches the container unchanged ({@link kubernetesLiteral}). */
export function env(name: string, value: pulumi.Input<string>): EnvVar {
    return { name, value: pulumi.output(value).apply(kubernetesLiteral) };
}

/**
 * The libpq environment of a connection as `user` (libpq docs, "Environment Variables"):
 * verify-full checks that the server's certificate chains to the CA bundle and names the host
 * (libpq docs, "SSL Support"), so a connection never reaches anything but the instance.
 */
export function libpqEnv(
    address: pulumi.Input<string>,
    port: number,
    database: string,
    user: string | undefined,
): EnvVar[] {
    return [
        env("PGHOST", address),
        env("PGPORT", String(port)),
        env("PGDATABASE", database),
        ...(user ? [env("PGUSER", user)] : []),
        env("PGSSLMODE", "verify-full"),
        env("PGSSLROOTCERT", `${SECRETS_DIR}/ca.pem`),
        env("PGCONNECT_TIMEOUT", "10"),
        env(SECRETS_DIR_ENV, SECRETS_DIR),
    ];
}

/** A container of `image` running `script` with `sh -c` (or `python3 -c`), locked down and bounded. */
export function container(
    name: string,
    kind: keyof typeof HEARTBEAT_IMAGES,
    script: string,
    environment: EnvVar[],
): Container {
    const interpreter = kind === "python" ? ["python3", "-c"] : ["sh", "-c"];
    return {
        name,
        image: HEARTBEAT_IMAGES[kind],
        command: [...interpreter, kubernetesLiteral(script)],
        env: [...environment, env("HOME", "/tmp")],
        resources: RESOURCES[kind],
        securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        },
        volumeMounts: [
            { name: SECRETS_VOLUME, mountPath: SECRETS_DIR },
            { name: TMP_VOLUME, mountPath: "/tmp" },
        ],
    };
}

/**
 * A pod that runs once (`restartPolicy: Never`) as {@link RUN_AS_USER}, with the two
 * memory-backed volumes. `fsGroup` lets the non-root containers read the projected web-identity
 * token that the EKS Pod Identity Webhook mounts for IRSA (EKS user guide, "Configure Pods to
 * use a Kubernetes service account").
 */
export function podSpec(
    serviceAccountName: pulumi.Input<string>,
    initContainers: Container[],
    containers: Container[],
): PodSpec {
    return {
        serviceAccountName,
        restartPolicy: "Never",
        securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS_USER,
            runAsGroup: RUN_AS_USER,
            fsGroup: RUN_AS_USER,
            seccompProfile: { type: "RuntimeDefault" },
        },
        volumes: [
            { name: SECRETS_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
            { name: TMP_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
        ],
        initContainers,
        containers,
    };
}

/**
 * A complete secret ARN: `...:secret:<name>-<6 characters>` (Secrets Manager user guide, "Secret
 * ARN"). Not lib/secret-arn.ts's: RDS names the master secrets it manages `rds!db-<uuid>` (RDS
 * user guide, "Password management with Amazon RDS and AWS Secrets Manager"), and `!` is not a
 * character a user's secret name may hold.
 */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^:]+-[A-Za-z0-9]{6}$/;

/** The `-??????` pattern of a secret's ARN (lib/heartbeat-writer.ts secretArnPattern). */
const SECRET_ARN_PATTERN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^:]+-\?{6}$/;

/** The writer role's policy: `rds-db:connect` as the writer role of one instance, nothing else. */
export function writerPolicy(connectArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ConnectAsTheHeartbeatWriterOnly",
                Effect: "Allow",
                Action: "rds-db:connect",
                Resource: connectArn,
            },
        ],
    });
}

/** What the setup role's policy is written for. */
export interface SetupPolicyTarget {
    /** `DatabaseHeartbeat(<name>)`, for errors. */
    readonly owner: string;
    /** The region of the secrets and the key. */
    readonly region: string;
    /** The database's RDS-managed master secret. */
    readonly masterSecretArn: string | undefined;
    /** The verifier secret's ARN or `-??????` pattern. */
    readonly verifierSecretArn: string;
    /** The key of both secrets. */
    readonly kmsKeyArn: string;
    /** Whether the verifier secret may be written (the primary secret, not a replica). */
    readonly writable: boolean;
}

/**
 * The setup role's policy: read the master secret and the verifier secret; where the verifier
 * secret is writable, store its one generated password there (PutSecretValue on it alone) and
 * ask Secrets Manager for that password (GetRandomPassword has no resource type: Service
 * Authorization Reference, AWS Secrets Manager, so only `*`). The key only through Secrets
 * Manager in this region (`kms:ViaService`): Decrypt to read a value, GenerateDataKey to store
 * one (Secrets Manager user guide, "Secret encryption and decryption in AWS Secrets Manager",
 * Permissions for the KMS key). Throws, naming the argument, on an ARN that is neither.
 */
export function setupPolicy(target: SetupPolicyTarget): string {
    const master = target.masterSecretArn;
    if (!master || !SECRET_ARN.test(master)) {
        throw new Error(
            `${target.owner}.database.masterSecretArn must be the complete ARN of the instance's RDS-managed master secret (manageMasterUserPassword); got ${JSON.stringify(master)}`,
        );
    }
    const verifier = target.verifierSecretArn;
    if (!SECRET_ARN.test(verifier) && !SECRET_ARN_PATTERN.test(verifier)) {
        throw new Error(
            `${target.owner}.verifierSecret.arn must be a complete secret ARN or its <name>-?????? pattern; got ${JSON.stringify(verifier)}`,
        );
    }
    const store = [
        {
            Sid: "StoreTheVerifierPasswordOnly",
            Effect: "Allow",
            Action: "secretsmanager:PutSecretValue",
            Resource: verifier,
        },
        {
            Sid: "GenerateThePassword",
            Effect: "Allow",
            Action: "secretsmanager:GetRandomPassword",
            Resource: "*",
        },
    ];
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadMasterAndVerifierSecrets",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: [master, verifier],
            },
            ...(target.writable ? store : []),
            {
                Sid: "UseTheKeyThroughSecretsManagerOnly",
                Effect: "Allow",
                Action: target.writable ? ["kms:Decrypt", "kms:GenerateDataKey"] : "kms:Decrypt",
                Resource: target.kmsKeyArn,
                Condition: {
                    StringEquals: { "kms:ViaService": `secretsmanager.${target.region}.amazonaws.com` },
                },
            },
        ],
    });
}
