import * as assert from "assert";
import {
    codeBuildId,
    ec2Id,
    gitSha,
    goTime,
    jobStamp,
    rdsEndpoint,
    recoveryPointArn,
    roleUniqueId,
    s3VersionId,
    uuidOf,
} from "../../../automation/simulation/formats";

describe("automation/simulation/formats: the values AWS and the tools generate", () => {
    it("makes S3 version ids of 32 URL-safe characters, different for different seeds", () => {
        const ids = ["a", "b", "c"].map(s3VersionId);
        ids.forEach((id) => assert.match(id, /^[A-Za-z0-9._]{32}$/));
        assert.strictEqual(new Set(ids).size, 3);
        assert.strictEqual(s3VersionId("a"), ids[0], "repeatable");
    });

    it("makes version-4 UUIDs, 40-hex Git object names and 17-hex EC2 ids", () => {
        assert.match(uuidOf("x"), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.match(gitSha("x"), /^[0-9a-f]{40}$/);
        assert.match(ec2Id("vol", "x"), /^vol-[0-9a-f]{17}$/);
        assert.match(ec2Id("sg", "x"), /^sg-[0-9a-f]{17}$/);
        assert.match(roleUniqueId("x"), /^AROA[A-Z0-9]{17}$/);
        assert.match(codeBuildId("webank-source-mirror", "x"), /^webank-source-mirror:[0-9a-f-]{36}$/);
    });

    it("names RDS endpoints after the instance, per account and region, on PostgreSQL's port", () => {
        const a = rdsEndpoint("webank-db", "123456789012", "us-east-1");
        assert.match(a, /^webank-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com:5432$/);
        const renamed = rdsEndpoint("webank-db-old", "123456789012", "us-east-1");
        assert.strictEqual(renamed.split(".")[1], a.split(".")[1], "the same id in one account and region");
    });

    it("shapes recovery points by resource type: RDS snapshot, EC2 snapshot, Backup recovery point", () => {
        const rds = recoveryPointArn(
            "us-west-2",
            "123456789012",
            "arn:aws:rds:us-east-1:123456789012:db:webank-db",
            "s",
        );
        assert.match(rds, /^arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:job-[0-9a-f-]{36}$/);
        const ebs = recoveryPointArn(
            "us-west-2",
            "123456789012",
            "arn:aws:ec2:us-east-1:123456789012:volume/vol-1",
            "s",
        );
        assert.match(ebs, /^arn:aws:ec2:us-west-2::snapshot\/snap-[0-9a-f]{17}$/);
        const s3 = recoveryPointArn("us-west-2", "123456789012", "arn:aws:s3:::bucket", "s");
        assert.match(s3, /^arn:aws:backup:us-west-2:123456789012:recovery-point:[0-9A-F-]{36}$/);
    });

    it("prints times as Go's encoding/json does, and stamps objects as date -u +%Y%m%dT%H%M%SZ", () => {
        assert.strictEqual(goTime(new Date("2026-11-25T03:00:00.000Z")), "2026-11-25T03:00:00Z");
        assert.strictEqual(goTime(new Date("2026-11-25T03:00:00.120Z")), "2026-11-25T03:00:00.12Z");
        assert.strictEqual(jobStamp(new Date("2026-11-25T03:04:05.678Z")), "20261125T030405Z");
    });
});
