/**
 * AWS region names: the one place that knows what a region name looks like and what the
 * project's stacks use by default. A pattern, not a list, so that a new AWS region does not
 * need a code change.
 */

/** Matches commercial, GovCloud and ISO region names such as `us-east-1`, `us-gov-west-1`, `ap-southeast-5`. */
export const REGION_PATTERN =
    /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/** True when `value` is a well-formed AWS region name. */
export function isRegionName(value: string): boolean {
    return REGION_PATTERN.test(value);
}

/**
 * The AWS partition a region belongs to. Cross-region replication only works inside one
 * partition, so the home and DR regions must share it.
 */
export function partitionOf(region: string): "aws" | "aws-us-gov" | "aws-iso" {
    if (region.includes("-gov-")) {
        return "aws-us-gov";
    }
    if (region.includes("-iso")) {
        return "aws-iso";
    }
    return "aws";
}
