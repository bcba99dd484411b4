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

/**
 * The refs a restore pushes: branches, tags and notes (`git notes`, e.g. review or change
 * records attached to commits; `git clone --mirror` and `bundle create --all` keep them, so
 * leaving them out would lose them silently). GitHub's own `refs/pull/*` are read-only on
 * GitHub ("deny updating a hidden ref") and are not the repository's content.
 */
export const PUSHED_REFS = ["refs/heads/", "refs/tags/", "refs/notes/"];

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

/** True for the refs a restore pushes and verifies (branches, tags and notes). */
export function isPushed(ref: string): boolean {
    return PUSHED_REFS.some((prefix) => ref.startsWith(prefix));
}

/** The remote's refs (`git ls-remote`), symbolic `HEAD` and peeled tags left out. */
export async function lsRemote(commands: CommandPort, remote: string): Promise<Map<string, string>> {
    const refs = parseRefs((await commands.run("git", ["ls-remote", remote], { env: GIT_ENV })).stdout);
    refs.delete("HEAD");
    return refs;
}

/** "n branches and m tags" of a set of refs, and its notes refs when it has any. */
export function refCounts(refs: ReadonlyMap<string, string>): string {
    const count = (prefix: string) => [...refs.keys()].filter((r) => r.startsWith(prefix)).length;
    const notes = count("refs/notes/");
    return `${count("refs/heads/")} branches and ${count("refs/tags/")} tags${notes > 0 ? ` (and ${notes} notes refs)` : ""}`;
}
