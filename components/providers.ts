import * as aws from "@pulumi/aws";
import { StackConfig } from "../config/stack-config";

/**
 * The explicit AWS providers of a stack. Every AWS resource names one of them, so the
 * region of each resource is visible in the program and in the plan; default providers are
 * disabled in Pulumi.yaml so that nothing can land in an implicit region.
 */
export interface RegionalProviders {
    /** Provider for the stack's own region (home region for `primary`, DR region for `dr`). */
    readonly stackRegion: aws.Provider;
    /**
     * Provider for the DR region. In the `primary` stack this is a second provider: everything
     * that must survive the loss of the home region is created through it. In the `dr` stack it
     * is the same provider as {@link stackRegion}.
     */
    readonly drRegion: aws.Provider;
}

/** Creates the stack's providers, tagging every resource with the stack's tags. */
export function createRegionalProviders(config: StackConfig): RegionalProviders {
    const provider = (region: string) =>
        new aws.Provider(`${config.prefix}-${region}`, {
            region: region as aws.Region,
            defaultTags: { tags: { ...config.tags } },
        });
    const stackRegion = provider(config.stackRegion);
    const drRegion = config.role === "primary" ? provider(config.drRegion) : stackRegion;
    return { stackRegion, drRegion };
}
