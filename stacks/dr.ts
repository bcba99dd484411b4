import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Alerts } from "../components/alerts";
import { Network } from "../components/network";
import { TrafficFailover } from "../components/traffic";
import { RegionalProviders } from "../components/providers";
import { StackConfig } from "../config/stack-config";
import { secretArnPattern } from "../lib/heartbeat-writer";
import { bucketName, dataKeyAlias, verifierSecretName } from "../lib/naming";
import { partitionOf } from "../lib/regions";
import { declareDrBackups } from "./dr-backup";
import { declareDrDatabase } from "./dr-database";
import { DeployContext, definePlatform, platformOutputs, TRAFFIC_SKIPPED } from "./platform";
import { drNatLayout } from "../lib/network-layout";

/**
 * Declares the `dr` stack: the standby in the DR region. Pilot light by default: the
 * network (one NAT gateway) and, created by the `primary` stack, the replica key, state and
 * artifact replicas and the replicated database backups; warm adds a minimal cluster, hot a
 * cluster with enough nodes for Argo CD's HA and a cross-Region read replica of the primary
 * database. When `webank:activated` is true (the failover sets it, with `webank:restore` in
 * pilot and warm), the database is restored from the chosen source into this region (in hot:
 * the promoted replica is declared as the standalone instance it became) and the network gets
 * a NAT gateway per zone.
 */
export function defineDrStack(
    config: StackConfig,
    providers: RegionalProviders,
    deploy: DeployContext,
): Record<string, unknown> {
    const local = { providers: [providers.stackRegion] };
    const drill = config.dr.drill;
    // What this stack creates is named from `own`; what it finds (the replica key, the vault,
    // the artifact replica) keeps the real prefix. A drill's names never collide with dr's.
    const own = drill ? `${config.prefix}-drill-${drill.id}` : config.prefix;
    // Found by alias in this region, so the DR stack needs nothing from the primary's state.
    const keyArn = aws.kms.getAliasOutput(
        { name: dataKeyAlias(config.prefix) },
        { provider: providers.stackRegion },
    ).targetKeyArn;

    const network = new Network(
        `${own}-network`,
        {
            cidr: config.network.stackCidr,
            natLayout: drNatLayout({ activated: config.dr.activated, hot: config.dr.posture === "hot" }),
            logKmsKeyArn: keyArn,
        },
        local,
    );

    const alerts = new Alerts(
        `${own}-alerts`,
        { kmsKeyArn: keyArn, emailSubscribers: [...config.platform.alertEmails] },
        local,
    );
    // Pilot light: no cluster. Warm: a minimal one, scaled up on activation.
    // A database drill leaves the cluster out: it rehearses the restore, not the platform.
    const wantsCluster = drill
        ? drill.scope === "full"
        : config.dr.activated || config.dr.posture !== "pilot";
    const accountId = aws.getCallerIdentityOutput({}, { provider: providers.stackRegion }).accountId;
    const artifactBucket = accountId.apply((account) =>
        bucketName(config.prefix, "artifacts", account, config.drRegion),
    );
    // The restored database (activated pilot or warm) or the hot posture's read replica, declared
    // before the platform, whose heartbeat writes into it once it serves (as webank-dr: the
    // verifier counts only the home platform's beats).
    const drDatabase = declareDrDatabase(config, own, network, keyArn, accountId, local);
    const database = drDatabase?.serving ? drDatabase.database : undefined;
    const platform = wantsCluster
        ? // The platform names its cluster from the prefix only, so a drill's gets the drill's.
          definePlatform(drill ? { ...config, prefix: own } : config, {
              provider: providers.stackRegion,
              network,
              kmsKeyArn: keyArn,
              // Exports made in the DR region land in the artifact replica there.
              artifactBucketName: artifactBucket,
              artifactBucketArn: pulumi.interpolate`arn:${partitionOf(config.drRegion)}:s3:::${artifactBucket}`,
              alarmTopicArn: alerts.topicArn,
              serving: config.dr.activated,
              hotStandby: config.dr.posture === "hot",
              accountId,
              deploy,
              heartbeat: database && {
                  database: {
                      address: database.instance.address,
                      resourceId: database.resourceId,
                      // The DR database's own RDS-managed master secret, in this region (the
                      // restored instance's, or the one RDS made when the promoted replica's
                      // master password came under its management).
                      masterSecretArn: database.masterSecretArn,
                  },
                  // The primary's replica in this region, found by name (as the key by alias), so
                  // nothing is read from the primary's state; only read: a replica is read-only.
                  verifierSecret: {
                      secretId: verifierSecretName(config.prefix),
                      arn: accountId.apply((account) =>
                          secretArnPattern(config.drRegion, account, verifierSecretName(config.prefix)),
                      ),
                      writable: false,
                  },
              },
          })
        : undefined;

    const outputs: Record<string, unknown> = {
        role: config.role,
        homeRegion: config.homeRegion,
        drRegion: config.drRegion,
        objectives: config.objectives,
        posture: config.dr.posture,
        activated: config.dr.activated,
        ...(drill ? { drill: `${drill.id} (${drill.scope})` } : {}),
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        alertTopicArn: alerts.topicArn,
        ...(platform ? platformOutputs(platform) : { clusterName: "none (pilot light)" }),
    };
    const traffic = config.platform.traffic;
    if (drill) {
        outputs.dnsFailover = "never: a drill does not touch traffic";
    } else if (config.dr.activated && traffic?.drEndpoint) {
        const failover = new TrafficFailover(
            `${config.prefix}-traffic-secondary`,
            {
                role: "SECONDARY",
                zoneId: traffic.zoneId,
                recordName: traffic.recordName,
                target: traffic.drEndpoint,
                healthCheckPath: traffic.healthCheckPath,
                rtoMinutes: config.objectives.cluster.rtoMinutes,
            },
            local,
        );
        outputs.dnsFailover = pulumi.interpolate`SECONDARY ${failover.recordFqdn} -> ${traffic.drEndpoint} (TTL ${failover.ttlSeconds}s)`;
    } else {
        outputs.dnsFailover = traffic
            ? "not yet: the SECONDARY record is declared once webank:activated is true"
            : TRAFFIC_SKIPPED;
    }

    if (drDatabase && !drDatabase.serving) {
        // The replica before a failover: a copy of the primary database, backed up at home.
        outputs.dbReplica = drDatabase.origin;
        outputs.dbReplicaArn = drDatabase.database.instanceArn;
    }
    if (!database || !drDatabase) {
        // A warm standby's cluster already makes tagged volumes: back them up from the start.
        if (platform && !drill) {
            declareDrBackups(config, providers.stackRegion, accountId, {
                volumes: true,
                clusterArn: platform.cluster.clusterArn,
            });
        }
        return outputs;
    }

    const databaseOutputs = {
        ...(config.dr.restore
            ? { dbRestoredFrom: drDatabase.origin }
            : { dbPromotedFrom: drDatabase.origin }),
        dbEndpoint: database.endpoint,
        dbInstanceArn: database.instanceArn,
        dbResourceId: database.resourceId,
        dbSecretArn: database.masterSecretArn,
    };
    if (drill) {
        // A drill's copy is destroyed when verified: nothing to back up.
        return { ...outputs, ...databaseOutputs };
    }
    declareDrBackups(config, providers.stackRegion, accountId, {
        databaseArn: database.instanceArn,
        volumes: platform !== undefined,
        clusterArn: platform?.cluster.clusterArn,
    });

    return { ...outputs, ...databaseOutputs };
}
