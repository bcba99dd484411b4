import * as assert from "assert";
import {
    CreateBucketCommand,
    GetObjectCommand,
    ListObjectVersionsCommand,
    PutBucketVersioningCommand,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { S3Objects } from "../../../../automation/adapters/aws/objects";
import { restoreStateDefinition } from "../../../../automation/commands/restore/state/definition";
import { stateObjectKey } from "../../../../automation/simulation/standard-world";
import { bucketName } from "../../../../lib/naming";
import { MotoServer, motoClientConfig, motoVersion, startMoto } from "../../../support/moto";
import { requirePeer } from "../../../support/peers";
import { CONFIG, dispose, Harness, harness, runWith, text } from "./support";

/*
 * `restore state` with the real S3 adapter against moto's S3: the versions of the state object
 * listed and read back by their real ids, the present state saved to the artifact bucket before
 * the import. The Pulumi workspace (the import) stays the simulated one: moto is not a Pulumi
 * backend.
 */

const ACCOUNT = "123456789012"; // moto's default account, as the simulated account's
const REGION = CONFIG.homeRegion;
const KEY = stateObjectKey("primary");
const STATE = bucketName(CONFIG.prefix, "state", ACCOUNT, REGION);
const ARTIFACTS = bucketName(CONFIG.prefix, "artifacts", ACCOUNT, REGION);
const checkpoint = (resources: number) =>
    JSON.stringify({
        version: 3,
        checkpoint: {
            stack: "organization/webank/primary",
            latest: {
                manifest: { time: "2026-11-25T02:00:00Z" },
                resources: Array.from({ length: resources }, (_, i) => ({
                    urn: `urn:pulumi:primary::webank::r${i}`,
                })),
            },
        },
    });

describe("restore state through the real S3 adapter against moto (peer)", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let s3: S3Client;
    let h: Harness | undefined;
    const versions: string[] = [];

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        moto = await startMoto();
        s3 = new S3Client({ ...motoClientConfig(moto.endpoint, REGION), forcePathStyle: true });
        for (const bucket of [STATE, ARTIFACTS]) {
            await s3.send(new CreateBucketCommand({ Bucket: bucket }));
            await s3.send(
                new PutBucketVersioningCommand({
                    Bucket: bucket,
                    VersioningConfiguration: { Status: "Enabled" },
                }),
            );
        }
        // A good state, then a corrupt one on top of it (the current version).
        for (const body of [checkpoint(2), '{"version": 3, "checkpoint": {"latest": {"resou']) {
            versions.push(
                (await s3.send(new PutObjectCommand({ Bucket: STATE, Key: KEY, Body: body }))).VersionId!,
            );
        }
    });
    beforeEach(() => {
        h = harness("restore-state-moto-");
    });
    afterEach(() => h && dispose(h));
    after(async () => {
        s3?.destroy();
        await moto?.stop();
    });
    const run = (values: Record<string, string | boolean>) => {
        const ports = h!.world.ports();
        return runWith(h!, restoreStateDefinition, { backend: "state", ...values }, undefined, {
            ...ports,
            home: { ...ports.home, objects: new S3Objects(s3, REGION) },
        });
    };

    it("lists the versions S3 holds, newest first, by their real ids", async () => {
        assert.strictEqual(await run({}), 0, text(h!));
        const listed = h!.world.lines
            .filter((l) => /^ {2}\S+ {2}\d{4}-/.test(l))
            .map((l) => l.trim().split(/\s+/)[0]);
        assert.deepStrictEqual(listed, [...versions].reverse());
    });

    it("refuses the corrupt current version before any change, naming it", async () => {
        assert.strictEqual(await run({ "version-id": versions[1] }), 2, text(h!));
        assert.match(text(h!), /not valid JSON/);
        const { Versions = [] } = await s3.send(new ListObjectVersionsCommand({ Bucket: ARTIFACTS }));
        assert.strictEqual(Versions.length, 0, "nothing was saved or written");
    });

    it("saves the present state to the artifact bucket, then imports the good version", async () => {
        const before = h!.world.stacks.get("primary")!.deployment;
        assert.strictEqual(await run({ "version-id": versions[0] }), 0, text(h!));
        const { Versions = [] } = await s3.send(new ListObjectVersionsCommand({ Bucket: ARTIFACTS }));
        assert.strictEqual(Versions.length, 1);
        const saved = await s3.send(new GetObjectCommand({ Bucket: ARTIFACTS, Key: Versions[0].Key }));
        assert.strictEqual(
            await saved.Body!.transformToString(),
            before,
            "the state before the import, byte for byte",
        );
        assert.strictEqual(
            JSON.parse(h!.world.stacks.get("primary")!.deployment).deployment.resources.length,
            2,
        );
        const { Versions: state = [] } = await s3.send(
            new ListObjectVersionsCommand({ Bucket: STATE, Prefix: KEY }),
        );
        assert.strictEqual(state.length, 2, "no version of the state object is lost");
    });
});
