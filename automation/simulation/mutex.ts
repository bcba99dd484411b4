import * as fs from "fs";
import * as os from "os";

/** Options of {@link withFileMutex}. */
export interface FileMutexOptions {
    /** How long a lock whose holder is gone (or unreadable) must be before it is broken. @default 3000 */
    readonly staleAfterMs?: number;
    /** How long to wait for the lock before failing. @default 30000 */
    readonly timeoutMs?: number;
    /** Real milliseconds between attempts. @default 10 */
    readonly retryMs?: number;
}

/** What a lock file holds: who took it. */
interface MutexHolder {
    readonly pid: number;
    readonly host: string;
    readonly since: string;
}

/** A lock whose holder runs on another host cannot be checked by pid: it is broken only this long after it was taken. */
const FOREIGN_HOST_FACTOR = 10;

/** Sleeps synchronously: no timer fires and no virtual time passes while a transaction waits for the lock. */
function sleepSync(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether process `pid` runs on this host (`kill(pid, 0)`: EPERM means it exists but is another user's). */
function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

function holderOf(file: string): MutexHolder | undefined {
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<MutexHolder>;
        return typeof parsed.pid === "number" && typeof parsed.host === "string"
            ? { pid: parsed.pid, host: parsed.host, since: String(parsed.since) }
            : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Whether the lock at `file` was left behind: old enough, and its holder is a process of
 * this host that no longer runs (or it names no holder at all: a process that died between
 * creating and writing it). A holder on another host is only given up after much longer.
 */
function isStale(file: string, staleAfterMs: number): boolean {
    let age: number;
    try {
        age = Date.now() - fs.statSync(file).mtimeMs;
    } catch {
        return false;
    }
    if (age < staleAfterMs) {
        return false;
    }
    const holder = holderOf(file);
    if (!holder) {
        return true;
    }
    return holder.host === os.hostname() ? !alive(holder.pid) : age >= staleAfterMs * FOREIGN_HOST_FACTOR;
}

/** Creates `file` exclusively (`O_CREAT | O_EXCL`) with this process as holder; false when it exists. */
function tryCreate(file: string): boolean {
    let fd: number;
    try {
        fd = fs.openSync(file, "wx", 0o600);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") {
            return false;
        }
        throw error;
    }
    try {
        fs.writeSync(
            fd,
            JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }),
        );
    } finally {
        fs.closeSync(fd);
    }
    return true;
}

/**
 * Breaks a stale lock. Two waiters may find it stale at once: only the one that takes the
 * break lock (`<file>.break`, itself exclusive) looks again and removes it, so a fresh lock
 * another waiter has just taken is never removed.
 */
function breakIfStale(file: string, staleAfterMs: number): void {
    const breaker = `${file}.break`;
    if (!tryCreate(breaker)) {
        if (isStale(breaker, staleAfterMs)) {
            fs.rmSync(breaker, { force: true });
        }
        return;
    }
    try {
        if (isStale(file, staleAfterMs)) {
            fs.rmSync(file, { force: true });
        }
    } finally {
        fs.rmSync(breaker, { force: true });
    }
}

/**
 * Runs `critical` holding the cross-process lock `file`: a file created with O_EXCL, waited
 * for synchronously, broken when its holder died (see {@link isStale}). Throws, naming the
 * file and its holder, when it cannot be taken within the timeout.
 */
export function withFileMutex<T>(file: string, critical: () => T, options: FileMutexOptions = {}): T {
    const staleAfterMs = options.staleAfterMs ?? 3000;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (!tryCreate(file)) {
        breakIfStale(file, staleAfterMs);
        if (Date.now() > deadline) {
            const holder = holderOf(file);
            throw new Error(
                `the simulated account is locked by ${holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : "an unknown process"} ` +
                    `(${file}); if no rehearsal runs, remove that file and run again`,
            );
        }
        sleepSync(options.retryMs ?? 10);
    }
    try {
        return critical();
    } finally {
        fs.rmSync(file, { force: true });
    }
}
