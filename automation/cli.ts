import yargs from "yargs";
import { runAsMain } from "../offline/cli";
import { PROJECT_ROOT } from "../offline/project-files";
import { databasePort, drStackPort, lockPort } from "./adapters";
import { adapterNames, drStackConfig, failoverCommand, terminalConfirm } from "./failover-command";

/**
 * `npm run dr -- <command>`. Commands are thin: they parse options and call a module whose
 * Pulumi and AWS access goes through ports. Implemented so far: failover.
 */
export async function main(argv: readonly string[]): Promise<number> {
    let exitCode = 0;
    await yargs([...argv])
        .scriptName("npm run dr --")
        .strict()
        .demandCommand(1, "name a command")
        .command(
            "failover",
            "activate the DR stack: restore the database into the DR region and bring the platform up",
            (y) =>
                y
                    .option("restore-time", {
                        type: "string",
                        default: "latest",
                        describe: '"latest" or an ISO-8601 instant with a zone',
                    })
                    .option("dry-run", {
                        type: "boolean",
                        default: false,
                        describe: "print the plan and the projected RPO; change nothing",
                    })
                    .option("yes", {
                        type: "boolean",
                        default: false,
                        describe: "do not ask before the first change",
                    })
                    .option("journal", {
                        type: "string",
                        describe: "journal file (default .journal/failover.json)",
                    }),
            async (args) => {
                const config = drStackConfig();
                const names = adapterNames(config);
                const output = (line: string) => process.stdout.write(`${line}\n`);
                exitCode = await failoverCommand(
                    {
                        restoreTime: args["restore-time"],
                        dryRun: args["dry-run"],
                        yes: args.yes,
                        journalFile: args.journal,
                    },
                    {
                        config,
                        confirm: terminalConfirm(),
                        ports: {
                            stack: await drStackPort(PROJECT_ROOT, "dr"),
                            database: databasePort(config.drRegion, names.sourceDatabase),
                            lock: lockPort(config.drRegion, names.lockTable),
                            output,
                        },
                    },
                );
            },
        )
        .help()
        .parseAsync();
    return exitCode;
}

if (require.main === module) {
    runAsMain(main);
}
