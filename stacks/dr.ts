import { RegionalProviders } from "../components/providers";
import { StackConfig } from "../config";

/**
 * Declares the `dr` stack: the standby in the DR region. While the platform is healthy
 * the DR region already holds everything the `primary` stack replicates there (replica
 * key, state and artifact replicas, lock-table replica); this stack owns what is built
 * only for a recovery. The database restore, the cluster and the secondary DNS record are
 * added by the database and platform components; today it declares its provider and
 * reports its posture.
 */
export function defineDrStack(config: StackConfig, providers: RegionalProviders): Record<string, unknown> {
    // Declared so the plan shows where this stack's resources will go; later components use it.
    void providers.stackRegion;
    return {
        role: config.role,
        homeRegion: config.homeRegion,
        drRegion: config.drRegion,
        objectives: config.objectives,
    };
}
