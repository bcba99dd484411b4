/**
 * AWS regions and partitions: the one place that knows which region names are real and which
 * partition each belongs to. Neither a hand-typed list nor a pattern: both come from the AWS
 * SDK's own partition data, `partition()` of `@aws-sdk/util-endpoints` (pinned in
 * package.json; the data is `partitionsInfo` in @aws-sdk/core's
 * dist-cjs/submodules/client/index.js, generated from the SDK's partitions.json), so that a
 * region AWS adds arrives with an SDK upgrade, and a name that only looks like a region is
 * refused.
 */
import { partition } from "@aws-sdk/util-endpoints";

/**
 * What `partition()` returns. The SDK's typings (`EndpointPartition` in @smithy/types) omit
 * `description`, which the function copies from the region's entry in the partition data
 * (`{ ...outputs, ...regionData }` in @aws-sdk/core's partition.ts): present only for a region
 * the data lists, absent for a name that merely matches a partition's `regionRegex` (such as
 * `us-east-9`) and for a name that matches nothing (which falls back to the `aws` partition).
 */
interface PartitionResult {
    readonly name: string;
    readonly description?: string;
}

/** The name of an AWS partition, the second field of every ARN: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, ... */
export type PartitionName = string;

/** A region the AWS SDK lists. */
export interface RegionInfo {
    /** The region name, e.g. `us-east-1`. */
    readonly name: string;
    /** Its partition, e.g. `aws`. */
    readonly partition: PartitionName;
    /** AWS's description of it, e.g. `US East (N. Virginia)`. */
    readonly description: string;
}

/**
 * The region `value`, when the AWS SDK lists it as a region; `undefined` for anything else.
 * The partition data also lists one pseudo-region per partition, named `<partition>-global`
 * (`aws-global`, `aws-cn-global`, `aws-us-gov-global`, ...): the signing region of global
 * endpoints such as IAM's, not a place where resources live or where a copy survives a
 * regional outage, so those are refused here.
 */
export function regionInfo(value: string): RegionInfo | undefined {
    const result = partition(value) as PartitionResult;
    if (result.description === undefined || value === `${result.name}-global`) {
        return undefined;
    }
    return { name: value, partition: result.name, description: result.description };
}

/** True when the AWS SDK lists `value` as a region (not a pseudo-region such as `aws-global`). */
export function isRegionName(value: string): boolean {
    return regionInfo(value) !== undefined;
}

/** True when `value` is one of the SDK's `<partition>-global` pseudo-regions, for a precise refusal. */
export function isPseudoRegion(value: string): boolean {
    const result = partition(value) as PartitionResult;
    return result.description !== undefined && value === `${result.name}-global`;
}

/**
 * The AWS partition of `region`, for ARNs (`arn:<partition>:...`) and for the same-partition
 * rule: cross-region replication (S3 CRR, RDS automated-backup replication, AWS Backup copies)
 * only works between regions of one partition, and IAM credentials of one partition cannot
 * reach another ("Partitions", AWS Fault Isolation Boundaries,
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
 * Validate the region with {@link isRegionName} first: for an unlisted name the SDK answers the
 * partition whose pattern it matches, or `aws`.
 */
export function partitionOf(region: string): PartitionName {
    return partition(region).name;
}
