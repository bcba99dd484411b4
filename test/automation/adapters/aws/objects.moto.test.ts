import * as assert from "assert";
import {
    CreateBucketCommand,
    PutBucketVersioningCommand,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { S3Objects } from "../../../../automation/adapters/aws/objects";
import { MotoServer, motoClientConfig, motoVersion, startMoto } from "../../../support/moto";
import { requirePeer } from "../../../support/peers";

const REGION = "us-west-2";
const BUCKET = "webank-artifacts-123456789012-us-west-2";
const PREFIX = "argocd-exports/webank-primary/";

/** S3Objects against moto's S3: real ListObjectsV2 and ListObjectVersions answers, not ours. */
describe("automation/aws/objects: S3Objects against moto (peer)", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let client: S3Client;

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        moto = await startMoto();
        client = new S3Client({ ...motoClientConfig(moto.endpoint, REGION), forcePathStyle: true });
        await client.send(
            new CreateBucketCommand({
                Bucket: BUCKET,
                CreateBucketConfiguration: { LocationConstraint: REGION },
            }),
        );
        await client.send(
            new PutBucketVersioningCommand({
                Bucket: BUCKET,
                VersioningConfiguration: { Status: "Enabled" },
            }),
        );
        // The greatest key first, then two in one second (S3's LastModified has whole seconds):
        // the answer must be in time order, and a tie must go to the greater key.
        const put = (stamp: string) =>
            client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${stamp}.yaml`, Body: stamp }));
        await put("20261125T0300Z");
        await new Promise((resolve) => setTimeout(resolve, 1100));
        await put("20261125T0100Z");
        await put("20261125T0200Z");
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "git-bundles/x.bundle", Body: "x" }));
    });
    after(async () => {
        client?.destroy();
        await moto?.stop();
    });
    const port = () => new S3Objects(client, REGION);

    it("lists the current objects under a prefix newest first, and the newest is the first", async () => {
        const objects = await port().currentObjects(BUCKET, PREFIX);
        assert.deepStrictEqual(
            objects.map((o) => o.key),
            ["20261125T0200Z", "20261125T0100Z", "20261125T0300Z"].map((s) => `${PREFIX}${s}.yaml`),
        );
        assert.ok(objects.every((o) => o.lastModified instanceof Date && o.size === 14));
        assert.deepStrictEqual(await port().newestObject(BUCKET, PREFIX), objects[0]);
        assert.deepStrictEqual(await port().currentObjects(BUCKET, "nothing-here/"), []);
    });

    it("reads each version of a key back by its id, newest first (the latest first within a second)", async () => {
        const key = `${PREFIX}20261125T0100Z.yaml`;
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: "second" }));
        const versions = await port().listVersions(BUCKET, key);
        assert.strictEqual(versions.length, 2);
        assert.deepStrictEqual(
            versions.map((v) => v.isLatest),
            [true, false],
        );
        assert.strictEqual((await port().getObject(BUCKET, key)).toString(), "second");
        assert.strictEqual(
            (await port().getObject(BUCKET, key, versions[1].versionId)).toString(),
            "20261125T0100Z",
        );
    });

    it("returns the version id S3 gives each put, as ListObjectVersions lists it (the deploy runner builds that version)", async () => {
        const key = "deploy-sources/dr.zip";
        const first = await port().putObject(BUCKET, key, Buffer.from("PK first"), "application/zip");
        const second = await port().putObject(BUCKET, key, Buffer.from("PK second"), "application/zip");
        assert.ok(first && second && first !== second, `${first} ${second}`);
        const versions = await port().listVersions(BUCKET, key);
        assert.deepStrictEqual(
            versions.map((v) => v.versionId),
            [second, first],
        );
        assert.strictEqual((await port().getObject(BUCKET, key, first)).toString(), "PK first");
    });

    it("names the bucket and the command to check it when the bucket does not exist", async () => {
        await assert.rejects(
            () => port().currentObjects("webank-missing-123456789012-us-west-2", PREFIX),
            (error: Error) => {
                assert.match(error.message, /s3:\/\/webank-missing-123456789012-us-west-2\/argocd-exports/);
                assert.match(
                    error.message,
                    /aws s3api head-bucket --region us-west-2 --bucket webank-missing/,
                );
                return true;
            },
        );
    });
});
