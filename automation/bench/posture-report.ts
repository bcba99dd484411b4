/**
 * The lines the benchmark prints for each posture beside its RTO: the projected RPO and the
 * standing monthly cost in the DR region, line by line, and the closing comparison of the three.
 */
import { StackConfig } from "../../config/stack-config";
import { CostLine, PostureCost, postureCost } from "./costs";
import { FAILOVER_DURATIONS } from "./durations";
import { isVerified, PriceTable, US_WEST_2_PRICES } from "./prices";
import { postureRpo } from "./recovery-points";
import { Posture } from "./up-phases";

/** US dollars, two decimals. */
export function usd(value: number): string {
    return `$${value.toFixed(2)}`;
}

/** A price as printed: `$0.045/hour`, with its evidence when it is not verified for the region. */
function priceText(l: CostLine): string {
    if (!l.price) {
        return "no price in the table";
    }
    if (l.price.usd === undefined) {
        return "price not found (see automation/bench/prices.ts)";
    }
    const flag = isVerified(l.price)
        ? ""
        : ` [unverified: ${l.price.evidence}${l.price.regionStated ? ` ${l.price.regionStated}` : ""}]`;
    // The price as the source states it (0.045, not rounded to cents).
    return `$${l.price.usd}/${l.price.unit}${flag}`;
}

/** One cost line as printed. */
function costLineText(l: CostLine): string {
    const quantity = l.quantity === undefined ? "quantity not in the config" : `${l.quantity} ${l.unit}`;
    const monthly = l.monthlyUsd === undefined ? "-" : usd(l.monthlyUsd);
    return `    ${l.what.padEnd(36)} ${quantity.padEnd(28)} x ${priceText(l).padEnd(44)} = ${monthly.padStart(9)}   (${l.basis})`;
}

/** The cost's one-line summary: priced total, and what it leaves out. */
export function costSummary(cost: PostureCost): string {
    if (cost.refused) {
        return `not computed: ${cost.refused}`;
    }
    const parts = [`${usd(cost.pricedUsd)} a month priced`];
    if (cost.unpriced.length > 0) {
        parts.push(`not priced: ${cost.unpriced.join(", ")}`);
    }
    if (cost.unverified.length > 0) {
        parts.push(`unverified prices: ${cost.unverified.join(", ")}`);
    }
    return parts.join("; ");
}

/** The RPO and cost lines of one posture. */
export function rpoAndCostLines(
    config: StackConfig,
    posture: Posture,
    table: PriceTable = US_WEST_2_PRICES,
): string[] {
    const rpo = postureRpo(config, posture);
    const cost = postureCost(config, posture, table);
    return [
        `  projected RPO:              ${rpo.main}`,
        `  fallback RPO:               ${rpo.fallback}`,
        `  standing cost in ${cost.region}: ${costSummary(cost)}`,
        ...cost.lines.map(costLineText),
    ];
}

/** The durations of kind `assumed` a posture's projection rests on, as one line, or none. */
export function assumedLines(posture: Posture): string[] {
    if (posture !== "hot") {
        return [];
    }
    const promotion = FAILOVER_DURATIONS.rdsReplicaPromotion;
    return [
        `  assumed:                    replica promotion ${promotion.minutes} min (AWS: "several minutes or longer", ` +
            "no figure; automation/bench/durations.ts rdsReplicaPromotion)",
    ];
}

/** One row of the closing comparison. */
export interface TradeRow {
    /** The posture. */
    readonly posture: Posture;
    /** Projected RTO, as printed. */
    readonly rto: string;
}

/** The closing comparison: RTO, RPO and standing monthly cost of each posture, side by side. */
export function tradeLines(
    config: StackConfig,
    rows: readonly TradeRow[],
    table: PriceTable = US_WEST_2_PRICES,
): string[] {
    return [
        `The trade (projected RTO | projected RPO | standing monthly cost in ${config.drRegion}):`,
        ...rows.map((row) => {
            const cost = postureCost(config, row.posture, table);
            const rpo = postureRpo(config, row.posture).summary;
            return `  ${row.posture.padEnd(6)} ${row.rto.padEnd(48)} | ${rpo.padEnd(22)} | ${costSummary(cost)}`;
        }),
    ];
}
