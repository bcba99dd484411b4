import * as assert from "assert";
import {
    GetObjectCommand,
    ListObjectsV2Command,
    ListObjectVersionsCommand,
    NoSuchBucket,
    NoSuchKey,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { sdkStreamMixin } from "@smithy/core/serde";
import { AwsClientStub } from "aws-sdk-client-mock";
import { mockInstance } from "../../../support/mock-client";
import { assertNoDeletingCommand } from "../../../support/nothing-deleted";
import { Readable } from "stream";
import { S3Objects } from "../../../../automation/adapters/aws/objects";

const REGION = "us-west-2";
const BUCKET = "webank-artifacts-123456789012-us-west-2";
const KEY = ".pulumi/stacks/webank/primary.json";
const meta = { $metadata: {} };

describe("automation/aws/objects: S3Objects", () => {
    let client: S3Client;
    let s3: AwsClientStub<S3Client>;
    const port = () => new S3Objects(client, REGION);
    beforeEach(() => {
        client = new S3Client({ region: REGION });
        s3 = mockInstance(client);
    });
    afterEach(() => assertNoDeletingCommand(s3));

    it("finds the newest object under a prefix across every page", async () => {
        s3.on(ListObjectsV2Command)
            .resolvesOnce({
                Contents: [
                    {
                        Key: "argocd-exports/webank-primary/20261125T0200Z.yaml",
                        LastModified: new Date("2026-11-25T02:00:00Z"),
                        Size: 10,
                    },
                    {
                        Key: "argocd-exports/webank-primary/20261125T0250Z.yaml",
                        LastModified: new Date("2026-11-25T02:50:00Z"),
                        Size: 12,
                    },
                ],
                IsTruncated: true,
                NextContinuationToken: "t2",
            })
            .resolvesOnce({
                Contents: [
                    {
                        Key: "argocd-exports/webank-primary/20261125T0100Z.yaml",
                        LastModified: new Date("2026-11-25T01:00:00Z"),
                        Size: 9,
                    },
                ],
            });
        assert.deepStrictEqual(await port().newestObject(BUCKET, "argocd-exports/webank-primary/"), {
            key: "argocd-exports/webank-primary/20261125T0250Z.yaml",
            lastModified: new Date("2026-11-25T02:50:00Z"),
            size: 12,
        });
        const calls = s3.commandCalls(ListObjectsV2Command);
        assert.strictEqual(calls.length, 2);
        assert.strictEqual(calls[1].args[0].input.ContinuationToken, "t2");
    });

    it("answers undefined for an empty prefix, and names a missing bucket", async () => {
        s3.on(ListObjectsV2Command)
            .resolvesOnce({})
            .rejects(new NoSuchBucket({ message: "The specified bucket does not exist", ...meta }));
        assert.strictEqual(await port().newestObject(BUCKET, "git-bundles/"), undefined);
        await assert.rejects(
            () => port().newestObject(BUCKET, "git-bundles/"),
            /could not list s3:\/\/webank-artifacts-123456789012-us-west-2\/git-bundles\/: The specified bucket does not exist; bucket .* does not exist in us-west-2; check it with: aws s3api head-bucket --region us-west-2 --bucket webank-artifacts/,
        );
    });

    it("lists the versions of exactly one key, newest first, without delete markers, across pages", async () => {
        s3.on(ListObjectVersionsCommand)
            .resolvesOnce({
                Versions: [
                    {
                        Key: KEY,
                        VersionId: "v1",
                        LastModified: new Date("2026-11-24T00:00:00Z"),
                        Size: 100,
                        IsLatest: false,
                    },
                    {
                        Key: `${KEY}.bak`,
                        VersionId: "b1",
                        LastModified: new Date("2026-11-25T00:00:00Z"),
                        Size: 1,
                        IsLatest: true,
                    },
                ],
                DeleteMarkers: [
                    {
                        Key: KEY,
                        VersionId: "dm",
                        LastModified: new Date("2026-11-25T03:00:00Z"),
                        IsLatest: true,
                    },
                ],
                IsTruncated: true,
                NextKeyMarker: KEY,
                NextVersionIdMarker: "v1",
            })
            .resolvesOnce({
                Versions: [
                    {
                        Key: KEY,
                        VersionId: "v2",
                        LastModified: new Date("2026-11-25T02:00:00Z"),
                        Size: 120,
                        IsLatest: false,
                    },
                ],
            });
        const versions = await port().listVersions(BUCKET, KEY);
        assert.deepStrictEqual(
            versions.map((v) => [v.versionId, v.size, v.isLatest]),
            [
                ["v2", 120, false],
                ["v1", 100, false],
            ],
        );
        const second = s3.commandCalls(ListObjectVersionsCommand)[1].args[0].input;
        assert.strictEqual(second.KeyMarker, KEY);
        assert.strictEqual(second.VersionIdMarker, "v1");
    });

    it("reads an object version's bytes", async () => {
        s3.on(GetObjectCommand, { Bucket: BUCKET, Key: KEY, VersionId: "v1" }).resolves({
            Body: sdkStreamMixin(Readable.from([Buffer.from('{"version": 3}')])),
        });
        const body = await port().getObject(BUCKET, KEY, "v1");
        assert.ok(Buffer.isBuffer(body));
        assert.strictEqual(body.toString("utf8"), '{"version": 3}');
    });

    it("says which object is missing and how to list its versions", async () => {
        s3.on(GetObjectCommand).rejects(
            new NoSuchKey({ message: "The specified key does not exist.", ...meta }),
        );
        await assert.rejects(
            () => port().getObject(BUCKET, KEY, "v9"),
            /s3:\/\/webank-artifacts-123456789012-us-west-2\/.pulumi\/stacks\/webank\/primary.json \(version v9\) not found in us-west-2; list its versions with: aws s3api list-object-versions --region us-west-2 --bucket webank-artifacts-123456789012-us-west-2 --prefix .pulumi\/stacks\/webank\/primary.json/,
        );
    });

    it("puts an object with its content type and leaves encryption to the bucket default", async () => {
        s3.on(PutObjectCommand).resolves({});
        await port().putObject(BUCKET, "stack-exports/dr/20261125T0300Z.json", "{}", "application/json");
        assert.deepStrictEqual(s3.commandCalls(PutObjectCommand)[0].args[0].input, {
            Bucket: BUCKET,
            Key: "stack-exports/dr/20261125T0300Z.json",
            Body: "{}",
            ContentType: "application/json",
        });
        await assert.rejects(
            () => port().putObject(BUCKET, "", "{}", "application/json"),
            /key must be a non-empty S3 key not starting with "\/"; got ""/,
        );
        assert.strictEqual(s3.commandCalls(PutObjectCommand).length, 1);
    });
});
