import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { DeployRunner, DeployRunnerArgs, PULUMI_CLI_VERSION } from "../../components/deploy-runner";
import {
    deployRunnerBuildspec,
    installScript,
    RUNNER_VARIABLES,
    runScript,
} from "../../components/deploy-runner-buildspec";
import { OfflineRun, OfflineRunError } from "../../offline/engine";
import { runComponent } from "../support/component";
import { evaluate } from "../support/iam";
import { inputsOf, named, ofType, policyOf } from "../support/offline";
import { makeTempDir, removeTempDir } from "../support/temp-dir";

const ACCOUNT = "123456789012";
const SOURCE_BUCKET = `webank-artifacts-${ACCOUNT}-us-east-1`;
const BACKEND_URL = `s3://webank-bootstrap-state-${ACCOUNT}?region=us-west-2&awssdk=v2`;
const ARGS: DeployRunnerArgs = {
    projectName: "webank-primary-deploy",
    stackName: "primary",
    region: "us-east-1",
    accountId: ACCOUNT,
    vpcId: "vpc-0a1b2c3d4e5f60718",
    privateSubnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
    kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-0123456789abcdef0123456789abcdef`,
    sourceBucketName: SOURCE_BUCKET,
    backendUrl: BACKEND_URL,
};
const PROJECT = "aws:codebuild/project:Project";

/** The project's environment variables, by name. */
function environmentOf(run: OfflineRun, project: string): Record<string, string> {
    const variables = inputsOf(named(run, PROJECT, project)).environment.environmentVariables as {
        name: string;
        value: string;
    }[];
    return Object.fromEntries(variables.map((v) => [v.name, v.value]));
}

function declare(overrides: Partial<DeployRunnerArgs> = {}): Promise<OfflineRun> {
    return runComponent((provider) => {
        const runner = new DeployRunner("runner", { ...ARGS, ...overrides }, { provider });
        return { sourceLocation: runner.sourceLocation, securityGroupId: runner.securityGroupId };
    });
}

describe("components/deploy-runner: pulumi from inside the VPC", function () {
    this.timeout(60_000);
    let run: OfflineRun;
    before(async () => {
        run = await declare();
    });

    it("runs in the stack's private subnets behind its own security group, one build at a time", () => {
        const project = inputsOf(named(run, PROJECT, "runner-project"));
        assert.deepStrictEqual(project.vpcConfig.subnets, ARGS.privateSubnetIds);
        assert.deepStrictEqual(project.vpcConfig.securityGroupIds, [run.outputs.securityGroupId]);
        assert.strictEqual(project.concurrentBuildLimit, 1);
        assert.strictEqual(project.encryptionKey, ARGS.kmsKeyArn);
        assert.strictEqual(project.logsConfig.cloudwatchLogs.status, "ENABLED");
    });

    it("sends only HTTPS out and admits nothing in", () => {
        const group = inputsOf(named(run, "aws:ec2/securityGroup:SecurityGroup", "runner-sg"));
        assert.deepStrictEqual(
            (group.egress as { protocol: string; fromPort: number; toPort: number }[]).map((rule) => [
                rule.protocol,
                rule.fromPort,
                rule.toPort,
            ]),
            [["tcp", 443, 443]],
        );
        assert.ok(!group.ingress || group.ingress.length === 0, "no ingress");
    });

    it("with databaseCidrs, also sends PostgreSQL to them (a failover's data verification), nothing else", async () => {
        const withDb = await declare({ databaseCidrs: ["10.20.0.0/16"] });
        const group = inputsOf(named(withDb, "aws:ec2/securityGroup:SecurityGroup", "runner-sg"));
        assert.deepStrictEqual(
            (
                group.egress as { protocol: string; fromPort: number; toPort: number; cidrBlocks: string[] }[]
            ).map((rule) => [rule.protocol, rule.fromPort, rule.toPort, rule.cidrBlocks]),
            [
                ["tcp", 443, 443, ["0.0.0.0/0"]],
                ["tcp", 5432, 5432, ["10.20.0.0/16"]],
            ],
        );
        assert.match(group.description, /HTTPS, and PostgreSQL to the VPC, out only/);
    });

    it("reads the program from deploy-sources/<stack>.zip in the region's artifact bucket", () => {
        const project = inputsOf(named(run, PROJECT, "runner-project"));
        assert.deepStrictEqual(
            [project.source.type, project.source.location],
            ["S3", `${SOURCE_BUCKET}/deploy-sources/primary.zip`],
        );
    });

    it("previews unless a build is told to update, and pins the CLI to the SDK's version", () => {
        const variables = environmentOf(run, "runner-project");
        assert.strictEqual(variables[RUNNER_VARIABLES.command], "preview");
        assert.strictEqual(variables[RUNNER_VARIABLES.stack], "primary");
        assert.strictEqual(variables[RUNNER_VARIABLES.backendUrl], BACKEND_URL);
        const sdk = JSON.parse(
            fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8"),
        ).version;
        assert.strictEqual(variables[RUNNER_VARIABLES.pulumiVersion], sdk);
        assert.strictEqual(PULUMI_CLI_VERSION, sdk);
    });

    describe("its role, evaluated by iam-simulate", () => {
        const roleArn = `arn:aws:iam::${ACCOUNT}:role/runner-role`;
        const projectArn = `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/${ARGS.projectName}`;
        const assume = (sourceAccount: string, sourceArn: string) =>
            evaluate({
                principal: "codebuild.amazonaws.com",
                action: "sts:AssumeRole",
                resource: roleArn,
                resourcePolicy: policyOf(named(run, "aws:iam/role:Role", "runner-role"), "assumeRolePolicy"),
                context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn },
            });
        it("may be assumed by CodeBuild for this project of this account only", async () => {
            assert.strictEqual((await assume(ACCOUNT, projectArn)).result, "Allowed");
            assert.strictEqual(
                (await assume("210987654321", projectArn.replace(ACCOUNT, "210987654321"))).result,
                "ImplicitlyDenied",
            );
            assert.strictEqual(
                (await assume(ACCOUNT, projectArn.replace("webank-primary-deploy", "someone-else"))).result,
                "ImplicitlyDenied",
            );
        });
    });

    describe("refuses bad arguments, naming them", () => {
        for (const [field, overrides] of [
            ["pulumiSha256", { pulumiSha256: "ABC" }],
            ["pulumiSha256", { pulumiSha256: "g".repeat(64) }],
            ["projectName", { projectName: "-bad name" }],
            ["privateSubnetIds", { privateSubnetIds: [] }],
        ] as const) {
            it(`${field}: ${JSON.stringify(Object.values(overrides)[0])}`, async () => {
                await assert.rejects(
                    declare(overrides as Partial<DeployRunnerArgs>),
                    (error: Error) =>
                        error instanceof OfflineRunError &&
                        error.message.includes(`DeployRunner(runner).${field}`),
                );
            });
        }
    });
    it("declares nothing else that holds data", () => {
        assert.deepStrictEqual(ofType(run, "aws:s3/bucket:Bucket"), []);
    });
});

/*
 * The buildspec's scripts run in real bash, with curl, npm and pulumi replaced by stubs on
 * PATH that serve local files and record their arguments: the checksum logic is tested by
 * running it, not by reading it.
 */
describe("components/deploy-runner-buildspec: the scripts, run by bash", function () {
    this.timeout(30_000);
    const version = "3.0.0";
    const archiveName = `pulumi-v${version}-linux-x64.tar.gz`;
    let dir: string;
    let archiveSha: string;

    beforeEach(() => {
        dir = makeTempDir("runner-");
        fs.mkdirSync(path.join(dir, "release", "pulumi"), { recursive: true });
        fs.mkdirSync(path.join(dir, "bin"));
        fs.mkdirSync(path.join(dir, "install"));
        // The release archive holds pulumi/pulumi (the layout Pulumi's installers unpack).
        fs.writeFileSync(path.join(dir, "release", "pulumi", "pulumi"), '#!/bin/sh\necho "v3.0.0"\n', {
            mode: 0o755,
        });
        fs.mkdirSync(path.join(dir, "serve"));
        execFileSync("tar", [
            "-czf",
            path.join(dir, "serve", archiveName),
            "-C",
            path.join(dir, "release"),
            "pulumi",
        ]);
        archiveSha = createHash("sha256")
            .update(fs.readFileSync(path.join(dir, "serve", archiveName)))
            .digest("hex");
        writeChecksums(
            `${archiveSha}  ${archiveName}\n${"0".repeat(64)}  pulumi-v${version}-darwin-x64.tar.gz\n`,
        );
        // curl -fsSL --retry 3 -o <file> <url>: copies serve/<basename of url> to <file>, fails when missing.
        stub("curl", 'out="$5"; url="$6"; cp "$SERVE/$(basename "$url")" "$out"');
        stub("npm", 'echo "npm $*" >> "$LOG"');
        stub("pulumi", 'echo "pulumi $*" >> "$LOG"');
    });
    afterEach(() => removeTempDir(dir));

    function writeChecksums(text: string): void {
        fs.writeFileSync(path.join(dir, "serve", `pulumi-${version}-checksums.txt`), text);
    }
    function stub(name: string, body: string): void {
        fs.writeFileSync(path.join(dir, "bin", name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    }
    function bash(script: string, env: Record<string, string>): { status: number | null; output: string } {
        const result = spawnSync("bash", ["-c", script], {
            env: {
                PATH: `${path.join(dir, "bin")}:/usr/bin:/bin`,
                SERVE: path.join(dir, "serve"),
                LOG: path.join(dir, "log"),
                [RUNNER_VARIABLES.pulumiVersion]: version,
                [RUNNER_VARIABLES.installDir]: path.join(dir, "install"),
                ...env,
            },
            encoding: "utf8",
        });
        return { status: result.status, output: `${result.stdout}${result.stderr}` };
    }
    const installed = () => fs.existsSync(path.join(dir, "install", "pulumi", "pulumi"));

    it("installs an archive whose SHA-256 is the published one, and warns that nothing is pinned", () => {
        const result = bash(installScript(), {});
        assert.strictEqual(result.status, 0, result.output);
        assert.ok(installed());
        assert.match(result.output, /WARNING: webank:runnerPulumiSha256 is not set/);
        assert.ok(result.output.includes(`sha256 ${archiveSha} verified`), result.output);
    });
    it("installs an archive matching both the pin and the published checksum, without the warning", () => {
        const result = bash(installScript(), { [RUNNER_VARIABLES.pulumiSha256]: archiveSha });
        assert.strictEqual(result.status, 0, result.output);
        assert.doesNotMatch(result.output, /WARNING/);
    });
    it("refuses a tampered archive", () => {
        fs.appendFileSync(path.join(dir, "serve", archiveName), "tampered");
        const result = bash(installScript(), {});
        assert.notStrictEqual(result.status, 0);
        assert.match(result.output, /refusing .*: its SHA-256 is/);
        assert.ok(!installed());
    });
    it("refuses when the published checksum differs from the pin (either may be the forged one)", () => {
        const result = bash(installScript(), { [RUNNER_VARIABLES.pulumiSha256]: "f".repeat(64) });
        assert.notStrictEqual(result.status, 0);
        assert.match(result.output, /is not the pinned webank:runnerPulumiSha256/);
        assert.ok(!installed());
    });
    it("refuses when the checksums file has no line for the archive", () => {
        writeChecksums(`${archiveSha}  pulumi-v${version}-linux-arm64.tar.gz\n`);
        const result = bash(installScript(), {});
        assert.notStrictEqual(result.status, 0);
        assert.match(result.output, /expected a line for it in the checksums file/);
        assert.ok(!installed());
    });

    for (const command of ["destroy", "Up", "up --target x", "refresh;destroy", ""]) {
        it(`refuses ${RUNNER_VARIABLES.command}=${JSON.stringify(command)} before installing or logging in`, () => {
            const result = bash(runScript(), {
                [RUNNER_VARIABLES.command]: command,
                [RUNNER_VARIABLES.stack]: "primary",
            });
            assert.notStrictEqual(result.status, 0);
            assert.match(result.output, /must be one of preview, up, refresh/);
            assert.ok(!fs.existsSync(path.join(dir, "log")), "npm and pulumi never ran");
        });
    }
    for (const [command, expected] of [
        ["preview", "pulumi preview --stack primary --non-interactive --diff --policy-pack policies"],
        ["up", "pulumi up --stack primary --yes --non-interactive --diff --policy-pack policies"],
        [
            "refresh",
            "pulumi refresh --stack primary --yes --non-interactive --diff\npulumi preview --stack primary --non-interactive --diff --policy-pack policies",
        ],
    ] as const) {
        it(`${command}: installs the locked dependencies, logs in to the backend and runs the policy pack`, () => {
            const result = bash(runScript(), {
                [RUNNER_VARIABLES.command]: command,
                [RUNNER_VARIABLES.stack]: "primary",
                [RUNNER_VARIABLES.backendUrl]: BACKEND_URL,
            });
            assert.strictEqual(result.status, 0, result.output);
            assert.deepStrictEqual(fs.readFileSync(path.join(dir, "log"), "utf8").trim().split("\n"), [
                "npm ci --no-audit --no-fund",
                `pulumi login ${BACKEND_URL}`,
                ...expected.split("\n"),
            ]);
        });
    }
    it("refresh: a failed refresh fails the build without the preview", () => {
        stub("pulumi", 'echo "pulumi $*" >> "$LOG"; [ "$1" != refresh ]');
        const result = bash(runScript(), {
            [RUNNER_VARIABLES.command]: "refresh",
            [RUNNER_VARIABLES.stack]: "primary",
            [RUNNER_VARIABLES.backendUrl]: BACKEND_URL,
        });
        assert.notStrictEqual(result.status, 0);
        const log = fs.readFileSync(path.join(dir, "log"), "utf8");
        assert.match(log, /pulumi refresh --stack primary/);
        assert.doesNotMatch(log, /pulumi preview/);
    });
    it("the buildspec runs both scripts, each aborting the build on failure", () => {
        const spec = parse(deployRunnerBuildspec());
        assert.deepStrictEqual(spec.phases.install.commands, [installScript()]);
        assert.deepStrictEqual(spec.phases.build.commands, [runScript()]);
        assert.strictEqual(spec.phases.install["on-failure"], "ABORT");
        assert.strictEqual(spec.phases.build["on-failure"], "ABORT");
    });
});
