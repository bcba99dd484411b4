import * as assert from "assert";
import { Policy } from "@pulumi/policy";
import { tlsOnlyPolicy } from "../../components/hardened-bucket";
import {
    S3_BUCKET,
    S3_ENCRYPTION,
    S3_LIFECYCLE,
    S3_OWNERSHIP,
    S3_POLICY,
    S3_PUBLIC_ACCESS_BLOCK,
    S3_REPLICATION,
    S3_VERSIONING,
} from "../../policies/s3-links";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

/**
 * The S3 tests' stack: the state bucket pair of components/replicated-bucket.ts, its keys and
 * its replication, as hand-built PolicyResources (test/policies/stack-harness.ts), with helpers
 * that change one resource, and the same stack as a preview sends it.
 */

/** The stack's objectives as `npm run policy:config` derives them for the default primary config. */
export const CONFIG = { noncurrentVersionDays: 90, pitrDays: 35 };
export const HOME = "us-east-1";
export const DR = "us-west-2";
export const KEY_ARN = (region: string) => `arn:aws:kms:${region}:123456789012:key/mrk-0123`;

/** A hardened bucket as components/hardened-bucket.ts declares it: the bucket and its six siblings. */
export function hardened(
    name: string,
    region: string,
    key: string,
    extraRules: unknown[] = [],
): StackResource[] {
    const from = { bucket: [name] };
    const sibling = (suffix: string, type: string, props: Record<string, unknown>): StackResource => ({
        type,
        name: `${name}-${suffix}`,
        region,
        props: { bucket: name, ...props },
        inputsFrom: from,
    });
    return [
        { type: S3_BUCKET, name, region, props: { bucket: name, forceDestroy: false } },
        sibling("versioning", S3_VERSIONING, { versioningConfiguration: { status: "Enabled" } }),
        {
            ...sibling("encryption", S3_ENCRYPTION, {
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: KEY_ARN(region),
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            }),
            inputsFrom: { bucket: [name], rules: [key] },
        },
        sibling("public-access", S3_PUBLIC_ACCESS_BLOCK, {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }),
        sibling("ownership", S3_OWNERSHIP, { rule: { objectOwnership: "BucketOwnerEnforced" } }),
        sibling("tls-only", S3_POLICY, { policy: tlsOnlyPolicy(`arn:aws:s3:::${name}`) }),
        sibling("lifecycle", S3_LIFECYCLE, {
            rules: [
                {
                    id: "noncurrent",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: 90 },
                },
                ...extraRules,
            ],
        }),
    ];
}

/** The replication rule of components/replicated-bucket.ts. */
export const RULE = {
    id: "replicate-to-us-west-2",
    status: "Enabled",
    priority: 1,
    filter: {},
    deleteMarkerReplication: { status: "Enabled" },
    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
    destination: {
        bucket: "arn:aws:s3:::state-replica",
        encryptionConfiguration: { replicaKmsKeyId: KEY_ARN(DR) },
        replicationTime: { status: "Enabled", time: { minutes: 15 } },
        metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
    },
};

export const EXPORTS_EXPIRY = {
    id: "exports",
    status: "Enabled",
    filter: { prefix: "argocd-exports/" },
    expiration: { days: 35 },
};

/** The compliant stack: a replicated state bucket pair and its keys. */
export function compliant(): StackResource[] {
    return [
        { type: "aws:kms/key:Key", name: "key", region: HOME },
        { type: "aws:kms/replicaKey:ReplicaKey", name: "key-replica", region: DR },
        ...hardened("state", HOME, "key", [EXPORTS_EXPIRY]),
        ...hardened("state-replica", DR, "key-replica", [EXPORTS_EXPIRY]),
        {
            type: S3_REPLICATION,
            name: "replication",
            region: HOME,
            props: { bucket: "state", rules: [RULE] },
            inputsFrom: { bucket: ["state"], rules: ["state-replica", "key-replica"] },
            dependsOn: ["state-versioning", "state-replica-versioning"],
        },
    ];
}

/** The compliant stack with the resource `name` changed (removed when `change` returns undefined). */
export function variant(
    name: string,
    change: (r: StackResource) => StackResource | undefined,
): StackResource[] {
    const stack = compliant();
    const target = stack.find((r) => r.name === name);
    assert.ok(target, `no ${name} in the fixture`);
    const changed = change(target);
    // A removed resource is gone from the others' dependencies too, as if never declared.
    const keep = (names: readonly string[]) => names.filter((n) => changed !== undefined || n !== name);
    return stack.flatMap((r) => {
        if (r === target) {
            return changed ? [changed] : [];
        }
        const inputsFrom = Object.entries(r.inputsFrom ?? {}).map(([input, from]) => [input, keep(from)]);
        return [{ ...r, dependsOn: keep(r.dependsOn ?? []), inputsFrom: Object.fromEntries(inputsFrom) }];
    });
}

/** The resource with `props` merged into its props at the top level. */
export const withProps = (props: Record<string, unknown>) => (r: StackResource) => ({
    ...r,
    props: { ...r.props, ...props },
});
/** The resource whose first rule has `change` applied. */
export const withRule =
    (change: (rule: Record<string, unknown>) => Record<string, unknown>) => (r: StackResource) => ({
        ...r,
        props: {
            ...r.props,
            rules: [
                change((r.props!.rules as Record<string, unknown>[])[0]),
                ...(r.props!.rules as unknown[]).slice(1),
            ],
        },
    });
/** The TLS-only policy of the state bucket with its statement changed. */
export const tls = (change: (s: Record<string, unknown>) => void) =>
    variant("state-tls-only", (r) => {
        const document = JSON.parse(String(r.props!.policy)) as { Statement: Record<string, unknown>[] };
        change(document.Statement[0]);
        return withProps({ policy: JSON.stringify(document) })(r);
    });
export const destination = (change: Record<string, unknown>) =>
    variant(
        "replication",
        withRule((rule) => ({ ...rule, destination: { ...(rule.destination as object), ...change } })),
    );

/** The compliant stack as a preview of a new stack sends it: every name, ARN and policy computed from a bucket or key unknown. */
export function previewed(stack = compliant()): StackResource[] {
    return stack.map((r) => {
        const props = JSON.parse(JSON.stringify(r.props ?? {})) as Record<string, unknown>;
        if (r.type !== S3_BUCKET && "bucket" in props) {
            props.bucket = UNKNOWN_INPUT;
        }
        if (r.type === S3_POLICY) {
            props.policy = UNKNOWN_INPUT;
        }
        const rules = props.rules as Record<string, Record<string, unknown>>[] | undefined;
        for (const rule of rules ?? []) {
            if (rule.applyServerSideEncryptionByDefault) {
                rule.applyServerSideEncryptionByDefault.kmsMasterKeyId = UNKNOWN_INPUT;
            }
            if (rule.destination) {
                rule.destination.bucket = UNKNOWN_INPUT;
                rule.destination.encryptionConfiguration = { replicaKmsKeyId: UNKNOWN_INPUT };
            }
        }
        return { ...r, props };
    });
}

export const advisories = (policy: Policy, stack: StackResource[]) =>
    findings(policy, stack, CONFIG).filter((f) => f.level === "advisory");

/** Per policy: [what is removed, the stack, the resource the violation is on, its message]. */
export type Cases = Array<[Policy, Array<[string, StackResource[], string, RegExp]>]>;

/** For each policy: the compliant stack passes, each case fails on its culprit, the policy is named as the pack names them. */
export function describeCases(cases: Cases): void {
    for (const [policy, list] of cases) {
        describe(policy.name, () => {
            it("passes the buckets components/replicated-bucket.ts declares", () => {
                assert.deepStrictEqual(findings(policy, compliant(), CONFIG), []);
            });
            for (const [what, stack, culprit, pattern] of list) {
                it(`fails: ${what}, on ${culprit}`, () => {
                    const found = violations(policy, stack, CONFIG);
                    assert.ok(found.length > 0, "a violation");
                    assert.ok(
                        found.some(
                            (v) => v.startsWith(`${culprit}: `) && pattern.test(v.slice(culprit.length + 2)),
                        ),
                        found.join("\n"),
                    );
                });
            }
            it("is mandatory and named <service>-<resource>-<check>, described as a check", () => {
                assert.strictEqual(policy.enforcementLevel, "mandatory");
                assert.match(policy.name, /^s3-bucket(-[a-z0-9]+)+$/);
                assert.match(policy.description ?? "", /^Checks whether /);
            });
        });
    }
}
