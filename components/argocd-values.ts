import * as pulumi from "@pulumi/pulumi";

/*
 * The argo-cd chart's values, apart from the component so that what each value means can be
 * cited beside it. Every key and default is read from argo-helm charts/argo-cd/values.yaml at
 * tag argo-cd-9.1.0 (the pinned `webank:argocdChartVersion`, appVersion v3.2.0).
 */

/** What {@link argocdHelmValues} needs of the component's arguments. */
export interface ArgocdValuesInput {
    /**
     * Whether to run the chart's "HA mode without autoscaling" (argo-cd chart README, "High
     * Availability"): redis-ha and two replicas of the server, repo server and ApplicationSet
     * controller. Only on a cluster of at least 3 nodes (lib/argocd.ts ARGOCD_HA_MIN_NODES).
     */
    readonly highAvailability: boolean;
    /** SSO settings; the client secret is a Pulumi secret. @default no SSO */
    readonly oidc?: { issuer: string; clientId: string; clientSecret: pulumi.Output<string> };
}

/**
 * Key in `argocd-secret` holding the SSO client secret. `configs.secret.extra` is merged into the
 * chart's `argocd-secret` (values.yaml `configs.secret.createSecret: true`, template
 * argocd-configs/argocd-secret.yaml), which `argocd admin export` always takes, by name
 * (argo-cd cmd/argocd/commands/admin/admin.go `isArgoCDSecret`, v3.2.0); `oidc.config` reads it
 * as `$oidc.webank.clientSecret` (Argo CD operator manual, user-management "Sensitive Data and SSO Client Secrets").
 */
export const OIDC_SECRET_KEY = "oidc.webank.clientSecret";

/** Replicas of each Argo CD Deployment: the chart README's HA example, or the chart's defaults (1). */
function replicas(highAvailability: boolean): Record<string, { replicas: number }> {
    const many = highAvailability ? 2 : 1;
    return {
        // The application controller is a StatefulSet that shards by replica; the chart's HA
        // examples keep it at 1 (README "HA mode without autoscaling").
        controller: { replicas: 1 },
        server: { replicas: many },
        repoServer: { replicas: many },
        applicationSet: { replicas: many },
    };
}

/**
 * redis-ha's persistence, off. The redis-ha subchart (4.34.11, the argo-cd 9.1.0 dependency)
 * defaults `persistentVolume.enabled: true`, which adds a `volumeClaimTemplates` claim to its
 * StatefulSet (DandyDeveloper/charts charts/redis-ha/templates/redis-ha-statefulset.yaml), and
 * argo-cd's values.yaml turns it off (`redis-ha.persistentVolume.enabled: false`; Redis is a
 * cache there, `save: '""'`), so the data volume is an emptyDir. Said here so that no change of
 * either default makes Argo CD claim a volume: it claims none (no chart template of argo-cd
 * 9.1.0 declares a PersistentVolumeClaim), so it needs neither the EBS CSI driver nor the
 * StorageClass to install (components/cluster.ts `workloadPrerequisites`).
 */
export const REDIS_HA_PERSISTENCE = { enabled: false } as const;

/**
 * Values of the argo-cd chart. With HA: `redis-ha.enabled: true`, which the chart's
 * `redis/deployment.yaml` answers by dropping the single Redis Deployment (rendered only when
 * `redis.enabled` and not `redis-ha.enabled`). Without: `redis-ha` off and plain `redis` on (both
 * the chart's defaults, said explicitly so a change of default cannot turn HA on on one node);
 * server-side `global.affinity.podAntiAffinity` stays the chart's `soft`, which schedules on one node.
 */
export function argocdHelmValues(args: ArgocdValuesInput): Record<string, unknown> {
    const values: Record<string, unknown> = {
        global: { domain: "argocd.internal" },
        "redis-ha": { enabled: args.highAvailability, persistentVolume: REDIS_HA_PERSISTENCE },
        redis: { enabled: !args.highAvailability },
        ...replicas(args.highAvailability),
        configs: { cm: {}, secret: {} },
    };
    if (args.oidc) {
        values.configs = {
            cm: {
                "oidc.config": [
                    "name: SSO",
                    `issuer: ${args.oidc.issuer}`,
                    `clientID: ${args.oidc.clientId}`,
                    `clientSecret: $${OIDC_SECRET_KEY}`,
                ].join("\n"),
            },
            secret: { extra: { [OIDC_SECRET_KEY]: args.oidc.clientSecret } },
        };
    }
    return values;
}
