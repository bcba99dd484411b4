import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArtifactStore, ARTIFACT_PREFIXES } from "../components/artifact-store";
import { DataKeys } from "../components/keys";
import { ReplicatedStoreArgs } from "../components/replicated-bucket";
import { RegionalProviders } from "../components/providers";
import { StateBackend } from "../components/state-backend";
import { StackConfig } from "../config";
import { dataKeyAlias } from "../lib/naming";

/**
 * Declares the `primary` stack: the home-region platform and, through the DR-region
 * provider, every copy that must outlive the home region. Returns the stack outputs.
 */
export function definePrimaryStack(
    config: StackConfig,
    providers: RegionalProviders,
): Record<string, unknown> {
    const home = { providers: [providers.stackRegion] };
    const accountId = aws.getCallerIdentityOutput({}, { provider: providers.stackRegion }).accountId;
    const keys = new DataKeys(
        `${config.prefix}-data`,
        { alias: dataKeyAlias(config.prefix), replicaProvider: providers.drRegion },
        home,
    );
    // Everything the replicated stores share: names, regions, keys, version retention.
    const store: ReplicatedStoreArgs = {
        prefix: config.prefix,
        accountId,
        homeRegion: config.homeRegion,
        drRegion: config.drRegion,
        kmsKeyArn: keys.keyArn,
        replicaKmsKeyArn: keys.replicaKeyArn,
        replicaProvider: providers.drRegion,
        noncurrentVersionRetentionDays: config.retention.noncurrentVersionDays,
    };
    const state = new StateBackend(
        `${config.prefix}-state`,
        { ...store, pitrRetentionDays: config.retention.pitrDays },
        home,
    );
    const artifacts = new ArtifactStore(`${config.prefix}-artifacts`, store, home);

    return {
        role: config.role,
        homeRegion: config.homeRegion,
        drRegion: config.drRegion,
        objectives: config.objectives,
        dataKeyArn: keys.keyArn,
        dataReplicaKeyArn: keys.replicaKeyArn,
        stateBucketName: state.bucketName,
        stateReplicaBucketName: state.replicaBucketName,
        lockTableName: state.lockTableName,
        lockTableArn: state.lockTableArn,
        lockTableReplicaArn: state.lockTableReplicaArn,
        pulumiLoginUrl: state.pulumiLoginUrl,
        pulumiLoginUrlDr: state.pulumiLoginUrlDr,
        pulumiSecretsProvider: pulumi.interpolate`awskms://${dataKeyAlias(config.prefix)}?region=${config.homeRegion}`,
        terraformBackend: state.terraformBackend,
        artifactBucketName: artifacts.bucketName,
        artifactReplicaBucketName: artifacts.replicaBucketName,
        artifactPrefixes: ARTIFACT_PREFIXES,
        chartRepositoryUrl: artifacts.chartRepositoryUrl,
    };
}
