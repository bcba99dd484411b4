import { bundlePrefixOf } from "../../../../lib/artifacts";
import { GIT_URL } from "../../../../lib/git-url";
import { scenario } from "../../../runbook/scenarios";
import { problem, UsageError } from "../../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../../change-options";
import { CommandDefinition, OptionValues, ParseContext } from "../../definition";
import { ARTIFACT_REGION_OPTION, ARTIFACT_REGIONS, choiceOf, contextProblem, textOf } from "../options";
import { redact, REPOINTED_STACKS, RestoreGitRequest } from "./request";

/** A URL with credentials in it: `https://user[:token]@…` or `ssh://user:password@…`. */
const URL_WITH_CREDENTIALS = /^(https:\/\/[^/]*@|ssh:\/\/[^/@]*:[^/@]*@)/;

/** Checks the flags of `restore git`: the remote (a Git URL without credentials), the bundle key's prefix, the choices. */
export function parseRestoreGit(values: OptionValues, context: ParseContext): RestoreGitRequest {
    const problems: string[] = [];
    const region = choiceOf(values, "region", ARTIFACT_REGIONS, "home", problems);
    const stack = choiceOf(values, "stack", REPOINTED_STACKS, "primary", problems);
    const kube = textOf(values, "context", problems);
    const contextIssue = contextProblem(kube);
    if (contextIssue) {
        problems.push(contextIssue);
    }
    const remote = textOf(values, "remote", problems);
    if (remote === undefined || !GIT_URL.test(remote)) {
        problems.push(
            problem(
                "--remote",
                "be the Git URL of the new remote (https://, ssh:// or git@)",
                remote && redact(remote),
            ),
        );
    } else if (URL_WITH_CREDENTIALS.test(remote)) {
        problems.push(
            problem(
                "--remote",
                "carry no credentials (they would be on a command line, in the journal and in the stack config); " +
                    "configure a git credential helper or an SSH key instead",
                redact(remote),
            ),
        );
    }
    const bundleKey = textOf(values, "bundle-key", problems);
    const prefix = bundlePrefixOf(context.config.platform.mirror.repository);
    if (bundleKey !== undefined && !(bundleKey.startsWith(prefix) && bundleKey.endsWith(".bundle"))) {
        problems.push(problem("--bundle-key", `be a key under ${prefix} ending in .bundle`, bundleKey));
    }
    if (problems.length > 0 || remote === undefined) {
        throw new UsageError(problems);
    }
    return {
        remote,
        ...(bundleKey !== undefined ? { bundleKey } : {}),
        region,
        stack,
        ...(kube !== undefined ? { context: kube } : {}),
        change: changeRequestOf(values),
    };
}

/** `npm run dr -- restore git`. */
export const restoreGitDefinition: CommandDefinition<RestoreGitRequest> = {
    path: ["restore", "git"],
    summary: scenario("github-loss").summary,
    options: {
        remote: {
            type: "string",
            required: true,
            describe: "the new, empty remote (https://, ssh:// or git@; no credentials in it)",
        },
        "bundle-key": { type: "string", describe: "a known-good older bundle's key instead of the newest" },
        region: ARTIFACT_REGION_OPTION,
        stack: {
            type: "string",
            choices: REPOINTED_STACKS,
            defaultValue: "primary",
            describe: "the stack whose Argo CD follows the repository",
        },
        context: { type: "string", describe: "kube context, to check the root app follows the new remote" },
        ...CHANGE_OPTIONS,
    },
    parse: parseRestoreGit,
    run: async (request, context) => (await import("./command")).runRestoreGit(request, context),
};
