import { AuditParameters, BackupAssurance, BackupAssuranceArgs } from "../../components/backup-assurance";
import { OfflineRun } from "../../offline/engine";
import { runComponent } from "./component";
import { objectivesOf } from "./objectives";

/*
 * The arguments the BackupAssurance tests share (test/components/backup-assurance*.test.ts),
 * each in the format AWS gives it, and the one way they declare the component.
 */

/** Type token of a restore testing plan. */
export const PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
/** Type token of a restore testing selection. */
export const SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
/** Type token of the component. */
export const COMPONENT = "webank:backup:BackupAssurance";

/** Objectives with a strict database. */
export const OBJECTIVES = objectivesOf(
    { rpoMinutes: 60, rtoMinutes: 240 },
    { database: { rpoMinutes: 5, rtoMinutes: 60 }, volumes: { rpoMinutes: 60, rtoMinutes: 240 } },
);

/** The audit parameters of the component's arguments. */
export const AUDIT: AuditParameters = {
    objectives: OBJECTIVES,
    planFrequencyHours: 1,
    retentionDays: 35,
    drRegion: "us-west-2",
    vaultLock: { minRetentionDays: 7, maxRetentionDays: 365 },
};

/** ARN of the home vault (AWS Backup: backup-vault:<name>). */
export const HOME_VAULT_ARN = "arn:aws:backup:us-east-1:123456789012:backup-vault:webank-home";
/** ARN of the tested database (RDS: db:<identifier>). */
export const DATABASE_ARN = "arn:aws:rds:us-east-1:123456789012:db:webank-db";
/** ARN of the restore role. */
export const RESTORE_ROLE_ARN = "arn:aws:iam::123456789012:role/webank-restore-testing";
// EC2 API reference, Vpc.VpcId: vpc- and 17 hex digits. RDS CreateDBSubnetGroup: the
// provider's autoname, <logical name>-<7 random characters>, lower-case as RDS stores it.
/** The tested database's VPC. */
export const VPC_ID = "vpc-0123456789abcdef0";
/** The tested database's DB subnet group. */
export const DB_SUBNET_GROUP = "webank-db-subnets-3f9c2a1";

/** Valid arguments of the component. */
export const ARGS: BackupAssuranceArgs = {
    ...AUDIT,
    homeVaultArn: HOME_VAULT_ARN,
    databaseArns: [DATABASE_ARN],
    restoreRoleArn: RESTORE_ROLE_ARN,
    restoreTestNetwork: { vpcId: VPC_ID, dbSubnetGroupName: DB_SUBNET_GROUP },
    reportBucketName: "webank-reports-123456789012-us-east-1",
};

/** Declares one BackupAssurance named `name` (home provider) and returns the run. */
export async function declareAssurance(
    overrides: Partial<BackupAssuranceArgs> = {},
    name = "webank-assurance",
): Promise<OfflineRun> {
    return runComponent((provider) => {
        const assurance = new BackupAssurance(name, { ...ARGS, ...overrides }, { provider });
        return {
            frameworkArn: assurance.frameworkArn,
            restoreTestingPlanName: assurance.restoreTestingPlanName,
            reportPlanNames: assurance.reportPlanNames,
            restoreTestSecurityGroupId: assurance.restoreTestSecurityGroup.id,
        };
    });
}
