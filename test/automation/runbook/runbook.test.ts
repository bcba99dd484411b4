import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../automation/cli/main";
import { drStackConfig } from "../../../automation/commands/dr-config";
import {
    generatedFiles,
    placeholder,
    README_MARKERS,
    renderReadme,
    renderRunbook,
    RUNBOOK_FILE,
} from "../../../automation/runbook/runbook";
import { SCENARIOS } from "../../../automation/runbook/scenarios";
import { PROJECT_ROOT } from "../../../config/stack-files";

/** The simulated account's clock: the runbook's example times are relative to it. */
const NOW = new Date("2026-11-25T03:00:00Z");
const STAMP = { version: "9.9.9", commit: "abc123def456" };

describe("automation/runbook: docs/runbook.md from the scenario definitions", () => {
    const config = drStackConfig();

    it("is committed exactly as npm run runbook generates it (edit automation/scenarios.ts, not the file)", async () => {
        const files = await generatedFiles();
        for (const [file, expected] of Object.entries(files)) {
            const committed = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
            assert.ok(
                committed === expected,
                `${file} differs from what the definitions generate. Edit automation/scenarios.ts (or the objectives), ` +
                    "commit that, then run npm run runbook and commit the result: the stamp names the sources' last commit.",
            );
        }
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
        assert.match(text, /## Changelog\n\n### 0\.2\.0 \(2026-12-02\)(.|\n)*### 0\.1\.0 \(2026-11-25\)/);
    });

    it("prints objectives as configured: a changed objective changes the runbook", () => {
        const changed = {
            ...config,
            objectives: { ...config.objectives, database: { rpoMinutes: 7, rtoMinutes: 45 } },
        };
        assert.match(renderRunbook(changed, STAMP), /database: RPO 7 min, RTO 45 min/);
        assert.doesNotMatch(renderRunbook(config, STAMP), /database: RPO 7 min, RTO 45 min/);
    });

    it("regenerates the README's objectives table between its markers only", () => {
        const readme = `intro\n${README_MARKERS.start}\nold table\n${README_MARKERS.end}\noutro\n`;
        const regenerated = renderReadme(readme, config);
        assert.match(regenerated, /^intro\n/);
        assert.match(regenerated, /\noutro\n$/);
        assert.doesNotMatch(regenerated, /old table/);
        assert.match(regenerated, /\| RDS PostgreSQL databases \(database loss\) \|.*\| 5 min \| 60 min \|/);
        assert.throws(() => renderReadme("no markers", config), /must hold the markers/);
    });

    describe("every command it names runs against the simulated account", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        // A rehearsal and the real run differ only by --dry-run here: test each command line once.
        const seen = new Set<string>();
        const commands = SCENARIOS.flatMap((s) =>
            s.steps.filter((step) => step.dr).map((step) => ({ scenario: s.id, step })),
        ).filter(({ step }) => {
            const key = (step.dr ?? []).join(" ");
            return !seen.has(key) && seen.add(key) !== undefined;
        });
        commands.forEach(({ scenario, step }, index) => {
            const args = (step.dr ?? []).map((a) => placeholder(a, "example"));
            it(`${scenario}: npm run dr -- ${args.join(" ")}${step.changes ? " (as a dry run)" : ""}`, async () => {
                const lines: string[] = [];
                const journal = args[0] === "status" ? [] : ["--journal", path.join(dir, `${index}.json`)];
                const code = await main(
                    [...args, "--simulate", ...journal, ...(step.changes ? ["--dry-run"] : [])],
                    (line) => lines.push(line),
                    NOW,
                );
                assert.strictEqual(code, 0, lines.join("\n"));
            });
        });
    });

    it("ships the file the README points at", () => {
        assert.ok(fs.existsSync(path.join(PROJECT_ROOT, RUNBOOK_FILE)));
    });
});
