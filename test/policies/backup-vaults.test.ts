import * as assert from "assert";
import { Policy } from "@pulumi/policy";
import * as vaults from "../../policies/backup-vaults";
import {
    changed,
    CONFIG,
    HOME,
    primaryStack,
    replaced,
    without,
    withStatement,
    Props,
} from "./backup-fixture";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const run = (policy: Policy, stack: StackResource[], config: Record<string, unknown> = CONFIG) =>
    violations(policy, stack, config);
const advisories = (policy: Policy, stack: StackResource[]) =>
    findings(policy, stack, CONFIG).filter((f) => f.level === "advisory");
const only = (found: string[], pattern: RegExp) => {
    assert.strictEqual(found.length, 1, found.join("\n"));
    assert.match(found[0], pattern);
};

describe(`policies: ${vaults.backupVaultCustomerKey.name}`, () => {
    const policy = vaults.backupVaultCustomerKey;
    it("passes vaults encrypted with the stack's keys", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails a vault without a key, or with AWS Backup's managed key", () => {
        only(
            run(
                policy,
                changed(primaryStack(), "vault-home", (p) => delete p.kmsKeyArn),
            ),
            /^vault-home: kmsKeyArn: .* it is unset\.$/,
        );
        only(
            run(
                policy,
                changed(
                    primaryStack(),
                    "vault-dr",
                    (p) => (p.kmsKeyArn = "arn:aws:kms:us-west-2:1:alias/aws/backup"),
                ),
            ),
            /^vault-dr: kmsKeyArn:/,
        );
    });
    it("fails a customer key given by alias: AWS Backup takes the key's ARN", () =>
        only(
            run(
                policy,
                changed(
                    primaryStack(),
                    "vault-home",
                    (p) => (p.kmsKeyArn = "arn:aws:kms:us-east-1:1:alias/webank-data"),
                ),
            ),
            /must be the key's ARN/,
        ));
    it("accepts an unknown key computed from a key of the stack, and notes one that is not", () => {
        assert.deepStrictEqual(
            findings(
                policy,
                changed(primaryStack(), "vault-home", (p) => (p.kmsKeyArn = UNKNOWN_INPUT)),
                CONFIG,
            ),
            [],
        );
        const unlinked = replaced(
            changed(primaryStack(), "vault-home", (p) => (p.kmsKeyArn = UNKNOWN_INPUT)),
            "vault-home",
            (r) => ({ ...r, inputsFrom: {} }),
        );
        assert.match(advisories(policy, unlinked)[0].message, /vault-home kmsKeyArn/);
    });
});

describe(`policies: ${vaults.backupVaultForceDestroyDisabled.name}`, () => {
    const policy = vaults.backupVaultForceDestroyDisabled;
    it("passes forceDestroy false or unset", () => {
        assert.deepStrictEqual(run(policy, primaryStack()), []);
        assert.deepStrictEqual(
            run(
                policy,
                changed(primaryStack(), "vault-home", (p) => delete p.forceDestroy),
            ),
            [],
        );
    });
    it("fails forceDestroy true", () =>
        only(
            run(
                policy,
                changed(primaryStack(), "vault-dr", (p) => (p.forceDestroy = true)),
            ),
            /^vault-dr: forceDestroy: must not be true/,
        ));
});

describe(`policies: ${vaults.backupVaultLock.name}`, () => {
    const policy = vaults.backupVaultLock;
    const lock = (change: (p: Props) => void, name = "lock-home") => changed(primaryStack(), name, change);
    it("passes the locks the program declares", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails a vault without a lock, naming the vault and the lock's type", () =>
        only(
            run(policy, without(primaryStack(), "lock-dr")),
            /^vault-dr: aws:backup\/vaultLockConfiguration:VaultLockConfiguration: must be declared/,
        ));
    it("links a lock by its backupVaultName and region, not by dependsOn", () => {
        const unlinked = replaced(
            lock((p) => (p.backupVaultName = "other")),
            "lock-home",
            (r) => ({ ...r, inputsFrom: {}, dependsOn: ["vault-home"] }),
        );
        only(run(policy, unlinked), /^vault-home: aws:backup\/vaultLockConfiguration/);
        only(
            run(
                policy,
                replaced(primaryStack(), "lock-dr", (r) => ({ ...r, region: HOME })),
            ),
            /^vault-dr: /,
        );
    });
    it("fails governance with a 1-day minimum, and no minimum", () => {
        only(
            run(
                policy,
                lock((p) => (p.minRetentionDays = 1)),
            ),
            /^lock-home: minRetentionDays: must be at least 7 days .* it is 1\.$/,
        );
        only(
            run(
                policy,
                lock((p) => delete p.minRetentionDays),
            ),
            /it is unset/,
        );
    });
    it("fails bounds that would fail the rules' jobs", () => {
        only(
            run(
                policy,
                lock((p) => (p.maxRetentionDays = 30)),
            ),
            /^lock-home: maxRetentionDays: must be at least the 365-day retention/,
        );
        only(
            run(
                policy,
                lock((p) => (p.minRetentionDays = 30), "lock-dr"),
            ),
            /^lock-dr: minRetentionDays: must not exceed the 7-day retention of the copies/,
        );
        const forever = changed(primaryStack(), "plan-database", (p) => delete p.rules[1].lifecycle);
        assert.match(run(policy, forever).join("\n"), /unlimited retention/);
    });
    it("requires the compliance cooling-off in compliance mode", () => {
        const compliance = { ...CONFIG, vaultLockMode: "compliance" };
        assert.strictEqual(run(policy, primaryStack(), compliance).length, 2);
        const both = (days: unknown) =>
            changed(
                lock((p) => (p.changeableForDays = days)),
                "lock-dr",
                (p) => (p.changeableForDays = days),
            );
        assert.deepStrictEqual(run(policy, both(3), compliance), []);
        assert.match(run(policy, both(36500), compliance)[0], /changeableForDays: must be from 3 to 3 days/);
    });
    it("judges a literal minimum while the vault name is unknown (preview)", () => {
        const stack = lock((p) => {
            p.backupVaultName = UNKNOWN_INPUT;
            p.minRetentionDays = 1;
        });
        only(run(policy, stack), /^lock-home: minRetentionDays/);
    });
});

describe(`policies: ${vaults.backupVaultRecoveryPointsProtected.name}`, () => {
    const policy = vaults.backupVaultRecoveryPointsProtected;
    it("passes the policy the program declares", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails a vault without an access policy", () =>
        only(
            run(policy, without(primaryStack(), "policy-dr")),
            /^vault-dr: aws:backup\/vaultPolicy:VaultPolicy: must be declared/,
        ));
    const failing: Array<[string, (s: Record<string, unknown>) => void, RegExp]> = [
        [
            "another action instead of DeleteRecoveryPoint",
            (s) =>
                (s.Action = (s.Action as string[]).map((a) =>
                    a === "backup:DeleteRecoveryPoint" ? "backup:DescribeBackupVault" : a,
                )),
            /backup:DeleteRecoveryPoint to every principal/,
        ],
        [
            "Allow instead of Deny",
            (s) => (s.Effect = "Allow"),
            /DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle/,
        ],
        [
            "the vault's ARN as the resource",
            (s) => (s.Resource = "arn:aws:backup:us-east-1:1:backup-vault:webank-vault"),
            /on every resource/,
        ],
        [
            "one role as the principal",
            (s) => (s.Principal = { AWS: "arn:aws:iam::1:role/r" }),
            /every principal/,
        ],
        [
            "NotPrincipal exempting a role",
            (s) => ((s.NotPrincipal = { AWS: "arn:aws:iam::1:role/admin" }), delete s.Principal),
            /every principal/,
        ],
        [
            "a Condition",
            (s) => (s.Condition = { Bool: { "aws:SecureTransport": "false" } }),
            /without a Condition/,
        ],
        [
            "a NotAction that leaves out DeleteBackupVault",
            (s) => ((s.NotAction = ["backup:DeleteBackupVault"]), delete s.Action),
            /backup:DeleteBackupVault to/,
        ],
    ];
    for (const [what, change, message] of failing) {
        it(`fails ${what}, on the policy`, () =>
            only(
                run(policy, withStatement(change)),
                new RegExp(`^policy-home: policy: must deny .*${message.source}`),
            ));
    }
    const passing: Array<[string, (s: Record<string, unknown>) => void]> = [
        ["backup:* denied", (s) => (s.Action = "backup:*")],
        [
            "wildcards covering each action",
            (s) => (s.Action = ["backup:Delete*", "backup:UpdateRecoveryPointLifecycle", "backup:Put*"]),
        ],
        [
            "a NotAction of the reads",
            (s) => ((s.NotAction = ["backup:Describe*", "backup:List*", "backup:Get*"]), delete s.Action),
        ],
        ['"Principal": "*"', (s) => (s.Principal = "*")],
    ];
    for (const [what, change] of passing) {
        it(`passes ${what}`, () => assert.deepStrictEqual(run(policy, withStatement(change)), []));
    }
    it("notes a policy document unknown in a preview", () =>
        assert.match(
            advisories(
                policy,
                changed(primaryStack(), "policy-home", (p) => (p.policy = UNKNOWN_INPUT)),
            )[0].message,
            /policy-home policy/,
        ));
});

describe(`policies: ${vaults.backupVaultFailureNotifications.name}`, () => {
    const policy = vaults.backupVaultFailureNotifications;
    const events = (change: (e: string[]) => string[]) =>
        changed(primaryStack(), "notify-home", (p) => (p.backupVaultEvents = change(p.backupVaultEvents)));
    it("passes the notifications the program declares", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails a vault without notifications", () =>
        only(
            run(policy, without(primaryStack(), "notify-dr")),
            /^vault-dr: aws:backup\/vaultNotifications:VaultNotifications: must be declared/,
        ));
    it("fails a missing failure event, and a deprecated one that is never sent", () => {
        only(
            run(
                policy,
                events((e) => e.filter((x) => x !== "COPY_JOB_FAILED")),
            ),
            /^notify-home: backupVaultEvents: must include COPY_JOB_FAILED \(failed copy jobs\)/,
        );
        only(
            run(
                policy,
                events((e) => e.map((x) => (x === "BACKUP_JOB_COMPLETED" ? "BACKUP_JOB_FAILED" : x))),
            ),
            /must include BACKUP_JOB_COMPLETED/,
        );
    });
    it("accepts a topic ARN computed from a topic of the stack in a preview, and notes unknown events", () => {
        const stack: StackResource[] = [
            ...replaced(
                changed(primaryStack(), "notify-home", (p) => (p.snsTopicArn = UNKNOWN_INPUT)),
                "notify-home",
                (r) => ({
                    ...r,
                    inputsFrom: { ...r.inputsFrom, snsTopicArn: ["topic"] },
                }),
            ),
            { type: "aws:sns/topic:Topic", name: "topic" },
        ];
        assert.deepStrictEqual(findings(policy, stack, CONFIG), []);
        assert.match(
            advisories(
                policy,
                events(() => UNKNOWN_INPUT as unknown as string[]),
            )[0].message,
            /notify-home backupVaultEvents/,
        );
    });
});
