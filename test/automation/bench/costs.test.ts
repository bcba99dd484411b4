import * as assert from "assert";
import { parseStackConfig, StackConfig } from "../../../config/stack-config";
import { ARGOCD_HA_MIN_NODES } from "../../../lib/argocd";
import { NODE_ROOT_VOLUME_GIB } from "../../../lib/node-volumes";
import { HOURS_PER_MONTH, postureCost, standingNodeCount } from "../../../automation/bench/costs";
import {
    allPrices,
    isVerified,
    MULTI_AZ_FACTOR,
    Price,
    PriceTable,
    US_WEST_2_PRICES,
} from "../../../automation/bench/prices";
import { postureRpo, RECOVERY_POINT_SOURCES } from "../../../automation/bench/recovery-points";
import { drCopyRpoMinutes } from "../../../lib/backup-rules";
import { raw } from "../../support/raw-config";

/** A dr config parsed as the program parses it, with `values` over a valid one. */
function drConfig(values: Record<string, string> = {}): StackConfig {
    return parseStackConfig(raw({ role: "dr", ...values }, "dr"));
}

/** A test table: the real one with made-up prices where it has none, so every line is priced. */
function pricedTable(overrides: Partial<Record<string, number>> = {}): PriceTable {
    const test = (usd: number, unit: Price["unit"]): Price => ({
        usd,
        unit,
        source: "https://example.com/test-price",
        quote: "a price made up for this test",
        read: "2026-12-04",
        evidence: "region-stated",
        regionStated: "us-west-2",
        note: "test",
    });
    return {
        ...US_WEST_2_PRICES,
        ec2InstanceHour: { "m6i.large": test(overrides.node ?? 0.1, "hour") },
        rdsPostgresInstanceHour: { "db.r6g.large": test(overrides.replica ?? 0.2, "hour") },
        ebsGp3GbMonth: test(0.08, "GB-month"),
    };
}

describe("automation/bench/prices: the cited price table", () => {
    const prices = allPrices(US_WEST_2_PRICES);

    it("says which region it holds, and cites every price: an https source, the sentence, the day read", () => {
        assert.strictEqual(US_WEST_2_PRICES.region, "us-west-2");
        assert.ok(prices.length >= 10, String(prices.length));
        for (const [name, price] of prices) {
            const url = new URL(price.source);
            assert.strictEqual(url.protocol, "https:", name);
            assert.ok(price.quote.length >= 20, `${name}: quote`);
            assert.match(price.read, /^\d{4}-\d{2}-\d{2}$/, `${name}: read`);
            assert.ok(price.note.length > 0, `${name}: note`);
        }
    });

    it("gives no value where none was found, and a value wherever one is claimed", () => {
        for (const [name, price] of prices) {
            if (price.evidence === "not-found") {
                assert.strictEqual(price.usd, undefined, `${name}: not found, yet priced`);
                assert.ok(!isVerified(price));
            } else {
                assert.ok(typeof price.usd === "number" && price.usd > 0, `${name}: ${price.usd}`);
            }
        }
    });

    it("verifies only prices their source states for the table's region", () => {
        for (const [name, price] of prices) {
            if (isVerified(price)) {
                assert.ok(
                    price.regionStated?.includes(US_WEST_2_PRICES.region),
                    `${name}: ${price.regionStated}`,
                );
            }
            if (price.evidence === "other-region") {
                assert.ok(price.regionStated && !price.regionStated.includes(US_WEST_2_PRICES.region), name);
            }
        }
        // The quote carries the figure it claims (0.045 is in "~$0.045"; 0.1 in "$0.10").
        for (const [name, price] of prices.filter(([, p]) => p.usd !== undefined)) {
            const figures = [...price.quote.matchAll(/\$(\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
            assert.ok(figures.includes(price.usd as number), `${name}: ${price.usd} not in "${price.quote}"`);
        }
    });
});

describe("automation/bench/costs: the standing monthly cost of each posture", () => {
    it("bills hourly resources over 730 hours: 365 x 24 / 12", () => {
        assert.strictEqual(HOURS_PER_MONTH, 730);
    });

    it("keeps a NAT gateway and no cluster in pilot; warm adds the cluster; hot adds the replica", () => {
        const config = drConfig();
        const names = (posture: "pilot" | "warm" | "hot") =>
            postureCost(config, posture, pricedTable()).lines.map((l) => l.what);
        assert.ok(names("pilot").includes("NAT gateways"));
        assert.ok(!names("pilot").some((n) => /EKS|nodes|read replica/.test(n)), names("pilot").join(", "));
        assert.ok(names("warm").includes("EKS control plane"));
        assert.ok(!names("warm").some((n) => /read replica/.test(n)));
        assert.ok(names("hot").some((n) => n.startsWith("read replica (db.r6g.large")));
        const cost = (posture: "pilot" | "warm" | "hot") =>
            postureCost(config, posture, pricedTable()).pricedUsd;
        assert.ok(cost("pilot") < cost("warm") && cost("warm") < cost("hot"));
    });

    it("moves with webank:warmNodeCount: one more node costs one node's hours and root volume", () => {
        const table = pricedTable({ node: 0.1 });
        const one = postureCost(drConfig({ warmNodeCount: "1" }), "warm", table);
        const two = postureCost(drConfig({ warmNodeCount: "2" }), "warm", table);
        const expected = 0.1 * HOURS_PER_MONTH + 0.08 * NODE_ROOT_VOLUME_GIB;
        assert.ok(
            Math.abs(two.pricedUsd - one.pricedUsd - expected) < 1e-9,
            `${two.pricedUsd - one.pricedUsd}`,
        );
        assert.strictEqual(standingNodeCount(drConfig({ warmNodeCount: "2" }), "warm"), 2);
        assert.strictEqual(standingNodeCount(drConfig({ warmNodeCount: "2" }), "pilot"), 0);
    });

    it("keeps Argo CD's HA node count in hot, whatever the warm count", () => {
        assert.strictEqual(standingNodeCount(drConfig({ warmNodeCount: "1" }), "hot"), ARGOCD_HA_MIN_NODES);
        assert.strictEqual(standingNodeCount(drConfig({ warmNodeCount: "5" }), "hot"), 5);
    });

    it("prices the configured instance class and node type, and leaves an unknown one unpriced, named", () => {
        const table = pricedTable({ replica: 0.2 });
        const hot = postureCost(drConfig(), "hot", table);
        const replica = hot.lines.find((l) => l.what.startsWith("read replica (db.r6g.large"));
        // Multi-AZ: RDS bills the instance and its standby.
        assert.strictEqual(replica?.monthlyUsd, MULTI_AZ_FACTOR * 0.2 * HOURS_PER_MONTH);
        const other = postureCost(drConfig({ dbInstanceClass: "db.r7g.xlarge" }), "hot", table);
        const line = other.lines.find((l) => l.what.startsWith("read replica (db.r7g.xlarge"));
        assert.ok(line, other.lines.map((l) => l.what).join(", "));
        assert.strictEqual(line.monthlyUsd, undefined);
        assert.ok(other.unpriced.includes(line.what), other.unpriced.join(", "));
        assert.ok(other.pricedUsd < hot.pricedUsd);
        const nodes = postureCost(drConfig({ nodeInstanceType: "m7i.large" }), "warm", table);
        assert.ok(nodes.unpriced.includes("nodes (m7i.large)"), nodes.unpriced.join(", "));
    });

    it("moves with the allocated storage of the replica", () => {
        const small = postureCost(drConfig({ dbAllocatedStorageGiB: "100" }), "hot", pricedTable());
        const large = postureCost(drConfig({ dbAllocatedStorageGiB: "200" }), "hot", pricedTable());
        const price = US_WEST_2_PRICES.rdsGp3StorageGbMonth.usd as number;
        assert.ok(Math.abs(large.pricedUsd - small.pricedUsd - MULTI_AZ_FACTOR * 100 * price) < 1e-9);
    });

    it("flags each line whose price is not verified for the region, and each it cannot price", () => {
        const hot = postureCost(drConfig(), "hot");
        assert.ok(hot.unverified.includes("EKS control plane"), hot.unverified.join(", "));
        assert.ok(hot.unpriced.includes("nodes (m6i.large)"), hot.unpriced.join(", "));
        for (const line of hot.lines.filter((l) => l.monthlyUsd !== undefined)) {
            assert.ok(line.price, line.what);
            assert.strictEqual(hot.unverified.includes(line.what), !isVerified(line.price), line.what);
        }
    });

    it("refuses a DR region the table does not hold, naming both, rather than reuse another region's prices", () => {
        const cost = postureCost(drConfig({ drRegion: "eu-west-1", drVpcCidr: "10.30.0.0/16" }), "warm");
        assert.match(cost.refused ?? "", /holds us-west-2 prices and webank:drRegion is eu-west-1/);
        assert.strictEqual(cost.pricedUsd, 0);
        assert.ok(cost.lines.every((l) => l.monthlyUsd === undefined && l.price === undefined));
        assert.ok(cost.lines.length > 0, "the quantities are still shown");
    });
});

describe("automation/bench/recovery-points: the RPO of each posture", () => {
    it("cites every source, AWS's guidance for the replicated backups' 5 to 30 minutes", () => {
        for (const [name, entry] of Object.entries(RECOVERY_POINT_SOURCES)) {
            assert.strictEqual(new URL(entry.source).protocol, "https:", name);
            assert.ok(entry.quote.length >= 20, name);
        }
        assert.match(RECOVERY_POINT_SOURCES.replicatedBackups.quote, /5–30 minutes/);
        assert.strictEqual(RECOVERY_POINT_SOURCES.replicatedBackups.by, "AWS");
        assert.strictEqual(RECOVERY_POINT_SOURCES.replicaLagTypical.by, "third party");
    });

    it("gives pilot and warm the backups' 5 to 30 min, hot the replica lag, and every posture the DR vault's RPO", () => {
        const config = drConfig();
        const vault = drCopyRpoMinutes(config.backup.rules.database);
        for (const posture of ["pilot", "warm"] as const) {
            assert.match(postureRpo(config, posture).main, /^5 to 30 min/);
        }
        assert.match(postureRpo(config, "hot").main, /replica's lag/);
        for (const posture of ["pilot", "warm", "hot"] as const) {
            assert.ok(postureRpo(config, posture).fallback.includes(`up to ${vault} min`), posture);
        }
    });
});
