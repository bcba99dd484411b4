import { backupVaultName, bucketName } from "../../../lib/naming";
import { JournalDocument } from "../../run/journal";
import { ChangingCommand } from "../../run/runner";
import { runInContext } from "../run-in-context";
import { artifactReportStore } from "../../run/stores";
import { ChangeRequest } from "../change-options";
import { CommandContext } from "../definition";
import { backupSteps } from "./steps";

/** What the operator asked a backup for. */
export interface BackupCommandRequest {
    /** `--label`: why, e.g. `before-release-42`. @default none */
    readonly label?: string;
    /** How the run runs. */
    readonly change: ChangeRequest;
}

/** The artifacts a finished backup made, one line each, from its journal. */
export function artifactLines(journal: JournalDocument): string[] {
    return journal.steps.flatMap((entry) =>
        entry.detail.split("; ").map((artifact) => `  ${entry.step}: ${artifact}`),
    );
}

/** The on-demand backup as a changing command for the runner. */
export function backupCommand(request: BackupCommandRequest, context: CommandContext): ChangingCommand {
    const { config, ports } = context;
    const vault = backupVaultName(config.prefix);
    return {
        operation: "backup",
        title: `on-demand backup of ${config.prefix} (${config.homeRegion}, copies to ${config.drRegion})${request.label ? `, label ${request.label}` : ""}`,
        request: request.label ? { "--label": request.label } : {},
        resumeArgs: ["backup", ...(request.label ? ["--label", request.label] : [])],
        reportStore: artifactReportStore(config, ports, "backup"),
        plan: async (run) => {
            const account = await ports.identity.accountId();
            const resources = await ports.home.backup.protectedResources(vault);
            return {
                summary:
                    "RDS snapshot and its DR copy, AWS Backup jobs and their DR copies, stack exports, the mirror and an Argo CD export, each verified",
                findings: [
                    `account ${account}; ${resources.length} protected resource(s) in ${vault} (${config.homeRegion}): ${resources.join(", ") || "none"}`,
                    `artifact bucket: ${bucketName(config.prefix, "artifacts", account, config.homeRegion)}`,
                    "kubectl runs against the current context, which must be the primary cluster's",
                ],
                question: `Back up ${config.prefix} now (a snapshot, ${resources.length} backup jobs, stack exports, the mirror and an Argo CD export, copied to ${config.drRegion})? Nothing existing is changed.`,
                steps: backupSteps(
                    config,
                    {
                        runId: run.runId,
                        now: run.startedAt,
                        label: request.label,
                        backupJobFailures: run.failures["backup-jobs"] ?? 0,
                    },
                    ports,
                ),
                next: (journal) => ["every artifact was made and verified:", ...artifactLines(journal)],
            };
        },
    };
}

/** Runs a backup request through the runner. */
export function runBackup(request: BackupCommandRequest, context: CommandContext): Promise<number> {
    return runInContext(backupCommand(request, context), request.change, context);
}
