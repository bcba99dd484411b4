import * as assert from "assert";
import { OptionValues } from "../../../../automation/commands/definition";
import { restoreGitDefinition } from "../../../../automation/commands/restore/git/definition";
import { ROOT_APP_NAME } from "../../../../lib/argocd";
import { KubernetesAccessError } from "../../../../lib/kubernetes-access";
import { bucketName, clusterName } from "../../../../lib/naming";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import { changes, CONFIG, currentJournal, dispose, Harness, harness, runWith, text } from "./support";

/*
 * `restore git` onto a stack whose Kubernetes resources only its deploy runner may apply (the
 * primary stack's default): the program refuses that `up` from the operator's machine, so
 * the command has the runner run it, on the archive it uploads with the repointed settings.
 * Against the simulation's own git, cluster and runner (automation/simulation/deploy-runner.ts).
 */

const REMOTE = "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/platform";
const OPERATION = "restore-git";

describe("automation/commands/restore/git through the deploy runner", () => {
    let h: Harness;
    beforeEach(() => {
        h = harness("restore-git-runner-");
    });
    afterEach(() => dispose(h));
    const run = (values: OptionValues = {}) =>
        runWith(h, restoreGitDefinition, { remote: REMOTE, ...values });
    const artifacts = bucketName(CONFIG.prefix, "artifacts", "123456789012", CONFIG.homeRegion);
    const KEY = "deploy-sources/primary.zip";
    const rootApp = () =>
        (
            h.world.state.clusters[clusterName(CONFIG.prefix, "primary")].argocd?.Application?.[
                ROOT_APP_NAME
            ] as { spec?: { source?: { repoURL?: string } } } | undefined
        )?.spec?.source?.repoURL;
    const primary = () => h.world.stacks.get("primary")!;
    const deployBuilds = () => Object.values(h.world.state.builds).filter((b) => b.deploy);

    it("the simulated primary program refuses an update from outside its runner, as the program does", async () => {
        const stack = await h.world.ports().workspace.selectStack("primary");
        await assert.rejects(
            stack.up({ onOutput: () => undefined }),
            (error: Error) =>
                error instanceof KubernetesAccessError &&
                /webank:kubernetesAccess is runner: cluster webank-primary exists/.test(error.message),
        );
        assert.notStrictEqual(rootApp(), undefined, "the seeded cluster runs the root app");
    });

    it("uploads the program with the repointed settings and runs up on exactly that version in the runner", async () => {
        assert.strictEqual(await run(), 0, text(h));
        const versions = h.world.home.buckets.get(artifacts)?.get(KEY) ?? [];
        assert.strictEqual(versions.length, 1, "one upload");
        const archived = JSON.parse(Buffer.from(versions[0].body).toString("utf8")) as {
            config: Record<string, string>;
        };
        assert.strictEqual(archived.config["webank:gitSource"], "mirror", "the archive holds the repoint");
        assert.strictEqual(archived.config["webank:mirrorRepoUrl"], REMOTE);
        const [build] = deployBuilds();
        assert.strictEqual(build.deploy?.command, "up");
        assert.strictEqual(
            build.deploy?.sourceVersion,
            versions[0].versionId,
            "the build names the uploaded version",
        );
        assert.strictEqual(build.status, "SUCCEEDED");
        assert.strictEqual(rootApp(), REMOTE, "the runner's up repointed the root app");
        assert.match(
            text(h),
            /pulumi up of primary runs in its deploy runner \(webank:kubernetesAccess is runner/,
        );
        assert.match(
            text(h),
            new RegExp(`done  upload-source: uploaded s3://${artifacts}/${KEY} \\(us-east-1\\) version `),
        );
        assert.match(text(h), /Commit Pulumi\.primary\.yaml now/);
        assertNothingDeleted(h.world);
    });

    it("deploys the archive it uploaded, not one uploaded after it", async () => {
        // Someone uploads another archive between this run's upload and the build's start.
        h.world.failNext("home.runner.startDeploy", new Error("ThrottlingException: Rate exceeded"));
        assert.strictEqual(await run(), 1, text(h));
        h.world.home.put(artifacts, KEY, JSON.stringify({ format: "unreviewed" }), h.world.now());
        assert.strictEqual(await run(), 0, text(h));
        const [ours] = h.world.home.buckets.get(artifacts)!.get(KEY)!;
        assert.strictEqual(deployBuilds()[0].deploy?.sourceVersion, ours.versionId);
        assert.strictEqual(rootApp(), REMOTE);
    });

    it("with kubernetesAccess direct runs pulumi up here and uploads nothing", async () => {
        primary().config["webank:kubernetesAccess"] = "direct";
        assert.strictEqual(await run(), 0, text(h));
        assert.deepStrictEqual(changes(h).slice(-1), ["stack primary up"]);
        assert.strictEqual(h.world.home.buckets.get(artifacts)?.get(KEY), undefined);
        assert.deepStrictEqual(deployBuilds(), []);
        assert.strictEqual(rootApp(), REMOTE);
    });

    for (const typo of ["Direct", "direkt", "runners", ""]) {
        it(`refuses kubernetesAccess ${JSON.stringify(typo)} before pushing anything, as the program would`, async () => {
            primary().config["webank:kubernetesAccess"] = typo;
            assert.notStrictEqual(await run(), 0, text(h));
            assert.match(
                text(h),
                new RegExp(
                    `webank:kubernetesAccess must be one of runner, direct; got ${JSON.stringify(typo)}`,
                ),
            );
            assert.deepStrictEqual(changes(h), [], "nothing pushed, set, uploaded or built");
            assert.ok(!h.world.commandsRun.some((c) => c.startsWith("git push")));
        });
    }

    it("the simulated program refuses the same typo in the runner's build, as the config parser does", () => {
        const program = h.world.programs.get(primary().program!)!;
        assert.throws(
            () =>
                program.up(
                    { ...primary(), config: { ...primary().config, "webank:kubernetesAccess": "Direct" } },
                    h.world,
                    {
                        stackName: "primary",
                        build: { region: CONFIG.homeRegion, projectName: "webank-primary-deploy" },
                    },
                ),
            /Invalid config for stack "primary"[\s\S]*webank:kubernetesAccess must be one of runner, direct; got "Direct"/,
        );
    });

    it("stops with exit 1, resumable, when the runner project does not exist, having pushed and uploaded once", async () => {
        const project = h.world.state.deployProjects["webank-primary-deploy"];
        delete h.world.state.deployProjects["webank-primary-deploy"];
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /step runner-up failed: ResourceNotFoundException: Project cannot be found/);
        assert.ok(
            currentJournal(h, OPERATION)?.steps.some((s) => s.step === "upload-source"),
            "the upload is journaled as done",
        );
        h.world.state.deployProjects["webank-primary-deploy"] = project;
        h.world.lines.length = 0;
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(h.world.home.buckets.get(artifacts)!.get(KEY)!.length, 1, "not uploaded again");
        assert.strictEqual(h.world.commandsRun.filter((c) => c.startsWith("git push")).length, 1);
    });

    it("a dry run says the runner would run the up, and starts no build", async () => {
        assert.strictEqual(await run({ "dry-run": true }), 0, text(h));
        assert.match(text(h), /upload-source: upload the program with Pulumi\.primary\.yaml as set/);
        assert.match(text(h), /runner-up: pulumi up of primary in its deploy runner webank-primary-deploy/);
        assert.deepStrictEqual(deployBuilds(), []);
        assert.deepStrictEqual(h.world.changes, []);
    });
});
