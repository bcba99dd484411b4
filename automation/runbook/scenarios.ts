import { AssetClass } from "../../lib/objectives";

/**
 * The six disasters of the runbook, one definition each. `npm run runbook` renders
 * docs/runbook.md from them, the CLI takes its command descriptions from them, and a test
 * runs every command they name against the simulated account, so the runbook, the scripts
 * and the help text cannot drift apart.
 */

/**
 * One action of a recovery. `dr` is an `npm run dr --` command; `shell` any other exact
 * command. Placeholders are written `<name:example>`: the runbook prints `<name>`, the test
 * runs the command with the example.
 */
export interface RunbookStep {
    /** What the operator does and why, one or two sentences. */
    readonly say: string;
    /** Arguments after `npm run dr --`, e.g. `["restore", "db", "--restore-time", "<time:2026-11-25T02:30:00Z>"]`. */
    readonly dr?: readonly string[];
    /** True when the `dr` command changes something (the test runs it with `--dry-run`). */
    readonly changes?: boolean;
    /** True for a rehearsal: the runbook prints the command with `--dry-run`. */
    readonly rehearsal?: boolean;
    /** Any other exact command (aws, pulumi, kubectl, argocd, git). */
    readonly shell?: string;
}

/** Who decides, and how to choose between failing over and restoring in place. */
export interface Decision {
    /** Who takes the decision and who must be told. */
    readonly who: string;
    /** When to fail over to the DR region. */
    readonly failOverWhen: string;
    /** When to restore in place instead. */
    readonly restoreInPlaceWhen: string;
}

/** One disaster of the runbook. */
export interface Scenario {
    /** Stable id, e.g. `database-loss` (the runbook's anchor). */
    readonly id: string;
    /** Title, e.g. "Database loss or corruption". */
    readonly title: string;
    /** One line: what the recovery does (also the CLI's description of its command). */
    readonly summary: string;
    /** The asset classes whose objectives apply (config `objectives`), first the one that sets the RPO. */
    readonly objectives: readonly AssetClass[];
    /** How the disaster shows itself: alarms, status output, symptoms. */
    readonly detection: readonly string[];
    /**
     * True when the recovery may restore the database from the DR vault's newest copy (no
     * automated backups replicated): the runbook then gives that restore's RPO, the copy period plus the copy's delivery.
     * @default false
     */
    readonly drVaultFallback?: boolean;
    /** What is lost or down, and for whom. */
    readonly impact: string;
    /** The decision. */
    readonly decision: Decision;
    /** The recovery, in order. */
    readonly steps: readonly RunbookStep[];
    /** How to know it worked. */
    readonly verification: readonly string[];
    /** How to undo the recovery, or to return to the home region. */
    readonly rollback: readonly string[];
}

/**
 * A changing command twice: first as a rehearsal (printed with `--dry-run`), then for real.
 * Every change in the runbook is rehearsed first.
 */
function rehearsedThenRun(dr: readonly string[], rehearsal: string, run: string): RunbookStep[] {
    return [
        { say: rehearsal, dr, changes: true, rehearsal: true },
        { say: run, dr, changes: true },
    ];
}

/**
 * A rollback line the runbook replaces with the failback command's own steps, as its plan
 * names and describes them (automation/runbook/failback-steps.ts).
 */
export const FAILBACK_COMMAND_STEPS = "<the failback command's steps>";

/** The incident roles every decision names. */
const INCIDENT_LEAD = "the incident commander (on-call SRE lead)";

/** The disasters, in the order of the runbook. */
export const SCENARIOS: readonly Scenario[] = [
    {
        id: "region-outage",
        title: "EKS cluster or home-region outage",
        summary:
            "activate the DR stack: restore the database into the DR region (pilot light, warm) or promote its read replica (hot), bring the platform up, switch traffic",
        objectives: ["database", "cluster"],
        detection: [
            "Route 53 health check of the home endpoint failing; clients time out on the public name.",
            "AWS Health Dashboard event for the home region (EKS, EC2, RDS); EKS API unreachable (`kubectl get nodes` hangs).",
            "`npm run dr -- status` still answers from the DR region: it shows how much data a failover would lose.",
        ],
        drVaultFallback: true,
        impact: "Online banking is down for every customer until traffic is served from the DR region; writes after the restored point are lost: up to the database RPO with point-in-time restore from the replicated automated backups, up to the DR vault's copy period plus how late a copy may land when none are replicated and the failover falls back to the DR vault's newest snapshot (its WARNING says how old that point is); in the hot posture, the writes the read replica had not replayed when it was promoted (its ReplicaLag).",
        decision: {
            who: `${INCIDENT_LEAD} proposes; the head of platform engineering decides and informs the business continuity manager. Record the decision, the time and the projected RPO in the incident.`,
            failOverWhen:
                "the home region (or its EKS control plane) is impaired and AWS gives no recovery time inside the RTO, or the projected recovery in place exceeds the RTO.",
            restoreInPlaceWhen:
                "one component is lost but the region is healthy: use the scenario for that component instead (database, Argo CD, Helm release).",
        },
        steps: [
            {
                say: "Check the DR copies and note the projected data loss.",
                dr: ["status"],
            },
            {
                say: "Decide where the failover runs; this prints the dr stack's Kubernetes access. `direct` (Pulumi.dr.yaml sets it): from a machine that reaches the DR VPC (VPN, Direct Connect, or an address in webank:apiPublicAccessCidrs), since it waits for Argo CD through the cluster's private endpoint. `runner` (a warm or hot standby): add `--on-runner` to the failover commands below, and the dr stack's deploy runner runs it inside the DR VPC while this machine follows its log, journal and report from the DR region (a pilot light has no runner; `status` reports the projected RTO UNREACHABLE with `runner` access, as its simulation runs the failover from here):",
                shell: "pulumi config get -s dr webank:kubernetesAccess",
            },
            {
                say: "Rehearse: the plan, what preflight finds now, the projected RPO and RTO. Nothing changes. The dr stack's `webank:posture` decides what the failover does: pilot light builds the cluster and restores the database from the replicated backups, warm restores it and scales the running cluster up, hot promotes the cross-Region read replica `webank-db-replica` (no restore; `--restore-time` other than latest is refused) and projects the RPO from its CloudWatch ReplicaLag. In hot, a missing replica or an unknown lag is refused, changing nothing (to fail over from backups instead: `pulumi config set -s dr webank:posture warm`), and a lag above the database RPO is refused unless the decision maker accepts the loss: then add `--accept-rpo <minutes>` (whole minutes, at least the projected RPO) to the failover below, and record it in the incident.",
                dr: ["failover", "--restore-time", "latest"],
                changes: true,
                rehearsal: true,
            },
            {
                say: "Fail over. It asks before the first change; it resumes after the last completed step when run again.",
                dr: [
                    "failover",
                    "--restore-time",
                    "latest",
                    "--failure-time",
                    "<failure time:2026-11-25T02:58:00Z>",
                ],
                changes: true,
            },
            {
                say: "Read the report (measured RTO, achieved RPO, timeline) and attach it to the incident.",
                shell: "cat reports/failover-*.md",
            },
        ],
        verification: [
            "The failover ends with `failover complete` and its report says `Outcome: completed`.",
            "The `verify` step opened the restored database (in hot, the promoted replica) and found the home heartbeat near the restore point, the `webank:verifyTables` rows and the source's migration version; the report's achieved RPO is measured from that heartbeat. If `verify` failed, traffic was not switched: read its line (empty, stale, a table short, another schema) before choosing another restore point.",
            "The public name answers with the DR endpoint (the `switch-traffic` step checked it with Route 53).",
            "`npm run dr -- status` shows the dr stack activated; the restored database is backed up into the DR vault from now on.",
        ],
        rollback: [
            "Re-protect as soon as the home region answers: `npm run dr -- reprotect` sets `webank:failback` on the primary stack and runs its `pulumi up`, which creates `webank-db-home-<n>`, a read replica of the DR database in the home region, then waits until its ReplicaLag is within the database RPO. It touches neither traffic, nor the DR database, nor the failover lock; it asks first, is journaled and resumes when run again. From then on the DR region's writes are in the home region too.",
            "Fail back once Route 53 finds the home endpoint healthy, as a planned change in its own window: rehearse with `npm run dr -- failback --dry-run`, then run `npm run dr -- failback`. It refuses, changing nothing, without managed DNS failover, while the home endpoint's health check fails, before re-protection, when the home replica is further behind than the database RPO or its lag is unknown, and unless the dr stack's `webank:kubernetesAccess` is `direct` (the write freeze reaches the DR cluster with kubectl: run it from a machine that reaches the DR VPC). It asks first, is journaled, resumes after the last completed step when run again, and its report gives the write freeze (measured RTO) and the data lost (achieved RPO), which must be 0. Its steps, in order:",
            FAILBACK_COMMAND_STEPS,
            "The stale home database and the DR database are kept under their `-retired-<YYYYMMDDHHmm>` names with deletion protection on, and the primary and dr states from before the failback are in the artifact buckets under `stack-exports/<stack>/before-failback-<YYYYMMDDHHmm>.json`: retire them by hand once nobody needs them. A second failover can run as soon as the failback is complete.",
            "Only if no home replica can be made (re-protection fails in the home region), come home from the DR region's backups by hand instead, with writes frozen first (maintenance page), so no DR write is lost:",
            "Back up the DR database into the DR vault and copy it home: `aws backup start-backup-job --region <dr region> --backup-vault-name webank-vault --resource-arn <dbInstanceArn of dr> --iam-role-arn <backupRoleArn>`, then copy its recovery point (the job's `RecoveryPointArn`, from `aws backup describe-backup-job --region <dr region> --backup-job-id <backup job id>`) to the home vault: `aws backup start-copy-job --region <dr region> --recovery-point-arn <recovery point ARN> --source-backup-vault-name webank-vault --destination-backup-vault-arn <backupVaultArn of primary> --iam-role-arn <backupRoleArn>` (the DR backup plan already copies there on its schedule).",
            "Restore that copy in the home region beside the old primary (`aws rds restore-db-instance-from-db-snapshot --region <home region> --db-instance-identifier webank-db-failback --db-snapshot-identifier <copied recovery point ARN>` with the primary's subnet group and security group), check it, then rename it into `webank-db` as `restore db --cut-over` does (the old primary is renamed aside and kept).",
            "`pulumi up -s primary`, then release the traffic switch the failover holds (`aws route53 update-health-check --health-check-id <traffic switch id, from pulumi stack output dnsFailover -s primary> --no-inverted`): Route 53 answers with the home region within the record's TTL.",
            "Only then set `webank:activated false` on dr; the restored DR database is retained, never deleted. The home replica `webank-db-home-<n>` stays protected in the primary stack: to retire it, `pulumi state unprotect` its instance, remove `webank:failback` from the primary stack and `pulumi up -s primary` (the instance is retained in RDS; delete it there by hand when the failback is settled).",
            "Release the failover lock the failover kept: `npm run dr -- lock release --run-id <failover run id>` (the id is in the report and in `npm run dr -- lock status`; it is refused while that run still runs).",
        ],
    },
    {
        id: "argocd-loss",
        title: "Argo CD loss",
        summary: "Argo CD loss: import the newest (or a chosen) argocd admin export into the cluster",
        objectives: ["gitops"],
        detection: [
            "Alarm `No Argo CD export of <cluster> succeeded` on the alert topic (the export CronJob stopped).",
            "Argo CD UI or API gone, Applications missing or OutOfSync everywhere; `kubectl -n argocd get applications` empty.",
        ],
        impact: "No deployments or self-healing; running workloads keep serving. Application definitions and settings made since the export imported are lost.",
        decision: {
            who: `${INCIDENT_LEAD} decides; tell the application teams that deployments are frozen.`,
            failOverWhen: "never for Argo CD alone: the cluster and the data are intact.",
            restoreInPlaceWhen:
                "always: reinstall the chart if it is gone (an `up` of the primary stack from its deploy runner), then import the newest export taken while every Application was healthy.",
        },
        steps: [
            {
                say: "If the Argo CD release itself is gone, reinstall it from the program: the primary stack's deploy runner applies it from inside the VPC (the API endpoint is private), from the source it last deployed. From a machine that reaches the endpoint with webank:kubernetesAccess direct, `pulumi up -s primary` does the same.",
                shell: "aws codebuild start-build --region <home region:us-east-1> --project-name webank-primary-deploy --environment-variables-override name=WEBANK_COMMAND,value=up,type=PLAINTEXT",
            },
            ...rehearsedThenRun(
                ["restore", "argocd", "--context", "<kube context:webank-primary>"],
                "Rehearse the import: which export (newer ones of an unhealthy cluster are passed over and named), how old, which Applications it holds, how many exist now.",
                "Import it (never with --prune: nothing on the cluster is deleted).",
            ),
        ],
        verification: [
            "The command's verify step found every Application of the export on the cluster.",
            "`argocd app list` shows them Synced and Healthy after a sync.",
        ],
        rollback: [
            "The import only adds or updates Argo CD objects; to undo one, re-import an older export with `--export-key`.",
        ],
    },
    {
        id: "database-loss",
        title: "Database loss or corruption",
        summary:
            "database loss or corruption: point-in-time restore of the primary database to a new instance, verified; --cut-over renames it into place",
        objectives: ["database"],
        detection: [
            "RDS event or alarm: instance failed, storage full, or deleted; the application's database errors.",
            "Corruption: a bad migration or a faulty batch reported by the application team, with the time it started.",
        ],
        impact: "Payments and account views fail (loss) or serve wrong data (corruption). Restoring to a point before the corruption loses the writes after it.",
        decision: {
            who: `${INCIDENT_LEAD} with the database owner; the head of platform engineering approves the cut-over.`,
            failOverWhen: "the home region cannot run RDS: use the region outage scenario.",
            restoreInPlaceWhen:
                "the region is healthy: restore to a new instance at the last good time, check the data, then cut over.",
        },
        steps: [
            ...rehearsedThenRun(
                ["restore", "db", "--restore-time", "<last good time:2026-11-25T02:30:00Z>"],
                "Rehearse: the source, the new instance's name, the projected data loss.",
                "Restore to a new instance and wait for it; the damaged one is untouched.",
            ),
            {
                say: "Have the database owner check the restored data on the new instance's endpoint (printed by the command).",
            },
            {
                say: "Cut over to the instance that was checked (the restore prints this exact command): the damaged instance is renamed aside (kept) and the restored one takes its name, so clients reconnect to it.",
                dr: [
                    "restore",
                    "db",
                    "--cut-over",
                    "--restored-instance",
                    "<restored instance:printed by the restore>",
                ],
                changes: true,
            },
            {
                say: "Bring the primary stack's state in line, as the command prints (the provider tracks the instance by resource id): a refresh, then a preview, from the primary stack's deploy runner (a refresh reads the cluster's resources too, through its private endpoint; with webank:kubernetesAccess direct, `pulumi refresh -s primary && pulumi preview -s primary` from a machine that reaches it).",
                shell: "aws codebuild start-build --region <home region:us-east-1> --project-name webank-primary-deploy --environment-variables-override name=WEBANK_COMMAND,value=refresh,type=PLAINTEXT",
            },
        ],
        verification: [
            "The command's verify step saw the restored instance available with an endpoint and opened it: the home heartbeat near the restore point, the `webank:verifyTables` rows, the migration version (equal to the source's after a `latest` restore); after the cut-over, `webank-db` is the restored one.",
            "The application's health checks pass; `npm run dr -- status` shows the replicated backups following the restored instance.",
        ],
        rollback: [
            "Before the cut-over nothing changed for clients: keep or discard the restored instance.",
            "After it, the replaced instance `webank-db-replaced-<stamp>` is still there; to undo the cut-over, rename the restored one aside (`aws rds modify-db-instance --region <home region> --db-instance-identifier webank-db --new-db-instance-identifier webank-db-restored-<stamp> --apply-immediately`), then, once `aws rds wait db-instance-available --region <home region> --db-instance-identifier webank-db-restored-<stamp>` returns, the replaced one back (`aws rds modify-db-instance --region <home region> --db-instance-identifier webank-db-replaced-<stamp> --new-db-instance-identifier webank-db --apply-immediately`).",
        ],
    },
    {
        id: "bad-helm-release",
        title: "Bad Helm release",
        summary: "bad Helm release: list its history, or roll it back to a given revision",
        objectives: ["charts"],
        detection: [
            "Error rate or latency up right after a release; pods crash-looping; `helm status` shows failed or pending.",
        ],
        impact: "The service the release belongs to is degraded; no data is lost.",
        decision: {
            who: `${INCIDENT_LEAD} with the owning team; roll back first, investigate after.`,
            failOverWhen: "never: the release is as bad in the DR region.",
            restoreInPlaceWhen:
                "always. A release Argo CD renders is not a Helm release: revert the commit in Git (or `argocd app rollback <app> <id>`); `restore helm` is for Helm-managed releases such as Argo CD itself.",
        },
        steps: [
            {
                say: "List the release's history to find the last good revision.",
                dr: ["restore", "helm", "--release", "<release:argocd>", "--namespace", "<namespace:argocd>"],
            },
            ...rehearsedThenRun(
                [
                    "restore",
                    "helm",
                    "--release",
                    "<release:argocd>",
                    "--namespace",
                    "<namespace:argocd>",
                    "--revision",
                    "<revision:1>",
                    "--context",
                    "<kube context:webank-primary>",
                ],
                "Rehearse the rollback.",
                "Roll back (helm rollback --wait).",
            ),
        ],
        verification: [
            "The command's verify step saw the release deployed at a new revision that rolls back to the chosen one.",
            "Error rate and latency are back to normal.",
        ],
        rollback: [
            "A rollback is itself a revision: roll forward to the bad one's successor fix, or to any earlier revision, the same way.",
        ],
    },
    {
        id: "state-loss",
        title: "State loss or corruption",
        summary:
            "state loss or corruption: list a stack's state versions, or import an earlier one (the present state is saved first)",
        objectives: ["state"],
        detection: [
            "`pulumi preview` fails to read or parse the stack, or wants to create resources that exist.",
            "State object deleted or overwritten (S3 data events, or an operator's report).",
        ],
        impact: "No change can be made to the stack until its state is back; running resources are unaffected.",
        decision: {
            who: `${INCIDENT_LEAD}; freeze every pipeline that runs pulumi on the stack first.`,
            failOverWhen: "never for state alone.",
            restoreInPlaceWhen:
                "always: the state bucket is versioned and every version is kept; import the newest good one.",
        },
        steps: [
            {
                say: "List the versions of the stack's state (primary and dr live in the bootstrap bucket in the DR region).",
                dr: ["restore", "state", "--stack", "<stack:primary>"],
            },
            {
                say: "Rehearse the import of the newest version from before the loss.",
                dr: [
                    "restore",
                    "state",
                    "--stack",
                    "<stack:primary>",
                    "--version-id",
                    "<version id:from the listing>",
                ],
                changes: true,
                rehearsal: true,
            },
            {
                say: "Import it; the present state is saved to stack-exports/ first.",
                dr: [
                    "restore",
                    "state",
                    "--stack",
                    "<stack:primary>",
                    "--version-id",
                    "<version id:from the listing>",
                ],
                changes: true,
            },
            {
                say: "Bring the state up to date with what exists, and check nothing would be replaced. A stack with a cluster refreshes from its deploy runner (`aws codebuild start-build --region <its region> --project-name webank-<stack>-deploy --environment-variables-override name=WEBANK_COMMAND,value=refresh,type=PLAINTEXT`: a refresh reads the cluster through its private endpoint); a pilot-light dr stack has no cluster, and refreshes from here.",
                shell: "pulumi refresh -s <stack:primary> && pulumi preview -s <stack:primary>",
            },
        ],
        verification: [
            "The command's verify step exported the same number of resources as the chosen version.",
            "`pulumi preview` shows no creation of existing resources and no replacement.",
        ],
        rollback: [
            "Import the saved before-restore export (`stack-exports/<stack>/before-restore-<stamp>.json`) with `pulumi stack import`, or pick another version.",
        ],
    },
    {
        id: "github-loss",
        title: "GitHub loss or compromise",
        summary:
            "GitHub loss or compromise: push the newest (or a chosen, known-good) bundle to a new remote and repoint Argo CD",
        objectives: ["source"],
        detection: [
            "Alarms `A mirror build of github.com/<repo> failed` or `No mirror build ... succeeded` on the alert topic.",
            "GitHub outage or lost organisation access; for a compromise: unexpected commits, force-pushes or new deploy keys.",
        ],
        impact: "Argo CD cannot sync and no change can be released; after a compromise, whatever Argo CD synced from the attacker's commits runs.",
        decision: {
            who: `${INCIDENT_LEAD} with the security officer (a compromise is a security incident: preserve evidence first).`,
            failOverWhen: "never for the repository alone.",
            restoreInPlaceWhen:
                "GitHub stays unavailable beyond the RTO, or it is compromised: push a known-good bundle to a new, empty remote and repoint Argo CD.",
        },
        steps: [
            ...rehearsedThenRun(
                [
                    "restore",
                    "git",
                    "--remote",
                    "<new empty remote:https://git.example.org/webank/platform.git>",
                ],
                "Rehearse: the newest bundle and its age (after a compromise, choose the last bundle from before it with --bundle-key).",
                "Push it (branches, tags and notes, no force) and repoint Argo CD through the stack config: with the default `webank:kubernetesAccess` runner the command uploads the program with the repointed Pulumi.primary.yaml and has the stack's deploy runner run its `up` on exactly that upload.",
            ),
            {
                say: "Commit the repointed settings file (the mirror is the repository now): a later deploy of a commit without it would point Argo CD back at GitHub.",
                shell: 'git commit -m "Argo CD follows the mirror (restore git)" -- Pulumi.primary.yaml',
            },
        ],
        verification: [
            "The command's verify step found every branch and tag of the bundle on the new remote at the same commit.",
            "`pulumi stack output -s primary` and the root app `platform` follow the new remote; Argo CD syncs.",
        ],
        rollback: [
            'When GitHub is back and clean: `pulumi config set webank:gitSource github -s primary`, commit it, and deploy that commit from the stack\'s deploy runner (README, "Apply the Kubernetes resources from the deploy runner"); push what was committed to the mirror in between back to GitHub.',
        ],
    },
];

/** A scenario by id; throws naming the known ids. */
export function scenario(id: string): Scenario {
    const found = SCENARIOS.find((s) => s.id === id);
    if (!found) {
        throw new Error(`scenario must be one of ${SCENARIOS.map((s) => s.id).join(", ")}; got "${id}"`);
    }
    return found;
}
