import { scenario } from "../../../runbook/scenarios";
import { problem, UsageError } from "../../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../../change-options";
import { CommandDefinition, OptionValues, ParseContext } from "../../definition";
import { ARTIFACT_REGIONS, choiceOf, textOf } from "../options";
import { RestoreStateRequest, STATE_BACKENDS, STATE_STACKS } from "./request";

/** Checks the flags of `restore state`: every choice, the version id's shape, and `--region` only with `--backend state`. */
export function parseRestoreState(values: OptionValues, _context: ParseContext): RestoreStateRequest {
    const problems: string[] = [];
    const stack = choiceOf(values, "stack", STATE_STACKS, "primary", problems);
    const backend = choiceOf(
        values,
        "backend",
        STATE_BACKENDS,
        "bootstrap",
        problems,
        "be bootstrap (the bucket holding primary and dr) or state (the platform state bucket)",
    );
    const region = choiceOf(
        values,
        "region",
        ARTIFACT_REGIONS,
        "home",
        problems,
        "be home (the state bucket) or dr (its replica)",
    );
    // Only against an explicit or default bootstrap: a bad --backend is refused on its own.
    if (values.region !== undefined && (values.backend === undefined || values.backend === "bootstrap")) {
        problems.push(
            problem(
                "--region",
                "not be set with --backend bootstrap (that bucket lives in the DR region only); add --backend state to read the platform state bucket",
                values.region,
            ),
        );
    }
    const versionId = textOf(values, "version-id", problems);
    if (versionId !== undefined && !/^\S{1,1024}$/.test(versionId)) {
        problems.push(
            problem("--version-id", "be an S3 version id (1-1024 characters, no spaces)", versionId),
        );
    }
    if (problems.length > 0) {
        throw new UsageError(problems);
    }
    return {
        stack,
        backend,
        ...(backend === "state" ? { region } : {}),
        ...(versionId !== undefined ? { versionId } : {}),
        change: changeRequestOf(values),
    };
}

/** `npm run dr -- restore state`. */
export const restoreStateDefinition: CommandDefinition<RestoreStateRequest> = {
    path: ["restore", "state"],
    summary: scenario("state-loss").summary,
    options: {
        stack: {
            type: "string",
            choices: STATE_STACKS,
            defaultValue: "primary",
            describe: "the stack whose state is restored",
        },
        "version-id": {
            type: "string",
            describe: "the S3 version to restore; without it, list the versions and change nothing",
        },
        backend: {
            type: "string",
            choices: STATE_BACKENDS,
            defaultValue: "bootstrap",
            describe: "bootstrap (where primary and dr live) or state (the platform state bucket)",
        },
        region: {
            type: "string",
            choices: ARTIFACT_REGIONS,
            describe: "with --backend state only: home (default), or dr for its replica",
        },
        ...CHANGE_OPTIONS,
    },
    parse: parseRestoreState,
    run: async (request, context) => (await import("./command")).runRestoreState(request, context),
};
