import type { CommandPort } from "../../../ports";

/*
 * Git refs as `git bundle list-heads` and `git ls-remote` print them, and the git
 * environment every command of `restore git` runs with.
 */

/**
 * Environment of every git command: git fails at once instead of prompting for a password
 * (credentials come from the credential helper or the SSH agent, never from this command).
 */
export const GIT_ENV = { GIT_TERMINAL_PROMPT: "0" };

/** The refs a restore pushes: branches and tags. GitHub's own `refs/pull/*` cannot be pushed to a new repository. */
export const PUSHED_REFS = ["refs/heads/", "refs/tags/"];

/** Refs as `git bundle list-heads` and `git ls-remote` print them (`<sha> <ref>`), peeled tags left out. */
export function parseRefs(text: string): Map<string, string> {
    const refs = new Map<string, string>();
    for (const line of text.split("\n")) {
        const match = /^([0-9a-f]{40}|[0-9a-f]{64})\s+(\S+)\s*$/.exec(line.trim());
        if (match && !match[2].endsWith("^{}")) {
            refs.set(match[2], match[1]);
        }
    }
    return refs;
}

/** True for the refs a restore pushes and verifies (branches and tags). */
export function isPushed(ref: string): boolean {
    return PUSHED_REFS.some((prefix) => ref.startsWith(prefix));
}

/** The remote's refs (`git ls-remote`), symbolic `HEAD` and peeled tags left out. */
export async function lsRemote(commands: CommandPort, remote: string): Promise<Map<string, string>> {
    const refs = parseRefs((await commands.run("git", ["ls-remote", remote], { env: GIT_ENV })).stdout);
    refs.delete("HEAD");
    return refs;
}

/** "n branches and m tags" of a set of refs. */
export function refCounts(refs: ReadonlyMap<string, string>): string {
    const branches = [...refs.keys()].filter((r) => r.startsWith("refs/heads/")).length;
    return `${branches} branches and ${refs.size - branches} tags`;
}
