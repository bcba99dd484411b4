import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { GitRepositoryState } from "./state";
import { Tool, ToolCall, ToolFailure } from "./tool";

/*
 * git, from the world's repositories: remotes by URL (GitHub's repository, the new remotes of
 * a restore) and the operator's local clones by directory. Bundles are real files in git's
 * bundle format, so what a bundle holds comes from the bundle object in S3.
 */

/** The signature lines git accepts (gitformat-bundle: `# v2 git bundle` or `# v3 git bundle`). */
const SIGNATURES = ["# v2 git bundle", "# v3 git bundle"];

/** An empty pack: `PACK`, version 2, 0 objects, then the SHA-1 of those 12 bytes (gitformat-pack). */
function emptyPack(): Buffer {
    const header = Buffer.from([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2, 0, 0, 0, 0]);
    return Buffer.concat([header, createHash("sha1").update(header).digest()]);
}

/**
 * A bundle of `refs` in git's bundle format (gitformat-bundle: "bundle = signature
 * *capability *prerequisite *reference LF pack", "reference = obj-id SP refname LF"): what
 * `git bundle create --all` writes. The pack is empty: the simulation tracks refs, not objects.
 */
export function bundleOf(refs: Readonly<Record<string, string>>): Buffer {
    const lines = Object.entries(refs)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([ref, sha]) => `${sha} ${ref}\n`);
    return Buffer.concat([Buffer.from(`${SIGNATURES[0]}\n${lines.join("")}\n`), emptyPack()]);
}

/** The refs of a bundle's header, or a reason it is not a bundle. */
export function refsOfBundle(body: Buffer): { refs: Record<string, string> } | { problem: string } {
    const end = body.indexOf("\n\n");
    const header = body.subarray(0, end < 0 ? Math.min(body.length, 4096) : end).toString("utf8");
    const [signature, ...lines] = header.split("\n");
    if (!SIGNATURES.includes(signature)) {
        return { problem: "does not look like a v2 or v3 bundle file" };
    }
    const refs: Record<string, string> = {};
    for (const line of lines) {
        const match = /^([0-9a-f]{40}|[0-9a-f]{64}) (\S+)$/.exec(line);
        if (match) {
            refs[match[2]] = match[1];
        } else if (!line.startsWith("-") && !line.startsWith("@") && line !== "") {
            return { problem: `has an unrecognized header line: ${line}` };
        }
    }
    return { refs };
}

/** `<oid> SP <refname> LF`, as `git bundle list-heads` prints them (builtin/bundle.c, list_refs). */
function listHeads(refs: Readonly<Record<string, string>>): string {
    return Object.entries(refs)
        .map(([ref, sha]) => `${sha} ${ref}\n`)
        .join("");
}

function readBundle(call: ToolCall, file: string): Record<string, string> {
    const full = path.resolve(call.cwd ?? process.cwd(), file);
    let body: Buffer;
    try {
        body = fs.readFileSync(full);
    } catch {
        throw new ToolFailure(128, `fatal: could not open '${file}' for reading: No such file or directory`);
    }
    const parsed = refsOfBundle(body);
    if ("problem" in parsed) {
        throw new ToolFailure(1, `error: '${file}' ${parsed.problem}`);
    }
    return parsed.refs;
}

/**
 * The repository a URL names: a known remote, or else a new, empty repository (the operator
 * creates the remote before a restore; the simulation takes that step as done). Only a push
 * records it, so reading a remote changes nothing.
 */
function remoteOf(call: ToolCall, url: string, create: boolean): GitRepositoryState {
    const remotes = call.world.state.git.remotes;
    if (!create) {
        return remotes[url] ?? { refs: {} };
    }
    remotes[url] ??= { refs: {} };
    return remotes[url];
}

/** One line of a push's report: flag, the summary in git's 17-column field, `src -> dst` (transport.c, print_ref_status). */
function statusLine(flag: string, summary: string, src: string, dst: string, why?: string): string {
    const short = (ref: string) => ref.replace(/^refs\/(heads|tags)\//, "");
    return ` ${flag} ${summary.padEnd(17)} ${short(src)} -> ${short(dst)}${why ? ` (${why})` : ""}`;
}

/**
 * `git ls-remote <remote>`: "<oid> TAB <ref> LF" per ref (git-ls-remote documentation,
 * OUTPUT), HEAD first when it points at a branch the remote has, then the refs by name.
 */
function lsRemote(call: ToolCall, url: string): string {
    const remote = remoteOf(call, url, false);
    const refs = Object.entries(remote.refs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const head = remote.head && remote.refs[remote.head] ? [`${remote.refs[remote.head]}\tHEAD\n`] : [];
    return [...head, ...refs.map(([ref, sha]) => `${sha}\t${ref}\n`)].join("");
}

/** The local refs a refspec `src:dst` maps, and their destination names (`*` matches the rest of the name). */
function mapRefspec(
    spec: string,
    local: Readonly<Record<string, string>>,
): { src: string; dst: string; force: boolean }[] {
    const force = spec.startsWith("+");
    const [src, dst = src] = (force ? spec.slice(1) : spec).split(":");
    if (!src.includes("*")) {
        return local[src] ? [{ src, dst, force }] : [];
    }
    const [prefix, suffix] = src.split("*");
    return Object.keys(local)
        .filter((ref) => ref.startsWith(prefix) && ref.endsWith(suffix))
        .map((ref) => ({
            src: ref,
            dst: dst.replace("*", ref.slice(prefix.length, ref.length - suffix.length)),
            force,
        }));
}

/**
 * `git push <remote> <refspec>...` from the clone in the working directory. Without `+` a
 * ref the remote has at another commit is rejected (`! [rejected] ... (fetch first)`: the
 * remote has work the clone does not); other refs are still updated, since a push is not
 * atomic without `--atomic`, and the push exits 1 naming the rejected refs (git-push
 * documentation, OUTPUT: "rejected", "fetch first").
 */
function push(call: ToolCall, url: string, specs: readonly string[]): ReturnType<Tool> {
    const clone = cloneAt(call, path.resolve(call.cwd ?? process.cwd()));
    if (!clone) {
        throw new ToolFailure(128, "fatal: not a git repository (or any of the parent directories): .git");
    }
    const remote = remoteOf(call, url, true);
    const lines: string[] = [`To ${url}`];
    let rejected = 0;
    let pushed = 0;
    for (const { src, dst, force } of specs.flatMap((spec) => mapRefspec(spec, clone.refs))) {
        const current = remote.refs[dst];
        const sha = clone.refs[src];
        if (current === sha) {
            continue;
        }
        const kind = dst.startsWith("refs/tags/") ? "tag" : "branch";
        if (current !== undefined && !force) {
            rejected += 1;
            lines.push(
                statusLine("!", "[rejected]", src, dst, kind === "tag" ? "already exists" : "fetch first"),
            );
            continue;
        }
        lines.push(
            current === undefined
                ? statusLine("*", `[new ${kind}]`, src, dst)
                : statusLine("+", `${current.slice(0, 7)}...${sha.slice(0, 7)}`, src, dst, "forced update"),
        );
        remote.refs[dst] = sha;
        pushed += 1;
    }
    if (!remote.head && remote.refs["refs/heads/main"]) {
        // A new repository's HEAD names the default branch, main.
        remote.head = "refs/heads/main";
    }
    if (pushed > 0) {
        call.world.record(`git push ${url}: ${pushed} refs`);
    }
    if (rejected > 0) {
        lines.push(`error: failed to push some refs to '${url}'`);
        return { stdout: "", stderr: `${lines.join("\n")}\n`, exitCode: 1 };
    }
    return { stdout: "", stderr: pushed === 0 ? "Everything up-to-date\n" : `${lines.join("\n")}\n` };
}

/**
 * The clone in `directory`, if it is still there. Clones live on the operator's disk: a clone
 * whose directory is gone (a restore removes its temporary directory) is forgotten.
 */
function cloneAt(call: ToolCall, directory: string): GitRepositoryState | undefined {
    const clones = call.world.state.git.clones;
    for (const dir of Object.keys(clones)) {
        if (!fs.existsSync(dir)) {
            delete clones[dir];
        }
    }
    return clones[directory];
}

/**
 * `git clone --mirror <source> <directory>`: a bare clone of every ref of a bundle file or a
 * remote. The directory is made, as git makes it; the refs are the world's.
 */
function cloneMirror(call: ToolCall, source: string, directory: string): ReturnType<Tool> {
    const target = path.resolve(call.cwd ?? process.cwd(), directory);
    if (cloneAt(call, target) || (fs.existsSync(target) && fs.readdirSync(target).length > 0)) {
        throw new ToolFailure(
            128,
            `fatal: destination path '${directory}' already exists and is not an empty directory.`,
        );
    }
    const known = call.world.state.git.remotes[source];
    const refs = known ? { ...known.refs } : readBundle(call, source);
    fs.mkdirSync(target, { recursive: true });
    call.world.state.git.clones[target] = refs["refs/heads/main"]
        ? { refs, head: "refs/heads/main" }
        : { refs };
    return { stdout: "", stderr: `Cloning into bare repository '${directory}'...\n` };
}

/** The simulated git: `clone --mirror`, `bundle verify`, `bundle list-heads`, `ls-remote`, `push`. */
export const git: Tool = (call) => {
    const args = [...call.args];
    if (args[0] === "-C" && args[1]) {
        call = { ...call, cwd: path.resolve(call.cwd ?? process.cwd(), args[1]) };
        args.splice(0, 2);
    }
    const [subcommand, ...rest] = args;
    const operands = rest.filter((a) => !a.startsWith("-"));
    switch (subcommand) {
        case "clone":
            if (!rest.includes("--mirror") || operands.length !== 2) {
                break;
            }
            return cloneMirror(call, operands[0], operands[1]);
        case "bundle": {
            const [verb, file] = operands;
            if (verb === "verify" && file) {
                const refs = readBundle(call, file);
                const count = Object.keys(refs).length;
                return {
                    stdout:
                        `The bundle contains ${count === 1 ? "this ref" : `these ${count} refs`}:\n${listHeads(refs)}` +
                        "The bundle records a complete history.\nThe bundle uses this hash algorithm: sha1\n",
                    stderr: `${file} is okay\n`,
                };
            }
            if (verb === "list-heads" && file) {
                return { stdout: listHeads(readBundle(call, file)) };
            }
            break;
        }
        case "ls-remote":
            if (operands.length === 1) {
                return { stdout: lsRemote(call, operands[0]) };
            }
            break;
        case "push":
            if (operands.length >= 2) {
                return push(call, operands[0], operands.slice(1));
            }
            break;
    }
    throw new ToolFailure(129, `the simulated git does not model: git ${call.args.join(" ")}`);
};
