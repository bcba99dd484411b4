import { ARGOCD_HA_MODES, ArgocdHaMode } from "../lib/argocd";
import { ProblemCollector } from "../lib/errors";
import { GIT_URL } from "../lib/git-url";
import { KUBERNETES_ACCESS_MODES, KubernetesAccess } from "../lib/kubernetes-access";
import { COMPLETE_SECRET_ARN } from "../lib/secret-arn";
import { CONFIG_DEFAULTS } from "./defaults";
import { configKey, RawStackConfig } from "./keys";
import { parseTraffic, TrafficSettings } from "./traffic";
import { jsonObject, jsonStringArray, oneOf, wholeNumber } from "./values";

/** Where Argo CD reads the platform repository from. */
export const GIT_SOURCES = ["github", "mirror"] as const;

/** `github` normally; `mirror` after a GitHub loss, once a bundle has been pushed to the mirror remote. */
export type GitSource = (typeof GIT_SOURCES)[number];

/** EKS cluster settings. */
export interface ClusterSettings {
    /**
     * `webank:clusterVersion`: Kubernetes version.
     * @default "1.33"
     */
    readonly version: string;
    /**
     * `webank:nodeInstanceType`: instance type of the managed node group.
     * @default "m6i.large"
     */
    readonly nodeInstanceType: string;
    /** Node group size when the cluster serves traffic. */
    readonly nodes: {
        /**
         * `webank:nodeDesiredSize`: nodes, between the minimum and the maximum.
         * @default 3
         */
        readonly desired: number;
        /**
         * `webank:nodeMinSize`: fewest nodes.
         * @default 3
         */
        readonly min: number;
        /**
         * `webank:nodeMaxSize`: most nodes.
         * @default 6
         */
        readonly max: number;
    };
    /**
     * `webank:warmNodeCount`: nodes kept by a `warm` DR cluster before activation.
     * @default 1
     */
    readonly warmNodeCount: number;
    /**
     * `webank:apiPublicAccessCidrs`: CIDRs allowed to reach the public API endpoint; empty
     * turns the public endpoint off.
     * @default []
     */
    readonly apiPublicAccessCidrs: readonly string[];
    /**
     * `webank:clusterAdminRoleArns`: IAM role ARNs given cluster-admin access entries.
     * @default []
     */
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
    /**
     * `webank:argocdChartVersion`: pinned argo-cd Helm chart version.
     * @default "9.1.0"
     */
    readonly chartVersion: string;
    /**
     * `webank:argocdImageTag`: Argo CD image tag used by the export job; keep it the chart's appVersion.
     * @default "v3.2.0"
     */
    readonly imageTag: string;
    /**
     * `webank:platformRepoUrl`: the platform repository on GitHub.
     * @default "https://github.com/webank/platform.git"
     */
    readonly repoUrl: string;
    /** `webank:mirrorRepoUrl`: the mirror remote that a bundle is pushed to on recovery; required when `source` is `mirror`. */
    readonly mirrorRepoUrl?: string;
    /**
     * `webank:gitSource`: which of the two Argo CD follows.
     * @default "github"
     */
    readonly source: GitSource;
    /**
     * `webank:platformRepoRevision`: branch, tag or commit of the root app.
     * @default "main"
     */
    readonly revision: string;
    /**
     * `webank:platformRepoPath`: path of the app-of-apps in the repository.
     * @default "apps"
     */
    readonly path: string;
    /** SSO issuer and client id; the client secret is the secret `webank:argocdOidcClientSecret`. */
    readonly oidc?: { readonly issuer: string; readonly clientId: string };
    /**
     * `webank:argocdHighAvailability`: whether Argo CD runs its HA values (redis-ha, replicated
     * server, repo server and ApplicationSet controller). `auto` derives it from the nodes the
     * cluster keeps (lib/argocd.ts).
     * @default "auto"
     */
    readonly highAvailability: ArgocdHaMode;
}

/** The GitHub mirror job. */
export interface MirrorSettings {
    /**
     * `webank:githubRepository`: `owner/name` of the platform repository on GitHub.
     * @default "webank/platform"
     */
    readonly repository: string;
    /**
     * `webank:githubTokenSecretArn`: Secrets Manager secret holding the mirror's GitHub token.
     * @default unset: a secret this stack creates, filled by hand
     */
    readonly tokenSecretArn?: string;
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
    /**
     * `webank:alertEmails`: e-mail addresses subscribed to the alert topic.
     * @default []
     */
    readonly alertEmails: readonly string[];
}

/**
 * `webank:kubernetesAccess` as the program reads it; the recovery commands and the simulation
 * read it the same way, so that a value the program would refuse is refused before they act.
 */
export function parseKubernetesAccess(
    problems: ProblemCollector,
    value: string | undefined,
): KubernetesAccess | undefined {
    return oneOf(
        problems,
        configKey("kubernetesAccess"),
        value,
        KUBERNETES_ACCESS_MODES,
        CONFIG_DEFAULTS.kubernetesAccess,
    );
}

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const NODE_COUNT = { min: 1, max: 100 } as const;

/** Parses the platform section: cluster, Argo CD, mirror, DNS failover and alert recipients. */
export function parsePlatform(raw: RawStackConfig, problems: ProblemCollector): PlatformSettings | undefined {
    const before = problems.count;
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

    const version = pattern(
        "clusterVersion",
        raw.get("clusterVersion") ?? CONFIG_DEFAULTS.clusterVersion,
        /^1\.\d{2}$/,
        "be a Kubernetes version such as 1.33",
    );
    const nodeInstanceType = pattern(
        "nodeInstanceType",
        raw.get("nodeInstanceType") ?? CONFIG_DEFAULTS.nodeInstanceType,
        /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
        "be an EC2 instance type such as m6i.large",
    );
    const desired = wholeNumber(
        problems,
        configKey("nodeDesiredSize"),
        raw.get("nodeDesiredSize"),
        NODE_COUNT,
        CONFIG_DEFAULTS.nodeDesiredSize,
    );
    const min = wholeNumber(
        problems,
        configKey("nodeMinSize"),
        raw.get("nodeMinSize"),
        NODE_COUNT,
        CONFIG_DEFAULTS.nodeMinSize,
    );
    const max = wholeNumber(
        problems,
        configKey("nodeMaxSize"),
        raw.get("nodeMaxSize"),
        NODE_COUNT,
        CONFIG_DEFAULTS.nodeMaxSize,
    );
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
        CONFIG_DEFAULTS.warmNodeCount,
    );
    const apiPublicAccessCidrs = jsonStringArray(
        problems,
        configKey("apiPublicAccessCidrs"),
        raw.get("apiPublicAccessCidrs"),
        (cidr) =>
            /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) && cidr !== "0.0.0.0/0"
                ? undefined
                : "be an IPv4 CIDR narrower than 0.0.0.0/0",
        CONFIG_DEFAULTS.apiPublicAccessCidrs,
    );
    const adminRoleArns = jsonStringArray(
        problems,
        configKey("clusterAdminRoleArns"),
        raw.get("clusterAdminRoleArns"),
        (arn) => (IAM_ROLE_ARN.test(arn) ? undefined : "be an IAM role ARN"),
        CONFIG_DEFAULTS.clusterAdminRoleArns,
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
        raw.get("argocdChartVersion") ?? CONFIG_DEFAULTS.argocdChartVersion,
        /^\d+\.\d+\.\d+$/,
        "be an exact chart version such as 9.1.0 (pinned, never a range)",
    );
    const imageTag = pattern(
        "argocdImageTag",
        raw.get("argocdImageTag") ?? CONFIG_DEFAULTS.argocdImageTag,
        /^v\d+\.\d+\.\d+$/,
        "be an exact Argo CD version such as v3.2.0",
    );
    const repoUrl = pattern(
        "platformRepoUrl",
        raw.get("platformRepoUrl") ?? CONFIG_DEFAULTS.platformRepoUrl,
        GIT_URL,
        "be a Git URL (https://, ssh:// or git@)",
    );
    const mirrorRepoUrl = raw.get("mirrorRepoUrl");
    if (mirrorRepoUrl !== undefined) {
        pattern("mirrorRepoUrl", mirrorRepoUrl, GIT_URL, "be a Git URL (https://, ssh:// or git@)");
    }
    const source = oneOf(
        problems,
        configKey("gitSource"),
        raw.get("gitSource"),
        GIT_SOURCES,
        CONFIG_DEFAULTS.gitSource,
    );
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
        CONFIG_DEFAULTS.argocdHighAvailability,
    );
    const revision = raw.get("platformRepoRevision") ?? CONFIG_DEFAULTS.platformRepoRevision;
    const path = raw.get("platformRepoPath") ?? CONFIG_DEFAULTS.platformRepoPath;
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
        raw.get("githubRepository") ?? CONFIG_DEFAULTS.githubRepository,
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
        CONFIG_DEFAULTS.alertEmails,
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
