import * as assert from "assert";
import { RDS_INSTANCE } from "../../policies/rds";
import { rdsFailbackReplicaPlacement } from "../../policies/rds-failback";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup";
/** The DR database the failback replica copies, by ARN (RDS ARN format, Service Authorization Reference). */
const DR_SOURCE = "arn:aws:rds:us-west-2:123456789012:db:webank-db-dr-1";
const PRIMARY = { stackRole: "primary" };

/** The primary database, its subnet group, and the failback replica computed from `replicaFrom`. */
function stack(
    replica: Record<string, unknown> = {},
    replicaFrom: readonly string[] = ["webank-db-subnets"],
): StackResource[] {
    return [
        { type: SUBNET_GROUP, name: "webank-db-subnets", props: { name: "webank-db-subnets-3f2a1b0" } },
        { type: SUBNET_GROUP, name: "other-subnets", props: { name: "other-subnets-9c8d7e6" } },
        {
            type: RDS_INSTANCE,
            name: "webank-db-instance",
            props: { identifier: "webank-db", dbSubnetGroupName: "webank-db-subnets-3f2a1b0" },
            inputsFrom: { dbSubnetGroupName: ["webank-db-subnets"] },
        },
        {
            type: RDS_INSTANCE,
            name: "webank-db-home-1-instance",
            region: "us-east-1",
            props: {
                identifier: "webank-db-home-1",
                replicateSourceDb: DR_SOURCE,
                dbSubnetGroupName: "webank-db-subnets-3f2a1b0",
                ...replica,
            },
            inputsFrom: { dbSubnetGroupName: replicaFrom },
        },
    ];
}

describe("policies: rds-failback-replica-placement", () => {
    const policy = rdsFailbackReplicaPlacement;

    it("passes a failback replica in the primary database's own subnet group", () => {
        assert.deepStrictEqual(findings(policy, stack(), PRIMARY), []);
    });

    it("refuses one in another subnet group, or one named by hand", () => {
        const other = stack({ dbSubnetGroupName: "other-subnets-9c8d7e6" }, ["other-subnets"]);
        assert.match(
            violations(policy, other, PRIMARY).join(),
            /webank-db-home-1-instance: dbSubnetGroupName: must be the primary database's own DB subnet group/,
        );
        const literal = stack({ dbSubnetGroupName: "webank-db-home-1-subnets" }, []);
        assert.strictEqual(violations(policy, literal, PRIMARY).length, 1);
    });

    it("accepts the same literal name on both, and judges nothing on dr (the hot replica has no home database beside it)", () => {
        const literal = stack({}, []).map((r) =>
            r.name === "webank-db-instance" ? { ...r, inputsFrom: {} } : r,
        );
        assert.deepStrictEqual(violations(policy, literal, PRIMARY), []);
        const other = stack({ dbSubnetGroupName: "other-subnets-9c8d7e6" }, ["other-subnets"]);
        assert.deepStrictEqual(violations(policy, other, { stackRole: "dr" }), []);
    });

    it("says it cannot judge, in a preview, a name that is unknown and computed from nothing", () => {
        const preview = findings(policy, stack({ dbSubnetGroupName: UNKNOWN_INPUT }, []), PRIMARY);
        assert.deepStrictEqual(
            preview.map((f) => f.level),
            ["advisory"],
        );
    });
});
