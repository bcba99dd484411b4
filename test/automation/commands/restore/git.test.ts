import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { drStackConfig } from "../../../../automation/commands/failover/command";
import { Journal } from "../../../../automation/run/journal";
import { parseRefs, restoreGitCommand, RestoreGitOptions } from "../../../../automation/commands/restore/git";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { bundlePrefixOf } from "../../../../lib/artifacts";
import { bucketName } from "../../../../lib/naming";

const NOW = new Date("2026-11-25T03:00:00Z");
const config = drStackConfig();
const PREFIX = bundlePrefixOf(config.platform.mirror.repository);
const NEWEST = `${PREFIX}20261125T024700Z.bundle`;
const OLDER = `${PREFIX}20261124T120000Z.bundle`;
const REMOTE = "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/platform";
const PUSH = `git push ${REMOTE} refs/heads/*:refs/heads/* refs/tags/*:refs/tags/*`;
const sha = (n: number) => String(n).repeat(40).slice(0, 40);
const BUNDLE_REFS: [string, string][] = [
    ["HEAD", sha(1)],
    ["refs/heads/main", sha(1)],
    ["refs/heads/release", sha(2)],
    ["refs/tags/v1.0.0", sha(3)],
    ["refs/pull/7/head", sha(4)],
];

/** A bundle that clones and verifies, and a remote that `git push` fills. */
function gitTools(world: SimulatedWorld) {
    const state = {
        remote: new Map<string, string>(),
        bundles: [] as string[],
        failPushes: 0,
        dropOnPush: [] as string[],
        rootAppUrl: "",
    };
    world.commandHandlers.set("git clone --mirror", (args) => {
        state.bundles.push(args[2]);
        assert.ok(fs.existsSync(args[2]), "the bundle is downloaded before the clone");
        return "";
    });
    world.commandHandlers.set("git bundle verify", (args) => `${args[2]} is okay\n`);
    world.commandHandlers.set("git bundle list-heads", () =>
        BUNDLE_REFS.map(([r, s]) => `${s} ${r}`).join("\n"),
    );
    world.commandHandlers.set("git ls-remote", () =>
        [...state.remote]
            .map(([r, s]) => `${s}\t${r}\n${r.startsWith("refs/tags/") ? `${s}\t${r}^{}\n` : ""}`)
            .join(""),
    );
    world.commandHandlers.set("git push", () => {
        if (state.failPushes > 0) {
            state.failPushes -= 1;
            throw new Error("git push: fatal: unable to access remote: 403");
        }
        BUNDLE_REFS.filter(([r]) => /^refs\/(heads|tags)\//.test(r) && !state.dropOnPush.includes(r)).forEach(
            ([r, s]) => state.remote.set(r, s),
        );
        return "";
    });
    world.commandHandlers.set("kubectl -n argocd get application platform", () => state.rootAppUrl);
    return state;
}

describe("restore git", () => {
    let dir: string;
    let world: SimulatedWorld;
    let options: RestoreGitOptions;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "restore-git-"));
        world = standardWorld(config, { now: NOW });
        options = { yes: true, dryRun: false, journalFile: path.join(dir, "journal.json"), remote: REMOTE };
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (extra: Partial<RestoreGitOptions> = {}) =>
        restoreGitCommand({ ...options, ...extra }, world.ports(), config);
    const artifacts = bucketName(config.prefix, "artifacts", "123456789012", config.homeRegion);
    const commands = () =>
        world.commandsRun.map((c) => c.replace(/\/\S*webank-restore-git-[^/\s]+/g, "<tmp>"));
    const config1 = (stack: string) => world.stacks.get(stack)!.config;
    const assertNothingDeleted = () => {
        const pushes = world.commandsRun.filter((c) => c.startsWith("git push"));
        assert.ok(!pushes.some((c) => /--mirror|--prune|--force|--delete| \+/.test(c)), pushes.join("\n"));
        assert.ok(!world.changes.some((c) => /delete|remove|destroy/.test(c)), world.changes.join("\n"));
    };

    it("pushes the newest bundle's branches and tags to the new remote and repoints the primary stack", async () => {
        const state = gitTools(world);
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.deepStrictEqual(commands(), [
            `git ls-remote ${REMOTE}`,
            "git clone --mirror <tmp>/repo.bundle <tmp>/repo.git",
            "git bundle verify <tmp>/repo.bundle",
            "git bundle list-heads <tmp>/repo.bundle",
            `git ls-remote ${REMOTE}`,
            PUSH,
            `git ls-remote ${REMOTE}`,
        ]);
        assert.deepStrictEqual(world.changes, [
            `stack primary config {"webank:mirrorRepoUrl":"${REMOTE}","webank:gitSource":"mirror"}`,
            "stack primary up",
        ]);
        assert.strictEqual(config1("primary")["webank:gitSource"], "mirror");
        assert.deepStrictEqual([...state.remote.keys()].sort(), [
            "refs/heads/main",
            "refs/heads/release",
            "refs/tags/v1.0.0",
        ]);
        assert.ok(!fs.existsSync(path.dirname(state.bundles[0])), "the temporary directory is removed");
        assert.ok(world.lines.some((l) => l.includes(NEWEST) && l.includes("12 min old (RPO 15 min)")));
        assert.ok(world.lines.some((l) => l.includes("all 2 branches and 1 tags of the bundle are on")));
        assertNothingDeleted();
    });

    it("restores an older bundle chosen with --bundle-key onto the dr stack, checking the root app", async () => {
        world.home.put(
            artifacts,
            OLDER,
            "# v2 git bundle (older)\n",
            new Date(NOW.getTime() - 15 * 3600_000),
        );
        const state = gitTools(world);
        state.rootAppUrl = REMOTE;
        assert.strictEqual(
            await run({ bundleKey: OLDER, stack: "dr", context: "webank-dr" }),
            0,
            world.lines.join("\n"),
        );
        assert.deepStrictEqual(world.changes, [
            `stack dr config {"webank:mirrorRepoUrl":"${REMOTE}","webank:gitSource":"mirror"}`,
            "stack dr up",
        ]);
        assert.ok(world.lines.some((l) => l.startsWith("WARNING: the Git bundle is older than its RPO")));
        assert.ok(world.lines.some((l) => l.includes(`the newest bundle is ${NEWEST}`)));
        assert.ok(
            world.commandsRun.includes(
                "kubectl -n argocd get application platform -o jsonpath={.spec.source.repoURL} --context webank-dr",
            ),
        );
        assert.strictEqual(
            config1("primary")["webank:gitSource"],
            undefined,
            "the primary stack is untouched",
        );
    });

    it("dry run lists the bundle and where older ones are, and changes nothing", async () => {
        gitTools(world);
        assert.strictEqual(await run({ dryRun: true }), 0, world.lines.join("\n"));
        assert.ok(world.lines[0].startsWith("DRY RUN:"));
        assert.ok(
            world.lines.some((l) => l.includes(`older bundles: aws s3 ls s3://${artifacts}/${PREFIX}`)),
        );
        assert.ok(world.lines.some((l) => l.includes("5. repoint: set webank:mirrorRepoUrl=")));
        assert.deepStrictEqual(commands(), [`git ls-remote ${REMOTE}`]);
        assert.deepStrictEqual(world.changes, []);
        assert.ok(!fs.existsSync(options.journalFile!));
    });

    for (const [name, extra, message] of [
        ["no --remote", { remote: undefined }, "--remote must be the Git URL of the new remote"],
        [
            "a remote that is not a Git URL",
            { remote: "file:///tmp/x" },
            '--remote must be the Git URL of the new remote (https://, ssh:// or git@); got "file:///tmp/x"',
        ],
        [
            "a token in the remote URL",
            { remote: "https://x-access-token:ghp_s3cr3t@github.com/acme/p.git" },
            "--remote must carry no credentials",
        ],
        [
            "a bundle key outside the repository's prefix",
            { bundleKey: "git-bundles/other/repo/x.bundle" },
            "--bundle-key must be a key under git-bundles/webank/platform/",
        ],
        [
            "a bundle key that does not exist",
            { bundleKey: `${PREFIX}20200101T000000Z.bundle` },
            "--bundle-key must name an object under",
        ],
        ["an unknown region", { region: "mars" as never }, '--region must be home or dr; got "mars"'],
        [
            "a bad stack name",
            { stack: "-rf" },
            '--stack must be a Pulumi stack name such as primary or dr; got "-rf"',
        ],
    ] as const) {
        it(`refuses ${name} before any change (exit 2)`, async () => {
            gitTools(world);
            assert.strictEqual(await run(extra), 2, world.lines.join("\n"));
            assert.ok(
                world.lines.some((l) => l.includes(message)),
                world.lines.join("\n"),
            );
            assert.ok(!world.lines.some((l) => l.includes("ghp_s3cr3t")), "a token is never printed");
            assert.ok(!world.commandsRun.some((c) => c.startsWith("git push")));
            assert.deepStrictEqual(world.changes, []);
            assert.ok(!fs.existsSync(options.journalFile!));
        });
    }

    it("refuses a remote that already holds other refs, before pushing anything (exit 1)", async () => {
        const state = gitTools(world);
        state.remote.set("refs/heads/main", sha(9));
        assert.strictEqual(await run(), 1);
        assert.ok(
            world.lines.some((l) =>
                l.includes(`${REMOTE} is not empty: 1 of its refs are not this bundle's`),
            ),
        );
        assert.ok(!world.commandsRun.some((c) => c.startsWith("git push")));
        assert.deepStrictEqual(world.changes, []);
        assert.strictEqual(
            state.remote.get("refs/heads/main"),
            sha(9),
            "the remote's ref is not overwritten",
        );
    });

    it("fails verification when a ref of the bundle is missing on the remote, before repointing (exit 1)", async () => {
        const state = gitTools(world);
        state.dropOnPush = ["refs/tags/v1.0.0"];
        assert.strictEqual(await run(), 1);
        assert.ok(
            world.lines.some(
                (l) => l.includes("1 refs of the bundle are not on") && l.includes("refs/tags/v1.0.0"),
            ),
            world.lines.join("\n"),
        );
        assert.deepStrictEqual(world.changes, [], "Argo CD is not repointed to an incomplete remote");
        assertNothingDeleted();
    });

    it("stops with exit 1 when the push fails, and the same command resumes", async () => {
        const state = gitTools(world);
        state.failPushes = 1;
        assert.strictEqual(await run(), 1);
        assert.ok(world.lines.some((l) => l.includes("step push failed: git push: fatal")));
        assert.deepStrictEqual(world.changes, []);
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.strictEqual(state.remote.size, 3);
        assertNothingDeleted();
    });

    it("resumes after a failed pulumi up without pushing or setting config again, keeping the chosen bundle", async () => {
        const state = gitTools(world);
        world.failNext("stack.primary.up", new Error("pulumi up: the EKS API timed out"));
        assert.strictEqual(await run(), 1);
        const journal = Journal.open(options.journalFile!, "restore-git");
        assert.ok(journal.isDone("push") && journal.isDone("repoint") && !journal.isDone("up"));

        // A newer (maybe poisoned) bundle appears meanwhile: the resumed run keeps the first one.
        world.home.put(artifacts, `${PREFIX}20261125T025900Z.bundle`, "# v2 git bundle (new)\n", NOW);
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.strictEqual(world.commandsRun.filter((c) => c === PUSH).length, 1);
        assert.deepStrictEqual(world.changes, [
            `stack primary config {"webank:mirrorRepoUrl":"${REMOTE}","webank:gitSource":"mirror"}`,
            "stack primary up",
        ]);
        assert.ok(world.lines.filter((l) => l.startsWith("Git bundle:")).every((l) => l.includes(NEWEST)));
        assert.strictEqual(
            state.bundles.length,
            1,
            "a resumed run does not need the bundle once it is pushed",
        );
        assertNothingDeleted();
    });

    it("fails when the root app does not follow the remote after the up (exit 1)", async () => {
        const state = gitTools(world);
        state.rootAppUrl = "https://github.com/webank/platform.git";
        assert.strictEqual(await run({ context: "webank-primary" }), 1);
        assert.ok(
            world.lines.some((l) =>
                l.includes("the root app platform on webank-primary follows https://github.com/"),
            ),
        );
    });

    it("parses refs as git prints them, leaving peeled tags out", () => {
        const refs = parseRefs(
            `${sha(1)}\tHEAD\n${sha(2)}\trefs/tags/v1\n${sha(3)}\trefs/tags/v1^{}\nwarning: x\n`,
        );
        assert.deepStrictEqual(
            [...refs],
            [
                ["HEAD", sha(1)],
                ["refs/tags/v1", sha(2)],
            ],
        );
    });
});
