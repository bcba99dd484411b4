import { Argv } from "yargs";
import { changeArgs, changeOptions, Wiring } from "./wiring";
import { restoreArgocdCommand } from "../commands/restore/argocd";
import { restoreDatabaseCommand } from "../commands/restore/database";
import { restoreGitCommand } from "../commands/restore/git";
import { restoreHelmCommand } from "../commands/restore/helm";
import { restoreStateCommand } from "../commands/restore/state";
import { scenario } from "../runbook/scenarios";

/* The `restore <kind>` subcommands of npm run dr: one per disaster of the runbook. */

/** Which copy of an artifact to read, for the artifact restores. */
const REGION_OPTION = {
    choices: ["home", "dr"] as const,
    default: "home" as const,
    describe:
        "read the artifact bucket of the home region, or its replica in the DR region (after a region loss)",
};

/** `restore <kind>`: one subcommand per disaster of the runbook. */
export function restoreCommands<T>(
    y: Argv<T>,
    wireFor: (simulate: boolean) => Wiring,
    setExitCode: (code: number) => void,
) {
    return y
        .command(
            "db",
            scenario("database-loss").summary,
            (c) =>
                changeOptions(c)
                    .option("restore-time", {
                        type: "string",
                        default: "latest",
                        describe: '"latest" or an ISO-8601 instant with a zone (before the corruption)',
                    })
                    .option("cut-over", {
                        type: "boolean",
                        default: false,
                        describe:
                            "rename the restored instance into the primary's name (the old one is kept, renamed)",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreDatabaseCommand(
                        {
                            restoreTime: args["restore-time"],
                            cutOver: args["cut-over"],
                            ...changeArgs(args, "restore-db"),
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .command(
            "state",
            scenario("state-loss").summary,
            (c) =>
                changeOptions(c)
                    .option("stack", { type: "string", default: "primary", describe: "primary or dr" })
                    .option("version-id", {
                        type: "string",
                        describe: "the S3 version to restore; without it, list them",
                    })
                    .option("backend", {
                        type: "string",
                        default: "bootstrap",
                        describe:
                            "bootstrap (where primary and dr live) or state (the platform state bucket)",
                    })
                    .option("region", {
                        type: "string",
                        describe: "with --backend state: home, or dr for its replica",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreStateCommand(
                        {
                            stack: args.stack,
                            versionId: args["version-id"],
                            backend: args.backend,
                            region: args.region,
                            ...changeArgs(args, "restore-state"),
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .command(
            "argocd",
            scenario("argocd-loss").summary,
            (c) =>
                changeOptions(c)
                    .option("region", REGION_OPTION)
                    .option("from-cluster", {
                        choices: ["primary", "dr"] as const,
                        default: "primary" as const,
                        describe: "whose exports to read",
                    })
                    .option("export-key", {
                        type: "string",
                        describe: "an older export's key instead of the newest",
                    })
                    .option("context", {
                        type: "string",
                        describe: "kube context of the cluster to restore into (required)",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreArgocdCommand(
                        {
                            ...changeArgs(args, "restore-argocd"),
                            region: args.region,
                            fromCluster: args["from-cluster"],
                            exportKey: args["export-key"],
                            context: args.context,
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .command(
            "git",
            scenario("github-loss").summary,
            (c) =>
                changeOptions(c)
                    .option("remote", {
                        type: "string",
                        describe: "the new, empty remote (https:// or ssh://; no credentials in it)",
                    })
                    .option("bundle-key", {
                        type: "string",
                        describe: "a known-good older bundle's key instead of the newest",
                    })
                    .option("region", REGION_OPTION)
                    .option("stack", {
                        choices: ["primary", "dr"] as const,
                        default: "primary" as const,
                        describe: "the stack whose Argo CD follows the repository",
                    })
                    .option("context", {
                        type: "string",
                        describe: "kube context, to check the root app follows the new remote",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreGitCommand(
                        {
                            ...changeArgs(args, "restore-git"),
                            remote: args.remote,
                            bundleKey: args["bundle-key"],
                            region: args.region,
                            stack: args.stack,
                            context: args.context,
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .command(
            "helm",
            scenario("bad-helm-release").summary,
            (c) =>
                changeOptions(c)
                    .option("release", { type: "string", describe: "release name (required)" })
                    .option("namespace", { type: "string", describe: "its namespace (required)" })
                    .option("revision", {
                        type: "number",
                        describe: "revision to roll back to; without it, list the history",
                    })
                    .option("timeout", {
                        type: "number",
                        default: 10,
                        describe: "minutes helm may wait for the rollback",
                    })
                    .option("context", {
                        type: "string",
                        describe: "kube context (required for a rollback)",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreHelmCommand(
                        {
                            ...changeArgs(args, "restore-helm"),
                            release: args.release,
                            namespace: args.namespace,
                            revision: args.revision,
                            timeoutMinutes: args.timeout,
                            context: args.context,
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .demandCommand(1, "name what to restore: db, state, argocd, git or helm");
}
