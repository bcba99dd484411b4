import * as fs from "fs";
import * as path from "path";
import { openExistingJournal, Refusal, reportFailure } from "./run";
import { ARTIFACT_PREFIXES } from "../../../lib/artifacts";
import type { StackConfig } from "../../../config";
import { bootstrapBucketName, bucketName, pulumiStateKey } from "../../../lib/naming";
import { PROJECT_ROOT } from "../../../config/stack-files";
import { Journal } from "../../run/journal";
import { RecoveryPorts, RegionPorts, StackPort, StoredObject } from "../../ports";
import { runSteps, Step } from "../../run/steps";

/** Options of `npm run dr -- restore state`. */
export interface RestoreStateOptions {
    /** `--stack`: `primary` or `dr`, the stack whose state is restored. */
    readonly stack: string;
    /** `--version-id`: the S3 object version to restore. Without it the versions are listed and nothing changes. */
    readonly versionId?: string;
    /**
     * `--backend`: where the stack's state lives. `bootstrap` (default): the bootstrap bucket in
     * the DR region, which holds the `primary` and `dr` stacks themselves (README, bootstrap).
     * `state`: the platform's replicated state bucket, for stacks that log in to `pulumiLoginUrl`.
     */
    readonly backend?: string;
    /**
     * `--region`, with `--backend state` only: which copy to read: `home` (the state bucket) or
     * `dr` (its replica, when the home region is lost). The before-restore export is stored in the
     * same region. Default `home`.
     */
    readonly region?: string;
    /** `--yes`: do not ask before the import. */
    readonly yes: boolean;
    /** `--dry-run`: check the version and print the plan; change nothing. */
    readonly dryRun: boolean;
    /** `--journal`: the journal file. Default `.journal/restore-state.json` in the project. */
    readonly journalFile?: string;
    /** Asks the operator a yes/no question; undefined when there is no terminal to ask on. */
    readonly confirm?: (question: string) => Promise<boolean>;
}

/** The stacks whose state can be restored. */
const STACKS = ["primary", "dr"] as const;

/** Which copy of the state bucket to read. */
const REGIONS = ["home", "dr"] as const;

/** Where a stack's state can live. */
const BACKENDS = ["bootstrap", "state"] as const;

/** The journal's operation name; a journal of another operation is refused. */
const OPERATION = "restore-state";

/** A deployment in the format `pulumi stack export` writes and `pulumi stack import` reads. */
export interface UntypedDeployment {
    /** Schema version of the deployment (3 today). */
    readonly version: number;
    /** The deployment: manifest, secrets providers, resources. */
    readonly deployment: { readonly resources?: readonly unknown[] } & Record<string, unknown>;
}

/**
 * Turns the bytes of a state object version into what `pulumi stack import` takes. The DIY
 * backend stores a checkpoint, `{version, checkpoint: {stack, config, latest: <deployment>}}`,
 * while export and import use `{version, deployment: <deployment>}` (the Automation API's
 * `Deployment` type); the deployment inside is the same, so it is lifted out unchanged. A file
 * already in export format is taken as it is. Throws (naming the version) when the bytes are
 * not a Pulumi state of `stack`.
 */
export function deploymentOf(body: Buffer, stack: string, versionId: string): UntypedDeployment {
    const refuse = (why: string) =>
        new Refusal(
            `--version-id must name a version holding a Pulumi state file; got "${versionId}", which ${why}`,
            2,
        );
    let parsed: unknown;
    try {
        parsed = JSON.parse(body.toString("utf8"));
    } catch (error) {
        throw refuse(`is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof parsed !== "object" || parsed === null) {
        throw refuse("is JSON but not an object");
    }
    const document = parsed as { version?: unknown; checkpoint?: unknown; deployment?: unknown };
    if (typeof document.version !== "number") {
        throw refuse('has no numeric "version"');
    }
    if (isObject(document.deployment)) {
        return { version: document.version, deployment: document.deployment };
    }
    if (!isObject(document.checkpoint)) {
        throw refuse('has neither "checkpoint" nor "deployment"');
    }
    const checkpoint = document.checkpoint as { stack?: unknown; latest?: unknown };
    if (
        typeof checkpoint.stack === "string" &&
        checkpoint.stack !== stack &&
        !checkpoint.stack.endsWith(`/${stack}`)
    ) {
        throw refuse(`is the state of stack "${checkpoint.stack}", not "${stack}"`);
    }
    if (!isObject(checkpoint.latest)) {
        throw refuse("holds no deployment (checkpoint.latest is empty: the stack had not been updated yet)");
    }
    return { version: document.version, deployment: checkpoint.latest };
}

/** True for a plain JSON object. */
function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How many resources a deployment holds. */
function resourceCount(deployment: UntypedDeployment): number {
    return Array.isArray(deployment.deployment.resources) ? deployment.deployment.resources.length : 0;
}

/** Resources in a `pulumi stack export` text, or a description of why it cannot be read. */
function exportedCount(text: string): number | string {
    try {
        const parsed = JSON.parse(text) as { deployment?: { resources?: unknown } };
        return Array.isArray(parsed.deployment?.resources) ? parsed.deployment.resources.length : 0;
    } catch (error) {
        return `unreadable (${error instanceof Error ? error.message : String(error)})`;
    }
}

/** Where everything of one restore lives. */
interface Locations {
    readonly stack: string;
    readonly region: RegionPorts;
    readonly stateBucket: string;
    readonly key: string;
    readonly artifactBucket: string;
}

/** The choice a run is bound to, as the journal records it. */
interface Plan {
    readonly versionId: string;
    readonly backupKey: string;
    readonly detail: string;
}

/** A UTC stamp for file names, as the Argo CD exports use: `20261125T024900Z`. */
function stamp(at: Date): string {
    return `${at.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/** One version as a listing line. */
function versionLine(version: StoredObject, now: Date): string {
    const minutes = Math.round((now.getTime() - version.lastModified.getTime()) / 60_000);
    return `  ${version.versionId ?? "(unversioned)"}  ${version.lastModified.toISOString()} (${minutes} min ago)  ${version.size} bytes${version.isLatest ? "  (current)" : ""}`;
}

/** The steps: preflight, backup of the present state, import, verification. */
function restoreSteps(locations: Locations, plan: Plan, stack: StackPort, chosen: UntypedDeployment): Step[] {
    const { stateBucket, key, artifactBucket, region } = locations;
    const backupUrl = `s3://${artifactBucket}/${plan.backupKey}`;
    return [
        {
            name: "preflight",
            after: [],
            describe: `check version ${plan.versionId} of s3://${stateBucket}/${key}`,
            run: () => Promise.resolve(plan.detail),
        },
        {
            name: "backup",
            after: ["preflight"],
            describe: `save the present state of ${locations.stack} to ${backupUrl}`,
            run: async () => {
                let text: string | Buffer;
                let what: string;
                try {
                    text = await stack.exportState();
                    what = `pulumi stack export (${exportedCount(text)} resources)`;
                } catch (exportError) {
                    // A corrupt state may not export; its object is still the present state, keep that.
                    try {
                        text = await region.objects.getObject(stateBucket, key);
                        what = `the current object of s3://${stateBucket}/${key} (pulumi stack export failed: ${String(exportError)})`;
                    } catch (readError) {
                        throw new Error(
                            `the present state could not be saved (export: ${String(exportError)}; reading s3://${stateBucket}/${key}: ${String(readError)}); ` +
                                "nothing was imported. Fix access and run again",
                        );
                    }
                }
                await region.objects.putObject(artifactBucket, plan.backupKey, text, "application/json");
                return `saved ${what} to ${backupUrl}`;
            },
        },
        {
            name: "import",
            after: ["backup"],
            describe: `pulumi stack import of version ${plan.versionId} into ${locations.stack}`,
            run: async () => {
                await stack.importState(JSON.stringify(chosen));
                return `imported version ${plan.versionId} (${resourceCount(chosen)} resources)`;
            },
        },
        {
            name: "verify",
            after: ["import"],
            describe: `export ${locations.stack} again and compare resource counts`,
            run: async () => {
                const count = exportedCount(await stack.exportState());
                const expected = resourceCount(chosen);
                if (count !== expected) {
                    throw new Error(
                        `after the import ${locations.stack} exports ${count} resources, version ${plan.versionId} has ${expected}; ` +
                            `inspect it with pulumi stack export -s ${locations.stack}; the state before the restore is in ${backupUrl}`,
                    );
                }
                return `${locations.stack} exports ${count} resources, as version ${plan.versionId}`;
            },
        },
    ];
}

/** The command line that runs (or resumes) this restore. */
function commandLine(options: RestoreStateOptions, versionId: string): string {
    return [
        "npm run dr -- restore state",
        `--stack ${options.stack}`,
        ...(options.backend === "state" ? ["--backend state", `--region ${options.region ?? "home"}`] : []),
        `--version-id ${versionId}`,
        ...(options.journalFile ? [`--journal ${options.journalFile}`] : []),
        ...(options.yes ? ["--yes"] : []),
    ].join(" ");
}

/** Reads the journal's preflight back: the version, the backup key, the stack and the bucket. */
function planFromJournal(detail: string): Plan & { stack?: string; bucket?: string } {
    const found =
        /^stack (\S+): version (\S+) of s3:\/\/([^/\s]+)\/\S+ .*; backup to s3:\/\/[^/\s]+\/(\S+)$/.exec(
            detail,
        );
    if (!found) {
        throw new Refusal(
            `the journal's preflight entry cannot be read ("${detail}"); move the journal away and start again`,
            2,
        );
    }
    return { stack: found[1], versionId: found[2], bucket: found[3], backupKey: found[4], detail };
}

/** The plan a journal's preflight entry records, if it has one. */
function planFromJournalOf(journal: Journal | undefined): ReturnType<typeof planFromJournal> | undefined {
    const entry = journal?.steps.find((s) => s.step === "preflight");
    return entry ? planFromJournal(entry.detail) : undefined;
}

/**
 * `npm run dr -- restore state`: lists the versions of a stack's state object, or restores one
 * with `pulumi stack import` after saving the present state to the artifact bucket. For state
 * loss or corruption; the S3 versions themselves are never changed or deleted. Returns the exit
 * code: 0 done (or listed), 1 failed (resumable), 2 bad usage.
 */
export async function restoreStateCommand(
    options: RestoreStateOptions,
    ports: RecoveryPorts,
    config: StackConfig,
): Promise<number> {
    const out = ports.output;
    const journalFile = options.journalFile ?? path.join(PROJECT_ROOT, ".journal", `${OPERATION}.json`);
    try {
        if (!(STACKS as readonly string[]).includes(options.stack)) {
            throw new Refusal(`--stack must be one of ${STACKS.join(", ")}; got "${options.stack}"`, 2);
        }
        const regionChoice = options.region ?? "home";
        if (!(REGIONS as readonly string[]).includes(regionChoice)) {
            throw new Refusal(
                `--region must be home (the state bucket) or dr (its replica); got "${regionChoice}"`,
                2,
            );
        }
        if (options.versionId !== undefined && !/^\S{1,1024}$/.test(options.versionId)) {
            throw new Refusal(
                `--version-id must be an S3 version id (1-1024 characters, no spaces); got "${options.versionId}"`,
                2,
            );
        }
        const backend = options.backend ?? "bootstrap";
        if (!(BACKENDS as readonly string[]).includes(backend)) {
            throw new Refusal(
                `--backend must be bootstrap (the bucket holding primary and dr) or state (the platform state bucket); got "${backend}"`,
                2,
            );
        }
        if (backend === "bootstrap" && options.region !== undefined) {
            throw new Refusal(
                `--region must not be set with --backend bootstrap (that bucket lives in the DR region only); got "${options.region}"`,
                2,
            );
        }
        // The bootstrap bucket is made in the DR region, so it is there when the home region is not.
        const region = backend === "bootstrap" || regionChoice === "dr" ? ports.dr : ports.home;
        const account = await ports.identity.accountId();
        const locations: Locations = {
            stack: options.stack,
            region,
            stateBucket:
                backend === "bootstrap"
                    ? bootstrapBucketName(config.prefix, account)
                    : bucketName(config.prefix, "state", account, region.region),
            key: pulumiStateKey(config.project, options.stack),
            artifactBucket: bucketName(config.prefix, "artifacts", account, region.region),
        };
        const stateUrl = `s3://${locations.stateBucket}/${locations.key}`;

        let existing = openExistingJournal(journalFile, OPERATION, ports, out);
        let resumed = planFromJournalOf(existing);
        let archive: string | undefined;
        if (existing && resumed && options.versionId !== undefined) {
            if (
                resumed.versionId !== options.versionId ||
                resumed.stack !== options.stack ||
                resumed.bucket !== locations.stateBucket
            ) {
                if (!existing.isDone("verify")) {
                    const priorRegion =
                        resumed.bucket === bucketName(config.prefix, "state", account, ports.dr.region)
                            ? "dr"
                            : "home";
                    const finish = commandLine(
                        { ...options, stack: resumed.stack ?? options.stack, region: priorRegion },
                        resumed.versionId,
                    );
                    throw new Refusal(
                        `--version-id must be ${resumed.versionId} (with --stack ${resumed.stack}, state bucket ${resumed.bucket}) to finish ` +
                            `the unfinished restore in ${journalFile} (done: ${existing.steps.map((s) => s.step).join(", ")}); ` +
                            `got "${options.versionId}" for ${options.stack} in ${locations.stateBucket}. Finish it first: ${finish}`,
                        2,
                    );
                }
                archive = `${journalFile.replace(/\.json$/, "")}.${existing.runId}.json`;
                out(
                    `the restore in ${journalFile} (version ${resumed.versionId} of ${resumed.stack}) finished, so this is a new run; ` +
                        `a real run first moves that journal to ${archive}`,
                );
                existing = undefined;
                resumed = undefined;
            }
        }

        let versions: StoredObject[];
        try {
            versions = await region.objects.listVersions(locations.stateBucket, locations.key);
        } catch (error) {
            const hint =
                backend === "state" && regionChoice === "home"
                    ? "; if the home region is down, read the replica: --region dr"
                    : "";
            throw new Refusal(
                `the versions of ${stateUrl} cannot be listed (${error instanceof Error ? error.message : String(error)})${hint}`,
                1,
            );
        }
        if (versions.length === 0) {
            throw new Refusal(
                `${stateUrl} has no versions in ${region.region}: there is no state to restore`,
                1,
            );
        }

        if (options.versionId === undefined) {
            out(`Versions of ${stateUrl} (${region.region}), newest first:`);
            versions.forEach((version) => out(versionLine(version, ports.now())));
            out(
                "Pick the newest version from before the loss or corruption, check it with --dry-run, then restore it:",
            );
            out(
                `  npm run dr -- restore state --stack ${options.stack}${backend === "state" ? ` --backend state --region ${regionChoice}` : ""} --version-id <version id> --dry-run`,
            );
            if (resumed && !existing?.isDone("verify")) {
                out(
                    `An unfinished restore of version ${resumed.versionId} is in ${journalFile}; run it with that version to resume.`,
                );
            }
            out("Nothing was changed.");
            return 0;
        }

        const versionId = options.versionId;
        const chosenVersion = versions.find((v) => v.versionId === versionId);
        if (!chosenVersion) {
            throw new Refusal(
                `--version-id must be one of the versions of ${stateUrl} in ${region.region}; got "${versionId}". The versions are:\n` +
                    versions.map((v) => versionLine(v, ports.now())).join("\n"),
                2,
            );
        }
        const chosen = deploymentOf(
            await region.objects.getObject(locations.stateBucket, locations.key, versionId),
            options.stack,
            versionId,
        );

        let stack: StackPort;
        try {
            stack = await ports.workspace.selectStack(options.stack);
        } catch (error) {
            throw new Refusal(
                `stack ${options.stack} cannot be selected (${error instanceof Error ? error.message : String(error)}), so it cannot be imported into. ` +
                    `Check PULUMI_BACKEND_URL points at s3://${locations.stateBucket}. If its state object is unreadable, make version ${versionId} ` +
                    `current again instead (every other version is kept): aws s3api copy-object --region ${region.region} --bucket ${locations.stateBucket} ` +
                    `--key ${locations.key} --copy-source "${locations.stateBucket}/${locations.key}?versionId=${versionId}"`,
                1,
            );
        }

        if (backend === "state" && regionChoice === "dr") {
            out(
                `note: the import writes to the backend this workspace uses; with the home region lost that must be the replica: PULUMI_BACKEND_URL=s3://${locations.stateBucket}?region=${region.region}`,
            );
        }
        const plan: Plan = resumed ?? {
            versionId,
            backupKey: `${ARTIFACT_PREFIXES.stackExports}${options.stack}/before-restore-${stamp(ports.now())}.json`,
            detail: "",
        };
        const detail =
            resumed?.detail ??
            `stack ${options.stack}: version ${versionId} of ${stateUrl} (${chosenVersion.lastModified.toISOString()}, ` +
                `${resourceCount(chosen)} resources); backup to s3://${locations.artifactBucket}/${plan.backupKey}`;
        const bound: Plan = { ...plan, detail };

        if (options.dryRun) {
            let present: string;
            try {
                present = `${exportedCount(await stack.exportState())} resources`;
            } catch (error) {
                present = `not exportable (${error instanceof Error ? error.message : String(error)}); the current object would be saved instead`;
            }
            out(`DRY RUN: restore of the ${options.stack} stack's state; nothing will be changed.`);
            out(`  ${detail}`);
            out(`  the present state: ${present}`);
            restoreSteps(locations, bound, stack, chosen).forEach((step, index) => {
                const done = existing?.isDone(step.name) ? " (done in an earlier run: skipped)" : "";
                out(`  ${index + 1}. ${step.name}: ${step.describe}${done}`);
            });
            out(`  then: pulumi refresh -s ${options.stack}`);
            return 0;
        }

        if (existing?.isDone("verify")) {
            out(
                `journal ${journalFile} records this restore (version ${versionId} into ${options.stack}) as complete; nothing was changed. ` +
                    `Next, if not done yet: pulumi refresh -s ${options.stack}`,
            );
            return 0;
        }
        if (!options.yes && !existing?.isDone("import")) {
            if (!options.confirm) {
                out(
                    "error: this replaces a stack's state; pass --yes to run without a terminal to confirm on",
                );
                out("nothing was changed");
                return 2;
            }
            const question =
                `Replace the state of stack ${options.stack} with version ${versionId} of ${stateUrl} ` +
                `(${chosenVersion.lastModified.toISOString()}, ${resourceCount(chosen)} resources)? ` +
                `The present state is saved first to s3://${locations.artifactBucket}/${plan.backupKey}.`;
            if (!(await options.confirm(question))) {
                out("aborted: nothing was changed");
                return 1;
            }
        }

        if (archive) {
            fs.renameSync(journalFile, archive);
        }
        const journal = existing ?? Journal.open(journalFile, OPERATION, { now: ports.now, warn: out });
        out(`restore-state run ${journal.runId} (journal ${journalFile})`);
        try {
            await runSteps(restoreSteps(locations, bound, stack, chosen), journal, { progress: out });
        } catch (error) {
            out(`error: ${error instanceof Error ? error.message : String(error)}`);
            out(`no S3 version was changed or deleted. To resume: ${commandLine(options, versionId)}`);
            return 1;
        }
        out(
            `restored: stack ${options.stack} holds version ${versionId} of ${stateUrl}; the state it replaced is in ` +
                `s3://${locations.artifactBucket}/${plan.backupKey}.`,
        );
        out(
            `Next: pulumi refresh -s ${options.stack} (brings the restored state up to date with what exists in AWS), ` +
                `then pulumi preview -s ${options.stack} to see what the program would change.`,
        );
        return 0;
    } catch (error) {
        if (error instanceof Refusal) {
            return reportFailure(error, out);
        }
        throw error;
    }
}
