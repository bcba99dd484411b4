// The S3 bucket policies in a preview, where names, ARNs and policies are unknown: what they
// still judge through propertyDependencies, and what they leave for pulumi up.
import * as assert from "assert";
import * as s3 from "../../policies/s3";
import { S3_BUCKET_V2 } from "../../policies/s3-links";
import { advisories, compliant, CONFIG, previewed, variant, withProps } from "./s3-harness";
import { findings, violations } from "./stack-harness";
import { CASES } from "./s3-cases";

describe("policies: S3 in a preview (names, ARNs and policies unknown)", () => {
    it("judges every setting through the inputs' propertyDependencies; only the unknown TLS policy is left for pulumi up", () => {
        for (const [policy] of CASES) {
            const found = findings(policy, previewed(), CONFIG);
            if (policy === s3.s3BucketTlsOnly) {
                assert.strictEqual(found.length, 1, JSON.stringify(found));
                assert.strictEqual(found[0].level, "advisory");
                assert.match(found[0].message, /state-tls-only policy; .*state-replica-tls-only policy/);
            } else {
                assert.deepStrictEqual(found, [], policy.name);
            }
        }
    });

    it("judges a literal while the bucket it names is unknown", () => {
        const stack = previewed(
            variant("state-versioning", withProps({ versioningConfiguration: { status: "Suspended" } })),
        );
        assert.deepStrictEqual(violations(s3.s3BucketVersioningEnabled, stack), [
            'state-versioning: versioningConfiguration.status: must be "Enabled" (replaced and deleted objects stay recoverable as noncurrent versions, and replication requires it); it is "Suspended".',
        ]);
    });

    it("reports a missing TLS policy as mandatory and says which unknown policy it could not judge", () => {
        const found = findings(
            s3.s3BucketTlsOnly,
            previewed(variant("state-replica-tls-only", () => undefined)),
            CONFIG,
        );
        assert.deepStrictEqual(
            found.map((f) => [f.level, f.resource]),
            [
                ["mandatory", "state-replica"],
                ["advisory", "stack"],
            ],
        );
        assert.match(found[1].message, /not judged in this preview.*state-tls-only policy/);
    });

    it("accepts an unknown key computed from a key of the stack, and notes one computed from none", () => {
        assert.deepStrictEqual(advisories(s3.s3BucketSseKms, previewed()), []);
        const fromNothing = previewed(
            variant("state-encryption", (r) => ({ ...r, inputsFrom: { bucket: ["state"] } })),
        );
        const found = findings(s3.s3BucketSseKms, fromNothing, CONFIG);
        assert.deepStrictEqual(
            found.map((f) => f.level),
            ["advisory"],
        );
        assert.match(
            found[0].message,
            /state-encryption rules\[0\]\.applyServerSideEncryptionByDefault\.kmsMasterKeyId/,
        );
    });

    it("still refuses a BucketV2 whose siblings are missing, and judges its siblings like a Bucket's", () => {
        const asV2 = compliant().map((r) =>
            r.type === "aws:s3/bucket:Bucket" ? { ...r, type: S3_BUCKET_V2 } : r,
        );
        for (const [policy] of CASES) {
            assert.deepStrictEqual(violations(policy, asV2, CONFIG), [], policy.name);
        }
        assert.ok(
            violations(
                s3.s3BucketSseKms,
                asV2.filter((r) => r.name !== "state-encryption"),
            ).length > 0,
        );
    });
});
