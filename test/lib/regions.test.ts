import * as assert from "assert";
import { isPseudoRegion, isRegionName, partitionOf, regionInfo } from "../../lib/regions";

describe("regions, from the AWS SDK's partition data", () => {
    it("knows listed regions of every partition, with AWS's description", () => {
        assert.deepStrictEqual(regionInfo("us-east-1"), {
            name: "us-east-1",
            partition: "aws",
            description: "US East (N. Virginia)",
        });
        for (const region of [
            "us-west-2",
            "mx-central-1",
            "cn-north-1",
            "us-gov-west-1",
            "us-iso-east-1",
            "eusc-de-east-1",
        ]) {
            assert.ok(isRegionName(region), region);
        }
    });

    it("refuses names that only match a partition's pattern, and names that match none", () => {
        // us-east-9 matched the hand-written pattern this replaced; the SDK does not list it.
        for (const name of ["us-east-9", "eu-central-7", "US-EAST-1", "us_east_1", "useast1", ""]) {
            assert.strictEqual(isRegionName(name), false, name);
        }
    });

    it("refuses the partitions' global pseudo-regions, which the SDK lists but hold nothing", () => {
        for (const name of ["aws-global", "aws-cn-global", "aws-us-gov-global", "aws-iso-global"]) {
            assert.strictEqual(isRegionName(name), false, name);
            assert.ok(isPseudoRegion(name), name);
        }
        assert.strictEqual(isPseudoRegion("us-east-1"), false);
    });

    it("answers the partition ARNs use", () => {
        assert.strictEqual(partitionOf("us-east-1"), "aws");
        assert.strictEqual(partitionOf("cn-northwest-1"), "aws-cn");
        assert.strictEqual(partitionOf("us-gov-east-1"), "aws-us-gov");
        assert.strictEqual(partitionOf("us-iso-east-1"), "aws-iso");
        assert.strictEqual(partitionOf("us-isob-east-1"), "aws-iso-b");
    });
});
