/**
 * On-demand prices of what the DR region keeps standing, each with the page it was read from,
 * the sentence that states it and the date it was read. The machine has no internet: every
 * price was looked up through the project's search corpora, and where the corpus had no
 * price for the table's region the entry says so instead of inventing one.
 */

/**
 * How far a price is known for the table's region: stated for it by its source; stated with
 * no region named; stated only for another region (used, and flagged); or not found (no value:
 * the line it prices is shown unpriced).
 */
export type PriceEvidence = "region-stated" | "region-not-named" | "other-region" | "not-found";

/** The unit a price is per. */
export type PriceUnit = "hour" | "GB-month" | "GB";

/** One price, with where it comes from. */
export interface Price {
    /** US dollars per {@link unit}; absent when no price was found ({@link evidence} `not-found`). */
    readonly usd?: number;
    /** What the price is per. */
    readonly unit: PriceUnit;
    /** The page the price was read from (URL), or the pricing page that should hold it. */
    readonly source: string;
    /** The sentence or table row of the source, as it has it; for `not-found`, what the search found instead. */
    readonly quote: string;
    /** The day the source was read through the search corpus (ISO date). */
    readonly read: string;
    /** How far the price is known for the table's region. */
    readonly evidence: PriceEvidence;
    /** The region the source states the price for, when it names one. */
    readonly regionStated?: string;
    /** What the price covers and what it leaves out. */
    readonly note: string;
}

/** Whether a price is verified for the table's region: its source states it for that region. */
export function isVerified(price: Price): boolean {
    return price.evidence === "region-stated" && price.usd !== undefined;
}

/** The day every price of the table was read. */
const READ = "2026-12-04";

/** The prices of one region, and which region that is. */
export interface PriceTable {
    /** The region whose prices these are: a cost in any other region is refused (costs.ts). */
    readonly region: string;
    /** EKS control plane, per cluster-hour (standard support). */
    readonly eksClusterHour: Price;
    /** EC2 on-demand Linux instance-hour, by instance type. */
    readonly ec2InstanceHour: Readonly<Record<string, Price>>;
    /** RDS for PostgreSQL on-demand single-AZ instance-hour, by instance class. */
    readonly rdsPostgresInstanceHour: Readonly<Record<string, Price>>;
    /** RDS gp3 storage, per GB-month of a single-AZ instance. */
    readonly rdsGp3StorageGbMonth: Price;
    /** RDS backup storage (the replicated automated backups), per GB-month. */
    readonly rdsBackupStorageGbMonth: Price;
    /** EBS gp3 volume storage, per GB-month. */
    readonly ebsGp3GbMonth: Price;
    /** EBS snapshot storage (the DR vault's copies of volumes), per GB-month. */
    readonly ebsSnapshotGbMonth: Price;
    /** NAT gateway, per gateway-hour. */
    readonly natGatewayHour: Price;
    /** NAT gateway, per GB processed. */
    readonly natGatewayPerGb: Price;
    /** Data transfer from the home region to the DR region (replication), per GB. */
    readonly crossRegionTransferPerGb: Price;
}

/**
 * How much more a Multi-AZ DB instance costs than a single-AZ one: both the instance-hours and
 * the storage are charged for the primary and its standby. "Compute costs: Billed per DB
 * instance-hour for both the primary and standby instances." and "Storage costs: Charged per
 * GB-month for the storage provisioned for both the primary and standby" (RDS user guide,
 * "On-Demand DB instances for Amazon RDS",
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_OnDemandDBInstances.html).
 */
export const MULTI_AZ_FACTOR = 2;

/** The price table of us-west-2, the default DR region (Pulumi.yaml `webank:drRegion`). */
export const US_WEST_2_PRICES: PriceTable = {
    region: "us-west-2",
    eksClusterHour: {
        usd: 0.1,
        unit: "hour",
        source: "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/",
        quote: "Pricing for clusters running Kubernetes versions in standard support is unchanged — you will continue to pay $0.10 per cluster per hour.",
        read: READ,
        evidence: "region-not-named",
        note:
            "Standard support. The same post prices a cluster whose Kubernetes version is in extended " +
            "support at $0.60 per cluster per hour; read in the corpus's copy of the AWS Containers blog.",
    },
    ec2InstanceHour: {
        "m6i.large": {
            unit: "hour",
            source: "https://aws.amazon.com/ec2/pricing/on-demand/",
            quote: "(not found; the corpus's nearest is c3x.dev's us-east-1 'm6i.xlarge: $0.192/hour')",
            read: READ,
            evidence: "not-found",
            note:
                "No m6i.large price for us-west-2 in the corpus (https://c3x.dev/blog/m5-vs-m6i-vs-m7i-cost-performance " +
                "has the us-east-1 xlarge only). Not used: read it from the AWS page.",
        },
    },
    rdsPostgresInstanceHour: {
        "db.r6g.large": {
            unit: "hour",
            source: "https://aws.amazon.com/rds/postgresql/pricing/",
            quote: "(no db.r6g.large price for any region found in the corpus)",
            read: READ,
            evidence: "not-found",
            note: "Single-AZ instance-hour; a Multi-AZ instance costs MULTI_AZ_FACTOR times as much.",
        },
    },
    rdsGp3StorageGbMonth: {
        usd: 0.115,
        unit: "GB-month",
        source: "https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/",
        quote: "Storage | GB provisioned x $0.115/month (gp3).",
        read: READ,
        evidence: "other-region",
        regionStated: "us-east-1",
        note: "The page gives US East (N. Virginia) rates; single-AZ (Multi-AZ: MULTI_AZ_FACTOR times).",
    },
    rdsBackupStorageGbMonth: {
        usd: 0.095,
        unit: "GB-month",
        source: "https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/",
        quote: "GB of backup storage above the provisioned DB size x ~$0.095/GB-month.",
        read: READ,
        evidence: "other-region",
        regionStated: "us-east-1",
        note:
            "US East (N. Virginia), approximate. Replicated automated backups are charged as storage in " +
            "the destination region (RDS user guide, USER_ReplicateBackups: 'standard charges apply to storage in the destination Region').",
    },
    ebsGp3GbMonth: {
        unit: "GB-month",
        source: "https://aws.amazon.com/ebs/pricing/",
        quote: "(the corpus's EBS pricing pages give a gp3 example in EUR for an unnamed region only)",
        read: READ,
        evidence: "not-found",
        note: "Node root volumes (lib/node-volumes.ts NODE_ROOT_VOLUME_GIB each).",
    },
    ebsSnapshotGbMonth: {
        unit: "GB-month",
        source: "https://aws.amazon.com/ebs/pricing/",
        quote: "(no snapshot storage price found in the corpus)",
        read: READ,
        evidence: "not-found",
        note: "The DR vault's copies of volume recovery points.",
    },
    natGatewayHour: {
        usd: 0.045,
        unit: "hour",
        source: "https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/",
        quote: "| US West (Oregon, N. California) | ~$0.045 | ~$0.045 |",
        read: READ,
        evidence: "region-stated",
        regionStated: "us-west-2",
        note: "A third-party page, with an approximate sign; AWS's own page is https://aws.amazon.com/vpc/pricing/.",
    },
    natGatewayPerGb: {
        usd: 0.045,
        unit: "GB",
        source: "https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/",
        quote: "| US West (Oregon, N. California) | ~$0.045 | ~$0.045 |",
        read: READ,
        evidence: "region-stated",
        regionStated: "us-west-2",
        note: "Per GB processed, both directions; internet egress is charged on top.",
    },
    crossRegionTransferPerGb: {
        usd: 0.02,
        unit: "GB",
        source: "https://redresscompliance.com/aws-inter-region-transfer-costs-multiregion",
        quote: "| us east 1 to us west 2 | $0.02 per GB | Free | Standard pair |",
        read: READ,
        evidence: "region-stated",
        regionStated: "us-east-1 to us-west-2",
        note:
            "Billed by the source region (the home region), free into the DR region: replication traffic " +
            "(the read replica's WAL stream, backup copies) costs it on the home region's bill.",
    },
};

/** Every price of `table`, by a dotted name (`ec2InstanceHour.m6i.large`), for listing and tests. */
export function allPrices(table: PriceTable): [string, Price][] {
    const entries: [string, Price][] = [];
    for (const [name, value] of Object.entries(table)) {
        if (name === "region") {
            continue;
        }
        if ("unit" in (value as object)) {
            entries.push([name, value as Price]);
        } else {
            for (const [key, price] of Object.entries(value as Record<string, Price>)) {
                entries.push([`${name}.${key}`, price]);
            }
        }
    }
    return entries;
}
