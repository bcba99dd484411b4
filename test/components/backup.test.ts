import * as assert from "assert";
import { VAULT_DENIED_ACTIONS } from "../../components/vault-access-policy";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { bothStacksWith, inputsOf, named, ofType, policyOf, runStack } from "../support/offline";

describe("components/backup: Backup", () => {
    let primary: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
    });

    it("keeps a vault in each region, encrypted with that region's key", () => {
        const home = named(primary, "aws:backup/vault:Vault", "webank-backup-home");
        const dr = named(primary, "aws:backup/vault:Vault", "webank-backup-dr");
        assert.deepStrictEqual([home.region, dr.region], ["us-east-1", "us-west-2"]);
        assert.match(inputsOf(home).kmsKeyArn, /^arn:aws:kms:us-east-1:/);
        assert.match(inputsOf(dr).kmsKeyArn, /^arn:aws:kms:us-west-2:/);
        for (const vault of [home, dr]) {
            assert.ok(vault.protect && vault.retainOnDelete);
            assert.strictEqual(inputsOf(vault).forceDestroy, false);
        }
    });

    it("locks both vaults with the configured bounds (governance by default, no cooling-off)", () => {
        const locks = ofType(primary, "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
        assert.deepStrictEqual(locks.map((l) => l.region).sort(), ["us-east-1", "us-west-2"]);
        for (const lock of locks) {
            assert.deepStrictEqual(
                [
                    inputsOf(lock).minRetentionDays,
                    inputsOf(lock).maxRetentionDays,
                    inputsOf(lock).changeableForDays,
                ],
                [7, 3650, undefined],
            );
        }
    });

    it("uses compliance mode with the 72-hour cooling-off when configured", async () => {
        const run = await runStack("primary", { "webank:vaultLockMode": "compliance" });
        for (const lock of ofType(run, "aws:backup/vaultLockConfiguration:VaultLockConfiguration")) {
            assert.strictEqual(inputsOf(lock).changeableForDays, 3);
        }
    });

    it("denies manual deletion of recovery points in both vaults and reports failed jobs", () => {
        const policies = ofType(primary, "aws:backup/vaultPolicy:VaultPolicy");
        assert.deepStrictEqual(policies.map((p) => p.region).sort(), ["us-east-1", "us-west-2"]);
        for (const policy of policies) {
            // One statement, as AWS Config's manual-deletion control reads it; what it denies to
            // whom is evaluated in test/components/iam-policies.test.ts.
            const [deny, ...others] = policyOf(policy).Statement;
            assert.deepStrictEqual(others, []);
            assert.deepStrictEqual(
                [deny.Effect, deny.Principal, deny.Action, deny.Resource, deny.Condition],
                ["Deny", { AWS: "*" }, [...VAULT_DENIED_ACTIONS], "*", undefined],
            );
        }
        for (const notifications of ofType(primary, "aws:backup/vaultNotifications:VaultNotifications")) {
            assert.ok(inputsOf(notifications).backupVaultEvents.includes("COPY_JOB_FAILED"));
            assert.match(
                inputsOf(notifications).snsTopicArn,
                new RegExp(`^arn:aws:sns:${String(notifications.region)}:`),
            );
        }
    });

    it("copies every rule of every plan to the DR vault with its own retention, and the daily ones to the air-gapped vault", () => {
        const drVaultArn = primary.outputs.backupDrVaultArn;
        const airGappedArn = primary.outputs.backupAirGappedVaultArn;
        const plans = ofType(primary, "aws:backup/plan:Plan");
        assert.strictEqual(plans.length, 6);
        for (const plan of plans) {
            for (const rule of inputsOf(plan).rules) {
                const daily =
                    !String(rule.schedule).includes("/") && !String(rule.schedule).startsWith("cron(0 *");
                assert.deepStrictEqual(
                    rule.copyActions.map((c: { destinationVaultArn: string }) => c.destinationVaultArn),
                    daily ? [drVaultArn, airGappedArn] : [drVaultArn],
                    `${rule.ruleName} ${rule.schedule}`,
                );
                assert.ok(rule.copyActions[0].lifecycle.deleteAfter > 0, rule.ruleName);
            }
        }
    });

    it("keeps frequent rules' DR copies a week and daily ones a year, and says what the DR vault gives", () => {
        for (const plan of ofType(primary, "aws:backup/plan:Plan")) {
            for (const rule of inputsOf(plan).rules) {
                const frequent = rule.enableContinuousBackup || rule.schedule !== "cron(0 5 ? * * *)";
                assert.strictEqual(
                    rule.copyActions[0].lifecycle.deleteAfter,
                    frequent ? 7 : 365,
                    `${plan.name} ${rule.ruleName}`,
                );
            }
        }
        const copies = primary.outputs.backupDrCopies as Record<string, string>;
        assert.strictEqual(
            copies.database,
            "a snapshot copy every 60 min (the DR vault's RPO: up to 300 min, landing up to 240 min after its schedule; a copy of a continuous backup has no point-in-time restore), kept 7 days; daily copies kept 365 days",
        );
        assert.deepStrictEqual(Object.keys(copies).sort(), [
            "artifact-bucket",
            "cluster",
            "database",
            "lock-table",
            "state-bucket",
            "volumes",
        ]);
    });

    it("backs the database up continuously (RPO 5) and volumes hourly (RPO 60)", () => {
        const rules = (id: string) =>
            inputsOf(named(primary, "aws:backup/plan:Plan", `webank-backup-${id}`)).rules;
        const [continuous] = rules("database");
        assert.deepStrictEqual(
            [continuous.enableContinuousBackup, continuous.lifecycle.deleteAfter],
            [true, 35],
        );
        const [snapshot, longTerm] = rules("volumes");
        assert.deepStrictEqual(
            [snapshot.schedule, snapshot.enableContinuousBackup],
            ["cron(0 * ? * * *)", false],
        );
        assert.deepStrictEqual(
            [longTerm.lifecycle.deleteAfter, longTerm.lifecycle.coldStorageAfter],
            [365, 90],
        );
    });

    it("changes the schedule when webank:rpoMinutes changes", async () => {
        const schedules = (run: OfflineRun) =>
            inputsOf(named(run, "aws:backup/plan:Plan", "webank-backup-artifact-bucket")).rules.map(
                (r: { schedule: string; enableContinuousBackup: boolean }) =>
                    `${r.schedule}${r.enableContinuousBackup ? " continuous" : ""}`,
            );
        assert.deepStrictEqual(schedules(primary), ["cron(0 * ? * * *) continuous", "cron(0 5 ? * * *)"]);
        const slower = await runStack("primary", {}, {}, [], bothStacksWith({ "webank:rpoMinutes": 240 }));
        assert.deepStrictEqual(schedules(slower), ["cron(0 0/4 ? * * *)", "cron(0 5 ? * * *)"]);
    });

    it("covers every stateful resource of the home region with a selection", () => {
        const selections = ofType(primary, "aws:backup/selection:Selection").map(inputsOf);
        const selectedArns = new Set(selections.flatMap((s) => s.resources as string[]));
        const arnOf = (resource: RecordedResource, output: string) => {
            const arn = primary.outputs[output];
            assert.strictEqual(typeof arn, "string", `${resource.name}: output ${output}`);
            return arn as string;
        };
        const stateful = [
            ...ofType(primary, "aws:rds/instance:Instance").map((r) => arnOf(r, "dbInstanceArn")),
            ...ofType(primary, "aws:dynamodb/table:Table").map((r) => arnOf(r, "lockTableArn")),
            ...ofType(primary, "aws:s3/bucket:Bucket")
                .filter((b) => b.region === "us-east-1")
                .map((b) => `arn:aws:s3:::${String(inputsOf(b).bucket)}`),
        ];
        assert.strictEqual(stateful.length, 4);
        for (const arn of stateful) {
            assert.ok(selectedArns.has(arn), `${arn} is not in any backup selection`);
        }
        // Volumes: the StorageClass tag is what the volume selection matches.
        const [storageClass] = ofType(primary, "kubernetes:storage.k8s.io/v1:StorageClass");
        const [tagKey, tagValue] = String(inputsOf(storageClass).parameters.tagSpecification_1).split("=");
        const volumes = inputsOf(named(primary, "aws:backup/selection:Selection", "webank-backup-volumes"));
        assert.deepStrictEqual(volumes.conditions[0].stringEquals, [
            { key: `aws:ResourceTag/${tagKey}`, value: tagValue },
        ]);
    });

    it("gives AWS Backup a role with exactly the managed policies for backup and restore, S3 included", () => {
        const attached = ofType(primary, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((a) => a.name.startsWith("webank-backup-role"))
            .map((a) => String(inputsOf(a).policyArn))
            .sort();
        assert.deepStrictEqual(attached, [
            "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
            "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        ]);
    });
});
