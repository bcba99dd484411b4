import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { StackConfig } from "../../config/stack-config";
import type { IdentityPort } from "../ports";
import type { Provenance } from "./report";

/** The repository this tool runs from (two levels above automation/run/). */
const TOOL_ROOT = path.resolve(__dirname, "..", "..");

/** Package name and version, and the Git commit of the checkout this code runs from. */
export interface ToolVersion {
    /** Package name. */
    readonly name: string;
    /** Package version. */
    readonly version: string;
    /** `git rev-parse HEAD`, or `unknown` outside a Git checkout. */
    readonly commit: string;
    /** True when `git status --porcelain` lists changes; null when unknown. */
    readonly modified: boolean | null;
}

let cached: ToolVersion | undefined;

/** This tool's version and commit, read once per process. */
export function toolVersion(root: string = TOOL_ROOT): ToolVersion {
    if (cached && root === TOOL_ROOT) {
        return cached;
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
    };
    const git = (args: string[]): string | undefined => {
        try {
            return execFileSync("git", args, {
                cwd: root,
                encoding: "utf8",
                stdio: ["ignore", "pipe", "ignore"],
            }).trim();
        } catch {
            return undefined;
        }
    };
    const commit = git(["rev-parse", "HEAD"]);
    const status = commit === undefined ? undefined : git(["status", "--porcelain", "--untracked-files=no"]);
    const version: ToolVersion = {
        name: manifest.name ?? "webank-dr",
        version: manifest.version ?? "unknown",
        commit: commit ?? "unknown",
        modified: status === undefined ? null : status !== "",
    };
    if (root === TOOL_ROOT) {
        cached = version;
    }
    return version;
}

/** The OS user running this process (the environment's name where there is no passwd entry). */
export function osUser(): string {
    try {
        return os.userInfo().username;
    } catch {
        return process.env.USER ?? process.env.USERNAME ?? "unknown";
    }
}

/**
 * Who runs the command, where, with which tool. The AWS identity comes from STS; when it
 * cannot be read the provenance says why instead of failing the run (a report of a
 * recovery must always be written).
 */
export async function gatherProvenance(config: StackConfig, identity: IdentityPort): Promise<Provenance> {
    let awsArn: string | null = null;
    let account: string | null = null;
    let identityNote: string | undefined;
    try {
        const caller = await identity.callerIdentity();
        awsArn = caller.arn;
        account = caller.account;
    } catch (error) {
        identityNote = error instanceof Error ? error.message : String(error);
    }
    return {
        operator: { osUser: osUser(), host: os.hostname(), awsArn },
        account,
        ...(identityNote ? { identityNote } : {}),
        regions: { home: config.homeRegion, dr: config.drRegion },
        tool: toolVersion(),
    };
}
