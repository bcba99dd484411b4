import * as assert from "assert";
import { CHECKED_STORE_TYPES, dataServiceOf, DATALESS_TYPES, storesChecked } from "../../policies/stores";
import { POLICIES } from "../../policies/policies";
import { violations } from "./stack-harness";

describe("policies: stores-checked refuses a store type the pack does not judge", () => {
    for (const type of [
        "aws:rds/cluster:Cluster",
        "aws:rds/clusterInstance:ClusterInstance",
        "aws:s3/bucketV2:BucketV2",
        "aws:s3/directoryBucket:DirectoryBucket",
        "aws:dynamodb/globalTable:GlobalTable",
        "aws:efs/fileSystem:FileSystem",
        "aws:ebs/volume:Volume",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws-native:s3:Bucket",
        "aws-native:dynamodb:GlobalTable",
        "aws-native:rds:DbCluster",
        "kubernetes:core/v1:PersistentVolumeClaim",
        "kubernetes:apps/v1:StatefulSet",
    ]) {
        it(`refuses ${type}, naming the type`, () => {
            const found = violations(storesChecked, [{ type, name: "store" }]);
            assert.strictEqual(found.length, 1, found.join("\n"));
            assert.ok(found[0].startsWith(`store: type: ${type} can hold data`), found[0]);
        });
    }

    it("accepts every type it judges or knows to hold no data, and ignores services that hold none", () => {
        const types = [
            ...CHECKED_STORE_TYPES,
            ...DATALESS_TYPES,
            "aws:ec2/vpc:Vpc",
            "aws:iam/role:Role",
            "eks:index:Cluster",
            "kubernetes:storage.k8s.io/v1:StorageClass",
        ];
        assert.deepStrictEqual(
            violations(
                storesChecked,
                types.map((type, i) => ({ type, name: `r${i}` })),
            ),
            [],
        );
    });

    it("classifies by service, not by a list of names: a new type of a data service is refused", () => {
        assert.strictEqual(dataServiceOf("aws:fsx/ontapVolume:OntapVolume"), "fsx");
        assert.strictEqual(dataServiceOf("aws:ec2/instance:Instance"), undefined);
        assert.strictEqual(dataServiceOf("aws-native:efs:FileSystem"), "efs");
    });

    it("every store type it counts as checked is judged by another policy: declared bare, it is refused", () => {
        // A type listed as checked that no policy judges would be a hole this policy hides.
        for (const type of CHECKED_STORE_TYPES) {
            const others = POLICIES.filter((p) => p.name !== storesChecked.name);
            const found = others.flatMap((p) => violations(p, [{ type, name: "bare" }]));
            assert.ok(found.length > 0, `${type} declared with no settings passes every other policy`);
        }
    });
});
