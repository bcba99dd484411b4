import { AssetStatus, messageOf, ReportVerdict, STATUS_SCHEMA, StatusReport } from "./document";
import { copyRows } from "./probes";
import {
    dnsFailoverRow,
    drStackRow,
    failoverJournalRow,
    failoverLockRow,
    projectedRtoRow,
    StatusContext,
} from "./readiness";

/**
 * The verdict of a set of rows: `ready` when every row is ok; `not-managed` when the only
 * failure is DNS failover's NOT MANAGED (the one row with that verdict), so that a setup
 * without a hosted zone is told apart from a broken one; `not-ready` for any other failure.
 */
export function reportVerdict(assets: readonly AssetStatus[]): ReportVerdict {
    const failing = assets.filter((row) => row.verdict !== "ok");
    if (failing.length === 0) {
        return "ready";
    }
    return failing.every((row) => row.verdict === "NOT MANAGED") ? "not-managed" : "not-ready";
}

/**
 * Gathers every row (each lookup's failure is caught into its own row), then decides. Reads
 * only: no port method that changes anything is called, and no file is written.
 */
export async function gatherStatus(context: StatusContext): Promise<StatusReport> {
    const { ports, config } = context;
    const now = ports.now();
    let account: string | undefined;
    let accountError = "";
    try {
        account = await ports.identity.accountId();
    } catch (error) {
        accountError = messageOf(error);
    }
    const accountOf = () => {
        if (account === undefined) {
            throw new Error(
                `the AWS account id could not be read (${accountError}), so the bucket name is unknown; check: aws sts get-caller-identity`,
            );
        }
        return account;
    };
    const shown = (text: string) => (account === undefined ? text : text.split("<account>").join(account));
    const drStack = drStackRow(ports);
    const [copies, stack, ...readiness] = await Promise.all([
        copyRows(ports, config, accountOf, now),
        drStack,
        dnsFailoverRow(ports, config),
        failoverLockRow(context),
        failoverJournalRow(context),
        // The projection needs the posture, so it starts once the stack is read.
        drStack.then(({ stack: status }) => projectedRtoRow(config, status)),
    ]);
    const assets = [...copies, stack.row, ...readiness].map((row) => ({
        ...row,
        where: shown(row.where),
        check: shown(row.check),
    }));
    return {
        schema: STATUS_SCHEMA,
        generatedAt: now.toISOString(),
        prefix: config.prefix,
        homeRegion: config.homeRegion,
        drRegion: config.drRegion,
        account: account ?? null,
        drStack: stack.stack,
        assets,
        verdict: reportVerdict(assets),
        failing: assets.filter((row) => row.verdict !== "ok").map((row) => row.id),
    };
}
