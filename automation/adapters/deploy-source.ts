import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { CommandPort, DeploySource } from "../ports";

/*
 * The source archive a deploy runner deploys (components/deploy-runner.ts reads
 * `deploy-sources/<stack>.zip`): the project as committed at HEAD, with the stack's settings
 * file as it is in the working tree, since a recovery command has just set config in it.
 * Nothing else of the working tree goes in: the runner deploys reviewed code. Made with git's
 * own plumbing in a temporary index (GIT_INDEX_FILE), so the operator's index, working tree
 * and refs stay as they were; the only write is the settings file's blob in the object store,
 * which nothing references and `git gc` prunes.
 */

/** Non-interactive git that reads no system or global config (a hook or alias cannot change the archive). */
const GIT_ENV = { GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

/** Pulumi's settings file of `stackName` (`org/project/name` uses the last part, as the CLI does). */
export function stackSettingsFile(stackName: string): string {
    return `Pulumi.${stackName.split("/").pop()}.yaml`;
}

/** Builds the deploy source of `stackName` from the git checkout that holds `workDir`. */
export async function gitDeploySource(
    commands: CommandPort,
    workDir: string,
    stackName: string,
): Promise<DeploySource> {
    const settings = stackSettingsFile(stackName);
    if (!fs.existsSync(path.join(workDir, settings))) {
        throw new Error(
            `${settings} is not in ${workDir}: the deploy runner deploys the stack with its settings file; ` +
                `check the stack name and the project directory. Nothing was uploaded`,
        );
    }
    const git = async (args: string[], env: Record<string, string> = {}) =>
        (await commands.run("git", args, { cwd: workDir, env: { ...GIT_ENV, ...env } })).stdout.trim();
    let commit: string;
    try {
        commit = await git(["rev-parse", "--verify", "HEAD^{commit}"]);
    } catch (error) {
        throw new Error(
            `${workDir} is not a git checkout with a commit: the deploy runner deploys a committed version of ` +
                `this project (${error instanceof Error ? error.message : String(error)}). Nothing was uploaded`,
            { cause: error },
        );
    }
    const top = await git(["rev-parse", "--show-toplevel"]);
    const prefix = await git(["rev-parse", "--show-prefix"]);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "webank-deploy-source-"));
    try {
        const index = { GIT_INDEX_FILE: path.join(scratch, "index") };
        await git(["read-tree", commit], index);
        // Paths are relative to the top level for update-index run there; `--` ends the options.
        await commands.run("git", ["update-index", "--add", "--", `${prefix}${settings}`], {
            cwd: top,
            env: { ...GIT_ENV, ...index },
        });
        const tree = await git(["write-tree"], index);
        const archive = path.join(scratch, "source.zip");
        // From the top level: run in a subdirectory, git archive would keep only that part of the tree.
        await commands.run(
            "git",
            ["archive", "--format", "zip", "--output", archive, prefix ? `${tree}:${prefix}` : tree],
            {
                cwd: top,
                env: GIT_ENV,
            },
        );
        const settingsChanged = (await git(["diff", "--name-only", commit, "--", settings])) !== "";
        const others = (await git(["status", "--porcelain", "--untracked-files=no"]))
            .split("\n")
            .filter((line) => line.trim() !== "" && !line.endsWith(` ${prefix}${settings}`)).length;
        return {
            archive: fs.readFileSync(archive),
            commit,
            description:
                `commit ${commit.slice(0, 12)} with ${settings} ${settingsChanged ? "as changed in the working tree" : "as committed"}` +
                (others > 0 ? `; ${others} other uncommitted changes are not deployed` : ""),
        };
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}
