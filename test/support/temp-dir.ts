import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Directories made by {@link makeTempDir} and not yet removed, swept when the process exits. */
const leftOver = new Set<string>();
let sweepRegistered = false;

function sweep(): void {
    leftOver.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
    leftOver.clear();
}

/**
 * A new empty directory under the system's temporary directory, for one-off use (a fixture
 * made at describe time, a fake CLI's work directory). It is removed when the process exits,
 * so a test that has no hook to clean up in leaves nothing behind; remove it sooner with
 * {@link removeTempDir}.
 */
export function makeTempDir(prefix = "webank-dr-"): string {
    if (!sweepRegistered) {
        // 'exit' listeners must be synchronous: rmSync is.
        process.on("exit", sweep);
        sweepRegistered = true;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    leftOver.add(dir);
    return dir;
}

/** Removes a directory made by {@link makeTempDir} now; a directory already gone is fine. */
export function removeTempDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
    leftOver.delete(dir);
}

/**
 * Runs `work` with a fresh temporary directory and removes it afterwards, whether `work`
 * returns, throws or rejects: a directory for one test's body or one helper call.
 */
export function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T>;
export function withTempDir<T>(prefix: string, work: (dir: string) => T): T;
export function withTempDir<T>(prefix: string, work: (dir: string) => T | Promise<T>): T | Promise<T> {
    const dir = makeTempDir(prefix);
    let result: T | Promise<T>;
    try {
        result = work(dir);
    } catch (error) {
        removeTempDir(dir);
        throw error;
    }
    if (result instanceof Promise) {
        return result.finally(() => removeTempDir(dir));
    }
    removeTempDir(dir);
    return result;
}

/** How {@link useTempDir} makes and removes its directory. */
export interface TempDirOptions {
    /**
     * `"test"`: a fresh directory for every test (beforeEach/afterEach); `"suite"`: one for the
     * whole describe block (before/after), for tests that build on each other.
     * @default "test"
     */
    readonly per?: "test" | "suite";
    /** Runs just before the directory is removed, e.g. to assert what the test left in it. */
    readonly beforeRemoving?: (dir: string) => void;
}

/**
 * Registers mocha hooks, in the describe block it is called in, that make a fresh temporary
 * directory and remove it again; returns a getter for the current one. The getter throws
 * outside the hooks' span (at describe time, say), where there is no directory to give.
 * Hooks run in the order they are registered: call this before a hook that uses the directory.
 */
export function useTempDir(prefix: string, options: TempDirOptions = {}): () => string {
    let current: string | undefined;
    const [setUp, tearDown] = options.per === "suite" ? [before, after] : [beforeEach, afterEach];
    setUp(() => {
        current = makeTempDir(prefix);
    });
    tearDown(() => {
        const dir = current;
        current = undefined;
        if (dir !== undefined) {
            try {
                options.beforeRemoving?.(dir);
            } finally {
                removeTempDir(dir);
            }
        }
    });
    return () => {
        if (current === undefined) {
            throw new Error(`no temporary directory (${prefix}…) outside the tests of its describe block`);
        }
        return current;
    };
}
