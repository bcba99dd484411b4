import { ChangingCommand, runChangingCommand } from "../run/runner";
import type { ChangeRequest } from "./change-options";
import type { CommandContext } from "./definition";

/**
 * Runs a changing command through the one runner with the operator's change flags and the
 * process the CLI wired around it (ports, config, work directory, terminal, signals): every
 * command that changes anything starts here, so none of them can leave out the terminal's
 * confirmation or the signals by building the runner's settings itself.
 */
export function runInContext(
    command: ChangingCommand,
    change: ChangeRequest,
    context: CommandContext,
): Promise<number> {
    return runChangingCommand(command, {
        ports: context.ports,
        config: context.config,
        change,
        simulated: context.simulated,
        workDir: context.workDir,
        confirm: context.confirm,
        interrupts: context.interrupts,
    });
}
