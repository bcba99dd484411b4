import yargs from "yargs";
import { runAsMain } from "../../lib/run-as-main";
import { backupCommand } from "../commands/backup";
import { projectRto } from "../bench/failover-bench";
import { changeOptions, journalOf, reportDirOf, wire } from "./wiring";
import { restoreCommands } from "./restore";
import { drillCommand } from "../commands/drill";
import { failoverCommand, terminalConfirm } from "../commands/failover/command";
import { scenario } from "../runbook/scenarios";
import { STATUS_FORMATS, statusCommand } from "../commands/status";

/**
 * `npm run dr -- <command>`. Commands are thin: they parse options and call a module whose
 * Pulumi and AWS access goes through ports. Every command takes `--simulate` to run against
 * the in-memory account instead (rehearsal, demos, and this repository's tests).
 */
export async function main(
    argv: readonly string[],
    output: (line: string) => void = (line) => {
        process.stdout.write(`${line}\n`);
    },
    /** The simulated account's clock (tests pin it). Default: now. */
    simulatedNow: Date = new Date(),
): Promise<number> {
    let exitCode = 0;
    await yargs([...argv])
        .scriptName("npm run dr --")
        .strict()
        .demandCommand(1, "name a command")
        .option("simulate", {
            type: "boolean",
            default: false,
            global: true,
            describe: "run against a simulated AWS account instead of the real one",
        })
        .command(
            "status",
            "how old the newest copy of each asset in the DR region is, against its RPO (read-only; exit 1 when any is stale)",
            (y) =>
                y.option("format", {
                    choices: STATUS_FORMATS,
                    default: "text" as const,
                    describe: "text or json",
                }),
            async (args) => {
                const { config, ports } = wire(args.simulate, output, simulatedNow);
                exitCode = await statusCommand({ format: args.format }, ports, config);
            },
        )
        .command(
            "backup",
            "back up everything now (e.g. before a risky change): RDS snapshot copied to the DR region, AWS Backup jobs, stack exports, mirror and Argo CD export; waits and verifies each",
            (y) =>
                y
                    .option("label", {
                        type: "string",
                        describe: "why, e.g. before-release-42 (kept in the journal)",
                    })
                    .option("dry-run", {
                        type: "boolean",
                        default: false,
                        describe: "print the steps and the protected resources; change nothing",
                    })
                    .option("journal", {
                        type: "string",
                        describe: "journal file (default .journal/backup.json)",
                    }),
            async (args) => {
                const { config, ports } = wire(args.simulate, output, simulatedNow);
                exitCode = await backupCommand(
                    { label: args.label, dryRun: args["dry-run"], journalFile: journalOf(args, "backup") },
                    ports,
                    config,
                );
            },
        )
        .command(
            "failover",
            scenario("region-outage").summary,
            (y) =>
                changeOptions(y)
                    .option("restore-time", {
                        type: "string",
                        default: "latest",
                        describe: '"latest" or an ISO-8601 instant with a zone',
                    })
                    .option("failure-time", {
                        type: "string",
                        describe:
                            "when the primary failed (ISO-8601), for the achieved RPO; default the run's start",
                    })
                    .option("report-dir", {
                        type: "string",
                        describe: "directory of the report (default reports/)",
                    }),
            async (args) => {
                const { config, ports } = wire(args.simulate, output, simulatedNow);
                exitCode = await failoverCommand(
                    {
                        restoreTime: args["restore-time"],
                        failureTime: args["failure-time"],
                        dryRun: args["dry-run"],
                        yes: args.yes,
                        journalFile: journalOf(args, "failover"),
                        reportDir: reportDirOf(args),
                    },
                    { config, ports, confirm: terminalConfirm(), projectRto },
                );
            },
        )
        .command(
            "restore",
            "recover from one disaster in place: db, state, argocd, git or helm (npm run dr -- restore <kind> --help)",
            (y) =>
                restoreCommands(
                    y,
                    (simulate) => wire(simulate, output, simulatedNow),
                    (code) => {
                        exitCode = code;
                    },
                ),
        )
        .command(
            "drill",
            "restore into a new, uniquely named stack, verify, destroy it, and report RTO and RPO (never touches dr or traffic)",
            (y) =>
                changeOptions(y)
                    .option("restore-time", {
                        type: "string",
                        default: "latest",
                        describe: '"latest" or an ISO-8601 instant',
                    })
                    .option("scope", {
                        choices: ["database", "full"] as const,
                        default: "database" as const,
                        describe: "database: the restore only; full: the cluster and Argo CD too",
                    })
                    .option("keep", {
                        type: "boolean",
                        default: false,
                        describe: "keep the drill stack to inspect it",
                    })
                    .option("report-dir", {
                        type: "string",
                        describe: "directory of the report (default reports/)",
                    }),
            async (args) => {
                const { config, ports } = wire(args.simulate, output, simulatedNow);
                exitCode = await drillCommand(
                    {
                        restoreTime: args["restore-time"],
                        scope: args.scope,
                        keep: args.keep,
                        dryRun: args["dry-run"],
                        journalFile: journalOf(args, "drill"),
                        reportDir: reportDirOf(args),
                    },
                    ports,
                    config,
                );
            },
        )
        .help()
        .exitProcess(false)
        .fail((message, error) => {
            if (error) {
                throw error;
            }
            // Usage errors exit 2, apart from a command that ran and failed (1).
            process.stderr.write(`error: ${message}\nsee: npm run dr -- --help\n`);
            exitCode = 2;
        })
        .parseAsync();
    return exitCode;
}

if (require.main === module) {
    runAsMain((argv) => main(argv));
}
