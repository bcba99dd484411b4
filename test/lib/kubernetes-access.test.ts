import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stack-files";
import {
    KubernetesAccessError,
    RUNNER_README_SECTION,
    kubernetesLayer,
    KubernetesLayerInputs,
    parseBuildArn,
} from "../../lib/kubernetes-access";

/** A build ARN in the form CodeBuild documents (user guide, "Environment variables in build environments"). */
const BUILD_ARN =
    "arn:aws:codebuild:us-east-1:123456789012:build/webank-primary-deploy:b1e6661e-e4f2-4156-9ab9-82a19EXAMPLE";

const OUTSIDE: KubernetesLayerInputs = {
    access: "runner",
    clusterName: "webank-primary",
    region: "us-east-1",
    runnerProjectName: "webank-primary-deploy",
    build: undefined,
    clusterExists: true,
    dryRun: false,
    startRunner: "aws codebuild start-build --region us-east-1 --project-name webank-primary-deploy ...",
};

describe("lib/kubernetes-access: where the Kubernetes resources are applied from", () => {
    describe("parseBuildArn", () => {
        it("reads the project and region of a CodeBuild build ARN", () => {
            assert.deepStrictEqual(parseBuildArn(BUILD_ARN), {
                region: "us-east-1",
                projectName: "webank-primary-deploy",
            });
            assert.deepStrictEqual(parseBuildArn(BUILD_ARN.replace("arn:aws:", "arn:aws-us-gov:")), {
                region: "us-east-1",
                projectName: "webank-primary-deploy",
            });
        });
        for (const [what, value] of [
            ["unset", undefined],
            ["empty", ""],
            [
                "a project ARN, not a build",
                "arn:aws:codebuild:us-east-1:123456789012:project/webank-primary-deploy",
            ],
            ["another service", "arn:aws:codepipeline:us-east-1:123456789012:build/webank-primary-deploy:1"],
            ["an 11-digit account", "arn:aws:codebuild:us-east-1:12345678901:build/webank-primary-deploy:1"],
            ["no build id", "arn:aws:codebuild:us-east-1:123456789012:build/webank-primary-deploy"],
        ] as const) {
            it(`is not a build when the variable is ${what}`, () => {
                assert.strictEqual(parseBuildArn(value), undefined);
            });
        }
    });

    describe("kubernetesLayer", () => {
        it("applies inside the stack's own runner, in its region", () => {
            const layer = kubernetesLayer({ ...OUTSIDE, build: parseBuildArn(BUILD_ARN) });
            assert.strictEqual(layer.apply, true);
            assert.match(layer.reason, /deploy runner webank-primary-deploy/);
        });
        it("points a refused update at a README section that exists", () => {
            assert.throws(
                () => kubernetesLayer(OUTSIDE),
                (error: Error) => {
                    const section = /\(README, "([^"]+)"\)/.exec(error.message)?.[1];
                    assert.strictEqual(section, RUNNER_README_SECTION);
                    const headings = fs
                        .readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8")
                        .split("\n")
                        .filter((line) => /^#+ /.test(line));
                    assert.ok(
                        headings.some((h) => h.includes(section)),
                        `no README heading "${section}" among:\n${headings.join("\n")}`,
                    );
                    return true;
                },
            );
        });
        it("applies wherever pulumi runs when access is direct", () => {
            assert.strictEqual(kubernetesLayer({ ...OUTSIDE, access: "direct" }).apply, true);
        });
        it("refuses an update of an existing cluster from outside the runner, naming what to run", () => {
            assert.throws(
                () => kubernetesLayer(OUTSIDE),
                (error: Error) =>
                    error instanceof KubernetesAccessError &&
                    /webank:kubernetesAccess is runner/.test(error.message) &&
                    error.message.includes(OUTSIDE.startRunner) &&
                    /outside the stack's deploy runner/.test(error.message) &&
                    /Nothing was changed/.test(error.message),
            );
        });
        for (const [what, build] of [
            ["another stack's runner", { projectName: "webank-dr-deploy", region: "us-east-1" }],
            [
                "its runner's name in another region",
                { projectName: "webank-primary-deploy", region: "us-west-2" },
            ],
            ["a look-alike project", { projectName: "webank-primary-deploy-2", region: "us-east-1" }],
        ] as const) {
            it(`refuses an update from ${what}, naming that project`, () => {
                assert.throws(
                    () => kubernetesLayer({ ...OUTSIDE, build }),
                    (error: Error) =>
                        error instanceof KubernetesAccessError &&
                        error.message.includes(`CodeBuild project ${build.projectName} in ${build.region}`),
                );
            });
        }
        it("previews an existing cluster from outside (nothing changes) and says the update needs the runner", () => {
            const layer = kubernetesLayer({ ...OUTSIDE, dryRun: true });
            assert.strictEqual(layer.apply, true);
            assert.match(layer.reason, /must run in the deploy runner webank-primary-deploy/);
        });
        for (const dryRun of [false, true]) {
            it(`leaves the resources out before the cluster exists (${dryRun ? "preview" : "update"}) and says to start the runner`, () => {
                const layer = kubernetesLayer({ ...OUTSIDE, clusterExists: false, dryRun });
                assert.strictEqual(layer.apply, false);
                assert.ok(layer.reason.includes(OUTSIDE.startRunner), layer.reason);
            });
        }
    });
});
