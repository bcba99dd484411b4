import { execFileSync } from "child_process";
import { createServer } from "net";

/**
 * Real peers (a CLI, a server) that some tests run against. Where a peer is missing the test
 * is skipped, unless `WEBANK_REQUIRE_PEERS=1` (as CI sets it where the peers are installed):
 * then a missing peer fails the test, so a check cannot silently stop running.
 */

/** True when `WEBANK_REQUIRE_PEERS=1`: a missing peer is a failure, not a skip. */
export function peersRequired(): boolean {
    return process.env.WEBANK_REQUIRE_PEERS === "1";
}

/**
 * Skips the current test (or suite, from `before`) when the peer is missing, or throws when
 * peers are required. `found` is what probing the peer returned (undefined: not found).
 */
export function requirePeer<T>(context: Mocha.Context, peer: string, found: T | undefined): T {
    if (found !== undefined) {
        return found;
    }
    if (peersRequired()) {
        throw new Error(`${peer} must be installed: WEBANK_REQUIRE_PEERS=1 says this machine has the peers`);
    }
    // Mocha's own "pending" mark is easy to miss in a long run: name the peer and what is skipped.
    const what = context.currentTest?.fullTitle() ?? context.test?.parent?.fullTitle() ?? "a peer test";
    process.stderr.write(
        `SKIPPED: ${what}: ${peer} is not installed (CI sets WEBANK_REQUIRE_PEERS=1 and fails instead)\n`,
    );
    context.skip();
}

/** A free TCP port on the loopback interface, picked by the OS, for a peer server. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() =>
                typeof address === "object" && address
                    ? resolve(address.port)
                    : reject(new Error("no port assigned")),
            );
        });
    });
}

/** The first line of `<command> --version`, or undefined when the command is not installed. */
export function commandVersion(command: string): string | undefined {
    try {
        return execFileSync(command, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
            .split("\n")[0]
            ?.trim();
    } catch {
        return undefined;
    }
}

/** The installed git's version line, or undefined when git is not installed. */
export function gitVersion(): string | undefined {
    return commandVersion("git");
}
