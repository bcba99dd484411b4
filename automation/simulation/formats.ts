import { createHash } from "crypto";

/*
 * The shapes of the values AWS and the cluster tools generate, each with where it is
 * documented, so every value the simulation returns looks like the real one. Values are
 * derived from a seed (the world's sequence), not random: a run is repeatable, and two
 * processes sharing one world never make the same id twice.
 */

/** `n` bytes derived from `seed` (SHA-256, chained for more than 32). */
function bytesOf(seed: string, n: number): Buffer {
    const chunks: Buffer[] = [];
    for (let i = 0; Buffer.concat(chunks).length < n; i += 1) {
        chunks.push(createHash("sha256").update(`${i}\n${seed}`).digest());
    }
    return Buffer.concat(chunks).subarray(0, n);
}

/** `length` characters of `alphabet` derived from `seed`. */
function charsOf(seed: string, length: number, alphabet: string): string {
    return [...bytesOf(seed, length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const HEX = "0123456789abcdef";

/** Lowercase hexadecimal of `length` characters. */
export function hexOf(seed: string, length: number): string {
    return charsOf(seed, length, HEX);
}

/**
 * An S3 object version id: "Amazon S3 automatically adds a unique version ID to every object
 * stored" and "The version ID values that Amazon S3 assigns are URL safe"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersioningEnabledBuckets.html,
 * example `x-amz-version-id: 3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY`): 32 characters, here from the
 * URL-safe letters, digits, `.` and `_`.
 */
export function s3VersionId(seed: string): string {
    return charsOf(seed, 32, `${UPPER_ALNUM}abcdefghijklmnopqrstuvwxyz._`);
}

/** A UUID in its 8-4-4-4-12 form with the version-4 and variant bits set (RFC 9562, section 5.4). */
export function uuidOf(seed: string): string {
    const b = bytesOf(seed, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A Git object name: 40 hexadecimal digits, the SHA-1 of the object (gitglossary, "object name"). */
export function gitSha(seed: string): string {
    return createHash("sha1").update(seed).digest("hex");
}

/**
 * An EC2 resource id: its prefix and 17 hexadecimal characters (EC2 user guide, "Resource
 * IDs": "vol-0123456789abcdef0"), e.g. `vol-`, `snap-`, `sg-`.
 */
export function ec2Id(prefix: "vol" | "snap" | "sg", seed: string): string {
    return `${prefix}-0${hexOf(seed, 16)}`;
}

/**
 * The unique id of an IAM role: `AROA` and 17 uppercase letters and digits (IAM user guide,
 * "Unique identifiers": "AROA" for a role), as STS GetCallerIdentity prints it before `:session`.
 */
export function roleUniqueId(seed: string): string {
    return `AROA${charsOf(seed, 17, UPPER_ALNUM)}`;
}

/** The DB instance ARN (RDS user guide, "Amazon Resource Names in Amazon RDS": `arn:aws:rds:<region>:<account>:db:<name>`). */
export function dbInstanceArn(region: string, account: string, identifier: string): string {
    return `arn:aws:rds:${region}:${account}:db:${identifier}`;
}

/** A manual DB snapshot's ARN (same page: `arn:aws:rds:<region>:<account>:snapshot:<name>`). */
export function dbSnapshotArn(region: string, account: string, identifier: string): string {
    return `arn:aws:rds:${region}:${account}:snapshot:${identifier}`;
}

/**
 * An RDS endpoint `host:port`: the instance identifier, an id fixed per account and Region,
 * the Region, `rds.amazonaws.com` (RDS user guide, "Renaming a DB instance": "the endpoint for
 * the DB instance changes, because the URL includes the name you assigned to the DB
 * instance"), and PostgreSQL's default port 5432.
 */
export function rdsEndpoint(identifier: string, account: string, region: string): string {
    return `${identifier}.${charsOf(`${account}/${region}`, 12, LOWER_ALNUM)}.${region}.rds.amazonaws.com:5432`;
}

/**
 * A recovery point ARN as AWS Backup makes it (AWS Backup developer guide, "Working with
 * recovery points"): for RDS a DB snapshot named `awsbackup:job-<job id>`, for EBS an EC2
 * snapshot (`arn:aws:ec2:<region>::snapshot/snap-…`, no account), for the other resource
 * types a Backup recovery point `arn:aws:backup:<region>:<account>:recovery-point:<id>`.
 */
export function recoveryPointArn(region: string, account: string, resourceArn: string, seed: string): string {
    if (resourceArn.includes(":rds:")) {
        return `arn:aws:rds:${region}:${account}:snapshot:awsbackup:job-${uuidOf(seed)}`;
    }
    if (resourceArn.includes(":volume/")) {
        return `arn:aws:ec2:${region}::snapshot/${ec2Id("snap", seed)}`;
    }
    return `arn:aws:backup:${region}:${account}:recovery-point:${uuidOf(seed).toUpperCase()}`;
}

/** The AWS Backup resource type of a resource ARN (AWS Backup API, `ResourceType`: `RDS`, `EBS`, `S3`, `DynamoDB`). */
export function backupResourceType(arn: string): string {
    if (arn.includes(":rds:")) {
        return "RDS";
    }
    if (arn.includes(":volume/")) {
        return "EBS";
    }
    if (arn.startsWith("arn:aws:s3:")) {
        return "S3";
    }
    if (arn.includes(":dynamodb:")) {
        return "DynamoDB";
    }
    return "unknown";
}

/** A backup vault's ARN (AWS Backup API, `BackupVaultArn`: `arn:aws:backup:<region>:<account>:backup-vault:<name>`). */
export function backupVaultArn(region: string, account: string, vault: string): string {
    return `arn:aws:backup:${region}:${account}:backup-vault:${vault}`;
}

/** An EKS cluster's ARN, which `aws eks update-kubeconfig` also names its context after (AWS CLI reference). */
export function eksClusterArn(region: string, account: string, name: string): string {
    return `arn:aws:eks:${region}:${account}:cluster/${name}`;
}

/**
 * A CodeBuild build id: `<project name>:<UUID>` (CodeBuild API, `Build.id`: "The unique ID for
 * the build", e.g. `codebuild-demo-project:b1e6661e-e4f2-4156-9ab9-82a19EXAMPLE`).
 */
export function codeBuildId(project: string, seed: string): string {
    return `${project}:${uuidOf(seed)}`;
}

/**
 * The UTC stamp the export CronJob and the mirror build name their objects with:
 * `date -u +%Y%m%dT%H%M%SZ` (components/argocd.ts, components/source-mirror.ts).
 */
export function jobStamp(date: Date): string {
    return date
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
        .replace(/[-:]/g, "");
}

/**
 * A time as Go's `encoding/json` prints a `time.Time` (RFC 3339 with nanoseconds, trailing
 * zeros of the fraction dropped): how Helm prints `updated`, `first_deployed` and `last_deployed`.
 */
export function goTime(date: Date): string {
    return date.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : "Z"));
}
