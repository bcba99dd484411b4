import { CommandDefinition } from "../definition";

/**
 * `npm run dr -- simulate reset`: a fresh simulated account. The rehearsal's account and
 * journals (`.journal/simulated/`) go; its reports (`reports/simulated/`) stay, as records.
 * Touches nothing real; needs no `--yes` because nothing real can be lost.
 */
export const simulateResetDefinition: CommandDefinition<Record<string, never>> = {
    path: ["simulate", "reset"],
    summary:
        "start the simulated account afresh (its journals go; rehearsal reports stay); touches nothing real",
    options: {},
    needsPorts: false,
    parse: () => ({}),
    run: async (_request, context) => {
        const { resetSimulation } = await import("../../simulation/persistent");
        const removed = resetSimulation(context.workDir);
        context.ports.output(
            removed.length > 0
                ? `simulated account reset: removed ${removed.join(", ")}; the next --simulate run starts from a normal day`
                : "the simulated account was already fresh: nothing to remove",
        );
        return 0;
    },
};
