import * as assert from "assert";
import {
    drDatabaseUrns,
    failbackComponentUrn,
    primaryDatabaseUrns,
    replicaInstanceUrn,
} from "../../lib/stack-urns";
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

    it("names the databases the failback edits in the states by the URNs the engine gives them", async () => {
        const primary = await runStack("primary");
        const failback = await runStack("primary", variantOverrides("primary:failback"));
        const urns = primaryDatabaseUrns("webank", "webank");
        assert.deepStrictEqual(
            ofType(primary, "aws:rds/instance:Instance").map((i) => i.urn),
            [urns.instance],
        );
        assert.deepStrictEqual(
            ofType(
                primary,
                "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
            ).map((i) => i.urn),
            [urns.backupReplication],
        );
        assert.deepStrictEqual(
            ofType(primary, "webank:database:Database").map((i) => i.urn),
            [urns.component],
        );
        assert.deepStrictEqual(
            ofType(failback, "webank:database:ReplicaDatabase").map((i) => i.urn),
            [failbackComponentUrn("webank", "primary", "webank", 1)],
        );
        const activated = await runStack("dr", variantOverrides("dr:activated"), {
            primary: primary.outputs,
        });
        const hot = await runStack("dr", variantOverrides("dr:hot"), { primary: primary.outputs });
        assert.deepStrictEqual(
            ofType(activated, "webank:database:Database").map((i) => i.urn),
            [drDatabaseUrns("webank", "webank", false, 1).component],
        );
        assert.deepStrictEqual(
            ofType(hot, "webank:database:ReplicaDatabase").map((i) => i.urn),
            [drDatabaseUrns("webank", "webank", true, 1).component],
        );
        assert.deepStrictEqual(
            ofType(activated, "aws:rds/instance:Instance").map((i) => i.urn),
            [drDatabaseUrns("webank", "webank", false, 1).instance],
        );
        assert.deepStrictEqual(
            ofType(hot, "aws:rds/instance:Instance").map((i) => i.urn),
            [drDatabaseUrns("webank", "webank", true, 1).instance],
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
