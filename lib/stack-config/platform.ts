import { ProblemCollector } from "../errors";
import { jsonObject, jsonStringArray, oneOf, wholeNumber } from "../config-values";
import type { RawStackConfig } from "../../config";
import { GIT_URL } from "../git-url";
import { configKey } from "./key";
import { ARGOCD_HA_MODES, ArgocdHaMode } from "../argocd";
import { KubernetesAccess, parseKubernetesAccess } from "../kubernetes-access";
import { COMPLETE_SECRET_ARN } from "../secret-arn";

/** Where Argo CD reads the platform repository from. */
export const GIT_SOURCES = ["github", "mirror"] as const;

/** `github` normally; `mirror` after a GitHub loss, once a bundle has been pushed to the mirror remote. */
export type GitSource = (typeof GIT_SOURCES)[number];

/** Config keys whose values must be Pulumi secrets. */
export const SECRET_KEYS = ["platformRepoToken", "argocdOidcClientSecret", "githubToken"] as const;

/** EKS cluster settings. */
export interface ClusterSettings {
    /** Kubernetes version. Default `1.33`. */
    readonly version: string;
    /** Instance type of the managed node group. Default `m6i.large`. */
    readonly nodeInstanceType: string;
    /** Node group size when the cluster serves traffic. Default 3/3/6. */
    readonly nodes: { readonly desired: number; readonly min: number; readonly max: number };
    /** Nodes kept by a `warm` DR cluster before activation. Default 1. */
    readonly warmNodeCount: number;
    /** CIDRs allowed to reach the public API endpoint; empty (default) turns the public endpoint off. */
    readonly apiPublicAccessCidrs: readonly string[];
    /** IAM role ARNs given cluster-admin access entries. Default none. */
    readonly adminRoleArns: readonly string[];
    /**
     * `webank:kubernetesAccess`: where the Kubernetes resources are applied from (lib/kubernetes-access.ts).
     * @default "runner"
     */
    readonly kubernetesAccess: KubernetesAccess;
    /**
     * `webank:runnerPulumiSha256`: the pinned SHA-256 of the Pulumi CLI archive the deploy runner installs.
     * @default unset: the runner checks the release's published checksums only, and says so
     */
    readonly runnerPulumiSha256?: string;
}

/** Argo CD and the platform repository it follows. */
export interface GitOpsSettings {
    /** Pinned argo-cd Helm chart version. Default `9.1.0`. */
    readonly chartVersion: string;
    /** Argo CD image tag used by the export job; keep it the chart's appVersion. Default `v3.2.0`. */
    readonly imageTag: string;
    /** The platform repository on GitHub. */
    readonly repoUrl: string;
    /** The mirror remote that a bundle is pushed to on recovery; required when `source` is `mirror`. */
    readonly mirrorRepoUrl?: string;
    /** Which of the two Argo CD follows. Default `github`. */
    readonly source: GitSource;
    /** Branch, tag or commit of the root app. Default `main`. */
    readonly revision: string;
    /** Path of the app-of-apps in the repository. Default `apps`. */
    readonly path: string;
    /** SSO issuer and client id; the client secret is the secret `webank:argocdOidcClientSecret`. */
    readonly oidc?: { readonly issuer: string; readonly clientId: string };
    /**
     * `webank:argocdHighAvailability`: whether Argo CD runs its HA values (redis-ha, replicated
     * server, repo server and ApplicationSet controller). `auto` derives it from the nodes the
     * cluster keeps (lib/argocd.ts). Default `auto`.
     */
    readonly highAvailability: ArgocdHaMode;
}

/** The GitHub mirror job. */
export interface MirrorSettings {
    /** `owner/name` of the platform repository on GitHub. Default `webank/platform`. */
    readonly repository: string;
    /** Secrets Manager secret holding the mirror's GitHub token; default: a secret this stack creates, filled by hand. */
    readonly tokenSecretArn?: string;
}

/** Route 53 failover, when a hosted zone is configured. */
export interface TrafficSettings {
    /** Hosted zone id. */
    readonly zoneId: string;
    /** The name users resolve, e.g. `app.webank.example`. */
    readonly recordName: string;
    /** Public endpoint (load balancer DNS name) of the home region. */
    readonly primaryEndpoint: string;
    /** Public endpoint of the DR region; required for the dr stack's SECONDARY record. */
    readonly drEndpoint?: string;
    /** Path the health check requests. Default `/healthz`. */
    readonly healthCheckPath: string;
}

/** Everything about the platform on top of the network and the database. */
export interface PlatformSettings {
    /** EKS. */
    readonly cluster: ClusterSettings;
    /** Argo CD. */
    readonly gitops: GitOpsSettings;
    /** GitHub mirror. */
    readonly mirror: MirrorSettings;
    /** DNS failover; undefined when no hosted zone is configured (the plan says it is skipped). */
    readonly traffic?: TrafficSettings;
    /** E-mail addresses subscribed to the alert topic. */
    readonly alertEmails: readonly string[];
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const NODE_COUNT = { min: 1, max: 100 } as const;

/** Parses the platform section: cluster, Argo CD, mirror, DNS failover and alert recipients. */
export function parsePlatform(raw: RawStackConfig, problems: ProblemCollector): PlatformSettings | undefined {
    const before = problems.count;
    const get = (name: Parameters<RawStackConfig["get"]>[0], fallback: string) => raw.get(name) ?? fallback;
    const pattern = (
        name: Parameters<RawStackConfig["get"]>[0],
        value: string,
        re: RegExp,
        requirement: string,
    ) => {
        if (!re.test(value)) {
            problems.add(configKey(name), requirement, value);
        }
        return value;
    };

    for (const name of SECRET_KEYS) {
        if (raw.get(name) !== undefined && !(raw.secretKeys ?? []).includes(name)) {
            problems.add(
                configKey(name),
                `be set as a secret: pulumi config set --secret ${configKey(name)} <value>`,
                "[plain text, not shown]",
            );
        }
    }

    const version = pattern(
        "clusterVersion",
        get("clusterVersion", "1.33"),
        /^1\.\d{2}$/,
        "be a Kubernetes version such as 1.33",
    );
    const nodeInstanceType = pattern(
        "nodeInstanceType",
        get("nodeInstanceType", "m6i.large"),
        /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
        "be an EC2 instance type such as m6i.large",
    );
    const desired = wholeNumber(
        problems,
        configKey("nodeDesiredSize"),
        raw.get("nodeDesiredSize"),
        NODE_COUNT,
        3,
    );
    const min = wholeNumber(problems, configKey("nodeMinSize"), raw.get("nodeMinSize"), NODE_COUNT, 3);
    const max = wholeNumber(problems, configKey("nodeMaxSize"), raw.get("nodeMaxSize"), NODE_COUNT, 6);
    if (
        desired !== undefined &&
        min !== undefined &&
        max !== undefined &&
        !(min <= desired && desired <= max)
    ) {
        problems.add(
            configKey("nodeDesiredSize"),
            `be between ${configKey("nodeMinSize")} (${min}) and ${configKey("nodeMaxSize")} (${max})`,
            desired,
        );
    }
    const warmNodeCount = wholeNumber(
        problems,
        configKey("warmNodeCount"),
        raw.get("warmNodeCount"),
        NODE_COUNT,
        1,
    );
    const apiPublicAccessCidrs = jsonStringArray(
        problems,
        configKey("apiPublicAccessCidrs"),
        raw.get("apiPublicAccessCidrs"),
        (cidr) =>
            /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) && cidr !== "0.0.0.0/0"
                ? undefined
                : "be an IPv4 CIDR narrower than 0.0.0.0/0",
    );
    const adminRoleArns = jsonStringArray(
        problems,
        configKey("clusterAdminRoleArns"),
        raw.get("clusterAdminRoleArns"),
        (arn) => (IAM_ROLE_ARN.test(arn) ? undefined : "be an IAM role ARN"),
    );
    const kubernetesAccess = parseKubernetesAccess(problems, raw.get("kubernetesAccess"));
    const runnerPulumiSha256 = raw.get("runnerPulumiSha256");
    if (runnerPulumiSha256 !== undefined && !/^[0-9a-f]{64}$/.test(runnerPulumiSha256)) {
        problems.add(
            configKey("runnerPulumiSha256"),
            "be the 64 lower-case hex digits of the archive's SHA-256 (from the release's checksums file)",
            runnerPulumiSha256,
        );
    }

    const chartVersion = pattern(
        "argocdChartVersion",
        get("argocdChartVersion", "9.1.0"),
        /^\d+\.\d+\.\d+$/,
        "be an exact chart version such as 9.1.0 (pinned, never a range)",
    );
    const imageTag = pattern(
        "argocdImageTag",
        get("argocdImageTag", "v3.2.0"),
        /^v\d+\.\d+\.\d+$/,
        "be an exact Argo CD version such as v3.2.0",
    );
    const repoUrl = pattern(
        "platformRepoUrl",
        get("platformRepoUrl", "https://github.com/webank/platform.git"),
        GIT_URL,
        "be a Git URL (https://, ssh:// or git@)",
    );
    const mirrorRepoUrl = raw.get("mirrorRepoUrl");
    if (mirrorRepoUrl !== undefined) {
        pattern("mirrorRepoUrl", mirrorRepoUrl, GIT_URL, "be a Git URL (https://, ssh:// or git@)");
    }
    const source = oneOf(problems, configKey("gitSource"), raw.get("gitSource"), GIT_SOURCES, "github");
    if (source === "mirror" && mirrorRepoUrl === undefined) {
        problems.add(
            configKey("mirrorRepoUrl"),
            `be set when ${configKey("gitSource")} is mirror (push the newest bundle there first)`,
            undefined,
        );
    }
    const highAvailability = oneOf(
        problems,
        configKey("argocdHighAvailability"),
        raw.get("argocdHighAvailability"),
        ARGOCD_HA_MODES,
        "auto",
    );
    const revision = get("platformRepoRevision", "main");
    const path = get("platformRepoPath", "apps");
    const oidcObject = jsonObject(problems, configKey("argocdOidc"), raw.get("argocdOidc"));
    let oidc: GitOpsSettings["oidc"];
    if (oidcObject) {
        const { issuer, clientId } = oidcObject;
        if (typeof issuer !== "string" || !issuer.startsWith("https://")) {
            problems.add(`${configKey("argocdOidc")}.issuer`, "be an https:// issuer URL", issuer);
        }
        if (typeof clientId !== "string" || clientId.length === 0) {
            problems.add(`${configKey("argocdOidc")}.clientId`, "be the OIDC client id", clientId);
        }
        if (raw.get("argocdOidcClientSecret") === undefined) {
            problems.add(
                configKey("argocdOidcClientSecret"),
                `be set (as a secret) when ${configKey("argocdOidc")} is`,
                undefined,
            );
        }
        oidc = { issuer: String(issuer), clientId: String(clientId) };
    }

    const repository = pattern(
        "githubRepository",
        get("githubRepository", "webank/platform"),
        /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/,
        "be owner/name of a GitHub repository",
    );
    const tokenSecretArn = raw.get("githubTokenSecretArn");
    if (tokenSecretArn !== undefined) {
        pattern(
            "githubTokenSecretArn",
            tokenSecretArn,
            COMPLETE_SECRET_ARN,
            "be the complete ARN of a Secrets Manager secret, including the six-character suffix",
        );
    }

    const traffic = parseTraffic(raw, problems);
    const alertEmails = jsonStringArray(
        problems,
        configKey("alertEmails"),
        raw.get("alertEmails"),
        (email) => (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? undefined : "be an e-mail address"),
    );

    if (
        problems.count > before ||
        desired === undefined ||
        min === undefined ||
        max === undefined ||
        warmNodeCount === undefined ||
        !apiPublicAccessCidrs ||
        !adminRoleArns ||
        !kubernetesAccess ||
        !source ||
        !highAvailability ||
        !alertEmails
    ) {
        return undefined;
    }
    return {
        cluster: {
            version,
            nodeInstanceType,
            nodes: { desired, min, max },
            warmNodeCount,
            apiPublicAccessCidrs,
            adminRoleArns,
            kubernetesAccess,
            runnerPulumiSha256,
        },
        gitops: {
            chartVersion,
            imageTag,
            repoUrl,
            mirrorRepoUrl,
            source,
            revision,
            path,
            oidc,
            highAvailability,
        },
        mirror: { repository, tokenSecretArn },
        traffic,
        alertEmails,
    };
}

function parseTraffic(raw: RawStackConfig, problems: ProblemCollector): TrafficSettings | undefined {
    const zoneId = raw.get("dnsZoneId");
    if (zoneId === undefined) {
        for (const name of ["dnsRecordName", "primaryEndpoint", "drEndpoint"] as const) {
            if (raw.get(name) !== undefined) {
                problems.add(
                    configKey(name),
                    `be set only with ${configKey("dnsZoneId")} (DNS failover needs the hosted zone)`,
                    raw.get(name),
                );
            }
        }
        return undefined;
    }
    if (!/^Z[A-Z0-9]{1,31}$/.test(zoneId)) {
        problems.add(
            configKey("dnsZoneId"),
            "be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
            zoneId,
        );
    }
    const dnsName = (name: "dnsRecordName" | "primaryEndpoint" | "drEndpoint", required: boolean) => {
        const value = raw.get(name);
        if (value === undefined ? required : !DNS_NAME.test(value)) {
            problems.add(
                configKey(name),
                `be a DNS name${required ? ` (required with ${configKey("dnsZoneId")})` : ""}`,
                value,
            );
        }
        return value;
    };
    const recordName = dnsName("dnsRecordName", true);
    const primaryEndpoint = dnsName("primaryEndpoint", true);
    const drEndpoint = dnsName("drEndpoint", false);
    const healthCheckPath = raw.get("healthCheckPath") ?? "/healthz";
    if (!healthCheckPath.startsWith("/")) {
        problems.add(configKey("healthCheckPath"), "be a path starting with /", healthCheckPath);
    }
    return recordName && primaryEndpoint
        ? { zoneId, recordName, primaryEndpoint, drEndpoint, healthCheckPath }
        : undefined;
}

/** What `webank:drEndpoint` must be on an activated dr stack (the config parser and the failover's preflight say it alike). */
export const DR_ENDPOINT_RULE =
    "be set when the dr stack is activated with DNS failover (the SECONDARY record points at it)";

/** Whether DNS failover settings can serve an activated dr stack: none at all, or with a DR endpoint. */
export function activatedTrafficReady(traffic: TrafficSettings | undefined): boolean {
    return traffic === undefined || traffic.drEndpoint !== undefined;
}
