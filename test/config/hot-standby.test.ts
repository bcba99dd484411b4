import * as assert from "assert";
import { parseStackConfig } from "../../config/stack-config";
import { ARGOCD_HA_MIN_NODES, argocdNodeCount, standbyNodeCount } from "../../lib/argocd";
import { itRejects, raw } from "../support/raw-config";

const SMALL_GROUP = { nodeMinSize: "1", nodeDesiredSize: "2", nodeMaxSize: "2" };

describe("config: nodes of a standby cluster", () => {
    it("gives a hot standby at least Argo CD's HA minimum, a warm one warmNodeCount", () => {
        assert.strictEqual(standbyNodeCount(1, true), ARGOCD_HA_MIN_NODES);
        assert.strictEqual(standbyNodeCount(5, true), 5, "more when warmNodeCount asks for more");
        assert.strictEqual(standbyNodeCount(1, false), 1);
        const cluster = { nodes: { min: 4 }, warmNodeCount: 1 };
        assert.strictEqual(argocdNodeCount(cluster, true, true), 4, "serving: the node group's minimum");
        assert.strictEqual(argocdNodeCount(cluster, false, true), ARGOCD_HA_MIN_NODES);
    });

    it("accepts argocdHighAvailability on for a hot standby of the default warmNodeCount", () => {
        const config = parseStackConfig(
            raw({ role: "dr", posture: "hot", argocdHighAvailability: "on" }, "dr"),
        );
        assert.strictEqual(config.platform.gitops.highAvailability, "on");
    });

    itRejects([
        {
            title: "a hot standby whose node group cannot grow to Argo CD's HA minimum",
            values: { role: "dr", posture: "hot", ...SMALL_GROUP },
            stack: "dr",
            field: "webank:nodeMaxSize",
            mentions: `be at least ${ARGOCD_HA_MIN_NODES}`,
        },
        {
            title: "a warm standby keeping more nodes than the node group's maximum",
            values: { role: "dr", posture: "warm", warmNodeCount: "3", ...SMALL_GROUP },
            stack: "dr",
            field: "webank:nodeMaxSize",
            mentions: "webank:warmNodeCount",
        },
    ]);
});
