import * as assert from "assert";
import type { StackConfig } from "../../config/stack-config";
import { backupDefinition } from "../../automation/commands/backup/definition";
import { drillDefinition } from "../../automation/commands/drill/definition";
import { failoverDefinition } from "../../automation/commands/failover/definition";
import { lockStatusDefinition } from "../../automation/commands/lock/definition";
import { restoreArgocdDefinition } from "../../automation/commands/restore/argocd/definition";
import { restoreDbDefinition } from "../../automation/commands/restore/database/definition";
import { restoreGitDefinition } from "../../automation/commands/restore/git/definition";
import { restoreHelmDefinition } from "../../automation/commands/restore/helm/definition";
import { restoreStateDefinition } from "../../automation/commands/restore/state/definition";
import { statusDefinition } from "../../automation/commands/status/definition";
import { stateObjectKey } from "../../automation/simulation/standard-world";
import type { SimulatedWorld } from "../../automation/simulation/world";
import { bucketName } from "../../lib/naming";
import { CONFIG } from "../automation/commands/restore/support";
import { WITH_DNS } from "../automation/commands/status/support";
import { awsCliInterpreter, awsCliVersion, scratchDir } from "../support/aws-cli";
import { requirePeer } from "../support/peers";
import { removeTempDir } from "../support/temp-dir";
import {
    Capture,
    command,
    failuresOf,
    judge,
    Judged,
    printedCommands,
    PrintedCommand,
    rehearse,
    RuntimeRun,
} from "../support/runtime-commands";

/**
 * The `aws ...` commands the recovery CLI prints while it runs (the hints of failing steps,
 * the checks of `status`, the by-hand steps after a cut-over, the reports), captured from
 * rehearsals against the simulated account, are parsed by the AWS CLI installed here as the
 * documented ones are (aws-commands.test.ts). The static test reads hints with placeholders
 * where the run puts values; this one reads what the operator would copy and paste.
 */

/** Two CLI processes at a time, as the static test: the machines running the suite have two cores, shared. */
const POOL = 2;

/** The instance `restore db` restores into when it starts at the rehearsal's clock. */
const RESTORED = "webank-db-r202611250300";

/** A remote `restore git` may push to (the Git tests' CodeCommit URL). */
const REMOTE = "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/platform";

/** A run, and a command it must show (print, or run itself): proof that its fault reached the hint that names it. */
type Scenario = RuntimeRun & { readonly prints?: RegExp };

/** One simulated account and the runs made against it, one after another. */
interface Session {
    readonly config: StackConfig;
    readonly runs: readonly Scenario[];
}

/** The newest version of the primary stack's state object, as `restore state` lists it. */
function newestStateVersion(world: SimulatedWorld): string {
    const bucket = bucketName(CONFIG.prefix, "state", world.accountId, CONFIG.homeRegion);
    const versions = world.home.buckets.get(bucket)?.get(stateObjectKey("primary")) ?? [];
    assert.ok(versions.length > 0, `no state versions in ${bucket}`);
    return versions[versions.length - 1].versionId;
}

/**
 * A normal day, then a failover, in one account: each command's ordinary output (dry runs
 * too), and one refusal that prints a command to run by hand.
 */
const NORMAL_DAY: Session = {
    config: WITH_DNS,
    runs: [
        { name: "status --format json", start: command(statusDefinition, { format: "json" }), exitCode: 0 },
        { name: "lock status", start: command(lockStatusDefinition), exitCode: 0 },
        { name: "backup --dry-run", start: command(backupDefinition, { "dry-run": true }), exitCode: 0 },
        { name: "backup", start: command(backupDefinition), exitCode: 0 },
        {
            name: "restore db --dry-run",
            start: command(restoreDbDefinition, { "dry-run": true }),
            exitCode: 0,
        },
        { name: "restore db", start: command(restoreDbDefinition), exitCode: 0 },
        {
            name: "restore db --cut-over",
            start: command(restoreDbDefinition, { "cut-over": true, "restored-instance": RESTORED }),
            exitCode: 0,
            prints: /^rds describe-db-instances .*--query DBInstances\[0\]\.DbiResourceId --output text$/,
        },
        {
            name: "restore state (list)",
            start: command(restoreStateDefinition, { backend: "state" }),
            exitCode: 0,
        },
        {
            name: "restore state: the stack cannot be selected",
            start: command(restoreStateDefinition, (world) => ({
                backend: "state",
                "version-id": newestStateVersion(world),
            })),
            prepare: (world) => world.failNext("workspace.selectStack", new Error("no backend logged in")),
            exitCode: 1,
            prints: /^s3api copy-object .*--copy-source /,
        },
        {
            name: "restore helm (history)",
            start: command(restoreHelmDefinition, { release: "argocd", namespace: "argocd" }),
            exitCode: 0,
        },
        {
            name: "restore git --dry-run",
            start: command(restoreGitDefinition, { remote: REMOTE, "dry-run": true }),
            exitCode: 0,
            prints: /^s3 ls s3:\/\//,
        },
        { name: "drill --dry-run", start: command(drillDefinition, { "dry-run": true }), exitCode: 0 },
        { name: "failover --dry-run", start: command(failoverDefinition, { "dry-run": true }), exitCode: 0 },
        {
            name: "failover",
            start: command(failoverDefinition),
            exitCode: 0,
            prints: /^cloudwatch enable-alarm-actions /,
        },
        {
            name: "restore argocd: a context that names no cluster ARN",
            start: command(restoreArgocdDefinition, { context: "webank-dr" }),
            exitCode: 0,
            prints: /^cloudwatch enable-alarm-actions --region us-west-2 --alarm-names webank-primary-/,
        },
        {
            name: "status after the failover (lock held)",
            start: command(statusDefinition, { format: "text" }),
            exitCode: 1,
            prints: /^route53 list-resource-record-sets /,
        },
    ],
};

/** A run in an account of its own, so one fault's leftovers (a journal to resume) change no other run. */
function alone(run: Scenario, config: StackConfig = CONFIG): Session {
    return { config, runs: [run] };
}

/** The faults whose messages carry a command: timeouts, failures, missing things. */
const FAULTS: readonly Session[] = [
    ...(
        [
            ["backup.job", "the backup jobs outlast", /^backup describe-backup-job /],
            ["backup.copy", "the copy jobs outlast", /^backup describe-copy-job /],
            ["codebuild.mirror", "the mirror build outlasts", /^codebuild batch-get-builds /],
            ["rds.snapshot", "the RDS snapshot outlasts", /^rds describe-db-snapshots /],
        ] as const
    ).map(([operation, what, prints]) =>
        alone({
            name: `backup: ${what} the wait`,
            start: command(backupDefinition),
            slow: [operation],
            exitCode: 1,
            prints,
        }),
    ),
    alone({
        name: "backup: the vault holds no recovery points",
        start: command(backupDefinition),
        prepare: (world) => world.home.vaults.set("webank-vault", []),
        exitCode: 1,
        prints: /^backup list-protected-resources /,
    }),
    alone({
        name: "backup: kubectl has no context",
        start: command(backupDefinition),
        prepare: (world) => world.failNext("command.kubectl", new Error("no context is set")),
        exitCode: 1,
        prints: /^eks update-kubeconfig /,
    }),
    alone({
        name: "restore git: the deploy build outlasts its wait",
        start: command(restoreGitDefinition, { remote: REMOTE }),
        slow: ["codebuild.deploy"],
        exitCode: 1,
        prints: /^codebuild batch-get-builds /,
    }),
    alone({
        name: "restore git: the deploy build fails",
        start: command(restoreGitDefinition, { remote: REMOTE }),
        prepare: (world) => {
            const stack = world.stacks.get("primary")!;
            stack.onUp = () => {
                delete stack.onUp;
                throw new Error("pulumi up: the EKS API timed out");
            };
        },
        exitCode: 1,
        prints: /^codebuild batch-get-builds /,
    }),
    alone({
        // No data makes the simulated S3 answer without a version id; the real one does for an unversioned bucket.
        name: "restore git: the artifact bucket is not versioned",
        start: command(restoreGitDefinition, { remote: REMOTE }),
        ports: (ports) => ({
            ...ports,
            home: {
                ...ports.home,
                objects: { ...ports.home.objects, putObject: () => Promise.resolve(undefined) },
            },
        }),
        exitCode: 1,
        prints: /^s3api get-bucket-versioning /,
    }),
    {
        config: WITH_DNS,
        runs: [
            {
                name: "status: the account id is unreadable, no replicated backups, no health check",
                start: command(statusDefinition, { format: "text" }),
                prepare: (world) => {
                    world.failNext("identity.accountId", new Error("ExpiredToken"));
                    world.dr.replicatedBackups.clear();
                    world.healthCheck = undefined;
                },
                exitCode: 1,
                prints: /^sts get-caller-identity$/,
            },
            {
                name: "status: the DR buckets are missing",
                start: command(statusDefinition, { format: "text" }),
                prepare: (world) => [...world.dr.buckets.keys()].forEach((b) => world.dr.buckets.delete(b)),
                exitCode: 1,
                prints: /^s3api list-object-versions --bucket webank-state-123456789012-us-west-2 /,
            },
        ],
    },
    alone({
        name: "restore db: the source instance is gone",
        start: command(restoreDbDefinition),
        prepare: (world) => world.home.instances.delete("webank-db"),
        exitCode: 1,
        prints: /^rds describe-db-instance-automated-backups /,
    }),
    {
        config: CONFIG,
        runs: [
            { name: "restore db (before a cut-over)", start: command(restoreDbDefinition), exitCode: 0 },
            {
                name: "restore db --cut-over: the renamed source stays unavailable",
                start: command(restoreDbDefinition, { "cut-over": true, "restored-instance": RESTORED }),
                prepare: (world) =>
                    world.failNext(
                        "home.database.waitAvailable",
                        new Error("webank-db-replaced-202611250300 was not available after 30 minutes"),
                    ),
                exitCode: 1,
                prints: /^rds modify-db-instance .*--new-db-instance-identifier webank-db --apply-immediately$/,
            },
        ],
    },
    alone({
        name: "failover: the restored DR instance is stopped",
        start: command(failoverDefinition),
        prepare: (world) => {
            const primary = world.home.instances.get("webank-db")!;
            world.dr.instances.set("webank-db-dr-1", {
                ...primary,
                identifier: "webank-db-dr-1",
                status: "stopped",
            });
        },
        exitCode: 1,
        prints: /^rds describe-db-instances --region us-west-2 --db-instance-identifier webank-db-dr-1$/,
    }),
];

/** Every session: the normal day first. */
const SESSIONS: readonly Session[] = [NORMAL_DAY, ...FAULTS];

/** The services the runs must show commands of: each is a hint or check that the runs above reach. */
const SERVICES = ["backup", "cloudwatch", "codebuild", "eks", "rds", "route53", "s3", "s3api", "sts"];

/** The run name of the command broken on purpose: an unknown option appended to a printed one. */
const SABOTAGED = "sabotaged";

describe("aws commands printed at run time", function () {
    const scenarios = SESSIONS.flatMap((s) => s.runs);
    const captures: Capture[] = [];
    let commands: PrintedCommand[] = [];
    let scratch = "";
    let rehearsalMs = 0;
    let judged: Promise<Judged[]> | undefined;
    let cliMs = 0;

    before(async function () {
        this.timeout(120_000);
        scratch = scratchDir();
        const started = Date.now();
        for (const session of SESSIONS) {
            captures.push(...(await rehearse(session.config, session.runs)));
        }
        commands = printedCommands(captures);
        rehearsalMs = Date.now() - started;
    });

    after(() => {
        if (scratch) {
            removeTempDir(scratch);
        }
    });

    /** A printed command with an option no AWS CLI has: it must be reported as the real ones would be. */
    const sabotaged = (): PrintedCommand => {
        const original = commands.find((c) => c.source === "output")!;
        return {
            ...original,
            run: `${SABOTAGED}: ${original.run}`,
            written: `${original.written} --no-such-option`,
            args: [...original.args, "--no-such-option"],
        };
    };

    /** The CLI's verdicts on every printed command and the sabotaged one: one batch, asked once. */
    const verdicts = () => {
        if (!judged) {
            const started = Date.now();
            judged = judge([...commands, sabotaged()], scratch, POOL).finally(
                () => (cliMs = Date.now() - started),
            );
        }
        return judged;
    };
    const isSabotaged = (j: Judged) => j.places.some((p) => p.run.startsWith(`${SABOTAGED}: `));

    it("come from runs that met their faults, and name several services", () => {
        assert.deepStrictEqual(
            new Set(scenarios.map((s) => s.name)).size,
            scenarios.length,
            "each run has its own name (failures are reported by it)",
        );
        const exits = scenarios.flatMap((s, i) => {
            const c = captures[i];
            const tail = c.texts[0].entries.slice(-3).join("\n");
            return c.exitCode === s.exitCode
                ? []
                : [`${s.name}: exit ${c.exitCode}, not ${s.exitCode}:\n${tail}`];
        });
        assert.deepStrictEqual(exits, [], exits.join("\n"));
        const missing = scenarios.flatMap((s) =>
            s.prints && !commands.some((c) => c.run === s.name && s.prints!.test(c.args.join(" ")))
                ? [`${s.name} printed no command like ${s.prints}`]
                : [],
        );
        assert.deepStrictEqual(missing, [], missing.join("\n"));
        const services = new Set(commands.map((c) => c.args[0]));
        assert.deepStrictEqual(
            SERVICES.filter((s) => !services.has(s)),
            [],
            `services shown: ${[...services].sort().join(", ")}`,
        );
        assert.ok(
            commands.some((c) => c.source.endsWith(".md")),
            "a Markdown report's commands are read",
        );
        assert.ok(
            commands.some((c) => c.source.endsWith(".json")),
            "a JSON report's commands are read",
        );
    });

    it("report a broken command by its run and place (the check can fail)", async function () {
        requirePeer(this, "the AWS CLI (aws)", awsCliVersion());
        this.timeout(300_000);
        const failures = failuresOf((await verdicts()).filter(isSabotaged));
        assert.strictEqual(failures.length, 1, failures.join("\n"));
        assert.match(failures[0], /Unknown options: --no-such-option/);
        assert.ok(failures[0].includes(`printed by: ${sabotaged().run} (output:`), failures[0]);
    });

    it("are all accepted by the AWS CLI", async function () {
        requirePeer(this, "the AWS CLI (aws)", awsCliVersion());
        this.timeout(300_000);
        const real = (await verdicts()).filter((j) => !isSabotaged(j));
        const seconds = (cliMs / 1000).toFixed(1);
        const services = [...new Set(commands.map((c) => c.args[0]))].sort();
        console.log(
            `      ${commands.length} aws commands shown by ${scenarios.length} runs (${real.length} distinct; ${services.join(", ")}), ` +
                `rehearsed in ${(rehearsalMs / 1000).toFixed(1)} s, parsed by ${awsCliVersion()} in ${seconds} s, ` +
                `${POOL} ${awsCliInterpreter() ? "interpreters" : "processes"} at a time`,
        );
        const failures = failuresOf(real);
        assert.deepStrictEqual(failures, [], failures.join("\n"));
    });
});
