/**
 * The ports the recovery commands reach Pulumi and AWS through. The CLI wires real
 * adapters (automation/adapters.ts); tests and the benchmark wire fakes.
 */

/** The DR stack, through the Automation API. */
export interface DrStackPort {
    /** Reads one config value of the stack (`webank:<key>`), or undefined. */
    getConfig(key: string): Promise<string | undefined>;
    /** Sets config values (plain; none of the keys the failover sets is a secret). */
    setConfig(values: Readonly<Record<string, string>>): Promise<void>;
    /** `pulumi refresh`, streaming its output. */
    refresh(onOutput: (line: string) => void): Promise<void>;
    /** `pulumi up`, streaming its output; returns the stack outputs. */
    up(onOutput: (line: string) => void): Promise<Record<string, unknown>>;
}

/** Automated backups replicated into the DR region, as RDS describes them. */
export interface ReplicatedBackups {
    /** ARN of the replicated automated backups. */
    readonly arn: string;
    /** Earliest time they can restore to. */
    readonly earliest: Date;
    /** Latest time they can restore to. */
    readonly latest: Date;
}

/** The database side of the DR region. */
export interface DatabasePort {
    /** The replicated automated backups of the primary database, or undefined when there are none. */
    replicatedBackups(): Promise<ReplicatedBackups | undefined>;
    /** Waits until the instance is available; throws with what to do next on timeout. */
    waitAvailable(identifier: string, timeoutMinutes: number): Promise<void>;
}

/** The failover lock. */
export interface LockPort {
    /** Takes the lock for `owner` (throws when another run holds it). */
    acquire(owner: string): Promise<void>;
}
