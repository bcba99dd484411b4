import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { parse } from "yaml";
import { commandRunner } from "../../../../automation/adapters/command-runner";
import { restoreGitDefinition } from "../../../../automation/commands/restore/git/definition";
import { mirrorBuildspec } from "../../../../components/source-mirror";
import { bundlePrefixOf } from "../../../../lib/artifacts";
import { bucketName } from "../../../../lib/naming";
import { awsCliVersion } from "../../../support/aws-cli";
import { MotoServer, motoVersion, startMoto } from "../../../support/moto";
import { gitVersion, requirePeer } from "../../../support/peers";
import { useTempDir } from "../../../support/temp-dir";
import { CONFIG, dispose, Harness, harness, runWith, text } from "./support";

/*
 * The Git round trip with real software at each end: the mirror buildspec's script, exactly as
 * the program generates it, run by bash with real git and the real AWS CLI against moto's S3
 * and KMS; then `restore git` with real git (the simulated account stands in for the rest of
 * AWS) into an empty bare repository. `git for-each-ref` of the source and of the restored
 * repository must agree on every branch, tag (annotated and lightweight) and notes ref.
 * github.com and the new remote are local bare repositories reached through git's own
 * `url.<base>.insteadOf` (GIT_CONFIG_COUNT), so neither the script nor the command is edited.
 */

const REGION = CONFIG.homeRegion;
const ACCOUNT = "123456789012";
const REMOTE = "https://git.example.org/webank/platform.git";
/** The refs a repository host keeps and a restore must bring back (GitHub's refs/pull/* it cannot take). */
const KEPT = /^refs\/(heads|tags|notes)\//;

describe("restore git round trip: mirror script, bundle in S3, push to an empty remote (peers)", function () {
    this.timeout(120_000);
    let moto: MotoServer | undefined;
    const dir = useTempDir("webank-git-roundtrip-", { per: "suite" });
    let h: Harness | undefined;
    /** The variables this suite sets, and what they were before (undefined: unset). */
    const saved = new Map<string, string | undefined>();
    const git = (cwd: string, ...args: string[]) =>
        execFileSync("git", args, { cwd, encoding: "utf8", env: process.env }).trim();
    const refsOf = (repository: string) =>
        git(repository, "for-each-ref", "--format=%(refname) %(objecttype) %(objectname)")
            .split("\n")
            .filter((line) => KEPT.test(line))
            .sort();

    before(async function () {
        requirePeer(this, "git", gitVersion());
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        requirePeer(this, "the AWS CLI", awsCliVersion());
        moto = await startMoto();
        const variables: Record<string, string> = {
            AWS_ENDPOINT_URL: moto.endpoint,
            AWS_ACCESS_KEY_ID: "testing",
            AWS_SECRET_ACCESS_KEY: "testing",
            AWS_DEFAULT_REGION: REGION,
            GIT_CONFIG_NOSYSTEM: "1",
            GIT_CONFIG_GLOBAL: "/dev/null",
            GIT_CONFIG_COUNT: "2",
            GIT_CONFIG_KEY_0: `url.${path.join(dir(), "github")}/.insteadOf`,
            GIT_CONFIG_VALUE_0: "https://github.com/",
            GIT_CONFIG_KEY_1: `url.${path.join(dir(), "new-remote.git")}.insteadOf`,
            GIT_CONFIG_VALUE_1: REMOTE,
            GIT_AUTHOR_NAME: "t",
            GIT_AUTHOR_EMAIL: "t@example.org",
            GIT_COMMITTER_NAME: "t",
            GIT_COMMITTER_EMAIL: "t@example.org",
        };
        // restore git's own git calls inherit the process environment, hence process.env.
        for (const [name, value] of Object.entries(variables)) {
            saved.set(name, process.env[name]);
            process.env[name] = value;
        }
    });
    after(async () => {
        for (const [name, value] of saved) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
        if (h) {
            dispose(h);
        }
        await moto?.stop();
    });

    it("brings back every branch, tag and notes ref of the repository", async () => {
        // The platform repository on "github.com": branches, both kinds of tag, notes, a PR ref.
        const work = path.join(dir(), "work");
        fs.mkdirSync(work);
        git(work, "init", "-q", "-b", "main");
        fs.writeFileSync(path.join(work, "app.yaml"), "replicas: 2\n");
        git(work, "add", ".");
        git(work, "commit", "-q", "-m", "platform");
        git(work, "tag", "-a", "v1.0.0", "-m", "release 1.0.0");
        git(work, "checkout", "-q", "-b", "release/2026.11");
        fs.writeFileSync(path.join(work, "app.yaml"), "replicas: 3\n");
        git(work, "commit", "-q", "-am", "scale");
        git(work, "tag", "v1.0.1");
        git(work, "notes", "add", "-m", "change CHG-1042 approved");
        const source = path.join(dir(), "github", `${CONFIG.platform.mirror.repository}.git`);
        fs.mkdirSync(path.dirname(source), { recursive: true });
        git(dir(), "clone", "-q", "--mirror", work, source);
        git(source, "update-ref", "refs/pull/7/head", "main");

        // The artifact bucket and key in moto, and the mirror's script exactly as generated.
        const bucket = bucketName(CONFIG.prefix, "artifacts", ACCOUNT, REGION);
        execFileSync("aws", ["s3api", "create-bucket", "--bucket", bucket], { env: process.env });
        const key = JSON.parse(
            execFileSync("aws", ["kms", "create-key", "--output", "json"], {
                env: process.env,
                encoding: "utf8",
            }),
        ) as { KeyMetadata: { Arn: string } };
        const prefix = bundlePrefixOf(CONFIG.platform.mirror.repository);
        const buildspec = parse(
            mirrorBuildspec(CONFIG.platform.mirror.repository, bucket, key.KeyMetadata.Arn, prefix),
        ) as {
            phases: { build: { commands: string[] } };
        };
        const log = execFileSync("bash", ["-c", buildspec.phases.build.commands[0]], {
            env: { ...process.env, GITHUB_TOKEN: "ghs_not-a-real-token" },
            encoding: "utf8",
        });
        assert.match(log, /^bundle sha256: [0-9a-f]{64}$/m);
        assert.ok(!log.includes("ghs_not-a-real-token"), "the token is never in the log");

        // The bundle, read back from moto, is the artifact the simulated account serves.
        const s3 = new S3Client({ region: REGION, endpoint: moto!.endpoint, forcePathStyle: true });
        const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
        assert.strictEqual(Contents.length, 1, "one bundle uploaded");
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: Contents[0].Key }));
        const body = Buffer.from(await object.Body!.transformToByteArray());
        s3.destroy();
        h = harness("restore-git-roundtrip-");
        h.world.home.put(bucket, Contents[0].Key!, body, h.world.now());

        git(dir(), "init", "-q", "--bare", "new-remote.git");
        const ports = { ...h.world.ports(), commands: commandRunner() };
        const code = await runWith(
            h,
            restoreGitDefinition,
            { remote: REMOTE, "bundle-key": Contents[0].Key! },
            undefined,
            ports,
        );
        assert.strictEqual(code, 0, text(h));
        const restored = refsOf(path.join(dir(), "new-remote.git"));
        assert.deepStrictEqual(
            restored,
            refsOf(source),
            "every branch, tag and notes ref, at the same object",
        );
        assert.ok(
            restored.some((r) => r.startsWith("refs/notes/commits commit")),
            restored.join("\n"),
        );
        assert.ok(
            restored.some((r) => r.startsWith("refs/tags/v1.0.0 tag")),
            "the annotated tag stays a tag object",
        );
        assert.ok(!git(path.join(dir(), "new-remote.git"), "for-each-ref").includes("refs/pull/"));
    });
});
