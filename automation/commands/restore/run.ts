import * as fs from "fs";
import * as path from "path";
import { StackConfig } from "../../../config";
import { bucketName } from "../../../lib/naming";
import { PROJECT_ROOT } from "../../../config/stack-files";
import { Journal, JournalDocument } from "../../run/journal";
import { ObjectStorePort, RecoveryPorts, StoredObject } from "../../ports";
import { runSteps, Step } from "../../run/steps";
import { problem, Refusal, reportFailure, UsageError } from "../../run/refusal";

export { problem, problemOf, Refusal, reportFailure, UsageError } from "../../run/refusal";

/*
 * What the artifact restores (argocd, git, helm) share: input checks, choosing and pinning an
 * artifact, the journaled run with confirmation and dry run, and failure reporting.
 */
/** Which copy of the artifact bucket a restore reads: the home region's, or its replica in the DR region. */
export type ArtifactRegion = "home" | "dr";

/** The accepted values of `--region`. */
export const ARTIFACT_REGIONS: readonly ArtifactRegion[] = ["home", "dr"];

/** Options every restore command shares. */
export interface RestoreCommandOptions {
    /** Do not ask before the first change. */
    readonly yes: boolean;
    /** Print what the preflight found and the steps; change nothing. */
    readonly dryRun: boolean;
    /** Journal file. Default `.journal/restore-<kind>.json` in the project. */
    readonly journalFile?: string;
    /** Asks the operator a yes/no question; undefined when there is no terminal (then `--yes` is needed). */
    readonly confirm?: (question: string) => Promise<boolean>;
}

/** A problem with `--region`, or undefined when it is `home`, `dr` or not given. */
export function regionProblem(region: string | undefined): string | undefined {
    return region === undefined || (ARTIFACT_REGIONS as readonly string[]).includes(region)
        ? undefined
        : problem("--region", `be ${ARTIFACT_REGIONS.join(" or ")}`, region);
}

/**
 * A problem with `--context`, or undefined. A kube context is required when the run changes
 * a cluster (`requiredFor` says what changes): at 3 a.m. the current context of a terminal
 * is as likely to be the wrong cluster as the right one, and a restore into the wrong
 * cluster overwrites a healthy one. Read-only runs may omit it and say which they used.
 */
export function contextProblem(context: string | undefined, requiredFor?: string): string | undefined {
    if (context === undefined) {
        return requiredFor
            ? problem(
                  "--context",
                  `name the kube context of the cluster ${requiredFor} (the current context may be another cluster)`,
                  context,
              )
            : undefined;
    }
    return /^[^\s-]\S{0,252}$/.test(context)
        ? undefined
        : problem("--context", "be a kube context name (no spaces, not starting with -)", context);
}

/** How a command line names the cluster: `["--context", c]` (kubectl, argocd) or `["--kube-context", c]` (helm). */
export function contextArgs(flag: "--context" | "--kube-context", context: string | undefined): string[] {
    return context === undefined ? [] : [flag, context];
}

/** Where a command reads artifacts: one region's copy of the artifact bucket. */
export interface ArtifactStore {
    /** S3 in that region. */
    readonly objects: ObjectStorePort;
    /** The bucket name. */
    readonly bucket: string;
    /** The region name. */
    readonly region: string;
}

/** The artifact bucket of `side` (`home`, or its replica in `dr`). */
export async function artifactStore(
    ports: RecoveryPorts,
    config: StackConfig,
    side: ArtifactRegion,
): Promise<ArtifactStore> {
    const regionPorts = side === "dr" ? ports.dr : ports.home;
    const account = await ports.identity.accountId();
    return {
        objects: regionPorts.objects,
        bucket: bucketName(config.prefix, "artifacts", account, regionPorts.region),
        region: regionPorts.region,
    };
}

/**
 * The artifact to restore from: `key` (a version of it when `versionId` is given) when the
 * operator chose one, else the newest object under `prefix`. A chosen key that does not exist
 * is bad input ({@link UsageError}); an empty prefix is a runtime failure.
 */
export async function chooseArtifact(
    store: ArtifactStore,
    prefix: string,
    choice: { key?: string; versionId?: string; flag: string },
): Promise<StoredObject> {
    const where = `s3://${store.bucket}/${prefix} (${store.region})`;
    if (choice.key !== undefined) {
        const versions = await store.objects.listVersions(store.bucket, choice.key);
        const version = choice.versionId
            ? versions.find((v) => v.versionId === choice.versionId)
            : (versions.find((v) => v.isLatest) ?? versions[0]);
        if (!version) {
            throw new UsageError(
                problem(
                    choice.flag,
                    `name an object under ${where}${choice.versionId ? ` with version ${choice.versionId}` : ""}`,
                    choice.key,
                ),
            );
        }
        return version;
    }
    const newest = await store.objects.newestObject(store.bucket, prefix);
    if (!newest) {
        throw new Error(
            `there is no object under ${where}; if the home region is lost read the replica with --region dr, ` +
                `and list what exists with: aws s3 ls s3://${store.bucket}/${prefix} --region ${store.region}`,
        );
    }
    return newest;
}

/** What an operator needs to know of an artifact: where, when, and whether it is older than its RPO. */
export function describeArtifact(
    what: string,
    store: ArtifactStore,
    object: StoredObject,
    now: Date,
    rpoMinutes: number,
): string[] {
    const ageMinutes = Math.max(0, Math.round((now.getTime() - object.lastModified.getTime()) / 60_000));
    const lines = [
        `${what}: s3://${store.bucket}/${object.key}${object.versionId ? ` version ${object.versionId}` : ""} ` +
            `(${store.region}), written ${object.lastModified.toISOString()}, ${ageMinutes} min old (RPO ${rpoMinutes} min)`,
    ];
    if (ageMinutes > rpoMinutes) {
        lines.push(
            `WARNING: the ${what} is older than its RPO of ${rpoMinutes} min: changes made after ` +
                `${object.lastModified.toISOString()} are not in it and must be re-applied (from Git)`,
        );
    }
    return lines;
}

/** What a restore command will do, built by its preflight (reads only). */
export interface RestorePlan {
    /** One line: what is restored, from what, into what. */
    readonly summary: string;
    /** Choices the first run made that a resumed run keeps (which object "newest" meant). */
    readonly pins: Readonly<Record<string, string>>;
    /** What the preflight found, printed before the steps and before the confirmation. */
    readonly findings: readonly string[];
    /** The question asked before the first change. */
    readonly question: string;
    /** The journaled steps. */
    readonly steps: readonly Step[];
}

/** What an earlier run of the same journal file left. */
export interface PriorRun {
    /** Its run id. */
    readonly runId: string;
    /** The request it ran (the operator's choices), once it passed the confirmation. */
    readonly request?: Readonly<Record<string, string>>;
    /** Its pins (see {@link RestorePlan.pins}). */
    readonly pins: Readonly<Record<string, string>>;
    /** Names of its completed steps. */
    readonly done: readonly string[];
    /** True when it completed. */
    readonly finished: boolean;
}

/** The journal entry holding the request and pins; written once the operator confirmed. */
const REQUEST_STEP = "request";
/** Prefixes of the request entry's data keys: the request's, and the pins'. */
const REQUEST_DATA = "request.";
const PIN_DATA = "pin.";
/** The journal entry written when every step completed. */
const FINISHED_STEP = "finished";

/** The default journal file of `restore <kind>`. */
export function defaultJournalFile(kind: string): string {
    return path.join(PROJECT_ROOT, ".journal", `restore-${kind}.json`);
}

/** Reads the run an existing journal file holds, without changing it; undefined when there is none. */
export function readPriorRun(file: string, operation: string): PriorRun | undefined {
    if (!fs.existsSync(file)) {
        return undefined;
    }
    let document: JournalDocument;
    try {
        document = JSON.parse(fs.readFileSync(file, "utf8")) as JournalDocument;
    } catch (error) {
        throw new Error(
            `journal ${file} cannot be read (${error instanceof Error ? error.message : String(error)}); ` +
                "move it away to start a new run, or pass --journal <another file>",
        );
    }
    if (document.operation !== operation) {
        throw new UsageError(
            problem("--journal", `name a journal of ${operation}`, `${file} (a ${document.operation} run)`),
        );
    }
    const data = document.steps.find((s) => s.step === REQUEST_STEP)?.data;
    return {
        runId: document.runId,
        request: data ? unprefixed(data, REQUEST_DATA) : undefined,
        pins: data ? unprefixed(data, PIN_DATA) : {},
        done: document.steps.map((s) => s.step).filter((s) => s !== REQUEST_STEP && s !== FINISHED_STEP),
        finished: document.steps.some((s) => s.step === FINISHED_STEP),
    };
}

function prefixed(values: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));
}

function unprefixed(data: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
    return Object.fromEntries(
        Object.entries(data)
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), v]),
    );
}

function sameRequest(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
    const canonical = (r: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(r).sort());
    return canonical(a) === canonical(b);
}

function describeRequest(request: Readonly<Record<string, string>>): string {
    return Object.entries(request)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
}

/**
 * Runs a restore command: reads the journal, preflight (`plan`, reads only), then either the
 * dry run (prints and changes nothing) or the confirmation and the journaled steps.
 *
 * The journal decides what a run is: an unfinished run of the same `request` is resumed
 * (with the same pins, so "newest" keeps meaning the object the first run chose, even when a
 * newer one appeared since); an unfinished run of another request is refused (exit 2), never
 * silently abandoned; a finished run's journal is kept under its run id and a new run starts.
 * Returns the exit code: 0 done, 1 failed (resumable), 2 bad input (nothing changed).
 */
export async function runRestoreCommand(
    kind: string,
    options: RestoreCommandOptions,
    ports: RecoveryPorts,
    request: Readonly<Record<string, string>>,
    plan: (pins: Readonly<Record<string, string>>) => Promise<RestorePlan>,
): Promise<number> {
    const out = ports.output;
    const operation = `restore-${kind}`;
    const journalFile = options.journalFile ?? defaultJournalFile(kind);
    let prior: PriorRun | undefined;
    let restore: RestorePlan;
    try {
        prior = readPriorRun(journalFile, operation);
        const unfinished = prior && !prior.finished ? prior : undefined;
        if (
            unfinished &&
            (unfinished.request ? !sameRequest(unfinished.request, request) : unfinished.done.length > 0)
        ) {
            throw new UsageError(
                `journal ${journalFile} holds an unfinished ${operation} run ${unfinished.runId} ` +
                    `(${unfinished.request ? describeRequest(unfinished.request) : "request unknown"}; ` +
                    `done: ${unfinished.done.join(", ") || "nothing"}). Finish it by running that command again, ` +
                    "or pass --journal <another file> to start a separate run",
            );
        }
        restore = await plan(unfinished?.request ? unfinished.pins : {});
    } catch (error) {
        return reportFailure(error, out);
    }
    const resumable = prior && !prior.finished && prior.request ? prior : undefined;

    if (options.dryRun) {
        out(`DRY RUN: ${restore.summary}; nothing will be changed.`);
        restore.findings.forEach((line) => out(`  ${line}`));
        restore.steps.forEach((step, index) => out(`  ${index + 1}. ${step.name}: ${step.describe}`));
        out(
            resumable
                ? `  a real run resumes run ${resumable.runId} (done: ${resumable.done.join(", ") || "nothing"})`
                : `  a real run starts a new run (journal ${journalFile})`,
        );
        return 0;
    }

    restore.findings.forEach((line) => out(line));
    if (prior?.finished) {
        const kept = `${journalFile.replace(/\.json$/, "")}.${prior.runId}.json`;
        fs.renameSync(journalFile, kept);
        out(`the previous ${operation} run ${prior.runId} finished; its journal is kept as ${kept}`);
    }
    if (!resumable && !options.yes) {
        if (!options.confirm) {
            out(`error: ${operation} changes things; pass --yes to run without a terminal to confirm on`);
            return 2;
        }
        if (!(await options.confirm(restore.question))) {
            out("aborted: nothing was changed");
            return 1;
        }
    }
    const journal = Journal.open(journalFile, operation, { now: ports.now, warn: out });
    if (!journal.isDone(REQUEST_STEP)) {
        await journal.complete(
            REQUEST_STEP,
            `${describeRequest(request)}; chosen: ${describeRequest(restore.pins) || "nothing"}`,
            ports.now(),
            { data: { ...prefixed(request, REQUEST_DATA), ...prefixed(restore.pins, PIN_DATA) } },
        );
    }
    out(`${operation} run ${journal.runId}${resumable ? " (resumed)" : ""}; journal ${journalFile}`);
    try {
        await runSteps(restore.steps, journal, { progress: out, clock: () => ports.now().getTime() });
    } catch (error) {
        out(`error: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
    }
    await journal.complete(FINISHED_STEP, restore.summary, ports.now());
    out(`${operation} complete: ${restore.summary}`);
    return 0;
}

/** Opens the journal when the file exists (without writing to it); a journal of another operation is bad usage. */
export function openExistingJournal(
    file: string,
    operation: string,
    ports: RecoveryPorts,
    out: (line: string) => void,
): Journal | undefined {
    if (!fs.existsSync(file)) {
        return undefined;
    }
    try {
        return Journal.open(file, operation, { now: ports.now, warn: out });
    } catch (error) {
        throw new Refusal(
            `--journal must name a journal of ${operation}: ${error instanceof Error ? error.message : String(error)}`,
            2,
        );
    }
}
