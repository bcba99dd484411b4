import * as assert from "assert";
import { parseFlags } from "../../../../automation/cli/parse-flags";
import { realPorts } from "../../../../automation/adapters/environment";
import { CodeBuildDeployRunner } from "../../../../automation/adapters/aws/deploy-runner";
import { kubernetesPlaceRefusal, lockStep } from "../../../../automation/commands/failover/common-steps";
import { failoverDefinition } from "../../../../automation/commands/failover/definition";
import type { RecoveryPorts } from "../../../../automation/ports";
import { currentRunnerBuild, parseBuildArn } from "../../../../lib/kubernetes-access";
import { DR_BASE } from "../../../support/dr-config";

/*
 * Where a failover may take its lock: with `direct` access anywhere, with `runner` access only
 * inside the dr stack's deploy runner in the DR region, as CodeBuild's CODEBUILD_BUILD_ARN says
 * (CodeBuild user guide, "Environment variables in build environments":
 * arn:aws:codebuild:<region>:<account>:build/<project>:<build id>). Plus the CLI's reading of
 * the new flags, and the real ports' runner being the DR region's.
 */

const ARN = (region: string, project: string) =>
    `arn:aws:codebuild:${region}:123456789012:build/${project}:4b8c2f1e-9d3a-4e57-8a61-0c2b7d9e5f13`;

describe("automation/commands/failover: where the lock may be taken", () => {
    const held: string[] = [];
    const ports = {
        lock: { acquire: (owner: string) => Promise.resolve(void held.push(owner)) },
    } as unknown as RecoveryPorts;
    const context = (access: string) => ({
        dataOf: (name: string) => (name === "preflight-stack" ? { posture: "warm", access } : undefined),
    });
    beforeEach(() => held.splice(0));

    it("takes it inside the dr stack's runner in the DR region with runner access", async () => {
        const step = lockStep(
            DR_BASE,
            ports,
            "run-1",
            [],
            parseBuildArn(ARN("us-west-2", "webank-dr-deploy")),
        );
        assert.strictEqual(await step.run(context("runner")), "lock held by run-1");
        assert.deepStrictEqual(held, ["run-1"]);
    });

    for (const [where, arn] of [
        ["the operator's machine", undefined],
        ["the primary stack's runner", ARN("us-west-2", "webank-primary-deploy")],
        ["the dr runner's name in the home region", ARN("us-east-1", "webank-dr-deploy")],
        ["another prefix's dr runner", ARN("us-west-2", "other-dr-deploy")],
        ["a malformed ARN", "arn:aws:codebuild:us-west-2:123:build/webank-dr-deploy:x"],
    ] as const) {
        it(`refuses with runner access from ${where}, pointing at --on-runner, taking no lock`, async () => {
            const step = lockStep(DR_BASE, ports, "run-1", [], parseBuildArn(arn));
            await assert.rejects(
                () => Promise.resolve(step.run(context("runner"))),
                /outside the dr stack's deploy runner webank-dr-deploy in us-west-2\. Run it there, with the same arguments: npm run dr -- failover --on-runner\. .*webank:kubernetesAccess direct\. Nothing was changed/,
            );
            assert.deepStrictEqual(held, []);
        });
    }

    it("takes it anywhere with direct access", () => {
        assert.strictEqual(kubernetesPlaceRefusal(DR_BASE, "direct", undefined), undefined);
    });

    it("reads the build from CODEBUILD_BUILD_ARN, not from any flag", () => {
        assert.deepStrictEqual(
            currentRunnerBuild({ CODEBUILD_BUILD_ARN: ARN("us-west-2", "webank-dr-deploy") }),
            {
                region: "us-west-2",
                projectName: "webank-dr-deploy",
            },
        );
        assert.strictEqual(currentRunnerBuild({}), undefined);
        assert.ok(
            !("in-runner" in failoverDefinition.options) && !("runner-build" in failoverDefinition.options),
        );
    });

    it("the CLI suggests --on-runner for a typo, and refuses a value given to it", () => {
        const typo = parseFlags(["--on-runer"], failoverDefinition);
        assert.match(
            typo.problems.join("\n"),
            /--on-runer must be a flag of failover.*did you mean --on-runner\?/,
        );
        const valued = parseFlags(["--on-runner=yes"], failoverDefinition);
        assert.match(valued.problems.join("\n"), /--on-runner must be given without a value/);
        const follow = parseFlags(["--on-runner", "--follow"], failoverDefinition);
        assert.match(follow.problems.join("\n"), /--follow must be given a value/);
    });

    it("the real ports reach the dr runner through the DR region's CodeBuild", () => {
        const real = realPorts(DR_BASE, { output: () => undefined });
        assert.ok(real.dr.runner instanceof CodeBuildDeployRunner);
        assert.strictEqual(real.dr.runner.region, DR_BASE.drRegion);
        assert.strictEqual(real.dr.objects.region, DR_BASE.drRegion);
    });
});
