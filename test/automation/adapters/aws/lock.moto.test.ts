import * as assert from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { FailoverLock } from "../../../../automation/adapters/aws/lock";
import { lockTableName } from "../../../../lib/naming";
import { PROJECT_ROOT } from "../../../../config/stack-files";
import { MotoServer, motoClientConfig, motoVersion, startMoto } from "../../../support/moto";
import { requirePeer } from "../../../support/peers";

const TABLE = lockTableName("webank");
/** Runs one contender process; resolves with the JSON line it printed. */
function contender(
    endpoint: string,
    table: string,
    owner: string,
    startAt: number,
): Promise<{ owner: string; acquired: boolean; error?: string }> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            [
                "-r",
                "ts-node/register/transpile-only",
                path.join(PROJECT_ROOT, "test/fixtures/lock-contender.ts"),
                endpoint,
                table,
                owner,
                String(startAt),
            ],
            { cwd: PROJECT_ROOT, timeout: 60_000, encoding: "utf8" },
            (error, stdout, stderr) =>
                error
                    ? reject(new Error(`${owner}: ${stderr || error.message}`))
                    : resolve(JSON.parse(stdout.trim().split("\n").pop()!)),
        );
    });
}

/**
 * The failover lock against moto's DynamoDB: the conditional writes the lock relies on
 * (`attribute_not_exists(LockID) OR #owner = :owner`, and the owner-only delete) evaluated by
 * an implementation of DynamoDB's expression language, and two processes racing for it.
 */
describe("automation/aws/lock: FailoverLock against moto (peer)", function () {
    this.timeout(120_000);
    let moto: MotoServer | undefined;
    let client: DynamoDBClient;
    let table = TABLE;
    let round = 0;

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        moto = await startMoto();
        client = new DynamoDBClient(motoClientConfig(moto.endpoint, "us-west-2"));
    });
    beforeEach(async () => {
        if (!client) {
            return;
        }
        // A fresh table per test, keyed as components/state-backend.ts declares it.
        table = `${TABLE}-${++round}`;
        await client.send(
            new CreateTableCommand({
                TableName: table,
                KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
                AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
    });
    after(async () => {
        client?.destroy();
        await moto?.stop();
    });

    it("two processes racing: exactly one takes the lock, the other is told who holds it", async () => {
        const startAt = Date.now() + 4000;
        const results = await Promise.all(
            ["failover-a", "failover-b"].map((owner) => contender(moto!.endpoint, table, owner, startAt)),
        );
        const winners = results.filter((r) => r.acquired);
        assert.strictEqual(winners.length, 1, JSON.stringify(results));
        const loser = results.find((r) => !r.acquired)!;
        assert.strictEqual(loser.error, "FailoverLockedError", JSON.stringify(loser));
        const holder = await new FailoverLock(client, table).holder();
        assert.strictEqual(holder?.owner, winners[0].owner);
    });

    it("lets its owner take it again (a resumed run) and only its owner release it", async () => {
        const lock = new FailoverLock(client, table);
        const holder = { owner: "run-1", since: "2026-12-03T03:00:00.000Z", by: "alice@host" };
        await lock.acquire(holder);
        await lock.acquire(holder);
        await assert.rejects(lock.acquire({ ...holder, owner: "run-2" }), { name: "FailoverLockedError" });
        assert.strictEqual(await lock.release("run-2"), false, "another run cannot release it");
        assert.deepStrictEqual(await lock.holder(), holder);
        assert.strictEqual(await lock.release("run-1"), true);
        assert.strictEqual(await lock.holder(), undefined);
        await lock.acquire({ ...holder, owner: "run-2" });
    });
});
