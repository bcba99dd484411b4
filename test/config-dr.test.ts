import * as assert from "assert";
import { parseStackConfig } from "../config/stack-config";
import { itRejects, NOW, raw, RejectionCase } from "./support/raw-config";

const SNAPSHOT = "arn:aws:rds:us-west-2:123456789012:snapshot:webank-db-before-release";
const RECOVERY_POINT = "arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:job-1a2b3c4d-0000-1111";
const HOUR_AGO = new Date(NOW.getTime() - 3_600_000).toISOString();

/** The dr stack, activated, restoring as `restore` says. */
const activated = (restore: unknown) => ({
    role: "dr",
    activated: "true",
    restore: typeof restore === "string" ? restore : JSON.stringify(restore),
});

describe("config: database and DR keys", () => {
    it("defaults to a pilot-light, not activated DR stack", () => {
        const config = parseStackConfig(raw({ role: "dr" }, "dr"));
        assert.deepStrictEqual(config.dr, {
            posture: "pilot",
            activated: false,
            restore: undefined,
            primaryStack: "primary",
        });
        assert.strictEqual(config.network.stackCidr, "10.20.0.0/16");
    });

    it("activates a hot standby without a restore: its database is the promoted read replica", () => {
        const config = parseStackConfig(raw({ role: "dr", posture: "hot", activated: "true" }, "dr"));
        assert.deepStrictEqual(config.dr, {
            posture: "hot",
            activated: true,
            restore: undefined,
            primaryStack: "primary",
        });
    });

    it("lets a drill of a hot standby restore from backups: the drill's stack starts from dr's file", () => {
        const config = parseStackConfig(
            raw(
                {
                    ...activated({ source: "pitr", time: "latest" }),
                    posture: "hot",
                    drill: '{"id": "d20261125"}',
                },
                "dr",
            ),
        );
        assert.deepStrictEqual(config.dr.restore?.source, "pitr");
        assert.deepStrictEqual(config.dr.drill, { id: "d20261125", scope: "database" });
    });

    it("parses a drill, scope database by default", () => {
        const config = parseStackConfig(
            raw({ ...activated({ source: "pitr", time: "latest" }), drill: '{"id": "d20261125"}' }, "dr"),
        );
        assert.deepStrictEqual(config.dr.drill, { id: "d20261125", scope: "database" });
    });

    it("parses each kind of restore", () => {
        const pitr = parseStackConfig(raw(activated({ source: "pitr", time: HOUR_AGO }), "dr"));
        assert.deepStrictEqual(pitr.dr.restore, {
            source: "pitr",
            time: HOUR_AGO,
            automatedBackupsArn: undefined,
            generation: 1,
        });
        const snapshot = parseStackConfig(
            raw(activated({ source: "snapshot", snapshotArn: SNAPSHOT, generation: 3 }), "dr"),
        );
        assert.deepStrictEqual(snapshot.dr.restore, {
            source: "snapshot",
            snapshotArn: SNAPSHOT,
            generation: 3,
        });
        const point = parseStackConfig(
            raw(activated({ source: "recovery-point", recoveryPointArn: RECOVERY_POINT }), "dr"),
        );
        assert.deepStrictEqual(point.dr.restore, {
            source: "recovery-point",
            recoveryPointArn: RECOVERY_POINT,
            generation: 1,
        });
    });

    it("derives the database settings, with safe defaults", () => {
        const { database } = parseStackConfig(raw({}));
        assert.deepStrictEqual(database, {
            engineVersion: "16",
            name: "webank",
            majorVersion: 16,
            instanceClass: "db.r6g.large",
            allocatedStorageGiB: 100,
            backupRetentionDays: 35,
            backupWindow: "03:00-03:30",
            maintenanceWindow: "sun:04:00-sun:05:00",
            replicatedBackupRetentionDays: 14,
        });
    });

    const cases: RejectionCase[] = [
        {
            title: "a drill id with capitals",
            values: { ...activated({ source: "pitr", time: "latest" }), drill: '{"id": "Drill1"}' },
            stack: "dr",
            field: "webank:drill.id",
            mentions: "lowercase",
        },
        {
            title: "a drill scope that does not exist",
            values: {
                ...activated({ source: "pitr", time: "latest" }),
                drill: '{"id": "d1234", "scope": "all"}',
            },
            stack: "dr",
            field: "webank:drill.scope",
            mentions: "database, full",
        },
        {
            title: "a drill on a stack that is not activated",
            values: { role: "dr", drill: '{"id": "d1234"}' },
            stack: "dr",
            field: "webank:drill",
            mentions: "webank:activated true",
        },
        {
            title: "a drill on the primary stack",
            values: { role: "primary", drill: '{"id": "d1234"}' },
            stack: "primary",
            field: "webank:drill",
            mentions: "only on the dr stack",
        },
        {
            title: "activated without a restore",
            values: { role: "dr", activated: "true" },
            stack: "dr",
            field: "webank:restore",
            mentions: "webank:activated is true",
        },
        {
            title: "a restore on a hot standby, where the replica is the DR database",
            values: { ...activated({ source: "pitr", time: "latest" }), posture: "hot" },
            stack: "dr",
            field: "webank:restore",
            mentions: "set webank:posture to warm",
        },
        {
            title: "a posture misspelt",
            values: { role: "dr", posture: "hott" },
            stack: "dr",
            field: "webank:posture",
            mentions: '"hott"',
        },
        {
            title: "a restore time that is not ISO-8601",
            values: activated({ source: "pitr", time: "yesterday 3am" }),
            stack: "dr",
            field: "webank:restore.time",
            mentions: '"yesterday 3am"',
        },
        {
            title: "a restore time without a time zone",
            values: activated({ source: "pitr", time: "2026-11-25T03:00:00" }),
            stack: "dr",
            field: "webank:restore.time",
            mentions: "time zone",
        },
        {
            title: "a restore time in the future",
            values: activated({ source: "pitr", time: "2026-11-25T13:00:00Z" }),
            stack: "dr",
            field: "webank:restore.time",
            mentions: "future",
        },
        {
            title: "a restore time outside the replicated window",
            values: activated({ source: "pitr", time: "2026-10-01T00:00:00Z" }),
            stack: "dr",
            field: "webank:restore.time",
            mentions: "14-day window",
        },
        {
            title: "both a snapshot and PITR",
            values: activated({ source: "pitr", time: "latest", snapshotArn: SNAPSHOT }),
            stack: "dr",
            field: "webank:restore.snapshotArn",
            mentions: "choose one source",
        },
        {
            title: "a snapshot restore with a time",
            values: activated({ source: "snapshot", snapshotArn: SNAPSHOT, time: "latest" }),
            stack: "dr",
            field: "webank:restore.time",
            mentions: "choose one source",
        },
        {
            title: "an unknown restore source",
            values: activated({ source: "tape" }),
            stack: "dr",
            field: "webank:restore.source",
            mentions: '"tape"',
        },
        {
            title: "a snapshot ARN from the home region",
            values: activated({
                source: "snapshot",
                snapshotArn: SNAPSHOT.replace("us-west-2", "us-east-1"),
            }),
            stack: "dr",
            field: "webank:restore.snapshotArn",
            mentions: "DR region us-west-2",
        },
        {
            title: "a snapshot ARN of a cluster snapshot",
            values: activated({
                source: "snapshot",
                snapshotArn: "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:x",
            }),
            stack: "dr",
            field: "webank:restore.snapshotArn",
            mentions: "DB instance snapshot",
        },
        {
            title: "a recovery point ARN of another service",
            values: activated({
                source: "recovery-point",
                recoveryPointArn: "arn:aws:ec2:us-west-2::snapshot/snap-0123",
            }),
            stack: "dr",
            field: "webank:restore.recoveryPointArn",
            mentions: "AWS Backup recovery point",
        },
        {
            title: "a backups ARN of the wrong type",
            values: activated({
                source: "pitr",
                time: "latest",
                automatedBackupsArn: "arn:aws:rds:us-west-2:123456789012:db:webank-db",
            }),
            stack: "dr",
            field: "webank:restore.automatedBackupsArn",
            mentions: "replicated automated backups",
        },
        {
            title: "a restore that is not JSON",
            values: activated("pitr latest"),
            stack: "dr",
            field: "webank:restore",
            mentions: "JSON object",
        },
        {
            title: "a restore generation of 0",
            values: activated({ source: "snapshot", snapshotArn: SNAPSHOT, generation: 0 }),
            stack: "dr",
            field: "webank:restore.generation",
            mentions: "got 0",
        },
        {
            title: "activated set to yes",
            values: { role: "dr", activated: "yes" },
            stack: "dr",
            field: "webank:activated",
            mentions: '"yes"',
        },
        {
            title: "DR keys on the primary stack",
            values: { activated: "true" },
            field: "webank:activated",
            mentions: "only on the dr stack",
        },
        {
            title: "a database RPO below what PITR can give",
            values: { objectives: '{"database": {"rpoMinutes": 1}, "volumes": {"rpoMinutes": 60}}' },
            field: "webank:objectives.database.rpoMinutes",
            mentions: "continuous backup gives 5 minutes at best",
        },
        {
            title: "a stack-wide RPO below what the database can give",
            values: { rpoMinutes: "2", objectives: '{"volumes": {"rpoMinutes": 300}}' },
            field: "webank:rpoMinutes",
            mentions: "cannot be met for RDS",
        },
        {
            title: "a volume RPO below the hourly EBS snapshots",
            values: { objectives: '{"volumes": {"rpoMinutes": 30}}' },
            field: "webank:objectives.volumes.rpoMinutes",
            mentions: "at most hourly",
        },
        {
            title: "a long-term retention the vault lock forbids",
            values: { vaultLockMaxRetentionDays: "100" },
            field: "webank:vaultLockMaxRetentionDays",
            mentions: "365-day retention",
        },
        {
            title: "cold storage too close to the end of retention",
            values: { backupLongTermRetentionDays: "120" },
            field: "webank:backupLongTermRetentionDays",
            mentions: "at least 90 days",
        },
        {
            title: "an unknown vault lock mode",
            values: { vaultLockMode: "strict" },
            field: "webank:vaultLockMode",
            mentions: '"strict"',
        },
        {
            title: "a database backup retention under a week",
            values: { pitrRetentionDays: "3" },
            field: "webank:pitrRetentionDays",
            mentions: "never below a week",
        },
        {
            title: "a replicated retention of 0 days",
            values: { replicatedBackupRetentionDays: "0" },
            field: "webank:replicatedBackupRetentionDays",
            mentions: "from 1 to 35",
        },
        {
            title: "overlapping VPC ranges",
            values: { drVpcCidr: "10.10.128.0/17" },
            field: "webank:drVpcCidr",
            mentions: "not overlap",
        },
        {
            title: "a VPC range that is not a network address",
            values: { homeVpcCidr: "10.10.1.0/16" },
            field: "webank:homeVpcCidr",
            mentions: '"10.10.1.0/16"',
        },
        {
            title: "a VPC range too small for three zones",
            values: { homeVpcCidr: "10.10.0.0/24" },
            field: "webank:homeVpcCidr",
            mentions: "/16 to /20",
        },
        {
            title: "a malformed engine version",
            values: { dbEngineVersion: "latest" },
            field: "webank:dbEngineVersion",
            mentions: '"latest"',
        },
        {
            title: "a malformed backup window",
            values: { dbBackupWindow: "3am-4am" },
            field: "webank:dbBackupWindow",
            mentions: '"3am-4am"',
        },
        {
            title: "storage below the RDS minimum",
            values: { dbAllocatedStorageGiB: "10" },
            field: "webank:dbAllocatedStorageGiB",
            mentions: "from 20",
        },
    ];
    itRejects(cases);
});
