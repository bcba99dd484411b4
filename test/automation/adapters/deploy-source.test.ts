import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { commandRunner } from "../../../automation/adapters/command-runner";
import { gitDeploySource, stackSettingsFile } from "../../../automation/adapters/deploy-source";
import { gitVersion, requirePeer } from "../../support/peers";
import { useTempDir, withTempDir } from "../../support/temp-dir";

/** The entries of a zip archive and their text, read by Python's zipfile (not by code written here). */
function zipEntries(archive: Buffer): Record<string, string> {
    return withTempDir("webank-zip-", (dir) => {
        const file = path.join(dir, "a.zip");
        fs.writeFileSync(file, archive);
        const script =
            "import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n" +
            "print(json.dumps({n: z.read(n).decode() for n in z.namelist() if not n.endswith('/')}))";
        return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as Record<
            string,
            string
        >;
    });
}

/** The deploy source of a stack from a real git checkout. */
describe("automation/adapters/deploy-source: gitDeploySource against git (peer)", function () {
    this.timeout(60_000);
    const dir = useTempDir("webank-deploy-source-test-");
    const git = (...args: string[]) =>
        execFileSync("git", args, {
            cwd: dir(),
            encoding: "utf8",
            env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
        });
    const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir(), file)), { recursive: true });
        fs.writeFileSync(path.join(dir(), file), text);
    };
    /** A repository whose project lives in `project` ("" for the top level), committed once. */
    const repository = (project: string) => {
        write(`${project}Pulumi.yaml`, "name: webank-dr\n");
        write(`${project}Pulumi.primary.yaml`, "config:\n  webank:role: primary\n");
        write(`${project}index.ts`, "// committed\n");
        git("init", "-q", "-b", "main");
        git("add", ".");
        git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "reviewed");
        return path.join(dir(), project);
    };
    beforeEach(function () {
        requirePeer(this, "git", gitVersion());
    });

    for (const project of ["", "infra/dr/"]) {
        it(`archives HEAD with the settings file as changed, and nothing else uncommitted (project at "${project || "top"}")`, async () => {
            const workDir = repository(project);
            const head = git("rev-parse", "HEAD").trim();
            write(
                `${project}Pulumi.primary.yaml`,
                "config:\n  webank:role: primary\n  webank:gitSource: mirror\n",
            );
            write(`${project}index.ts`, "// unreviewed edit\n");
            write(`${project}notes.txt`, "untracked\n");
            git("add", `${project}index.ts`);
            const statusBefore = git("status", "--porcelain");
            const source = await gitDeploySource(commandRunner(), workDir, "primary");
            const entries = zipEntries(source.archive);
            assert.deepStrictEqual(Object.keys(entries).sort(), [
                "Pulumi.primary.yaml",
                "Pulumi.yaml",
                "index.ts",
            ]);
            assert.match(entries["Pulumi.primary.yaml"], /webank:gitSource: mirror/);
            assert.strictEqual(entries["index.ts"], "// committed\n", "the unreviewed edit is not deployed");
            assert.strictEqual(source.commit, head);
            assert.strictEqual(
                source.description,
                `commit ${head.slice(0, 12)} with Pulumi.primary.yaml as changed in the working tree; 1 other uncommitted changes are not deployed`,
            );
            assert.strictEqual(
                git("status", "--porcelain"),
                statusBefore,
                "the operator's index and tree are as they were",
            );
            assert.strictEqual(git("rev-parse", "HEAD").trim(), head);
        });
    }

    it("says the settings file is as committed when the working tree has not changed it", async () => {
        const workDir = repository("");
        const source = await gitDeploySource(commandRunner(), workDir, "primary");
        assert.match(source.description, /with Pulumi\.primary\.yaml as committed$/);
    });

    it("refuses a directory that is not a git checkout, and a stack without a settings file", async () => {
        write("Pulumi.primary.yaml", "config: {}\n");
        await assert.rejects(
            gitDeploySource(commandRunner(), dir(), "primary"),
            /is not a git checkout with a commit: the deploy runner deploys a committed version [\s\S]*Nothing was uploaded/,
        );
        await assert.rejects(
            gitDeploySource(commandRunner(), dir(), "staging"),
            /Pulumi\.staging\.yaml is not in .*Nothing was uploaded/,
        );
    });

    it("names the settings file after the last part of an org/project/stack name", () => {
        assert.strictEqual(stackSettingsFile("acme/webank-dr/dr"), "Pulumi.dr.yaml");
        assert.strictEqual(stackSettingsFile("primary"), "Pulumi.primary.yaml");
    });
});
