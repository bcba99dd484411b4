import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { Alerts } from "../components/alerts";
import { ArtifactStore } from "../components/artifact-store";
import { ARTIFACT_PREFIXES } from "../lib/artifacts";
import { Backup } from "../components/backup";
import { backupAccountOutputs } from "../components/backup-copy-vaults";
import { BackupAssurance } from "../components/backup-assurance";
import { BranchProtection } from "../components/branch-protection";
import { configRecordingFor } from "../components/config-recording";
import { Database } from "../components/database";
import { DataKeys } from "../components/keys";
import { Network } from "../components/network";
import { ResilienceHubApp } from "../components/resilience";
import { ReplicatedStoreArgs } from "../components/replicated-bucket";
import { RegionalProviders } from "../components/providers";
import { SourceMirror } from "../components/source-mirror";
import { StateBackend } from "../components/state-backend";
import { TrafficFailover } from "../components/traffic";
import { CONFIG_NAMESPACE } from "../config/keys";
import { StackConfig } from "../config/stack-config";
import { drCopySummary, mostFrequentPeriodHours } from "../lib/backup-rules";
import { HEARTBEAT_READER_ROLE } from "../lib/heartbeat";
import {
    alertTopicName,
    dataKeyAlias,
    mirrorProjectName,
    primaryDatabaseIdentifier,
    verifierSecretName,
} from "../lib/naming";
import { DeployContext, definePlatform, platformOutputs, TRAFFIC_SKIPPED } from "./platform";
import { declareFailbackReplica, failbackOutputs } from "./primary-failback";

/**
 * Declares the `primary` stack: the home-region platform and, through the DR-region
 * provider, every copy that must outlive the home region. Returns the stack outputs.
 */
export function definePrimaryStack(
    config: StackConfig,
    providers: RegionalProviders,
    deploy: DeployContext,
): Record<string, unknown> {
    const home = { providers: [providers.stackRegion] };
    const accountId = aws.getCallerIdentityOutput({}, { provider: providers.stackRegion }).accountId;
    const keys = new DataKeys(
        `${config.prefix}-data`,
        {
            alias: dataKeyAlias(config.prefix),
            replicaProvider: providers.drRegion,
            accountId,
            region: config.homeRegion,
            replicaRegion: config.drRegion,
            backupAccountId: config.backup.backupAccountId,
        },
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
    const artifacts = new ArtifactStore(
        `${config.prefix}-artifacts`,
        { ...store, periodicExportDays: config.retention.pitrDays },
        home,
    );

    const network = new Network(
        `${config.prefix}-network`,
        { cidr: config.network.stackCidr, natLayout: "per-zone", logKmsKeyArn: keys.keyArn },
        home,
    );
    const database = new Database(
        `${config.prefix}-db`,
        {
            identifier: primaryDatabaseIdentifier(config.prefix),
            settings: config.database,
            vpcId: network.vpcId,
            vpcCidr: network.cidr,
            privateSubnetIds: network.privateSubnetIds,
            kmsKeyArn: keys.keyArn,
            backupReplication: {
                provider: providers.drRegion,
                kmsKeyArn: keys.replicaKeyArn,
                retentionDays: config.database.replicatedBackupRetentionDays,
            },
        },
        home,
    );

    // Re-protection after a failover (webank:failback): the home region replicates the DR database.
    const failbackReplica = declareFailbackReplica(config, database, keys.keyArn, accountId, home);

    // The verifier's credentials (components/heartbeat.ts): the setup Job generates the password
    // once and stores it here; the replica in the DR region is what a failover reads while the
    // home region is down (Secrets Manager replicates the value, and a replica is read-only).
    // Protected and retained: a new password could not log in to restores made before it.
    const verifierSecret = new aws.secretsmanager.Secret(
        `${config.prefix}-db-verifier`,
        {
            name: verifierSecretName(config.prefix),
            description: `Password of the ${HEARTBEAT_READER_ROLE} database role, which reads the heartbeat of a restored database`,
            kmsKeyId: keys.keyArn,
            recoveryWindowInDays: 30,
            replicas: [{ region: config.drRegion, kmsKeyId: keys.replicaKeyArn }],
        },
        { provider: providers.stackRegion, protect: true, retainOnDelete: true },
    );

    const alerts = new Alerts(
        alertTopicName(config.prefix, "home"),
        { kmsKeyArn: keys.keyArn, emailSubscribers: [...config.platform.alertEmails] },
        home,
    );
    const platform = definePlatform(config, {
        provider: providers.stackRegion,
        network,
        kmsKeyArn: keys.keyArn,
        artifactBucketName: artifacts.bucketName,
        artifactBucketArn: artifacts.bucketArn,
        alarmTopicArn: alerts.topicArn,
        serving: true,
        accountId,
        deploy,
        heartbeat: {
            database: {
                address: database.instance.address,
                resourceId: database.resourceId,
                masterSecretArn: database.masterSecretArn,
            },
            verifierSecret: { secretId: verifierSecret.arn, arn: verifierSecret.arn, writable: true },
        },
    });

    // Vault events of the DR vault need a topic in the DR region, which outlives the home region.
    const drAlerts = new Alerts(
        alertTopicName(config.prefix, "dr"),
        { kmsKeyArn: keys.replicaKeyArn, emailSubscribers: [...config.platform.alertEmails] },
        { providers: [providers.drRegion] },
    );
    const backup = new Backup(
        `${config.prefix}-backup`,
        {
            prefix: config.prefix,
            homeRegion: config.homeRegion,
            drRegion: config.drRegion,
            kmsKeyArn: keys.keyArn,
            replicaKmsKeyArn: keys.replicaKeyArn,
            replicaProvider: providers.drRegion,
            settings: config.backup,
            alarmTopicArn: alerts.topicArn,
            drAlarmTopicArn: drAlerts.topicArn,
            targets: {
                database: [database.instanceArn],
                "lock-table": [state.lockTableArn],
                "state-bucket": [state.bucketArn],
                "artifact-bucket": [artifacts.bucketArn],
                cluster: [platform.cluster.clusterArn],
            },
        },
        home,
    );

    // AWS proves the backups restore, audits them against the objectives, and assesses the
    // platform against the same RTO/RPO in Resilience Hub.
    const allRules = Object.values(config.backup.rules).flat();
    const assurance = new BackupAssurance(
        `${config.prefix}-backup-assurance`,
        {
            objectives: config.objectives,
            planFrequencyHours: mostFrequentPeriodHours(allRules),
            retentionDays: config.backup.retention.shortTermDays,
            drRegion: config.drRegion,
            vaultLock: config.backup.vaultLock,
            homeVaultArn: backup.vaultArn,
            databaseArns: [database.instanceArn],
            restoreRoleArn: backup.role.arn,
            restoreTestNetwork: { vpcId: network.vpcId, dbSubnetGroupName: database.subnetGroupName },
            reportBucketName: artifacts.bucketName,
        },
        home,
    );
    // Backup Audit Manager evaluates the controls with AWS Config, in the framework's region.
    const configRecording = configRecordingFor(
        config.backup.configRecorder,
        `${config.prefix}-backup-audit`,
        {
            accountId,
            region: config.homeRegion,
            bucketName: artifacts.bucketName,
            bucketArn: artifacts.bucketArn,
            kmsKeyArn: keys.keyArn,
        },
        home,
    );
    const native = new awsnative.Provider(`${config.prefix}-native-${config.homeRegion}`, {
        region: config.homeRegion as awsnative.Region,
    });
    const resilience = new ResilienceHubApp(
        `${config.prefix}-resilience`,
        {
            objectives: config.objectives,
            stackName: config.stack,
            appName: `${config.prefix}-platform`,
            region: config.homeRegion,
            // The stores Resilience Hub assesses, by physical id.
            resources: [
                { name: "database", type: "AWS::RDS::DBInstance", identifier: database.instance.identifier },
                { name: "lock-table", type: "AWS::DynamoDB::Table", identifier: state.lockTableName },
                { name: "state-bucket", type: "AWS::S3::Bucket", identifier: state.bucketName },
                { name: "artifact-bucket", type: "AWS::S3::Bucket", identifier: artifacts.bucketName },
            ],
            nativeProvider: native,
        },
        home,
    );

    // The mirror's GitHub token lives only in Secrets Manager: filled by hand
    // (aws secretsmanager put-secret-value), never in config or state.
    const mirrorTokenSecretArn =
        config.platform.mirror.tokenSecretArn ??
        new aws.secretsmanager.Secret(
            `${config.prefix}-github-mirror-token`,
            {
                name: `${config.prefix}/github-mirror-token`,
                description: `GitHub token (read-only, repo scope) of the mirror of ${config.platform.mirror.repository}`,
                kmsKeyId: keys.keyArn,
                recoveryWindowInDays: 30,
            },
            { provider: providers.stackRegion, retainOnDelete: true },
        ).arn;
    const mirror = new SourceMirror(
        mirrorProjectName(config.prefix),
        {
            repository: config.platform.mirror.repository,
            tokenSecretArn: mirrorTokenSecretArn,
            artifactBucketName: artifacts.bucketName,
            artifactBucketArn: artifacts.bucketArn,
            kmsKeyArn: keys.keyArn,
            rpoMinutes: config.objectives.source.rpoMinutes,
            alarmTopicArn: alerts.topicArn,
            accountId,
        },
        home,
    );
    // Branch protection is managed only where a GitHub token is configured.
    const githubToken = new pulumi.Config(CONFIG_NAMESPACE).getSecret("githubToken");
    if (githubToken) {
        new BranchProtection(
            `${config.prefix}-main-branch`,
            { repository: config.platform.mirror.repository, token: githubToken },
            home,
        );
    }
    const traffic = config.platform.traffic;
    const failover = traffic
        ? new TrafficFailover(
              `${config.prefix}-traffic-primary`,
              {
                  role: "PRIMARY",
                  zoneId: traffic.zoneId,
                  recordName: traffic.recordName,
                  target: traffic.primaryEndpoint,
                  healthCheckPath: traffic.healthCheckPath,
                  rtoMinutes: config.objectives.cluster.rtoMinutes,
              },
              home,
          )
        : undefined;

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
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        dbEndpoint: database.endpoint,
        dbInstanceArn: database.instanceArn,
        dbResourceId: database.resourceId,
        dbSecretArn: database.masterSecretArn,
        // The verifier's credentials; its replica in the DR region has the same ARN but for the region.
        dbVerifierSecretArn: verifierSecret.arn,
        // Read by the dr stack (StackReference) and the failover script for a PITR restore.
        dbReplicatedBackupsArn: database.replicatedBackupsArn,
        ...failbackOutputs(config, failbackReplica),
        alertTopicArn: alerts.topicArn,
        backupVaultArn: backup.vaultArn,
        backupDrVaultArn: backup.drVaultArn,
        backupAirGappedVaultArn: backup.airGappedVault.arn,
        ...backupAccountOutputs(config, accountId),
        backupRoleArn: backup.role.arn,
        backupFrameworkArn: assurance.frameworkArn,
        configRecording,
        restoreTestingPlanName: assurance.restoreTestingPlanName,
        resiliencePolicyArn: resilience.policyArn,
        resilienceAppArn: resilience.appArn,
        backupSchedules: Object.fromEntries(
            Object.entries(config.backup.rules).map(([target, rules]) => [
                target,
                rules.map((rule) => `${rule.name}: ${rule.schedule}${rule.continuous ? " continuous" : ""}`),
            ]),
        ),
        // What the DR vault holds: how often a copy arrives (its RPO) and how long each is kept.
        backupDrCopies: Object.fromEntries(
            Object.entries(config.backup.rules).map(([target, rules]) => [target, drCopySummary(rules)]),
        ),
        ...platformOutputs(platform),
        githubMirrorTokenSecretArn: mirrorTokenSecretArn,
        branchProtection: githubToken
            ? `main of ${config.platform.mirror.repository}`
            : "not managed: webank:githubToken is not set",
        mirrorProjectName: mirror.projectName,
        mirrorSchedule: mirror.scheduleExpression,
        mirrorBundlePrefix: mirror.bundlePrefix,
        dnsFailover: failover
            ? pulumi.interpolate`PRIMARY ${failover.recordFqdn} -> ${traffic?.primaryEndpoint} (gate ${failover.trafficSwitch?.gate.id} over endpoint check ${failover.healthCheckId} and traffic switch ${failover.trafficSwitch?.switch.id}, TTL ${failover.ttlSeconds}s)`
            : TRAFFIC_SKIPPED,
    };
}
