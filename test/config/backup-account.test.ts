import * as assert from "assert";
import { parseStackConfig } from "../../config/stack-config";
import { itRejects, problemsOf, raw } from "../support/raw-config";

describe("config: webank:backupAccountId (cross-account copies) and the air-gapped vault's region", () => {
    it("is unset by default: no cross-account copies", () => {
        assert.strictEqual(parseStackConfig(raw({})).backup.backupAccountId, undefined);
    });

    it("accepts 12 digits, keeping leading zeros", () => {
        assert.strictEqual(
            parseStackConfig(raw({ backupAccountId: "012345678901" })).backup.backupAccountId,
            "012345678901",
        );
    });

    it("says to quote an id YAML read as a number (leading zero dropped)", () => {
        const { message } = problemsOf({ backupAccountId: "12345678901" });
        assert.match(message, /quote it in the stack file/);
    });

    itRejects([
        {
            title: "an 11-digit id",
            values: { backupAccountId: "12345678901" },
            field: "webank:backupAccountId",
            mentions: '"12345678901"',
        },
        {
            title: "a 13-digit id",
            values: { backupAccountId: "1234567890123" },
            field: "webank:backupAccountId",
            mentions: '"1234567890123"',
        },
        {
            title: "an id with dashes",
            values: { backupAccountId: "1234-5678-9012" },
            field: "webank:backupAccountId",
            mentions: '"1234-5678-9012"',
        },
        {
            title: "an account ARN instead of an id",
            values: { backupAccountId: "arn:aws:iam::123456789012:root" },
            field: "webank:backupAccountId",
            mentions: "arn:aws:iam",
        },
        {
            title: "an empty id",
            values: { backupAccountId: "" },
            field: "webank:backupAccountId",
            mentions: '""',
        },
        {
            title: "an id with spaces",
            values: { backupAccountId: " 123456789012" },
            field: "webank:backupAccountId",
            mentions: '" 123456789012"',
        },
        {
            title: "a DR region with no logically air-gapped vault (Asia Pacific (Malaysia))",
            values: { drRegion: "ap-southeast-5" },
            field: "webank:drRegion",
            mentions: "ap-southeast-5",
        },
        {
            title: "a DR region with no logically air-gapped vault (Canada West (Calgary))",
            values: { homeRegion: "ca-central-1", drRegion: "ca-west-1" },
            field: "webank:drRegion",
            mentions: "ca-west-1",
        },
    ]);

    it("refuses a misspelt key, naming the right one", () => {
        const { message } = problemsOf({ backupAccountID: "123456789012" });
        assert.match(message, /backupAccountId/);
    });

    it("refuses a DR region outside the aws partition, where AWS Backup offers no air-gapped vault", () => {
        for (const [homeRegion, drRegion] of [
            ["cn-north-1", "cn-northwest-1"],
            ["us-gov-west-1", "us-gov-east-1"],
        ]) {
            assert.deepStrictEqual(problemsOf({ homeRegion, drRegion }).fields, ["webank:drRegion"]);
        }
    });
});
