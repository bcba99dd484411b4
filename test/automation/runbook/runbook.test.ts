import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../../automation/cli/main";
import { drStackConfig } from "../../../automation/commands/dr-config";
import {
    generatedFiles,
    placeholder,
    README_MARKERS,
    renderObjectivesTable,
    renderReadme,
    renderRunbook,
    RUNBOOK_FILE,
    shellLine,
} from "../../../automation/runbook/runbook";
import { RUNBOOK_CHANGELOG } from "../../../automation/runbook/changelog";
import { failbackRunbookSteps } from "../../../automation/runbook/failback-steps";
import { SCENARIOS } from "../../../automation/runbook/scenarios";
import { PROJECT_ROOT } from "../../../config/stack-files";
import { projectCopy, removeProjectCopies, withConfig } from "../../config/project-copy";
import { DNS_STACK_CONFIG } from "../../support/simulated-cli";
import { withTempDir } from "../../support/temp-dir";

const STAMP = { version: "9.9.9", commit: "abc123def456" };

describe("automation/runbook: docs/runbook.md from the scenario definitions", () => {
    const config = drStackConfig();

    it("is committed exactly as npm run runbook generates it (edit automation/runbook/scenarios.ts, not the file)", async () => {
        const files = await generatedFiles();
        for (const [file, expected] of Object.entries(files)) {
            const committed = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
            assert.ok(
                committed === expected,
                `${file} differs from what the definitions generate. Edit automation/runbook/scenarios.ts (or the objectives), ` +
                    "commit that, then run npm run runbook and commit the result: the stamp names the sources' last commit.",
            );
        }
    });

    it("lists the failback command's own steps in the failback section, in the plan's order, with no simulated name in them", async () => {
        const steps = await failbackRunbookSteps(config);
        assert.ok(steps.length >= 10, JSON.stringify(steps));
        const section = renderRunbook(config, STAMP, SCENARIOS, RUNBOOK_CHANGELOG, [], steps)
            .split("### Failback")[1]
            .split("\n## ")[0];
        const listed = [...section.matchAll(/^ {2}\d+\. `([a-z-]+)`: /gm)].map((m) => m[1]);
        assert.deepStrictEqual(
            listed,
            steps.map((s) => s.name),
        );
        for (const name of [
            "freeze-writes",
            "wait-caught-up",
            "promote-home",
            "agree-state",
            "verify-home",
            "switch-home",
            "stand-down-dr",
            "release-lock",
        ]) {
            assert.ok(listed.includes(name), `${name} in ${listed.join(", ")}`);
        }
        // The simulated account's id, run ids and minute stamps are placeholders in the runbook.
        assert.doesNotMatch(section, /123456789012|failover-20\d\d-|-retired-\d{12}|webank-db-home-1\b/);
        assert.match(section, /release the failover lock <failover run id> holds/);
    });

    it("covers the six disasters, each with every section and its objectives", () => {
        const text = renderRunbook(config, STAMP);
        assert.deepStrictEqual(
            SCENARIOS.map((s) => s.id),
            [
                "region-outage",
                "argocd-loss",
                "database-loss",
                "bad-helm-release",
                "state-loss",
                "github-loss",
            ],
        );
        for (const scenario of SCENARIOS) {
            const start = text.indexOf(`## ${SCENARIOS.indexOf(scenario) + 1}. ${scenario.title}`);
            assert.ok(start >= 0, scenario.title);
            const section = text.slice(start, text.indexOf("\n## ", start + 1));
            for (const heading of [
                "### Detection",
                "### Impact",
                "### Decision",
                "### Recovery",
                "### Verification",
            ]) {
                assert.ok(section.includes(heading), `${scenario.id}: ${heading}`);
            }
            assert.match(section, /### (Rollback|Failback)/);
            assert.match(section, /RPO \d+ min, RTO \d+ min/);
            assert.match(section, /```sh\n\s+npm run dr -- /, `${scenario.id} names exact commands`);
        }
    });

    it("is stamped with the version and the commit, and keeps a changelog", () => {
        const text = renderRunbook(config, STAMP);
        assert.match(text, /Version 9\.9\.9, generated from sources at commit abc123def456\./);
        const headings = RUNBOOK_CHANGELOG.map((c) => `### ${c.version} (${c.date})`);
        const changelog = text.slice(text.indexOf("## Changelog"));
        assert.ok(changelog.startsWith(`## Changelog\n\n${headings[0]}`), changelog.slice(0, 200));
        const positions = headings.map((heading) => changelog.indexOf(heading));
        assert.ok(
            positions.every((p) => p >= 0),
            "every release is listed",
        );
        assert.deepStrictEqual(
            [...positions].sort((a, b) => a - b),
            positions,
            "newest first",
        );
        RUNBOOK_CHANGELOG.flatMap((c) => c.changes).forEach((change) =>
            assert.ok(changelog.includes(change), change),
        );
    });

    it("is released with the package: the newest changelog entry is the package's version, and each version once", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
            version: string;
        };
        assert.strictEqual(RUNBOOK_CHANGELOG[0].version, pkg.version);
        const versions = RUNBOOK_CHANGELOG.map((c) => c.version);
        assert.deepStrictEqual([...new Set(versions)], versions);
    });

    it("prints objectives as configured: a changed objective changes the runbook", () => {
        const changed = {
            ...config,
            objectives: { ...config.objectives, database: { rpoMinutes: 7, rtoMinutes: 45 } },
        };
        assert.match(renderRunbook(changed, STAMP), /database: RPO 7 min, RTO 45 min/);
        assert.doesNotMatch(renderRunbook(config, STAMP), /database: RPO 7 min, RTO 45 min/);
    });

    it("gives the failover's DR-vault fallback its own RPO, the copy period, not the database RPO", () => {
        const section = (text: string) => text.slice(text.indexOf("## 1. "), text.indexOf("\n## 2. "));
        assert.match(
            section(renderRunbook(config, STAMP)),
            /database: RPO 30 min, RTO \d+ min \(restored from the DR vault when no automated backups are replicated: RPO up to 300 min, its copy period plus how late a copy may land\)/,
        );
        const fourHourly = {
            ...config,
            backup: {
                ...config.backup,
                rules: {
                    ...config.backup.rules,
                    database: config.backup.rules.database.map((r) => ({ ...r, periodHours: 4 })),
                },
            },
        };
        assert.match(
            section(renderRunbook(fourHourly, STAMP)),
            /RPO up to 480 min, its copy period plus how late a copy may land/,
        );
        // Only a scenario that can fall back to the DR vault says so.
        const database = renderRunbook(config, STAMP)
            .split("\n## ")
            .find((s) => s.startsWith("3. "))!;
        assert.doesNotMatch(database, /restored from the DR vault/);
    });

    it("regenerates the README's objectives table between its markers only", () => {
        const readme = `intro\n${README_MARKERS.start}\nold table\n${README_MARKERS.end}\noutro\n`;
        const regenerated = renderReadme(readme, config);
        assert.match(regenerated, /^intro\n/);
        assert.match(regenerated, /\noutro\n$/);
        assert.doesNotMatch(regenerated, /old table/);
        assert.match(regenerated, /\| RDS PostgreSQL databases \(database loss\) \|.*\| 30 min \| 60 min \|/);
        assert.throws(() => renderReadme("no markers", config), /must hold the markers/);
    });

    it("gives the database's DR-vault fallback its own line in the objectives table, with the vault's RPO", () => {
        const table = renderObjectivesTable(config);
        const rows = table.split("\n").filter((line) => line.startsWith("| RDS PostgreSQL databases"));
        assert.strictEqual(rows.length, 2, table);
        assert.match(rows[1], /DR-vault fallback.*\| up to 300 min \| 60 min \|$/);
        // It follows the plan's copy period: 4-hourly database snapshots give 240 + 240.
        const slower = {
            ...config,
            backup: {
                ...config.backup,
                rules: {
                    ...config.backup.rules,
                    database: config.backup.rules.volumes.map((r) => ({
                        ...r,
                        periodHours: r.periodHours === 1 ? 4 : r.periodHours,
                    })),
                },
            },
        };
        assert.match(renderObjectivesTable(slower), /DR-vault fallback.*\| up to 480 min \|/);
    });

    describe("every command it names runs, in order, against the simulated account", () => {
        /**
         * Values a step takes from what an earlier step printed (the instance the restore made,
         * a version the listing showed), found in the scenario's output so far.
         */
        const PRINTED: Readonly<Record<string, (output: string) => string | undefined>> = {
            // The last one printed: a rehearsal before the restore prints the name its own start
            // gives, which differs from the real run's when the two straddle a minute.
            "restored instance": (output) => [...output.matchAll(/--restored-instance (\S+)/g)].at(-1)?.[1],
            // The listing prints versions newest first: take the one before the current.
            "version id": (output) => [...output.matchAll(/^ {2}(\S{32}) {2}\d{4}-/gm)].map((m) => m[1])[1],
        };
        const resolve = (argument: string, output: string): string => {
            const match = /^<([^:>]+):([^>]*)>$/.exec(argument);
            if (match && PRINTED[match[1]] && /^(printed by|from) /.test(match[2])) {
                const value = PRINTED[match[1]](output);
                assert.ok(value, `no ${match[1]} printed by the earlier steps:\n${output}`);
                return value;
            }
            return placeholder(argument, "example");
        };
        // As in production, DNS failover is managed: without it status says NOT MANAGED (exit 1).
        let configRoot: string;
        before(() => {
            configRoot = projectCopy({
                "Pulumi.primary.yaml": withConfig(DNS_STACK_CONFIG),
                "Pulumi.dr.yaml": withConfig(DNS_STACK_CONFIG),
            });
        });
        after(removeProjectCopies);
        for (const scenario of SCENARIOS) {
            it(`${scenario.id}: each command, rehearsals as dry runs, the rest for real (--simulate --yes)`, () =>
                withTempDir("runbook-", async (dir) => {
                    let output = "";
                    for (const step of scenario.steps.filter((s) => s.dr)) {
                        const args = (step.dr ?? []).map((a) => resolve(a, output));
                        const line = [
                            ...args,
                            "--simulate",
                            ...(step.changes ? (step.rehearsal ? ["--dry-run"] : ["--yes"]) : []),
                        ];
                        let printed = "";
                        const sink = { write: (text: string) => ((printed += text), true) };
                        const code = await main(line, {
                            stdout: sink,
                            stderr: sink,
                            workDir: dir,
                            configRoot,
                            env: {},
                            isTTY: false,
                        });
                        output += printed;
                        assert.strictEqual(code, 0, `npm run dr -- ${line.join(" ")}\n${printed}`);
                    }
                }));
        }
    });

    it("points a scenario's pulumi commands at the stack its dr steps act on, not a fixed one", () => {
        for (const scenario of SCENARIOS) {
            const stacks = scenario.steps.flatMap((step) => {
                const at = (step.dr ?? []).indexOf("--stack");
                return at >= 0 ? [step.dr![at + 1]] : [];
            });
            for (const step of scenario.steps.filter((s) => s.shell && stacks.length > 0)) {
                for (const [, stack] of step.shell!.matchAll(/(?:-s|--stack) (\S+)/g)) {
                    assert.ok(
                        stacks.includes(stack),
                        `${scenario.id}: \`${step.shell}\` must use ${stacks[0]}`,
                    );
                }
            }
        }
        assert.strictEqual(
            shellLine({ say: "", shell: "pulumi refresh -s <stack:primary>" }),
            "pulumi refresh -s <stack>",
        );
    });

    it("ships the file the README points at", () => {
        assert.ok(fs.existsSync(path.join(PROJECT_ROOT, RUNBOOK_FILE)));
    });
});
