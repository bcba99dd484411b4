/*
 * The runbook's versions: what changed in each, for the people who use it. The runbook is
 * versioned so that an operator (and an auditor) can tell which procedure was in force.
 */

/** One release of the runbook. */
export interface RunbookChange {
    /** Package version the runbook was released with. */
    readonly version: string;
    /** Date (YYYY-MM-DD). */
    readonly date: string;
    /** What changed, for the people who use it. */
    readonly changes: readonly string[];
}

/** The runbook's changelog, newest first. Add an entry with every change to the scenarios. */
export const RUNBOOK_CHANGELOG: readonly RunbookChange[] = [
    {
        version: "0.7.0",
        date: "2026-12-06",
        changes: [
            "Re-protection after a failover is a command: `npm run dr -- reprotect` creates the home read replica of the DR database and waits until it is within the database RPO.",
            "Failback is a command: `npm run dr -- failback` freezes the DR platform's writes, promotes the home replica once it holds the last of them, gives it the home database's name (the stale one kept), makes the primary stack's state agree, brings the home platform up, checks the data, switches traffic home, returns dr to its posture and releases the failover lock; the runbook lists its steps as the command runs them. The manual path from the DR region's backups stays for when no home replica can be made.",
            "Traffic stays on DR after a failover whatever the home endpoint does: the failover holds the tool's Route 53 switch, and only failback releases it.",
            "The clusters are in AWS Backup (EKS composite recovery points: cluster state and volumes, copied to the other region's vault); `npm run dr -- restore cluster` restores the primary cluster's newest (or a named) point from the DR vault into the DR cluster, waits for the job and checks Argo CD's applications and the heartbeat CronJob. The cluster RPO is 300 minutes, the least AWS Backup's EKS snapshots and their copy allow.",
        ],
    },
    {
        version: "0.6.0",
        date: "2026-12-04",
        changes: [
            "A region failover in the hot posture promotes the DR region's read replica instead of restoring the database: its preflight reads the replica's CloudWatch ReplicaLag as the projected RPO, refuses a missing replica or an unknown lag (changing nothing), and refuses a lag above the database RPO unless `--accept-rpo <minutes>` accepts it; the promotion resumes when run again, never promoting twice.",
            "A failover can run inside the dr stack's deploy runner in the DR region (`failover --on-runner`, same arguments), followed from the operator's machine through the DR region only; the region-outage scenario says when to use it.",
            "The runbook shows the three postures side by side: what each keeps standing, the failover's projected RTO, the RPO and the standing monthly cost.",
        ],
    },
    {
        version: "0.5.0",
        date: "2026-12-03",
        changes: [
            "The verify step of `failover`, `drill` and `restore db` opens the restored database and checks its data: the home platform's heartbeat near the restore point, the rows of the `webank:verifyTables` tables, the `webank:verifyMigrations` version. An empty or stale restore fails it, and a failover then stops before traffic is switched.",
            "The achieved RPO in the reports is measured from the newest heartbeat the restored database holds, with AWS's restore point beside it.",
        ],
    },
    {
        version: "0.4.0",
        date: "2026-12-03",
        changes: [
            "`restore git` onto a stack whose Kubernetes resources its deploy runner applies (`webank:kubernetesAccess` runner, the primary stack's default) no longer runs `pulumi up` from the operator's machine, which the program refuses: it uploads the program with the repointed settings file to `deploy-sources/<stack>.zip` and has the runner run `up` on exactly that version. Commit the settings file afterwards (new step).",
            "Rolling back to GitHub deploys the committed setting from the deploy runner, not with `pulumi up` from outside.",
            "`restore git` pushes and verifies the repository's notes refs (`refs/notes/*`, e.g. change approvals attached to commits) as well as its branches and tags: they are in every bundle, and were dropped before.",
        ],
    },
    {
        version: "0.3.0",
        date: "2026-12-03",
        changes: [
            "`restore argocd` without `--export-key` imports the newest export taken while every Application was Healthy or Suspended: newer exports of a degraded or half-restored Argo CD are passed over, each named with the reason; `--export-key` still imports the export it names, with a WARNING when its cluster was not healthy.",
            "Reinstalling Argo CD and refreshing a stack with a cluster go through the stack's deploy runner (a CodeBuild start-build with WEBANK_COMMAND up or refresh): the API endpoints are private, so `pulumi up` or `refresh` from outside cannot reach them.",
            "A region failover is run from a machine that reaches the DR VPC, with `webank:kubernetesAccess` direct on the dr stack (Pulumi.dr.yaml sets it): otherwise the failover takes no lock and changes nothing, and `status` reports the projected RTO UNREACHABLE.",
            "A region failover with DNS failover managed refuses before the lock when the dr stack has no `webank:drEndpoint`, which the activated stack requires.",
            "Failover and `restore argocd` enable the stale-export alarm of the cluster whose exports they resume: on the DR standby it is declared without actions while its export job is suspended.",
        ],
    },
    {
        version: "0.2.0",
        date: "2026-12-02",
        changes: [
            "Every command refuses a typo, an unknown flag or a contradiction before it acts (exit 2, nothing written).",
            "The database cut-over is its own run: `restore db --cut-over --restored-instance <the instance you checked>`, as the restore prints it.",
            "Failback ends with `npm run dr -- lock release --run-id <failover run>`; `npm run dr -- lock status` says who holds the lock.",
            "Rehearsals (`--simulate`) keep their own persistent account under .journal/simulated/; `npm run dr -- simulate reset` starts it afresh.",
            "Failback's copy of the DR recovery point home (AWS Backup StartCopyJob) gives every argument the AWS CLI requires, and undoing a database cut-over names the instance each rename (RDS ModifyDBInstance) acts on: every AWS CLI command the runbook shows is now parsed by the AWS CLI in the tests.",
            "After a state import, refresh and preview the stack that was restored (`-s <stack>`), not always primary.",
            "A region failover that falls back to the DR vault (no automated backups replicated) states its own RPO, the DR vault's copy period, and how old the chosen point is: copies of continuous backups are snapshots, not point-in-time restores.",
        ],
    },
    {
        version: "0.1.0",
        date: "2026-11-25",
        changes: [
            "First runbook: six disasters, generated from automation/scenarios.ts, every command tested against the simulated account.",
        ],
    },
];
