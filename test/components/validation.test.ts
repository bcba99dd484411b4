import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { HardenedBucket } from "../../components/hardened-bucket";
import { StateBackend } from "../../components/state-backend";
import { InvalidInputError } from "../../lib/errors";
import { OfflineRunError } from "../../offline/engine";
import { runComponent } from "../support/component";

/** Runs `build` under the offline engine. */
async function declare(build: (provider: aws.Provider) => void): Promise<void> {
    await runComponent((provider) => {
        build(provider);
        return {};
    });
}

const STORE = {
    prefix: "webank",
    accountId: "123456789012",
    homeRegion: "us-east-1",
    drRegion: "us-west-2",
    kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-1",
    replicaKmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/mrk-1",
    noncurrentVersionRetentionDays: 90,
};

describe("component argument validation", () => {
    for (const days of [0, 2.5, 3651]) {
        it(`HardenedBucket refuses ${days} noncurrent-version days, naming the argument`, async () => {
            await assert.rejects(
                () =>
                    declare((provider) => {
                        new HardenedBucket(
                            "b",
                            {
                                bucketName: "b",
                                kmsKeyArn: STORE.kmsKeyArn,
                                noncurrentVersionRetentionDays: days,
                            },
                            { provider },
                        );
                    }),
                (error: unknown) =>
                    error instanceof OfflineRunError &&
                    error.cause instanceof InvalidInputError &&
                    error.message.includes("HardenedBucket(b).noncurrentVersionRetentionDays") &&
                    error.message.includes(`got ${days}`),
            );
        });
    }

    const expiries: [string, { prefixes: string[]; days: number }, string][] = [
        ["0 days", { prefixes: ["argocd-exports/"], days: 0 }, "expireCurrent.days"],
        ["a fraction of a day", { prefixes: ["argocd-exports/"], days: 1.5 }, "expireCurrent.days"],
        ["a prefix without its slash", { prefixes: ["argocd-exports"], days: 35 }, "expireCurrent.prefixes"],
        ["the whole bucket", { prefixes: [""], days: 35 }, "expireCurrent.prefixes"],
        ["a prefix from the root", { prefixes: ["/"], days: 35 }, "expireCurrent.prefixes"],
        ["no prefix at all", { prefixes: [], days: 35 }, "expireCurrent.prefixes"],
    ];
    for (const [what, expireCurrent, field] of expiries) {
        it(`HardenedBucket refuses current-version expiry of ${what}, naming the argument`, async () => {
            await assert.rejects(
                () =>
                    declare((provider) => {
                        new HardenedBucket(
                            "b",
                            {
                                bucketName: "b",
                                kmsKeyArn: STORE.kmsKeyArn,
                                noncurrentVersionRetentionDays: 90,
                                expireCurrent,
                            },
                            { provider },
                        );
                    }),
                (error: unknown) =>
                    error instanceof OfflineRunError &&
                    error.cause instanceof InvalidInputError &&
                    error.message.includes(`HardenedBucket(b).${field}`),
            );
        });
    }

    it("StateBackend refuses a PITR window over 35 days before declaring any child", async () => {
        await assert.rejects(
            () =>
                declare((provider) => {
                    new StateBackend(
                        "s",
                        { ...STORE, replicaProvider: provider, pitrRetentionDays: 40 },
                        { provider },
                    );
                }),
            (error: unknown) =>
                error instanceof OfflineRunError &&
                /StateBackend\(s\)\.pitrRetentionDays must be a whole number from 1 to 35; got 40/.test(
                    error.message,
                ) &&
                // Only the provider and the component itself were registered: no child.
                error.resources.every((r) => !r.type.startsWith("aws:")),
        );
    });
});
