import * as assert from "assert";
import { FAKE_ACCOUNT_ID } from "../../offline/fake-cloud/identifiers";
import { inputsOf, named, ofType, policyOf, runStack } from "../support/offline";

/*
 * The copies a compromised account cannot reach, as the primary stack declares them: the
 * air-gapped vault by default, and with webank:backupAccountId the backup account's vaults,
 * its use of the data key, and the outputs that tell its administrators what to apply.
 */
const BACKUP_ACCOUNT = "111122223333";

type Copy = { destinationVaultArn: string; lifecycle: { deleteAfter: number } };
const copiesOf = (plan: unknown) =>
    (inputsOf(plan as never).rules as { ruleName: string; copyActions: Copy[] }[]).map((rule) => [
        rule.ruleName,
        rule.copyActions.map((c) => c.destinationVaultArn),
    ]);

describe("stacks: air-gapped and cross-account copies", () => {
    it("declares the air-gapped vault in the DR region, protected, with the Vault Lock bounds and AWS's own key", async () => {
        const run = await runStack("primary");
        const vault = named(
            run,
            "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
            "webank-backup-air-gapped",
        );
        assert.deepStrictEqual(
            [
                inputsOf(vault).name,
                inputsOf(vault).minRetentionDays,
                inputsOf(vault).maxRetentionDays,
                inputsOf(vault).encryptionKeyArn,
            ],
            ["webank-air-gapped", 7, 3650, undefined],
        );
        assert.strictEqual(vault.protect, true);
        assert.match(
            String(run.outputs.backupAirGappedVaultArn),
            /^arn:aws:backup:us-west-2:123456789012:backup-vault:webank-air-gapped$/,
        );
        assert.strictEqual(run.outputs.backupAccountVaults, undefined);
    });

    it("copies the database's daily rule to the air-gapped vault and its continuous rule only to the DR vault", async () => {
        const run = await runStack("primary");
        assert.deepStrictEqual(copiesOf(named(run, "aws:backup/plan:Plan", "webank-backup-database")), [
            ["database-rds-continuous", ["arn:aws:backup:us-west-2:123456789012:backup-vault:webank-vault"]],
            [
                "database-rds-long-term",
                [
                    "arn:aws:backup:us-west-2:123456789012:backup-vault:webank-vault",
                    "arn:aws:backup:us-west-2:123456789012:backup-vault:webank-air-gapped",
                ],
            ],
        ]);
    });

    it("with webank:backupAccountId copies every rule there (RDS in the home region), shares the keys, and outputs the vault policy", async () => {
        const run = await runStack("primary", { "webank:backupAccountId": BACKUP_ACCOUNT });
        const database = copiesOf(named(run, "aws:backup/plan:Plan", "webank-backup-database"));
        for (const [, arns] of database) {
            assert.ok(
                (arns as string[]).includes(
                    `arn:aws:backup:us-east-1:${BACKUP_ACCOUNT}:backup-vault:webank-vault`,
                ),
                String(arns),
            );
        }
        const volumes = copiesOf(named(run, "aws:backup/plan:Plan", "webank-backup-volumes"));
        for (const [, arns] of volumes) {
            assert.ok(
                (arns as string[]).includes(
                    `arn:aws:backup:us-west-2:${BACKUP_ACCOUNT}:backup-vault:webank-vault`,
                ),
            );
        }
        for (const key of [
            ...ofType(run, "aws:kms/key:Key"),
            ...ofType(run, "aws:kms/replicaKey:ReplicaKey"),
        ].filter((k) => k.name.startsWith("webank-data"))) {
            const sids = (policyOf(key).Statement as { Sid: string; Principal: { AWS?: string } }[])
                .filter((s) => s.Principal.AWS === `arn:aws:iam::${BACKUP_ACCOUNT}:root`)
                .map((s) => s.Sid);
            assert.deepStrictEqual(
                sids,
                ["BackupAccountUsesKeyForCopies", "BackupAccountGrantsForCopies"],
                key.name,
            );
        }
        const policy = JSON.parse(String(run.outputs.backupAccountVaultPolicy));
        assert.deepStrictEqual(policy.Statement[0].Principal, {
            AWS: `arn:aws:iam::${FAKE_ACCOUNT_ID}:root`,
        });
        assert.strictEqual(policy.Statement[0].Action, "backup:CopyIntoBackupVault");
        assert.deepStrictEqual(run.outputs.backupAccountVaults, [
            `arn:aws:backup:us-east-1:${BACKUP_ACCOUNT}:backup-vault:webank-vault`,
            `arn:aws:backup:us-west-2:${BACKUP_ACCOUNT}:backup-vault:webank-vault`,
        ]);
    });
});
