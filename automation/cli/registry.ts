import { backupDefinition } from "../commands/backup/definition";
import { AnyCommandDefinition } from "../commands/definition";
import { drillDefinition } from "../commands/drill/definition";
import { failbackDefinition } from "../commands/failback/definition";
import { failoverDefinition } from "../commands/failover/definition";
import { lockReleaseDefinition, lockStatusDefinition } from "../commands/lock/definition";
import { reprotectDefinition } from "../commands/reprotect/definition";
import { restoreArgocdDefinition } from "../commands/restore/argocd/definition";
import { restoreClusterDefinition } from "../commands/restore/cluster/definition";
import { restoreDbDefinition } from "../commands/restore/database/definition";
import { restoreGitDefinition } from "../commands/restore/git/definition";
import { restoreHelmDefinition } from "../commands/restore/helm/definition";
import { restoreStateDefinition } from "../commands/restore/state/definition";
import { simulateResetDefinition } from "../commands/simulate/definition";
import { statusDefinition } from "../commands/status/definition";

/**
 * Every command of `npm run dr`, in the order `--help` lists them. Importing a definition
 * must load nothing heavy: a command module loads its adapters, the simulation or the
 * benchmark only when it runs.
 */
export const COMMANDS: readonly AnyCommandDefinition[] = [
    statusDefinition,
    backupDefinition,
    failoverDefinition,
    reprotectDefinition,
    failbackDefinition,
    drillDefinition,
    restoreDbDefinition,
    restoreStateDefinition,
    restoreArgocdDefinition,
    restoreGitDefinition,
    restoreHelmDefinition,
    restoreClusterDefinition,
    lockStatusDefinition,
    lockReleaseDefinition,
    simulateResetDefinition,
];
