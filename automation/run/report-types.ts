import type { JournalDocument } from "./journal";

/*
 * The report's data types, apart from the code that builds and saves a report (./report.ts):
 * the Markdown renderer, provenance and the run plan need the shapes without the writer, and
 * the writer needs the renderer.
 */

/** The report format; bumped on any incompatible change. */
export const REPORT_SCHEMA = "webank-dr/report/v2";

/** One step in a report's timeline. */
export interface ReportStep {
    /** Step name. */
    readonly step: string;
    /** Start (ISO-8601). */
    readonly startedAt?: string;
    /** End (ISO-8601). */
    readonly endedAt: string;
    /** `done`, `failed`, or `interrupted` (running when the run was stopped). */
    readonly outcome: "done" | "failed" | "interrupted";
    /** What it did, or why it did not. */
    readonly detail: string;
}

/** One measured span against its objective. */
export interface Measurement {
    /** Minutes, to a tenth. */
    readonly minutes: number;
    /** The objective it is judged against, in minutes. */
    readonly objectiveMinutes: number;
    /** True when {@link Measurement.minutes} is at most the objective. */
    readonly met: boolean;
    /** What was measured, from what to what, e.g. "run start to traffic switched (service restored)". */
    readonly span: string;
}

/** What a run measured: RTO and RPO where they apply, and why one that does not apply is absent. */
export interface Measurements {
    /** Recovery time. */
    readonly rto?: Measurement;
    /** Data loss. */
    readonly rpo?: Measurement;
    /** Why a measure is absent or what it means, one line each. */
    readonly notes: readonly string[];
}

/** Who ran what, where, with which tool: the provenance a regulator asks for first. */
export interface Provenance {
    /** The operator: OS user and host, and the AWS identity the run used. */
    readonly operator: {
        readonly osUser: string;
        readonly host: string;
        /** STS caller ARN, or null when it could not be read (said in {@link Provenance.identityNote}). */
        readonly awsArn: string | null;
    };
    /** The AWS account, or null when it could not be read. */
    readonly account: string | null;
    /** Why the AWS identity is unknown, when it is. */
    readonly identityNote?: string;
    /** The home and DR regions. */
    readonly regions: { readonly home: string; readonly dr: string };
    /** This tool: package version and the Git commit it ran from. */
    readonly tool: {
        readonly name: string;
        readonly version: string;
        /** The commit, or `unknown` outside a Git checkout. */
        readonly commit: string;
        /** True when the checkout had uncommitted changes; null when unknown. */
        readonly modified: boolean | null;
    };
}

/** The record of a changing command's run, for the operator, the incident review and the regulator. */
export interface RecoveryReport extends Provenance {
    /** {@link REPORT_SCHEMA}. */
    readonly schema: typeof REPORT_SCHEMA;
    /** `failover`, `restore-db`, ... */
    readonly operation: string;
    /** One line: what the run is, e.g. "failover of webank to us-west-2". */
    readonly title: string;
    /** The run id (the journal's). */
    readonly runId: string;
    /** True for a rehearsal against the simulated account: nothing real was touched. */
    readonly simulated: boolean;
    /** How the run ended. */
    readonly outcome: "completed" | "failed" | "interrupted";
    /** The step that failed, when one did. */
    readonly failedStep?: string;
    /** Steps running when the run was interrupted. */
    readonly interruptedSteps?: readonly string[];
    /** The exact command line (the one that resumes it). */
    readonly command: string;
    /** The arguments that define the run. */
    readonly request: Readonly<Record<string, string>>;
    /** Start of the run (the first attempt). */
    readonly startedAt: string;
    /** End of this report's attempt. */
    readonly endedAt: string;
    /** RTO and RPO where they apply. */
    readonly measurements: Measurements;
    /** Every step, done, failed or interrupted, in start order. */
    readonly steps: readonly ReportStep[];
    /** Every attempt (process) of the run. */
    readonly attempts: JournalDocument["attempts"];
}
