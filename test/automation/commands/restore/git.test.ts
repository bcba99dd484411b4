import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { OptionValues } from "../../../../automation/commands/definition";
import { restoreGitDefinition } from "../../../../automation/commands/restore/git/definition";
import { parseRefs } from "../../../../automation/commands/restore/git/refs";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { bundlePrefixOf } from "../../../../lib/artifacts";
import { bucketName } from "../../../../lib/naming";
import { filesUnder } from "../../../support/commands";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import {
    archived,
    assertRefused,
    changes,
    CONFIG,
    currentJournal,
    dispose,
    Harness,
    harness,
    NOW,
    reports,
    runWith,
    text,
} from "./support";

const OPERATION = "restore-git";
const PREFIX = bundlePrefixOf(CONFIG.platform.mirror.repository);
const NEWEST = `${PREFIX}20261125T024700Z.bundle`;
const OLDER = `${PREFIX}20261124T120000Z.bundle`;
const REMOTE = "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/platform";
const PUSH = `git push ${REMOTE} refs/heads/*:refs/heads/* refs/tags/*:refs/tags/* refs/notes/*:refs/notes/*`;
const REPOINT = `stack primary config {"webank:mirrorRepoUrl":"${REMOTE}","webank:gitSource":"mirror"}`;
const sha = (n: number) => String(n).repeat(40).slice(0, 40);
const BUNDLE_REFS: [string, string][] = [
    ["HEAD", sha(1)],
    ["refs/heads/main", sha(1)],
    ["refs/heads/release", sha(2)],
    ["refs/tags/v1.0.0", sha(3)],
    ["refs/pull/7/head", sha(4)],
];

/**
 * A bundle that clones and verifies, and a remote that `git push` fills, with faults on
 * demand. Set here rather than left to the simulation's own git: the tests need a remote
 * that loses a ref on push, refuses a push, or already holds refs.
 */
function gitTools(world: SimulatedWorld) {
    const remotes = new Map<string, Map<string, string>>();
    const remoteAt = (url: string) => remotes.get(url) ?? remotes.set(url, new Map()).get(url)!;
    const state = {
        /** The refs of {@link REMOTE}; other remotes start empty. */
        remote: remoteAt(REMOTE),
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
    world.commandHandlers.set("git ls-remote", (args) =>
        [...remoteAt(args[1])]
            .map(([r, s]) => `${s}\t${r}\n${r.startsWith("refs/tags/") ? `${s}\t${r}^{}\n` : ""}`)
            .join(""),
    );
    world.commandHandlers.set("git push", (args) => {
        if (state.failPushes > 0) {
            state.failPushes -= 1;
            throw new Error("git push: fatal: unable to access remote: 403");
        }
        BUNDLE_REFS.filter(
            ([r]) => /^refs\/(heads|tags|notes)\//.test(r) && !state.dropOnPush.includes(r),
        ).forEach(([r, s]) => remoteAt(args[1]).set(r, s));
        return "";
    });
    world.commandHandlers.set("kubectl -n argocd get application platform", () => state.rootAppUrl);
    return state;
}

describe("automation/commands/restore/git", () => {
    let h: Harness;
    beforeEach(() => {
        h = harness("restore-git-");
    });
    afterEach(() => dispose(h));
    const run = (values: OptionValues = {}, confirm?: (q: string) => Promise<boolean>) =>
        runWith(h, restoreGitDefinition, { remote: REMOTE, ...values }, confirm);
    const artifacts = bucketName(CONFIG.prefix, "artifacts", "123456789012", CONFIG.homeRegion);
    const commands = () =>
        h.world.commandsRun.map((c) => c.replace(/\/\S*webank-restore-git-[^/\s]+/g, "<tmp>"));
    const stackConfig = (stack: string) => h.world.stacks.get(stack)!.config;
    const SOURCE = `s3://${artifacts}/deploy-sources/primary.zip`;
    /** The up of primary in its deploy runner: the default `runner` access, and the cluster exists. */
    const RUNNER_UP = [
        `home s3 put ${SOURCE}`,
        "home codebuild start webank-primary-deploy up",
        "stack primary up in webank-primary-deploy",
    ];
    /** Makes the next `up` of primary, wherever it runs, fail as a Kubernetes API timeout would. */
    const failNextUp = () => {
        const stack = h.world.stacks.get("primary")!;
        stack.onUp = () => {
            delete stack.onUp;
            throw new Error("pulumi up: the EKS API timed out");
        };
    };
    const pushes = () => h.world.commandsRun.filter((c) => c === PUSH).length;

    it("pushes the newest bundle's branches and tags to the new remote and repoints the primary stack", async () => {
        const state = gitTools(h.world);
        assert.strictEqual(await run(), 0, text(h));
        assert.deepStrictEqual(commands(), [
            `git ls-remote ${REMOTE}`,
            "git clone --mirror <tmp>/repo.bundle <tmp>/repo.git",
            "git bundle verify <tmp>/repo.bundle",
            "git bundle list-heads <tmp>/repo.bundle",
            `git ls-remote ${REMOTE}`,
            PUSH,
            `git ls-remote ${REMOTE}`,
        ]);
        assert.deepStrictEqual(changes(h), [REPOINT, ...RUNNER_UP]);
        assert.strictEqual(stackConfig("primary")["webank:gitSource"], "mirror");
        assert.deepStrictEqual([...state.remote.keys()].sort(), [
            "refs/heads/main",
            "refs/heads/release",
            "refs/tags/v1.0.0",
        ]);
        assert.ok(!fs.existsSync(path.dirname(state.bundles[0])), "the temporary directory is removed");
        assert.ok(h.world.lines.some((l) => l.includes(NEWEST) && l.includes("12 min old (RPO 15 min)")));
        assert.match(text(h), /all 2 branches and 1 tags of the bundle are on/);
        const [report] = reports(h);
        assert.strictEqual(report.measurements.rpo?.minutes, 12, "the bundle's age at the run's start");
        assert.strictEqual(report.measurements.rto?.span, "run start to Argo CD following the new remote");
        assertNothingDeleted(h.world);
    });

    it("pushes and repoints against the simulation's own git and cluster (no injected handlers)", async () => {
        const root =
            "kubectl -n argocd get application platform -o jsonpath={.spec.source.repoURL} --context webank-primary";
        assert.strictEqual(await run({ context: "webank-primary" }), 0, text(h));
        assert.deepStrictEqual(changes(h).slice(-4), [REPOINT, ...RUNNER_UP]);
        assert.match(
            changes(h)[0],
            new RegExp(`^git push ${REMOTE.replace(/\./g, "\\.")}`),
            "the simulated remote records the push",
        );
        assert.strictEqual(pushes(), 1);
        assert.ok(h.world.commandsRun.includes(root), "the root app was checked on the cluster");
        assert.match(text(h), /done  verify-argocd: root app platform on webank-primary follows/);
        assertNothingDeleted(h.world);
    });

    it("restores an older bundle chosen with --bundle-key onto the dr stack, checking the root app", async () => {
        h.world.home.put(
            artifacts,
            OLDER,
            "# v2 git bundle (older)\n",
            new Date(NOW.getTime() - 15 * 3600_000),
        );
        gitTools(h.world).rootAppUrl = REMOTE;
        assert.strictEqual(await run({ "bundle-key": OLDER, stack: "dr", context: "webank-dr" }), 0, text(h));
        assert.deepStrictEqual(changes(h), [REPOINT.replace("primary", "dr"), "stack dr up"]);
        assert.ok(h.world.lines.some((l) => l.startsWith("WARNING: the Git bundle is older than its RPO")));
        assert.match(text(h), new RegExp(`the newest bundle is ${NEWEST}`));
        assert.ok(
            h.world.commandsRun.includes(
                "kubectl -n argocd get application platform -o jsonpath={.spec.source.repoURL} --context webank-dr",
            ),
        );
        assert.strictEqual(
            stackConfig("primary")["webank:gitSource"],
            undefined,
            "the primary stack is untouched",
        );
    });

    it("a dry run verifies the bundle and the remote (read-only steps), and changes and writes nothing", async () => {
        const state = gitTools(h.world);
        assert.strictEqual(await run({ "dry-run": true }), 0, text(h));
        assert.match(text(h), /^DRY RUN: /);
        assert.match(text(h), new RegExp(`older bundles: aws s3 ls s3://${artifacts}/${PREFIX}`));
        assert.match(text(h), /5\. repoint: set webank:mirrorRepoUrl=/);
        assert.match(text(h), /verify-bundle now: bundle verified: 2 branches and 1 tags/);
        assert.match(text(h), /check-remote now: .* holds 0 refs, all of them this bundle's/);
        assert.strictEqual(pushes(), 0);
        assert.deepStrictEqual(h.world.changes, []);
        assert.deepStrictEqual(filesUnder(h.dir), []);
        assert.ok(!fs.existsSync(path.dirname(state.bundles[0])), "the temporary directory is removed");
    });

    for (const [name, values, message] of [
        [
            "no --remote",
            { remote: undefined },
            "--remote must be the Git URL of the new remote (https://, ssh:// or git@); got nothing",
        ],
        [
            "a remote that is not a Git URL",
            { remote: "file:///tmp/x" },
            '--remote must be the Git URL of the new remote (https://, ssh:// or git@); got "file:///tmp/x"',
        ],
        [
            "a token in the remote URL",
            { remote: "https://x-access-token:ghp_s3cr3t@github.com/acme/p.git" },
            '--remote must carry no credentials (they would be on a command line, in the journal and in the stack config); configure a git credential helper or an SSH key instead; got "https://***@github.com/acme/p.git"',
        ],
        [
            "a bundle key outside the repository's prefix",
            { "bundle-key": "git-bundles/other/repo/x.bundle" },
            "--bundle-key must be a key under git-bundles/webank/platform/ ending in .bundle",
        ],
        [
            "a bundle key that does not exist",
            { "bundle-key": `${PREFIX}20200101T000000Z.bundle` },
            "--bundle-key must name an object under",
        ],
        ["an unknown region", { region: "mars" }, '--region must be home or dr; got "mars"'],
        [
            "a stack that is not primary or dr",
            { stack: "staging" },
            '--stack must be primary or dr; got "staging"',
        ],
        [
            "a context that looks like a flag",
            { context: "-A" },
            '--context must be a kube context name (no spaces, not starting with -); got "-A"',
        ],
    ] as const) {
        it(`refuses ${name} before any change, writing nothing (exit 2)`, async () => {
            gitTools(h.world);
            await assertRefused(h, () => run(values), message);
            assert.ok(!text(h).includes("ghp_s3cr3t"), "a token is never printed");
            assert.strictEqual(pushes(), 0);
        });
    }

    it("refuses a remote that already holds other refs, before pushing anything (exit 1)", async () => {
        const state = gitTools(h.world);
        state.remote.set("refs/heads/main", sha(9));
        assert.strictEqual(await run(), 1);
        assert.match(text(h), new RegExp(`${REMOTE} is not empty: 1 of its refs are not this bundle's`));
        assert.strictEqual(pushes(), 0);
        assert.deepStrictEqual(changes(h), []);
        assert.strictEqual(
            state.remote.get("refs/heads/main"),
            sha(9),
            "the remote's ref is not overwritten",
        );
        h.world.lines.length = 0;
        const other = "https://git.example.org/webank/platform-empty.git";
        assert.strictEqual(await run({ remote: other }), 0, text(h));
        assert.match(
            text(h),
            /had changed nothing \(only read-only checks ran\)/,
            "checks only: another remote may replace the run",
        );
    });

    it("fails verification when a ref of the bundle is missing on the remote, before repointing (exit 1)", async () => {
        gitTools(h.world).dropOnPush = ["refs/tags/v1.0.0"];
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /1 refs of the bundle are not on .*refs\/tags\/v1\.0\.0/);
        assert.deepStrictEqual(changes(h), [], "Argo CD is not repointed to an incomplete remote");
        assertNothingDeleted(h.world);
    });

    it("stops with exit 1 when the push fails, and the same command resumes", async () => {
        const state = gitTools(h.world);
        state.failPushes = 1;
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /step push failed: git push: fatal/);
        assert.match(
            text(h),
            new RegExp(
                `resume with:\\n {2}npm run dr -- restore git --remote ${REMOTE.replace(/\./g, "\\.")} --region home --stack primary --simulate --yes`,
            ),
        );
        assert.deepStrictEqual(changes(h), []);
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(state.remote.size, 3);
        assertNothingDeleted(h.world);
    });

    it("resumes after a failed pulumi up without pushing or setting config again, keeping the pinned bundle", async () => {
        const state = gitTools(h.world);
        failNextUp();
        assert.strictEqual(await run(), 1);
        assert.match(
            text(h),
            /step runner-up failed: deploy build webank-primary-deploy:\S+ ended FAILED .*the EKS API timed out/,
        );
        assert.deepStrictEqual(currentJournal(h, OPERATION)?.pins.bundleKey, NEWEST);
        // A newer (maybe poisoned) bundle appears meanwhile: the resumed run keeps the first one.
        h.world.home.put(artifacts, `${PREFIX}20261125T025900Z.bundle`, "# v2 git bundle (new)\n", NOW);
        h.world.lines.length = 0;
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(pushes(), 1);
        assert.deepStrictEqual(
            changes(h),
            [REPOINT, ...RUNNER_UP.slice(0, 2), RUNNER_UP[1], RUNNER_UP[2]],
            "the same upload, a new build: the failed one is not waited on again",
        );
        assert.ok(h.world.lines.filter((l) => l.startsWith("Git bundle:")).every((l) => l.includes(NEWEST)));
        assert.match(text(h), /the newest bundle is git-bundles\/webank\/platform\/20261125T025900Z\.bundle/);
        assert.strictEqual(
            state.bundles.length,
            1,
            "a resumed run does not need the bundle once it is pushed",
        );
        assertNothingDeleted(h.world);
    });

    it("refuses other arguments over an unfinished run, naming the difference", async () => {
        gitTools(h.world);
        failNextUp();
        assert.strictEqual(await run(), 1);
        h.world.lines.length = 0;
        assert.strictEqual(await run({ stack: "dr" }), 2);
        assert.match(text(h), /--stack: the unfinished run has "primary", this command has "dr"/);
        assert.deepStrictEqual(changes(h), [REPOINT, ...RUNNER_UP.slice(0, 2)]);
    });

    it("never resumes a finished run: the same command again is a new run, refused by the now full remote", async () => {
        gitTools(h.world);
        assert.strictEqual(await run(), 0, text(h));
        h.clock = new Date("2026-11-25T03:04:00Z");
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(
            archived(h, OPERATION).length,
            2,
            "a new run (the remote holds only this bundle's refs)",
        );
        assert.strictEqual(
            pushes(),
            2,
            "git push of refs already there changes nothing, and overwrites nothing",
        );
    });

    it("fails when the root app does not follow the remote after the up (exit 1)", async () => {
        gitTools(h.world).rootAppUrl = "https://github.com/webank/platform.git";
        assert.strictEqual(await run({ context: "webank-primary" }), 1);
        assert.match(text(h), /the root app platform on webank-primary follows https:\/\/github.com\//);
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
