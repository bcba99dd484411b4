import { ARTIFACT_PREFIXES } from "../../../../lib/artifacts";
import { bootstrapBucketName, bucketName, pulumiStateKey } from "../../../../lib/naming";
import type { RegionPorts, StackPort, StoredObject } from "../../../ports";
import { readJournal } from "../../../run/journal";
import { runLocations } from "../../../run/locations";
import { problem, Refusal, reportFailure, UsageError } from "../../../run/refusal";
import type { ChangingCommand, PlanContext, RunPlan } from "../../../run/runner";
import type { Step } from "../../../run/steps";
import { artifactReportStore } from "../../../run/stores";
import type { CommandContext } from "../../definition";
import { copyAgeRpo, rtoToStep } from "../runs";
import { runInContext } from "../../run-in-context";
import type { RestoreStateRequest } from "./request";
import { deploymentOf, exportedCount, resourceCount, UntypedDeployment } from "./deployment";

/** The journal's and the report's operation. */
export const RESTORE_STATE_OPERATION = "restore-state";

/** Where everything of one state restore lives. */
interface StateLocation {
    /** S3 in the region read (and where the before-restore export goes). */
    readonly region: RegionPorts;
    readonly stateBucket: string;
    readonly key: string;
    readonly artifactBucket: string;
    /** `s3://bucket/key`. */
    readonly url: string;
}

/** A UTC stamp for file names, as the Argo CD exports use: `20261125T024900Z`. */
function stamp(at: Date): string {
    return `${at.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/** The bucket and key of the request's stack state. The bootstrap bucket is in the DR region, so it is there when the home region is not. */
async function stateLocation(request: RestoreStateRequest, context: CommandContext): Promise<StateLocation> {
    const { ports, config } = context;
    const region = request.backend === "bootstrap" || request.region === "dr" ? ports.dr : ports.home;
    const account = await ports.identity.accountId();
    const stateBucket =
        request.backend === "bootstrap"
            ? bootstrapBucketName(config.prefix, account)
            : bucketName(config.prefix, "state", account, region.region);
    const key = pulumiStateKey(config.project, request.stack);
    return {
        region,
        stateBucket,
        key,
        artifactBucket: bucketName(config.prefix, "artifacts", account, region.region),
        url: `s3://${stateBucket}/${key}`,
    };
}

/** The versions of the state object, newest first; a failure or none at all is a state of the world (exit 1). */
async function versionsOf(location: StateLocation, request: RestoreStateRequest): Promise<StoredObject[]> {
    let versions: StoredObject[];
    try {
        versions = await location.region.objects.listVersions(location.stateBucket, location.key);
    } catch (error) {
        const hint =
            request.backend === "state" && request.region === "home"
                ? "; if the home region is down, read the replica: --region dr"
                : "";
        throw new Refusal(
            `the versions of ${location.url} cannot be listed (${error instanceof Error ? error.message : String(error)})${hint}`,
            1,
        );
    }
    if (versions.length === 0) {
        throw new Refusal(
            `${location.url} has no versions in ${location.region.region}: there is no state to restore`,
            1,
        );
    }
    return versions;
}

/** One version as a listing line. */
function versionLine(version: StoredObject, now: Date): string {
    const minutes = Math.round((now.getTime() - version.lastModified.getTime()) / 60_000);
    return `  ${version.versionId ?? "(unversioned)"}  ${version.lastModified.toISOString()} (${minutes} min ago)  ${version.size} bytes${version.isLatest ? "  (current)" : ""}`;
}

/** The flags that pick the bucket, as a command line repeats them. */
function whereArgs(request: RestoreStateRequest): string[] {
    return [
        "--stack",
        request.stack,
        "--backend",
        request.backend,
        ...(request.region ? ["--region", request.region] : []),
    ];
}

/**
 * Without `--version-id`: lists the versions, newest first, says how to choose, and names an
 * unfinished restore in the journal (its version is the one to resume with). Reads only, so
 * it runs outside the runner: no journal, no report.
 */
async function listStateVersions(request: RestoreStateRequest, context: CommandContext): Promise<number> {
    const out = context.ports.output;
    try {
        const location = await stateLocation(request, context);
        const versions = await versionsOf(location, request);
        out(`Versions of ${location.url} (${location.region.region}), newest first:`);
        versions.forEach((version) => out(versionLine(version, context.ports.now())));
        out(
            "Pick the newest version from before the loss or corruption, check it with --dry-run, then restore it:",
        );
        out(
            `  npm run dr -- restore state ${whereArgs(request).join(" ")} --version-id <version id> --dry-run`,
        );
        const { journalFile } = runLocations(
            context.workDir,
            RESTORE_STATE_OPERATION,
            context.simulated,
            request.change,
        );
        const prior = readJournal(journalFile, RESTORE_STATE_OPERATION, context.simulated);
        if (prior && prior.status !== "finished") {
            out(
                `An unfinished restore (run ${prior.runId}) is in ${journalFile}; resume it with: ${prior.command}`,
            );
        }
        out("Nothing was changed.");
        return 0;
    } catch (error) {
        return reportFailure(error, out);
    }
}

/** The steps: the record of what was checked, the backup of the present state, the import, its check. */
function stateSteps(
    request: RestoreStateRequest & { versionId: string },
    location: StateLocation,
    stack: StackPort,
    chosen: UntypedDeployment,
    backupKey: string,
    detail: string,
): Step[] {
    const { stateBucket, key, artifactBucket, region } = location;
    const backupUrl = `s3://${artifactBucket}/${backupKey}`;
    const versionId = request.versionId;
    return [
        {
            name: "preflight",
            after: [],
            readOnly: true,
            describe: `record version ${versionId} of ${location.url} and where the present state is saved`,
            run: () => Promise.resolve({ detail, data: { versionId, backupKey } }),
        },
        {
            name: "backup",
            after: ["preflight"],
            describe: `save the present state of ${request.stack} to ${backupUrl}`,
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
                        what = `the current object of ${location.url} (pulumi stack export failed: ${String(exportError)})`;
                    } catch (readError) {
                        throw new Error(
                            `the present state could not be saved (export: ${String(exportError)}; reading ${location.url}: ${String(readError)}); ` +
                                "nothing was imported. Fix access and run again",
                        );
                    }
                }
                await region.objects.putObject(artifactBucket, backupKey, text, "application/json");
                return `saved ${what} to ${backupUrl}`;
            },
        },
        {
            name: "import",
            after: ["backup"],
            describe: `pulumi stack import of version ${versionId} into ${request.stack}`,
            run: async () => {
                await stack.importState(JSON.stringify(chosen));
                return `imported version ${versionId} (${resourceCount(chosen)} resources)`;
            },
        },
        {
            name: "verify",
            after: ["import"],
            describe: `export ${request.stack} again and compare resource counts`,
            run: async () => {
                const count = exportedCount(await stack.exportState());
                const expected = resourceCount(chosen);
                if (count !== expected) {
                    throw new Error(
                        `after the import ${request.stack} exports ${count} resources, version ${versionId} has ${expected}; ` +
                            `inspect it with pulumi stack export -s ${request.stack}; the state before the restore is in ${backupUrl}`,
                    );
                }
                return `${request.stack} exports ${count} resources, as version ${versionId}`;
            },
        },
    ];
}

/** The plan: the version exists and is a state of the stack, the stack answers; the backup key is pinned. */
async function planStateRestore(
    request: RestoreStateRequest & { versionId: string },
    context: CommandContext,
    run: PlanContext,
): Promise<RunPlan> {
    const { ports, config } = context;
    const { versionId } = request;
    const location = await stateLocation(request, context);
    const versions = await versionsOf(location, request);
    const version = versions.find((v) => v.versionId === versionId);
    if (!version) {
        throw new UsageError(
            problem(
                "--version-id",
                `be one of the versions of ${location.url} in ${location.region.region}`,
                versionId,
            ) + `. The versions are:\n${versions.map((v) => versionLine(v, ports.now())).join("\n")}`,
        );
    }
    const chosen = deploymentOf(
        await location.region.objects.getObject(location.stateBucket, location.key, versionId),
        request.stack,
        versionId,
    );
    let stack: StackPort;
    try {
        stack = await ports.workspace.selectStack(request.stack);
    } catch (error) {
        throw new Refusal(
            `stack ${request.stack} cannot be selected (${error instanceof Error ? error.message : String(error)}), so it cannot be imported into. ` +
                `Check PULUMI_BACKEND_URL points at s3://${location.stateBucket}. If its state object is unreadable, make version ${versionId} ` +
                `current again instead (every other version is kept): aws s3api copy-object --region ${location.region.region} --bucket ${location.stateBucket} ` +
                `--key ${location.key} --copy-source "${location.stateBucket}/${location.key}?versionId=${versionId}"`,
            1,
        );
    }
    let present: string;
    try {
        present = `${exportedCount(await stack.exportState())} resources`;
    } catch (error) {
        present = `not exportable (${error instanceof Error ? error.message : String(error)}); the current object is saved instead`;
    }
    // A resumed run saves to the key its first attempt chose, so a resume never makes a second backup.
    const backupKey =
        run.pins.backupKey ??
        `${ARTIFACT_PREFIXES.stackExports}${request.stack}/before-restore-${stamp(run.startedAt)}.json`;
    const backupUrl = `s3://${location.artifactBucket}/${backupKey}`;
    const detail =
        `stack ${request.stack}: version ${versionId} of ${location.url} (${version.lastModified.toISOString()}, ` +
        `${resourceCount(chosen)} resources); backup to ${backupUrl}`;
    const objectives = config.objectives.state;
    return {
        summary: `stack ${request.stack} holds version ${versionId} of ${location.url}; the state it replaced is in ${backupUrl}`,
        findings: [
            detail,
            `the present state: ${present}`,
            ...(request.region === "dr"
                ? [
                      `note: the import writes to the backend this workspace uses; with the home region lost that must be the replica: PULUMI_BACKEND_URL=s3://${location.stateBucket}?region=${location.region.region}`,
                  ]
                : []),
        ],
        question:
            `Replace the state of stack ${request.stack} with version ${versionId} of ${location.url} ` +
            `(${version.lastModified.toISOString()}, ${resourceCount(chosen)} resources)? The present state is saved first to ${backupUrl}.`,
        steps: stateSteps(request, location, stack, chosen, backupKey, detail),
        pins: { backupKey },
        // The stack cannot be changed until its state is back (RTO); changes recorded after
        // the restored version was written are lost from the state (RPO), which refresh
        // re-reads from AWS only for resources the version knows.
        measure: (journal) => {
            const rto = rtoToStep(journal, "verify", "the restored state verified", objectives.rtoMinutes);
            return {
                ...(rto ? { rto } : {}),
                rpo: copyAgeRpo(
                    journal,
                    `state version ${versionId}`,
                    version.lastModified,
                    objectives.rpoMinutes,
                ),
                notes: rto ? [] : ["no RTO: the restored state was not verified"],
            };
        },
        next: () => [
            `Next: pulumi refresh -s ${request.stack} (brings the restored state up to date with what exists in AWS), ` +
                `then pulumi preview -s ${request.stack} to see what the program would change.`,
        ],
    };
}

/** `restore state --version-id` as a changing command for the runner. */
export function restoreStateCommand(
    request: RestoreStateRequest & { versionId: string },
    context: CommandContext,
): ChangingCommand {
    return {
        operation: RESTORE_STATE_OPERATION,
        title: `restore of the ${request.stack} stack's state to version ${request.versionId}`,
        request: {
            "--stack": request.stack,
            "--backend": request.backend,
            ...(request.region ? { "--region": request.region } : {}),
            "--version-id": request.versionId,
        },
        resumeArgs: ["restore", "state", ...whereArgs(request), "--version-id", request.versionId],
        reportStore: artifactReportStore(context.config, context.ports, RESTORE_STATE_OPERATION),
        plan: (run) => planStateRestore(request, context, run),
    };
}

/**
 * `npm run dr -- restore state`: lists the versions of a stack's state object, or restores one
 * with `pulumi stack import` after saving the present state to the artifact bucket. For state
 * loss or corruption; the S3 versions themselves are never changed or deleted. Returns the
 * exit code: 0 done (or listed), 1 failed (resumable), 2 refused.
 */
export function runRestoreState(request: RestoreStateRequest, context: CommandContext): Promise<number> {
    const versionId = request.versionId;
    return versionId === undefined
        ? listStateVersions(request, context)
        : runInContext(restoreStateCommand({ ...request, versionId }, context), request.change, context);
}
