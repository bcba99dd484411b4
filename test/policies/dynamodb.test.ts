/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are untyped JSON inputs, edited in place by each case */
import * as assert from "assert";
import * as dynamodb from "../../policies/dynamodb";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const TABLE = dynamodb.DYNAMODB_TABLE;
const REPLICA = dynamodb.DYNAMODB_TABLE_REPLICA;
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/mrk-1";
const REPLICA_KEY_ARN = "arn:aws:kms:us-west-2:123456789012:key/mrk-1";

const table = (change: (props: any) => void = () => undefined): StackResource => {
    const props: any = {
        name: "lock",
        hashKey: "LockID",
        pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
        deletionProtectionEnabled: true,
        serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
    };
    change(props);
    return { type: TABLE, name: "table", props, inputsFrom: { serverSideEncryption: ["key"] } };
};
const replica = (
    change: (props: any) => void = () => undefined,
    extra: Partial<StackResource> = {},
): StackResource => {
    const props: any = {
        globalTableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/lock",
        kmsKeyArn: REPLICA_KEY_ARN,
        pointInTimeRecovery: true,
        deletionProtectionEnabled: true,
    };
    change(props);
    return {
        type: REPLICA,
        name: "replica",
        region: "us-west-2",
        props,
        inputsFrom: { globalTableArn: ["table"], kmsKeyArn: ["replica-key"] },
        ...extra,
    };
};
const keys: StackResource[] = [
    { type: "aws:kms/key:Key", name: "key" },
    { type: "aws:kms/replicaKey:ReplicaKey", name: "replica-key", region: "us-west-2" },
];
const stack = (t = table(), r: StackResource | null = replica()) => [...keys, t, ...(r ? [r] : [])];
const PITR = { pitrDays: 35 };

describe("policies/dynamodb", () => {
    it("passes the lock table and replica the program declares", () => {
        for (const policy of [
            dynamodb.dynamodbTablePitr,
            dynamodb.dynamodbTableDeletionProtection,
            dynamodb.dynamodbTableCustomerKey,
            dynamodb.dynamodbTableReplica,
        ]) {
            assert.deepStrictEqual(findings(policy, stack(), PITR), [], policy.name);
        }
    });

    describe(dynamodb.dynamodbTablePitr.name, () => {
        const policy = dynamodb.dynamodbTablePitr;
        it("fails PITR off, naming the table and the property", () => {
            assert.deepStrictEqual(
                violations(
                    policy,
                    [table((p) => (p.pointInTimeRecovery = { enabled: false })), ...keys],
                    PITR,
                ),
                [
                    "table: pointInTimeRecovery.enabled: must be true (without it the table can only be restored from AWS Backup recovery points); it is false.",
                ],
            );
            assert.strictEqual(
                violations(policy, [table((p) => delete p.pointInTimeRecovery)], PITR).length,
                1,
            );
        });
        it("fails a window below the configured one, and passes DynamoDB's default of 35 when unset", () => {
            const short = table((p) => (p.pointInTimeRecovery.recoveryPeriodInDays = 1));
            assert.match(
                violations(policy, [short], PITR)[0],
                /^table: pointInTimeRecovery.recoveryPeriodInDays: must be at least 35 .*it is 1\.$/,
            );
            assert.deepStrictEqual(violations(policy, [short], { pitrDays: 1 }), []);
            const unset = table((p) => delete p.pointInTimeRecovery.recoveryPeriodInDays);
            assert.deepStrictEqual(violations(policy, [unset], PITR), []);
        });
        it("uses the threshold's default when unconfigured (the floor every valid config meets)", () => {
            assert.deepStrictEqual(
                violations(policy, [table((p) => (p.pointInTimeRecovery.recoveryPeriodInDays = 7))]),
                [],
            );
        });
        it("in a preview: judges enabled while the period is unknown, and notes the period", () => {
            const found = findings(
                policy,
                [
                    table((p) => {
                        p.pointInTimeRecovery.enabled = false;
                        p.pointInTimeRecovery.recoveryPeriodInDays = UNKNOWN_INPUT;
                    }),
                ],
                PITR,
            );
            assert.deepStrictEqual(
                found.map((f) => f.level),
                ["mandatory", "advisory"],
            );
            assert.match(found[1].message, /pointInTimeRecovery.recoveryPeriodInDays/);
        });
    });

    describe(dynamodb.dynamodbTableDeletionProtection.name, () => {
        it("fails deletion protection off or unset", () => {
            const policy = dynamodb.dynamodbTableDeletionProtection;
            assert.match(
                violations(policy, [table((p) => (p.deletionProtectionEnabled = false))])[0],
                /^table: deletionProtectionEnabled: must be true/,
            );
            assert.strictEqual(
                violations(policy, [table((p) => delete p.deletionProtectionEnabled)]).length,
                1,
            );
        });
    });

    describe(dynamodb.dynamodbTableCustomerKey.name, () => {
        const policy = dynamodb.dynamodbTableCustomerKey;
        const cases: Array<[string, StackResource[], RegExp]> = [
            [
                "SSE off (an AWS owned key)",
                stack(table((p) => (p.serverSideEncryption = { enabled: false }))),
                /^table: serverSideEncryption.enabled: must be true/,
            ],
            [
                "SSE on without a key (aws/dynamodb)",
                stack(table((p) => delete p.serverSideEncryption.kmsKeyArn)),
                /^table: serverSideEncryption.kmsKeyArn: DynamoDB table encryption must use a customer managed KMS key.*it is unset/,
            ],
            [
                "the AWS managed alias",
                stack(table((p) => (p.serverSideEncryption.kmsKeyArn = "alias/aws/dynamodb"))),
                /^table: serverSideEncryption.kmsKeyArn:/,
            ],
            [
                "the replica without its key",
                stack(
                    table(),
                    replica((p) => delete p.kmsKeyArn),
                ),
                /^replica: kmsKeyArn: DynamoDB replica encryption must use a customer managed KMS key/,
            ],
            [
                "an inline replica without a key",
                [
                    ...keys,
                    table((p) => (p.replicas = [{ regionName: "us-west-2", pointInTimeRecovery: true }])),
                ],
                /^table: replicas\[0\].kmsKeyArn:/,
            ],
        ];
        for (const [what, resources, message] of cases) {
            it(`fails ${what}`, () => {
                const found = violations(policy, resources);
                assert.ok(
                    found.some((v) => message.test(v)),
                    JSON.stringify(found),
                );
            });
        }
        it("in a preview: accepts a key computed from a key of this stack, notes one that is not", () => {
            const preview = table((p) => (p.serverSideEncryption.kmsKeyArn = UNKNOWN_INPUT));
            assert.deepStrictEqual(findings(policy, stack(preview)), []);
            const unlinked = { ...preview, inputsFrom: {} };
            const found = findings(policy, stack(unlinked));
            assert.deepStrictEqual(
                found.map((f) => f.level),
                ["advisory"],
            );
            assert.match(found[0].message, /serverSideEncryption.kmsKeyArn/);
        });
    });

    describe(dynamodb.dynamodbTableReplica.name, () => {
        const policy = dynamodb.dynamodbTableReplica;
        it("fails a table without a replica, naming the table and the replica type", () => {
            assert.deepStrictEqual(
                violations(policy, stack(table(), null)).map((v) => v.split(": ").slice(0, 2).join(": ")),
                [`table: ${REPLICA}`],
            );
        });
        it("fails a replica in the table's own region, on the replica", () => {
            const found = violations(
                policy,
                stack(
                    table(),
                    replica(() => undefined, { region: "us-east-1" }),
                ),
            );
            assert.deepStrictEqual(
                found.map((v) => v.split(": ").slice(0, 2).join(": ")),
                ["replica: region", `table: ${REPLICA}`],
            );
        });
        it("fails a replica without PITR or deletion protection, on the replica", () => {
            assert.match(
                violations(
                    policy,
                    stack(
                        table(),
                        replica((p) => (p.pointInTimeRecovery = false)),
                    ),
                )[0],
                /^replica: pointInTimeRecovery: must be true/,
            );
            assert.match(
                violations(
                    policy,
                    stack(
                        table(),
                        replica((p) => delete p.deletionProtectionEnabled),
                    ),
                )[0],
                /^replica: deletionProtectionEnabled: must be true .*it is unset/,
            );
        });
        it("does not count a replica linked only through dependsOn", () => {
            const loose = replica(
                (p) => (p.globalTableArn = "arn:aws:dynamodb:us-east-1:123456789012:table/other"),
                { inputsFrom: {}, dependsOn: ["table"] },
            );
            assert.strictEqual(violations(policy, stack(table(), loose)).length, 1);
        });
        it("links a replica whose known globalTableArn names the table", () => {
            const literal = replica(() => undefined, { inputsFrom: {} });
            assert.deepStrictEqual(violations(policy, stack(table(), literal)), []);
        });
        it("judges inline replicas: region, PITR and deletion protection", () => {
            const inline = (entry: Record<string, unknown>) =>
                stack(
                    table((p) => (p.replicas = [{ kmsKeyArn: REPLICA_KEY_ARN, ...entry }])),
                    null,
                );
            const good = {
                regionName: "us-west-2",
                pointInTimeRecovery: true,
                deletionProtectionEnabled: true,
            };
            assert.deepStrictEqual(violations(policy, inline(good)), []);
            assert.deepStrictEqual(
                violations(policy, inline({ ...good, regionName: "us-east-1" })).map((v) =>
                    v.split(": ").slice(0, 2).join(": "),
                ),
                ["table: replicas[0].regionName", `table: ${REPLICA}`],
            );
            assert.match(
                violations(policy, inline({ ...good, pointInTimeRecovery: false }))[0],
                /^table: replicas\[0\].pointInTimeRecovery: must be true/,
            );
        });
        it("in a preview: links the replica through propertyDependencies, judges its literals", () => {
            const preview = replica((p) => {
                p.globalTableArn = UNKNOWN_INPUT;
                p.kmsKeyArn = UNKNOWN_INPUT;
                p.deletionProtectionEnabled = false;
            });
            const found = findings(policy, stack(table(), preview));
            assert.deepStrictEqual(
                found.map((f) => `${f.level} ${f.resource}`),
                ["mandatory replica"],
            );
        });
        it("in a preview: notes a replica region that is unknown rather than failing the table", () => {
            const found = findings(
                policy,
                stack(
                    table((p) => (p.replicas = UNKNOWN_INPUT)),
                    null,
                ),
            );
            assert.deepStrictEqual(
                found.map((f) => f.level),
                ["advisory"],
            );
        });
    });

    it("names every policy <service>-<resource>-<check>, mandatory, described as a check", () => {
        for (const policy of [
            dynamodb.dynamodbTablePitr,
            dynamodb.dynamodbTableDeletionProtection,
            dynamodb.dynamodbTableCustomerKey,
            dynamodb.dynamodbTableReplica,
        ]) {
            assert.strictEqual(policy.enforcementLevel, "mandatory");
            assert.match(policy.name, /^dynamodb-table(-[a-z0-9]+)+$/);
            assert.match(policy.description, /^Checks whether /);
        }
    });
});
