import * as assert from "assert";
import { replicaInstanceUrn } from "../../lib/stack-urns";
import { variantOverrides } from "../../offline/stack-variants";
import { ofType, runStack } from "../support/offline";

describe("lib/stack-urns", () => {
    it("names the hot replica's DB instance by the URN the engine gives it (the target of the failover's refresh)", async () => {
        const primary = await runStack("primary");
        const hot = await runStack("dr", variantOverrides("dr:hot"), { primary: primary.outputs });
        const instances = ofType(hot, "aws:rds/instance:Instance");
        assert.deepStrictEqual(
            instances.map((i) => i.urn),
            [replicaInstanceUrn("webank", "dr", "webank")],
        );
    });

    it("differs by project, stack and prefix, so a target never names another stack's resource", () => {
        const urn = replicaInstanceUrn("webank", "dr", "webank");
        assert.notStrictEqual(replicaInstanceUrn("other", "dr", "webank"), urn);
        assert.notStrictEqual(replicaInstanceUrn("webank", "primary", "webank"), urn);
        assert.notStrictEqual(replicaInstanceUrn("webank", "dr", "bank2"), urn);
        assert.match(
            urn,
            /^urn:pulumi:dr::webank::webank:database:ReplicaDatabase\$aws:rds\/instance:Instance::webank-db-replica-instance$/,
        );
    });
});
