/**
 * Physical names of the resources that an operator must find without Pulumi state (during
 * a disaster the state itself may be what is lost). Names are derived from the naming
 * prefix, the account and the region only, so they can be worked out by hand.
 */

/** The longest naming prefix accepted: keeps every derived S3 bucket name under 63 characters. */
export const MAX_PREFIX_LENGTH = 20;

/** A naming prefix: lowercase letters, digits and hyphens, starting with a letter. */
export const PREFIX_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** Name of a bucket for `purpose` (e.g. `state`) in `region`: globally unique through the account id. */
export function bucketName(prefix: string, purpose: string, accountId: string, region: string): string {
    return `${prefix}-${purpose}-${accountId}-${region}`;
}

/** Name of the DynamoDB lock table; the DR replica has the same name in the DR region. */
export function lockTableName(prefix: string): string {
    return `${prefix}-state-lock`;
}

/** KMS alias of the data key; the replica key carries the same alias in the DR region. */
export function dataKeyAlias(prefix: string): string {
    return `alias/${prefix}-data`;
}

/** RDS identifier of the primary database. */
export function primaryDatabaseIdentifier(prefix: string): string {
    return `${prefix}-db`;
}

/**
 * RDS identifier of a database restored into the DR region. The generation is part of it,
 * so a deliberate re-restore creates a new instance beside the old one instead of replacing it.
 */
export function restoredDatabaseIdentifier(prefix: string, generation: number): string {
    return `${prefix}-db-dr-${generation}`;
}

/**
 * RDS identifier of the home region's cross-Region read replica of the DR database, which
 * re-protection makes after a failover and failback promotes. The generation is part of it, so
 * a second failback never meets the instance of the first (kept, as every database is).
 */
export function failbackDatabaseIdentifier(prefix: string, generation: number): string {
    return `${prefix}-db-home-${generation}`;
}

/**
 * The name a failback gives a database it takes out of service, kept with its data and its
 * deletion protection: the identifier and the UTC minute the failback started (`YYYYMMDDHHmm`),
 * so the name it had is free again (the home one for the promoted replica, the DR one for the
 * next failover) and two failbacks never collide.
 */
export function retiredDatabaseIdentifier(identifier: string, minuteStamp: string): string {
    return `${identifier}-retired-${minuteStamp}`;
}

/**
 * RDS identifier of the hot posture's cross-Region read replica of the primary database, in
 * the DR region. A failover promotes it in place, so it keeps this name as the DR database.
 */
export function replicaDatabaseIdentifier(prefix: string): string {
    return `${prefix}-db-replica`;
}

/** Whether `identifier` is a {@link replicaDatabaseIdentifier} (of any prefix): the hot posture's replica, or it promoted. */
export function isReplicaDatabaseIdentifier(identifier: string): boolean {
    const suffix = replicaDatabaseIdentifier("");
    return identifier.endsWith(suffix) && identifier.length > suffix.length;
}

/** EKS cluster name of a stack's role: `<prefix>-primary` or `<prefix>-dr`. */
export function clusterName(prefix: string, role: string): string {
    return `${prefix}-${role}`;
}

/** Name of the backup vault; the same in both regions. */
export function backupVaultName(prefix: string): string {
    return `${prefix}-vault`;
}

/**
 * Name of the logically air-gapped vault in the DR region. AWS Backup allows 2 to 50 of
 * `[a-zA-Z0-9_-]` (API_CreateLogicallyAirGappedBackupVault, backupVaultName pattern
 * `^[a-zA-Z0-9\-\_]{2,50}$`), which every valid prefix meets.
 */
export function airGappedVaultName(prefix: string): string {
    return `${prefix}-air-gapped`;
}

/** Name of the IAM role AWS Backup uses, so the dr stack can use it after a failover. */
export function backupRoleName(prefix: string): string {
    return `${prefix}-backup`;
}

/**
 * The bootstrap state bucket (in the DR region) that holds the `primary` and `dr` stacks'
 * own state: made by hand before either stack exists (README, bootstrap), versioned.
 */
export function bootstrapBucketName(prefix: string, accountId: string): string {
    return `${prefix}-bootstrap-state-${accountId}`;
}

/** KMS alias (DR region) of the secrets provider of the stacks kept in the bootstrap bucket. */
export function bootstrapKeyAlias(prefix: string): string {
    return `alias/${prefix}-bootstrap`;
}

/** The key of a stack's state in a Pulumi DIY (S3) backend, project-scoped layout. */
export function pulumiStateKey(project: string, stack: string): string {
    return `.pulumi/stacks/${project}/${stack}.json`;
}

/** Name of the CodeBuild project that applies a stack from inside its VPC (components/deploy-runner.ts). */
export function deployRunnerProjectName(prefix: string, role: string): string {
    return `${prefix}-${role}-deploy`;
}

/** Name of the CodeBuild project that mirrors the platform repository (and of its component). */
export function mirrorProjectName(prefix: string): string {
    return `${prefix}-source-mirror`;
}

/**
 * Physical name of an alert topic (SNS): the component's name, so a recovery command can
 * publish to it without reading any stack's state.
 */
export function alertTopicName(prefix: string, where: "home" | "dr"): string {
    return where === "home" ? `${prefix}-alerts` : `${prefix}-alerts-dr`;
}

/**
 * The Secrets Manager secret holding the verifier role's credentials (`{"username", "password"}`,
 * the shape of RDS's own master secrets), e.g. `webank/db-verifier`; replicated to the DR region
 * so that a failover reads it while the home region is down.
 */
export function verifierSecretName(prefix: string): string {
    return `${prefix}/db-verifier`;
}
