import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { bundleOf, refsOfBundle } from "../../../automation/simulation/git";
import { githubUrlOf } from "../../../automation/simulation/standard-world";
import { useTempDir } from "../../support/temp-dir";
import { artifactBuckets, CONFIG, MINUTE, NOW, rejection, timedWorld, world } from "./support";

const NEW_REMOTE = "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/platform";
const PRIMARY_CONTEXT = "webank-primary";

describe("automation/simulation: git", () => {
    const dir = useTempDir("sim-git-");

    /** The newest seeded bundle, written to disk as restore git writes it. */
    async function bundleFile(w = world()) {
        const ports = w.ports();
        const bucket = artifactBuckets(w).home;
        const newest = (await ports.home.objects.newestObject(bucket, "git-bundles/webank/platform/"))!;
        const file = path.join(dir(), "repo.bundle");
        fs.writeFileSync(file, await ports.home.objects.getObject(bucket, newest.key));
        return {
            w,
            git: (args: string[], cwd?: string) => ports.commands.run("git", args, cwd ? { cwd } : {}),
            file,
        };
    }

    it("writes bundles in git's format and reads their heads: 40-hex SHAs, one per ref", async () => {
        const { git, file } = await bundleFile();
        const heads = (await git(["bundle", "list-heads", file])).stdout;
        const lines = heads.trim().split("\n");
        assert.deepStrictEqual(
            lines.map((l) => l.split(" ")[1]),
            ["refs/heads/main", "refs/heads/release/2026.11", "refs/tags/v1.0.0"],
        );
        lines.forEach((l) => assert.match(l, /^[0-9a-f]{40} refs\/\S+$/));
        assert.match((await git(["bundle", "verify", file])).stdout, /^The bundle contains these 3 refs:\n/);
        assert.deepStrictEqual(refsOfBundle(bundleOf({ "refs/heads/x": "a".repeat(40) })), {
            refs: { "refs/heads/x": "a".repeat(40) },
        });
    });

    it("refuses a file that is not a bundle as git does", async () => {
        const { git } = await bundleFile();
        const bad = path.join(dir(), "bad.bundle");
        fs.writeFileSync(bad, "PK\u0003\u0004 not a bundle");
        assert.match(
            await rejection(git(["bundle", "verify", bad])),
            /^git bundle verify \S+ failed \(exit code 1\):\nerror: '\S+' does not look like a v2 or v3 bundle file$/,
        );
    });

    it("pushes a clone's branches and tags to an empty remote; ls-remote prints them tab-separated, HEAD first", async () => {
        const { w, git, file } = await bundleFile();
        const clone = path.join(dir(), "repo.git");
        await git(["clone", "--mirror", file, clone]);
        assert.strictEqual((await git(["ls-remote", NEW_REMOTE])).stdout, "", "a new remote is empty");
        await git(["push", NEW_REMOTE, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"], clone);
        const listed = (await git(["ls-remote", NEW_REMOTE])).stdout.trim().split("\n");
        const github = w.state.git.remotes[githubUrlOf(CONFIG.platform.mirror.repository)].refs;
        assert.deepStrictEqual(listed, [
            `${github["refs/heads/main"]}\tHEAD`,
            `${github["refs/heads/main"]}\trefs/heads/main`,
            `${github["refs/heads/release/2026.11"]}\trefs/heads/release/2026.11`,
            `${github["refs/tags/v1.0.0"]}\trefs/tags/v1.0.0`,
        ]);
        assert.ok(w.changes.includes(`git push ${NEW_REMOTE}: 3 refs`));
        await git(["push", NEW_REMOTE, "refs/heads/*:refs/heads/*"], clone);
        assert.strictEqual(
            w.changes.filter((c) => c.startsWith("git push")).length,
            1,
            "nothing new to push",
        );
    });

    it("rejects a ref the remote has at another commit (fetch first) and still pushes the others", async () => {
        const { w, git, file } = await bundleFile();
        w.state.git.remotes[NEW_REMOTE] = { refs: { "refs/heads/main": "b".repeat(40) } };
        const clone = path.join(dir(), "repo.git");
        await git(["clone", "--mirror", file, clone]);
        const message = await rejection(
            git(["push", NEW_REMOTE, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"], clone),
        );
        assert.match(message, /failed \(exit code 1\):\nTo \S+\n/);
        assert.match(message, /^ ! \[rejected\] {8}main -> main \(fetch first\)$/m);
        assert.match(message, /^error: failed to push some refs to '\S+'$/m);
        const refs = w.state.git.remotes[NEW_REMOTE].refs;
        assert.strictEqual(refs["refs/heads/main"], "b".repeat(40), "not overwritten");
        assert.ok(refs["refs/tags/v1.0.0"], "the push is not atomic: the tag went");
    });

    it("needs a clone to push from", async () => {
        const { git } = await bundleFile();
        assert.match(
            await rejection(git(["push", NEW_REMOTE, "refs/heads/*:refs/heads/*"], dir())),
            /fatal: not a git repository/,
        );
    });
});

describe("automation/simulation: helm", () => {
    const helm = (w: ReturnType<typeof world>, args: string[]) =>
        w.ports().commands.run("helm", [...args, "-n", "argocd", "--kube-context", PRIMARY_CONTEXT]);

    it("prints the history with helm's JSON fields, and a rollback adds revision latest+1 deployed", async () => {
        const w = world();
        const before = JSON.parse((await helm(w, ["history", "argocd", "-o", "json"])).stdout) as Record<
            string,
            unknown
        >[];
        assert.deepStrictEqual(Object.keys(before[0]), [
            "revision",
            "updated",
            "status",
            "chart",
            "app_version",
            "description",
        ]);
        assert.deepStrictEqual(
            before.map((r) => [r.revision, r.status, r.description]),
            [
                [1, "superseded", "Install complete"],
                [2, "deployed", "Upgrade complete"],
            ],
        );
        assert.strictEqual(
            (await helm(w, ["rollback", "argocd", "1", "--wait", "--timeout", "10m"])).stdout,
            "Rollback was a success! Happy Helming!\n",
        );
        const after = JSON.parse((await helm(w, ["history", "argocd", "-o", "json"])).stdout) as Record<
            string,
            unknown
        >[];
        assert.deepStrictEqual(
            after.map((r) => [r.revision, r.status, r.description]),
            [
                [1, "superseded", "Install complete"],
                [2, "superseded", "Upgrade complete"],
                [3, "deployed", "Rollback to 1"],
            ],
        );
        assert.strictEqual(after[2].chart, before[0].chart);
        const status = JSON.parse((await helm(w, ["status", "argocd", "-o", "json"])).stdout) as {
            version: number;
            info: Record<string, unknown>;
            chart?: unknown;
        };
        assert.strictEqual(status.version, 3);
        assert.deepStrictEqual([status.info.status, status.info.description], ["deployed", "Rollback to 1"]);
        assert.strictEqual(status.chart, undefined, "helm status strips the chart");
        assert.ok(w.changes.includes("helm rollback argocd/argocd to 1"));
    });

    it("fails a rollback to a revision that does not exist, and an unknown release, as helm does", async () => {
        const w = world();
        assert.match(
            await rejection(helm(w, ["rollback", "argocd", "7"])),
            /failed \(exit code 1\):\nError: release has no 7 version$/,
        );
        assert.match(
            await rejection(helm(w, ["history", "nope", "-o", "json"])),
            /Error: release: not found$/,
        );
        assert.match(
            await rejection(w.ports().commands.run("helm", ["history", "argocd", "--kube-context", "prod"])),
            /Error: Kubernetes cluster unreachable: context was not found for specified context: prod$/,
        );
        assert.deepStrictEqual(w.changes, []);
    });
});

describe("automation/simulation: kubectl, argocd and aws eks", () => {
    it("runs the export CronJob as a Job: the export lands in the home bucket and its DR replica", async () => {
        const { world: w, clock } = timedWorld((op) => (op === "background.kubernetes.job" ? 2 * MINUTE : 0));
        const kubectl = (args: string[]) => clock.drive(w.ports().commands.run("kubectl", args));
        const context = (await kubectl(["config", "current-context"])).stdout.trim();
        assert.strictEqual(context, `arn:aws:eks:us-east-1:${w.accountId}:cluster/webank-primary`);
        assert.strictEqual(
            (await kubectl(["-n", "argocd", "create", "job", "--from=cronjob/argocd-export", "x1"])).stdout,
            "job.batch/x1 created\n",
        );
        assert.match(
            await rejection(kubectl(["-n", "argocd", "create", "job", "--from=cronjob/argocd-export", "x1"])),
            /jobs\.batch "x1" already exists/,
        );
        assert.strictEqual(
            (await kubectl(["-n", "argocd", "wait", "--for=condition=complete", "job/x1", "--timeout=300s"]))
                .stdout,
            "job.batch/x1 condition met\n",
        );
        assert.strictEqual(clock.now().getTime() - NOW.getTime(), 2 * MINUTE);
        const key = "argocd-exports/webank-primary/20261125T030200Z.yaml";
        const { home, dr } = artifactBuckets(w);
        const body = w.dr.buckets.get(dr)?.get(key)?.[0].body.toString();
        assert.strictEqual(body, w.home.buckets.get(home)?.get(key)?.[0].body.toString());
        const kinds = parseAllDocuments(body!).map((d) => (d.toJS() as { kind: string }).kind);
        assert.deepStrictEqual(kinds, [
            "ConfigMap",
            "ConfigMap",
            "AppProject",
            "Application",
            "Application",
            "Application",
        ]);
    });

    it("times a wait out as kubectl does when the job outlasts --timeout", async () => {
        const { world: w, clock } = timedWorld((op) =>
            op === "background.kubernetes.job" ? 10 * MINUTE : 0,
        );
        const kubectl = (args: string[]) => clock.drive(w.ports().commands.run("kubectl", args));
        await kubectl(["-n", "argocd", "create", "job", "--from=cronjob/argocd-export", "x1"]);
        assert.match(
            await rejection(
                kubectl(["-n", "argocd", "wait", "--for=condition=complete", "job/x1", "--timeout=60s"]),
            ),
            /error: timed out waiting for the condition on jobs\/x1$/,
        );
    });

    it("lists Applications (-o name, JSONPath), and argocd admin import brings deleted ones back", async () => {
        const w = world();
        const run = (command: string, args: string[], stdin?: Buffer) =>
            w.ports().commands.run(command, args, { stdin });
        const list = () =>
            run("kubectl", [
                "-n",
                "argocd",
                "get",
                "applications",
                "-o",
                "name",
                "--context",
                PRIMARY_CONTEXT,
            ]);
        assert.strictEqual(
            (await list()).stdout,
            "application.argoproj.io/platform\napplication.argoproj.io/accounts\napplication.argoproj.io/payments\n",
        );
        const repo = await run("kubectl", [
            "-n",
            "argocd",
            "get",
            "application",
            "platform",
            "-o",
            "jsonpath={.spec.source.repoURL}",
            "--context",
            PRIMARY_CONTEXT,
        ]);
        assert.strictEqual(repo.stdout, CONFIG.platform.gitops.repoUrl);
        const bucket = artifactBuckets(w).home;
        const newest = (await w.ports().home.objects.newestObject(bucket, "argocd-exports/webank-primary/"))!;
        const exported = await w.ports().home.objects.getObject(bucket, newest.key);
        delete w.state.clusters["webank-primary"].argocd!.Application.payments;
        const imported = await run(
            "argocd",
            ["admin", "import", "-n", "argocd", "-", "--context", PRIMARY_CONTEXT],
            exported,
        );
        assert.strictEqual(imported.stdout, "argoproj.io/Application payments created\n");
        assert.match((await list()).stdout, /application\.argoproj\.io\/payments/);
        const waited = await run("kubectl", [
            "--context",
            PRIMARY_CONTEXT,
            "-n",
            "argocd",
            "wait",
            "--for=jsonpath={.status.health.status}=Healthy",
            "applications.argoproj.io",
            "--all",
            "--timeout=1800s",
        ]);
        assert.strictEqual(waited.stdout.split("\n").filter(Boolean).length, 3);
        assert.match(
            await rejection(run("argocd", ["admin", "import", "-n", "argocd", "-", "--prune"], exported)),
            /does not prune/,
        );
    });

    it("adds the DR cluster's context with aws eks update-kubeconfig only once the cluster exists", async () => {
        const w = world();
        const aws = (args: string[]) => w.ports().commands.run("aws", args);
        const update = [
            "eks",
            "update-kubeconfig",
            "--region",
            CONFIG.drRegion,
            "--name",
            "webank-dr",
            "--alias",
            "webank-dr",
        ];
        assert.match(
            await rejection(aws(update)),
            /failed \(exit code 254\):\nAn error occurred \(ResourceNotFoundException\) when calling the DescribeCluster operation: No cluster found for name: webank-dr\.$/,
        );
        assert.match(
            await rejection(
                w
                    .ports()
                    .commands.run("kubectl", [
                        "-n",
                        "argocd",
                        "get",
                        "applications",
                        "--context",
                        "webank-dr",
                    ]),
            ),
            /Error in configuration: context was not found for specified context: webank-dr$/,
        );
        const dr = await w.ports().workspace.selectStack("dr");
        await dr.setConfig({ "webank:activated": "true", "webank:restore": "{}" });
        await dr.up({ onOutput: () => undefined });
        assert.match((await aws(update)).stdout, /^Added new context webank-dr to \S+config\n$/);
        assert.strictEqual(
            (await w.ports().commands.run("kubectl", ["config", "current-context"])).stdout,
            "webank-dr\n",
        );
    });

    it("lets a handler for a prefix answer before the simulated tool", async () => {
        const w = world();
        w.commandHandlers.set("helm history", () => "[]");
        const ports = w.ports();
        assert.strictEqual(
            (await ports.commands.run("helm", ["history", "argocd", "-o", "json"])).stdout,
            "[]",
        );
        assert.match(
            (await ports.commands.run("helm", ["status", "argocd", "-o", "json", "-n", "argocd"])).stdout,
            /"version":2/,
        );
        assert.deepStrictEqual(w.commandsRun, [
            "helm history argocd -o json",
            "helm status argocd -o json -n argocd",
        ]);
        assert.match(
            await rejection(ports.commands.run("terraform", ["apply"])),
            /terraform is not a tool of the simulation/,
        );
    });
});
