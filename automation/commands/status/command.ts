import type { CommandContext } from "../definition";
import { EXIT } from "../../run/refusal";
import type { StatusRequest } from "./request";
import { renderStatusText } from "./render";
import { gatherStatus } from "./report";

/**
 * `npm run dr -- status`: reads every row, prints the report, and exits 0 only when READY;
 * 1 when NOT READY or NOT MANAGED, so the scheduled run fails and alerts. In json format the
 * document is the only thing written to the output: the scheduled run redirects it to a file.
 */
export async function runStatus(request: StatusRequest, context: CommandContext): Promise<number> {
    const report = await gatherStatus(context);
    if (request.format === "json") {
        context.ports.output(JSON.stringify(report, null, 2));
    } else {
        renderStatusText(report).forEach((line) => context.ports.output(line));
    }
    return report.verdict === "ready" ? EXIT.done : EXIT.failed;
}
