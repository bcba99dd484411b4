import {
    FAILOVER_TTL_SECONDS,
    HEALTH_CHECK_FAILURE_THRESHOLD,
    HEALTH_CHECK_INTERVAL_SECONDS,
} from "../../lib/dns-failover";

/**
 * What kind of number a duration is, so a reader knows how far to trust it: an average
 * AWS states, an example AWS's own guide uses, the longest AWS's own tooling waits (a
 * bound: the real time is usually shorter), a measurement someone published, a setting
 * (a default or this project's value), a number derived from others, or an assumption: the
 * source gives words, not a figure, and the number is this project's reading of them (the
 * benchmark prints which durations are assumed).
 */
export type DurationKind = "average" | "example" | "bound" | "measured" | "setting" | "derived" | "assumed";

/** A second citation: the page that explains what the time depends on. */
export interface DurationContext {
    /** Where it is said (URL). */
    readonly source: string;
    /** The sentence, as the page has it. */
    readonly quote: string;
}

/** One duration of the failover, with the citation it rests on. */
export interface FailoverDuration {
    /** How long it takes, in minutes. */
    readonly minutes: number;
    /** Where the number comes from (URL). */
    readonly source: string;
    /** The sentence of the source the number rests on, as the source has it. */
    readonly quote: string;
    /** How the number is derived from the quote, and what it leaves out. */
    readonly why: string;
    /** What kind of number it is. */
    readonly kind: DurationKind;
    /** A page that explains what the time depends on, when the number itself is a bound. */
    readonly context?: DurationContext;
}

/** The number of resources (providers included) in the `dr` stack's state before activation, for the refresh. */
export const DR_STACK_RESOURCES = {
    /**
     * Pilot light: provider, VPC and its default security group, 6 subnets, 4 route tables
     * and 6 associations, internet gateway, one NAT gateway and its address, flow log with its
     * log group, role and role policy, alert topic and its policy.
     */
    pilot: 28,
    /**
     * Warm: the pilot light plus the cluster (its IAM roles and attachments, log groups, launch
     * template, node group, add-on, API rule), the Kubernetes provider and StorageClass, Argo CD
     * and its export job and alarm, the deploy runner, and the DR backup plans of the volumes and of the
     * cluster itself (by ARN).
     */
    warm: 60,
    /**
     * Hot: warm plus the read replica and its subnet group, security group and parameter group,
     * the other zones' NAT gateways with their Elastic IPs, kept standing
     * (lib/network-layout.ts), and Argo CD's root app, synced before a failover;
     * test/automation/bench/program-dependencies.test.ts counts them.
     */
    hot: 60 + 4 + 4 + 1,
} as const;

/** Minutes of one AWS API call, the unit every small step is counted in. */
const API_CALL_MINUTES = 1 / 60;

/**
 * The durations the failover benchmark charges, each with the sentence it rests on. Where
 * AWS publishes no typical time (NAT gateway, RDS restore, EKS add-on) the number is the
 * longest AWS's own waiter waits, marked `bound`: conservative, and said so.
 */
export const FAILOVER_DURATIONS = {
    /** One AWS API request (describe, get, put, a DynamoDB conditional write). */
    awsApiCall: {
        minutes: API_CALL_MINUTES,
        source: "https://github.com/aws/aws-sdk-php/issues/499",
        quote: "Aws\\CloudFront\\CloudFrontClient->listCloudFrontOriginAccessIdentities take 984ms (!!)",
        why:
            "AWS publishes no latency for its control-plane APIs. The slowest call a user measured in this " +
            "AWS SDK issue (other calls: 180-493 ms) was 984 ms; we round it up to 1 s per call. Every port " +
            "call of the failover that is one request (and every Pulumi CLI call, which reads the S3 state " +
            "backend at least once) costs this.",
        kind: "measured",
    },
    /** Reading one resource of the stack during `pulumi refresh`. */
    pulumiRefreshRead: {
        minutes: API_CALL_MINUTES,
        source: "https://pulumi.com/docs/cli/commands/pulumi_refresh",
        quote: "This command compares the current stack’s resource state with the state known to exist in the actual cloud provider.",
        why:
            "Refresh reads every resource of the state from AWS: at least one read call per resource, so " +
            "resources x 1 API call (1 s). The dr stack holds 28 resources as a pilot light and 50 warm " +
            "(counted from an offline run of stacks/dr.ts). We count the reads one after the other although " +
            "the same page says refresh runs '(default 16)' operations at once: the difference stands for the " +
            "engine and provider start-up, for which there is no published figure.",
        kind: "derived",
    },
    /** Creating one NAT gateway (pilot activation adds one per zone). */
    natGateway: {
        minutes: 10,
        source: "https://docs.aws.amazon.com/cli/v1/reference/ec2/wait/nat-gateway-available.html",
        quote:
            "It will poll every 15 seconds until a successful state has been reached. This will exit with a " +
            "return code of 255 after 40 failed checks.",
        why:
            "AWS publishes no creation time for a NAT gateway. Its own waiter gives up after 40 checks 15 s " +
            "apart: 10 minutes, the longest AWS's tooling expects. We take that bound (conservative).",
        kind: "bound",
    },
    /** RDS point-in-time restore of the Multi-AZ PostgreSQL instance until `available`. */
    rdsPointInTimeRestore: {
        minutes: 30,
        source: "https://docs.aws.amazon.com/cli/latest/reference/rds/wait/db-instance-available.html",
        quote:
            "It will poll every 30 seconds until a successful state has been reached. This will exit with a " +
            "return code of 255 after 60 failed checks.",
        why:
            "AWS publishes no restore time: it depends on the snapshot restored and on the transaction logs " +
            "replayed up to the chosen time (see context). The RDS waiter gives up after 60 checks 30 s apart: " +
            "30 minutes, which we take (conservative for a small database; a large one or a long log replay " +
            "takes longer, and the failover itself allows 90 minutes).",
        kind: "bound",
        context: {
            source: "https://repost.aws/knowledge-center/rds-point-in-time-restore-issues",
            quote: "The length of the operation is based on the number of transaction logs.",
        },
    },
    /** EKS control plane creation (pilot only: a warm standby already has it). */
    eksControlPlane: {
        minutes: 15,
        source: "https://easontechtalk.com/unofficial-eks-cluster-creation-performance-across-aws-regions",
        quote: "US West (Oregon) us-west-2 899.90 15 minutes 00 seconds",
        why:
            "A user's measurement of EKS cluster creation in 21 regions with one configuration: 899.9 s in " +
            "us-west-2 (this project's DR region), between 792.85 s (eu-west-2) and 970.99 s (us-west-1). AWS " +
            "states an average of '9 minutes or less' (context), from 2021 and for the control plane alone; users " +
            "on the EKS roadmap report 14 minutes and 21 minutes end-to-end in Oregon. We take the measured " +
            "15 minutes in us-west-2: typical, not a bound.",
        kind: "measured",
        context: {
            source: "https://github.com/aws-samples/eks-workshop/pull/1101",
            quote: "enabling you to create a new EKS cluster control plane in 9 minutes or less, on average.",
        },
    },
    /** Launching the nodes of a managed node group (pilot: creation; warm: scale-up). */
    nodeLaunch: {
        minutes: 2,
        source: "https://github.com/aws/aws-eks-best-practices/blob/1712ffcdeb29405005cd71b3d1fffbfb18979f12/content/cluster-autoscaling/index.md",
        quote:
            "For example, if it takes 2 minutes to launch a node, changing the interval to 1 minute will result " +
            "a tradeoff of 6x reduced API calls for 38% slower scale ups.",
        why:
            "AWS publishes no creation time for a managed node group; its EKS best-practices guide uses 2 " +
            "minutes to launch a node as its example. Nodes of one group launch together, so creating the " +
            "group (pilot) or raising its desired size (warm) costs one launch.",
        kind: "example",
        context: {
            source: "https://github.com/aws/aws-eks-best-practices/blob/1712ffcdeb29405005cd71b3d1fffbfb18979f12/content/cluster-autoscaling/index.md",
            quote: "Nodes can take multiple minutes to become available, which can increase pod scheduling latency by an order of magnitude.",
        },
    },
    /** The EBS CSI driver add-on until ACTIVE (pilot only; created after the node group). */
    eksAddon: {
        minutes: 15,
        source: "https://github.com/aws-ia/terraform-aws-eks-blueprints/issues/642",
        quote: "this is the nature of what is typically experienced with these two addons when deploying a new cluster",
        why:
            "AWS publishes no creation time for an add-on. The EKS Blueprints maintainer answers a report that " +
            "on a new cluster the coredns add-on 'always take 15 minutes' and the EBS CSI one behaves alike " +
            "with the quote above: " +
            "typical, not a bound (a terraform-provider-aws user reports 'at least 15 minutes', context). The " +
            "add-on is created after the node group, so its pods can be scheduled at once; its own waiter " +
            "(the CLI's addon-active waiter: 60 checks 10 s apart) would give up at 10 minutes, shorter than what " +
            "users see.",
        kind: "measured",
        context: {
            source: "https://github.com/hashicorp/terraform-provider-aws/issues/27591",
            quote: "aws_eks_addon is taking at least 15 minutes to create addon and sometime hits timeout.",
        },
    },
    /** The Argo CD Helm release (pilot only: a warm standby has it). */
    argocdHelmInstall: {
        minutes: 5,
        source: "https://github.com/helm/helm-www/blob/05b8f4272712e771de02f0b7e4bf13c7fdb55dfe/content/en/docs/helm/helm_install.md",
        quote: "time to wait for any individual Kubernetes operation (like Jobs for hooks) (default 5m0s)",
        why:
            "components/argocd.ts installs the chart with atomic: true (which waits until its pods are ready) " +
            "and no timeout, so Helm waits up to its default of 5 minutes; we take that bound.",
        kind: "setting",
    },
    /**
     * Argo CD syncing a root app that the failover's `up` created (pilot and warm) until every
     * application is Healthy (`kubectl wait`). A hot standby's root app was synced before the
     * failover and nothing in it changes on activation, so its wait costs a call.
     */
    argocdSync: {
        minutes: 6,
        source: "https://github.com/argoproj/argo-cd/blob/03fd7573ce132b1cfd7d8c4a6e0bcb874e20b3df/docs/operator-manual/webhook.md",
        quote: "Argo CD polls Git repositories every three minutes to detect changes to the manifests.",
        why:
            "No webhook is configured in this project, so each level of the app-of-apps (the root app, then " +
            "the applications it creates) can wait up to one 3-minute polling interval: 2 x 3 = 6 minutes. " +
            "The start-up time of the workloads themselves is the platform's and is not modelled; nor is the " +
            "sync that may already run while the rest of the `up` finishes. A hot standby runs its root app " +
            "synced before the failover (stacks/platform.ts), so its failover waits for none of this.",
        kind: "derived",
    },
    /** A Route 53 record change until INSYNC on every Route 53 name server. */
    route53Propagation: {
        minutes: 1,
        source: "https://docs.amazonaws.cn/en_us/Route53/latest/DeveloperGuide/resource-record-sets-deleting.html",
        quote: "Changes generally propagate to all Route 53 name servers within 60 seconds.",
        why: "The SECONDARY record's creation waits for INSYNC: 60 seconds, as stated.",
        kind: "average",
    },
    /** Route 53 acting on the inverted health check: failure threshold x request interval. */
    healthCheckDetection: {
        minutes: (HEALTH_CHECK_FAILURE_THRESHOLD * HEALTH_CHECK_INTERVAL_SECONDS) / 60,
        source: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html",
        quote: "you can specify the interval between checks: every 10 seconds or every 30 seconds",
        why:
            "This project's health checks use the 10-second interval and a failure threshold of 3 " +
            "(components/traffic.ts): 3 x 10 s = 30 s before Route 53 treats the PRIMARY as unhealthy. We " +
            "assume an inverted check goes through the same threshold.",
        kind: "derived",
        context: {
            source: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html",
            quote: "Whether the endpoint responds to a number of consecutive health checks that you specify (the failure threshold)",
        },
    },
    /** Renaming an RDS instance until it answers under its new name (the cut-over of an in-place restore). */
    rdsRename: {
        minutes: 10,
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_RenameInstance.html",
        quote:
            "The new DNS name for the renamed DB instance becomes effective in about 10 minutes. The renamed DB " +
            "instance is not available until the new name becomes effective.",
        why: "The RDS user guide's own figure for a rename; the simulation charges it to each rename of the cut-over.",
        kind: "average",
    },
    /** Resolvers holding the old answer for the failover record's TTL. */
    dnsTtl: {
        minutes: FAILOVER_TTL_SECONDS.max / 60,
        source: "https://serverfault.com/questions/431853/how-long-does-it-take-for-a-route-53-cname-to-work",
        quote:
            "Note that caching DNS resolvers are outside the control of the Amazon Route 53 service and will " +
            "cache your resource record sets according to their time to live (TTL).",
        why:
            "The answer quotes the Route 53 FAQ. Resolvers keep the PRIMARY answer for up to the record's TTL, " +
            "at most FAILOVER_TTL_SECONDS.max = 60 s in this project (lib/dns-failover.ts); we take the maximum.",
        kind: "setting",
    },
    /**
     * Promoting the hot posture's cross-Region read replica to a standalone instance, until it
     * is `available` (instead of a point-in-time restore).
     */
    rdsReplicaPromotion: {
        minutes: 5,
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html",
        quote: "The promotion process can take several minutes or longer to complete, depending on the size of the read replica.",
        why:
            "AWS publishes no figure for a promotion, only the words quoted (it reboots the instance first). We " +
            "read 'several minutes' as 5: an assumption, not a measurement, and the benchmark says so. The " +
            "bound is the RDS waiter's 30 minutes (rdsPointInTimeRestore's source), which a large replica or " +
            "a long log replay can approach; no point-in-time restore is made.",
        kind: "assumed",
        context: {
            source: "https://docs.aws.amazon.com/cli/latest/reference/rds/wait/db-instance-available.html",
            quote:
                "It will poll every 30 seconds until a successful state has been reached. This will exit with a " +
                "return code of 255 after 60 failed checks.",
        },
    },
} as const satisfies Record<string, FailoverDuration>;

/** The name of one entry of {@link FAILOVER_DURATIONS}. */
export type FailoverDurationName = keyof typeof FAILOVER_DURATIONS;
