/**
 * How every AWS adapter calls AWS: one retry policy for the SDK clients, one way to poll a
 * long-running job, one way to recognise an AWS error. During a regional disaster every
 * operator in the account hits the same APIs at once; throttling is then the normal case, so
 * the SDK itself retries it with capped exponential backoff instead of each adapter guessing.
 */
import { ConfiguredRetryStrategy } from "@smithy/core/retry";

/**
 * Attempts per AWS call, the first included. Eight attempts with {@link exponentialBackoff}
 * ride out a little over a minute of throttling (1+2+4+8+16+20+20 s at most) before the
 * error reaches the operator, well inside any step's own timeout.
 */
export const MAX_ATTEMPTS = 8;

/** Delay before the first retry, in milliseconds; doubles on every further retry. */
export const BASE_DELAY_MS = 1000;

/** The cap on one retry delay, in milliseconds: beyond it, waiting longer only delays the recovery. */
export const MAX_DELAY_MS = 20_000;

/** Milliseconds to wait before retry number `attempt` (1 for the first retry). */
export type Backoff = (attempt: number) => number;

/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so
 * callers throttled together do not retry together, yet no retry comes back immediately.
 */
export function exponentialBackoff(attempt: number, random: () => number = Math.random): number {
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Options of {@link retryStrategy} and {@link awsClientConfig}. */
export interface RetryOptions {
    /** Attempts per call, the first included. Default {@link MAX_ATTEMPTS}. */
    readonly maxAttempts?: number;
    /** Delay before each retry. Default {@link exponentialBackoff}; tests pass a recording one. */
    readonly backoff?: Backoff;
}

/**
 * The SDK retry strategy: the standard one (it retries throttling — ThrottlingException,
 * TooManyRequestsException, HTTP 429 — and transient errors — HTTP 500/502/503/504, timeouts,
 * connection resets — and nothing else) with our attempts and backoff. A fresh strategy per
 * client, because the strategy also holds the client's retry budget.
 */
export function retryStrategy(options: RetryOptions = {}): ConfiguredRetryStrategy {
    const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
        throw new Error(`maxAttempts must be a whole number of at least 1; got ${String(maxAttempts)}`);
    }
    const backoff = options.backoff ?? ((attempt: number) => exponentialBackoff(attempt));
    return new ConfiguredRetryStrategy(maxAttempts, backoff);
}

/** The part of an SDK v3 client's config that every adapter shares. */
export interface AwsClientConfig {
    /** The region the client calls. */
    readonly region: string;
    /** Attempts per call (the SDK reads it besides the strategy). */
    readonly maxAttempts: number;
    /** The retry strategy of {@link retryStrategy}. */
    readonly retryStrategy: ConfiguredRetryStrategy;
}

/**
 * Config for `new XxxClient(awsClientConfig(region))`. Credentials are not part of it: the
 * SDK resolves them on the first call, so building clients needs none (`--help` works).
 */
export function awsClientConfig(region: string, options: RetryOptions = {}): AwsClientConfig {
    if (typeof region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
        throw new Error(`region must be an AWS region name such as us-west-2; got ${JSON.stringify(region)}`);
    }
    return {
        region,
        maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
        retryStrategy: retryStrategy(options),
    };
}

/** How often a waiter polls, in seconds. Tests pass tiny values. */
export interface PollDelays {
    /** Shortest pause between two polls. */
    readonly minDelaySeconds: number;
    /** Longest pause between two polls (the waiter backs off up to it). */
    readonly maxDelaySeconds: number;
}

/** Polling of RDS instances and snapshots, and of backup, copy and build jobs: 15 s, backing off to a minute. */
export const DEFAULT_POLL_DELAYS: PollDelays = { minDelaySeconds: 15, maxDelaySeconds: 60 };

/** The `@smithy` waiter settings for a wait of `timeoutMinutes`, checked before anything is called. */
export function waiterSettings<Client>(
    client: Client,
    timeoutMinutes: number,
    delays: PollDelays = DEFAULT_POLL_DELAYS,
): { client: Client; maxWaitTime: number; minDelay: number; maxDelay: number } {
    if (typeof timeoutMinutes !== "number" || !Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0) {
        throw new Error(`timeoutMinutes must be a positive number; got ${String(timeoutMinutes)}`);
    }
    const maxWaitTime = timeoutMinutes * 60;
    // The SDK refuses a wait not longer than its first pause; a short wait polls sooner instead.
    const minDelay = Math.min(delays.minDelaySeconds, maxWaitTime / 2);
    return { client, maxWaitTime, minDelay, maxDelay: Math.max(minDelay, delays.maxDelaySeconds) };
}

/** True when `error` is an AWS service error named one of `names` (e.g. `DBInstanceNotFoundFault`). */
export function isAwsError(error: unknown, ...names: string[]): boolean {
    return error instanceof Error && names.includes(error.name);
}

/** The message of anything thrown, for error texts. */
export function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
