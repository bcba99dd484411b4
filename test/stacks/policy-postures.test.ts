import * as assert from "assert";
import * as path from "path";
import { OfflineRun } from "../../offline/engine";
import { ServedPolicyPack } from "../../offline/policy-pack-client";
import { runStack } from "../support/offline";

/*
 * `npm run policy:check` runs the committed stack files (primary and a pilot-light dr); the
 * other postures the dr stack takes on a bad day must pass the same pack: warm, and
 * activated (a failover in progress), in both postures.
 */
describe("stacks: the policy pack passes every posture of the dr stack", function () {
    this.timeout(180_000);
    const activate = { "webank:activated": "true", "webank:restore": '{"source": "pitr", "time": "latest"}' };
    let pack: ServedPolicyPack;
    let primary: OfflineRun;
    before(async () => {
        pack = await ServedPolicyPack.start(path.join(__dirname, "..", "..", "policies"));
        primary = await runStack("primary");
    });
    after(() => pack?.stop());

    for (const [what, overrides] of [
        ["warm", { "webank:posture": "warm" }],
        ["pilot light, activated", activate],
        ["warm, activated", { ...activate, "webank:posture": "warm" }],
    ] as const) {
        it(what, async () => {
            const run = await runStack("dr", overrides, { primary: primary.outputs });
            const mandatory = (await pack.analyze(run.resources)).filter(
                (v) => v.enforcement === "mandatory",
            );
            assert.deepStrictEqual(
                mandatory.map((v) => `${v.policy}: ${v.message}`),
                [],
            );
        });
    }
});
