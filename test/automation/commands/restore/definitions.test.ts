import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { commandTree } from "../../../../automation/cli/command-tree";
import { COMMANDS } from "../../../../automation/cli/registry";
import { CHANGE_OPTIONS } from "../../../../automation/commands/change-options";
import { restoreArgocdDefinition } from "../../../../automation/commands/restore/argocd/definition";
import { restoreDbDefinition } from "../../../../automation/commands/restore/database/definition";
import { restoreGitDefinition } from "../../../../automation/commands/restore/git/definition";
import { restoreHelmDefinition } from "../../../../automation/commands/restore/helm/definition";
import { restoreStateDefinition } from "../../../../automation/commands/restore/state/definition";
import { scenario } from "../../../../automation/runbook/scenarios";
import { PROJECT_ROOT } from "../../../../config/stack-files";

const DEFINITIONS = [
    { definition: restoreDbDefinition, file: "database", scenario: "database-loss" },
    { definition: restoreStateDefinition, file: "state", scenario: "state-loss" },
    { definition: restoreArgocdDefinition, file: "argocd", scenario: "argocd-loss" },
    { definition: restoreGitDefinition, file: "git", scenario: "github-loss" },
    { definition: restoreHelmDefinition, file: "helm", scenario: "bad-helm-release" },
];

describe("automation/commands/restore: the definitions", () => {
    it("are registered, each under restore <kind> with its runbook summary and the change flags", () => {
        commandTree(COMMANDS);
        for (const { definition, scenario: id } of DEFINITIONS) {
            assert.ok(COMMANDS.includes(definition), definition.path.join(" "));
            assert.strictEqual(definition.path[0], "restore");
            assert.strictEqual(definition.summary, scenario(id).summary);
            for (const flag of Object.keys(CHANGE_OPTIONS)) {
                assert.ok(flag in definition.options, `${definition.path.join(" ")} --${flag}`);
            }
        }
        assert.deepStrictEqual(
            DEFINITIONS.map((d) => d.definition.path[1]),
            ["db", "state", "argocd", "git", "helm"],
        );
    });

    it("load nothing heavy: importing a definition loads no command module, runner, adapter or simulation", () => {
        for (const { file } of DEFINITIONS) {
            const module = path.join(
                PROJECT_ROOT,
                "automation",
                "commands",
                "restore",
                file,
                "definition.ts",
            );
            const loaded = execFileSync(
                process.execPath,
                [
                    "-r",
                    "ts-node/register/transpile-only",
                    "-e",
                    `require(${JSON.stringify(module)}); console.log(Object.keys(require.cache).join("\\n"))`,
                ],
                { cwd: PROJECT_ROOT, encoding: "utf8" },
            ).split("\n");
            const heavy = loaded.filter((m) =>
                /restore[/\\][a-z]+[/\\]command|run[/\\]runner|[/\\]adapters[/\\]|[/\\]simulation[/\\]|@pulumi|@aws-sdk/.test(
                    m,
                ),
            );
            assert.deepStrictEqual(heavy, [], file);
            assert.ok(
                loaded.some((m) => m.endsWith("definition.ts")),
                "the probe loaded the definition",
            );
        }
    });
});
