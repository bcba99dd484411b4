/**
 * The standing monthly cost, in the DR region, of each posture before a failover: what the
 * `dr` stack keeps running (stacks/dr.ts), priced from the cited table of prices.ts. Every
 * quantity comes from the stack config and from the constants the program itself uses
 * (ZONE_COUNT and the NAT layout, the node root volume, Argo CD's HA node count), never typed
 * here a second time; test/automation/bench/program-dependencies.test.ts checks them against
 * what an offline run of the program declares.
 */
import { drNatLayout, NatLayout, natGatewayCount } from "../../lib/network-layout";
import { NODE_ROOT_VOLUME_GIB } from "../../lib/node-volumes";
import { StackConfig } from "../../config/stack-config";
import { ARGOCD_HA_MIN_NODES, argocdNodeCount } from "../../lib/argocd";
import { isVerified, MULTI_AZ_FACTOR, Price, PriceTable, US_WEST_2_PRICES } from "./prices";
import { Posture } from "./up-phases";

/**
 * Hours in a month: 365 days x 24 hours / 12 months = 730, the average month of a common year,
 * the month AWS's pricing calculator and cost tools bill hourly resources over ("c3x assumes
 * 730 hours per month for monthly" estimates, https://c3x.dev/resources/aws/aws_db_instance). A
 * 30-day month (720) would understate a year by 5 days.
 */
export const HOURS_PER_MONTH = (365 * 24) / 12;

/** The NAT layout of the `dr` stack of `posture` before activation: the program's own (lib/network-layout.ts). */
export function standingNatLayout(posture: Posture): NatLayout {
    return drNatLayout({ activated: false, hot: posture === "hot" });
}

/** One line of a posture's monthly cost. */
export interface CostLine {
    /** What is paid for. */
    readonly what: string;
    /** How much of it a month, in {@link unit}; absent when the config does not say (traffic, backup size). */
    readonly quantity?: number;
    /** The unit of the quantity, e.g. `instance-hours`, `GB-month`. */
    readonly unit: string;
    /** The unit price, when the table has one for this line. */
    readonly price?: Price;
    /** quantity x price, in US dollars; absent when either is unknown. */
    readonly monthlyUsd?: number;
    /** Where the quantity comes from. */
    readonly basis: string;
}

/** A posture's standing monthly cost in the DR region. */
export interface PostureCost {
    /** The posture. */
    readonly posture: Posture;
    /** The DR region the cost is for. */
    readonly region: string;
    /** Every line, priced or not. */
    readonly lines: readonly CostLine[];
    /** Sum of the priced lines, in US dollars. */
    readonly pricedUsd: number;
    /** The lines whose price is not verified for the region (another region's, or no region named). */
    readonly unverified: readonly string[];
    /** The lines with a known quantity but no price in the table. */
    readonly unpriced: readonly string[];
    /** Why no cost is given: the table holds another region's prices. */
    readonly refused?: string;
}

/**
 * Nodes the DR cluster keeps before activation. Pilot: none (no cluster). Warm: what the program
 * gives a cluster that does not serve (lib/argocd.ts `argocdNodeCount`: `warmNodeCount`, as
 * stacks/platform.ts declares it). Hot: at least Argo CD's HA minimum, so that the promoted
 * database finds Argo CD already highly available; an assumption until stacks/dr.ts declares
 * hot (the program test compares it then).
 */
export function standingNodeCount(config: StackConfig, posture: Posture): number {
    if (posture === "pilot") {
        return 0;
    }
    const warm = argocdNodeCount(config.platform.cluster, false);
    return posture === "hot" ? Math.max(warm, ARGOCD_HA_MIN_NODES) : warm;
}

function line(
    what: string,
    quantity: number | undefined,
    unit: string,
    price: Price | undefined,
    basis: string,
): CostLine {
    const monthlyUsd = quantity !== undefined && price?.usd !== undefined ? quantity * price.usd : undefined;
    return { what, quantity, unit, price, monthlyUsd, basis };
}

/**
 * The standing monthly cost of `posture` in `config.drRegion`, line by line, from `table`
 * (default: {@link US_WEST_2_PRICES}). A table of another region is refused: no line is priced,
 * and `refused` says why, rather than one region's prices standing in for another's.
 */
export function postureCost(
    config: StackConfig,
    posture: Posture,
    table: PriceTable = US_WEST_2_PRICES,
): PostureCost {
    const lines = costLines(config, posture, table);
    if (config.drRegion !== table.region) {
        return {
            posture,
            region: config.drRegion,
            lines: lines.map((l) => ({ ...l, price: undefined, monthlyUsd: undefined })),
            pricedUsd: 0,
            unverified: [],
            unpriced: [],
            refused:
                `the price table holds ${table.region} prices and webank:drRegion is ${config.drRegion}: ` +
                `no cost is computed (add a cited table for ${config.drRegion} in automation/bench/prices.ts)`,
        };
    }
    return {
        posture,
        region: config.drRegion,
        lines,
        pricedUsd: lines.reduce((sum, l) => sum + (l.monthlyUsd ?? 0), 0),
        unverified: lines
            .filter((l) => l.monthlyUsd !== undefined && l.price && !isVerified(l.price))
            .map((l) => l.what),
        unpriced: lines
            .filter((l) => l.quantity !== undefined && l.monthlyUsd === undefined)
            .map((l) => l.what),
    };
}

function costLines(config: StackConfig, posture: Posture, table: PriceTable): CostLine[] {
    const layout = standingNatLayout(posture);
    const nats = natGatewayCount(layout);
    const lines = [
        line(
            "NAT gateways",
            nats * HOURS_PER_MONTH,
            "gateway-hours",
            table.natGatewayHour,
            `${nats} (the ${layout} layout before activation) x ${HOURS_PER_MONTH} h`,
        ),
        line(
            "NAT data processed",
            undefined,
            "GB",
            table.natGatewayPerGb,
            "per GB the private subnets send out: traffic, not in the config",
        ),
        line(
            "replicated automated backups",
            undefined,
            "GB-month",
            table.rdsBackupStorageGbMonth,
            `snapshots and logs of ${config.database.replicatedBackupRetentionDays} days: their size is the data's, not in the config`,
        ),
        line(
            "DR vault copies of volumes",
            undefined,
            "GB-month",
            table.ebsSnapshotGbMonth,
            "incremental snapshots: their size is the data's, not in the config",
        ),
    ];
    if (posture === "pilot") {
        return lines;
    }
    const nodes = standingNodeCount(config, posture);
    const instanceType = config.platform.cluster.nodeInstanceType;
    lines.push(
        line(
            "EKS control plane",
            HOURS_PER_MONTH,
            "cluster-hours",
            table.eksClusterHour,
            `1 cluster x ${HOURS_PER_MONTH} h`,
        ),
        line(
            `nodes (${instanceType})`,
            nodes * HOURS_PER_MONTH,
            "instance-hours",
            table.ec2InstanceHour[instanceType],
            `${nodes} node(s) (${posture === "hot" ? `at least Argo CD's HA ${ARGOCD_HA_MIN_NODES}` : "webank:warmNodeCount"}) x ${HOURS_PER_MONTH} h`,
        ),
        line(
            "node root volumes (gp3)",
            nodes * NODE_ROOT_VOLUME_GIB,
            "GB-month",
            table.ebsGp3GbMonth,
            `${nodes} x ${NODE_ROOT_VOLUME_GIB} GiB (lib/node-volumes.ts)`,
        ),
    );
    if (posture === "warm") {
        return lines;
    }
    const instanceClass = config.database.instanceClass;
    lines.push(
        // Multi-AZ, as the primary (components/database-replica.ts): RDS bills the standby's
        // instance-hours and storage too (MULTI_AZ_FACTOR, automation/bench/prices.ts).
        line(
            `read replica (${instanceClass}, Multi-AZ)`,
            MULTI_AZ_FACTOR * HOURS_PER_MONTH,
            "instance-hours",
            table.rdsPostgresInstanceHour[instanceClass],
            `1 Multi-AZ replica of webank:dbInstanceClass: ${MULTI_AZ_FACTOR} instances x ${HOURS_PER_MONTH} h`,
        ),
        line(
            "read replica storage (gp3)",
            MULTI_AZ_FACTOR * config.database.allocatedStorageGiB,
            "GB-month",
            table.rdsGp3StorageGbMonth,
            `webank:dbAllocatedStorageGiB, as the primary's, for the instance and its standby (${MULTI_AZ_FACTOR} x)`,
        ),
        line(
            "replication to the DR region",
            undefined,
            "GB",
            table.crossRegionTransferPerGb,
            "the WAL the primary writes, billed on the home region's bill: its volume is not in the config",
        ),
    );
    return lines;
}
