import * as assert from "assert";
import * as s3 from "../../policies/s3";
import {
    CONFIG,
    Cases,
    describeCases,
    destination,
    HOME,
    KEY_ARN,
    previewed,
    variant,
    withProps,
    withRule,
} from "./s3-harness";
import { findings, UNKNOWN_INPUT, violations } from "./stack-harness";

/** The replication of the state bucket to the DR region: [what is removed, stack, culprit, message]. */
const CASES: Cases = [
    [
        s3.s3BucketReplicated,
        [
            [
                "not declared",
                variant("replication", () => undefined),
                "state",
                /^aws:s3\/bucketReplicationConfig:BucketReplicationConfig: must be declared/,
            ],
            [
                "Disabled",
                variant(
                    "replication",
                    withRule((r) => ({ ...r, status: "Disabled" })),
                ),
                "replication",
                /^rules: must hold a rule with status "Enabled"/,
            ],
            [
                "a prefix filter",
                variant(
                    "replication",
                    withRule((r) => ({ ...r, filter: { prefix: "a/" } })),
                ),
                "replication",
                /^rules\[0\]: .*empty filter/,
            ],
            [
                "an and filter",
                variant(
                    "replication",
                    withRule((r) => ({ ...r, filter: { and: { tags: { a: "b" } } } })),
                ),
                "replication",
                /empty filter/,
            ],
            [
                "a V1 rule prefix",
                variant(
                    "replication",
                    withRule((r) => ({ ...r, filter: undefined, prefix: "a/" })),
                ),
                "replication",
                /empty filter/,
            ],
            [
                "the replica in the home region",
                variant("state-replica", (r) => ({ ...r, region: HOME })),
                "replication",
                /region other than us-east-1/,
            ],
            [
                "a destination outside the stack",
                destination({ bucket: "arn:aws:s3:::elsewhere" }),
                "replication",
                /a bucket of this stack/,
            ],
            [
                "an inline configuration",
                variant("state", withProps({ replicationConfiguration: { role: "r", rules: [] } })),
                "state",
                /^replicationConfiguration: must be unset/,
            ],
        ],
    ],
    [
        s3.s3BucketReplicationDeleteMarkers,
        [
            [
                "Disabled",
                variant(
                    "replication",
                    withRule((r) => ({ ...r, deleteMarkerReplication: { status: "Disabled" } })),
                ),
                "replication",
                /deleteMarkerReplication\.status: must be "Enabled"/,
            ],
        ],
    ],
    [
        s3.s3BucketReplicationKmsObjects,
        [
            [
                "SSE-KMS objects left out",
                variant(
                    "replication",
                    withRule((r) => ({ ...r, sourceSelectionCriteria: undefined })),
                ),
                "replication",
                /sseKmsEncryptedObjects\.status: must be "Enabled"/,
            ],
            [
                "no replica key",
                destination({ encryptionConfiguration: undefined }),
                "replication",
                /replicaKmsKeyId: The replicas' encryption must use a customer managed KMS key/,
            ],
            [
                "the AWS managed key",
                destination({ encryptionConfiguration: { replicaKmsKeyId: "alias/aws/s3" } }),
                "replication",
                /customer managed/,
            ],
            [
                "the home key",
                destination({ encryptionConfiguration: { replicaKmsKeyId: KEY_ARN(HOME) } }),
                "replication",
                /must be a key in the destination bucket's region "us-west-2"/,
            ],
        ],
    ],
    [
        s3.s3BucketReplicationTimeControl,
        [
            [
                "RTC off",
                destination({ replicationTime: { status: "Disabled", time: { minutes: 15 } } }),
                "replication",
                /replicationTime\.status: must be "Enabled"/,
            ],
            [
                "no metrics",
                destination({ metrics: undefined }),
                "replication",
                /metrics\.status: must be "Enabled"/,
            ],
        ],
    ],
];

describe("policies: S3 replication", () => describeCases(CASES));

describe("policies: S3 replication in a preview (ARNs unknown)", () => {
    it("judges the destination's region through the rule's propertyDependencies", () => {
        assert.deepStrictEqual(violations(s3.s3BucketReplicated, previewed()), []);
        const sameRegion = previewed(variant("state-replica", (r) => ({ ...r, region: HOME })));
        assert.ok(
            violations(s3.s3BucketReplicated, sameRegion).some((v) => v.startsWith("replication: rules[0]")),
        );
        const unlinked = previewed(
            variant("replication", (r) => ({
                ...r,
                inputsFrom: { bucket: ["state"], rules: ["key-replica"] },
            })),
        );
        assert.ok(violations(s3.s3BucketReplicated, unlinked).some((v) => /a bucket of this stack/.test(v)));
    });

    it("judges the rule's literals while its ARNs are unknown", () => {
        const stack = previewed(
            variant(
                "replication",
                withRule((r) => ({ ...r, sourceSelectionCriteria: undefined })),
            ),
        );
        assert.ok(
            violations(s3.s3BucketReplicationKmsObjects, stack).some((v) => /sseKmsEncryptedObjects/.test(v)),
        );
        assert.deepStrictEqual(
            findings(s3.s3BucketReplicationKmsObjects, previewed(), CONFIG),
            [],
            "the unknown replica key is computed from the replica key",
        );
    });

    it("notes replication rules whose status is unknown", () => {
        const stack = previewed(
            variant(
                "replication",
                withRule((r) => ({ ...r, status: UNKNOWN_INPUT })),
            ),
        );
        const found = findings(s3.s3BucketReplicated, stack, CONFIG);
        assert.deepStrictEqual(
            found.map((f) => f.level),
            ["advisory"],
        );
        assert.match(found[0].message, /replication rules\[0\]\.status/);
    });
});
