import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { LogPage } from "../../deploy-ports";
import { isAwsError, messageOf } from "./retry";

/*
 * A CodeBuild build's log in CloudWatch Logs, read forward page by page (CloudWatch Logs API
 * reference, GetLogEvents): `startFromHead` reads from the oldest event, and each answer's
 * `nextForwardToken` reads on; "If you have reached the end of the stream, it returns the same
 * token you passed in". A build writes its stream only once it runs: before that GetLogEvents
 * fails with ResourceNotFoundException ("The specified log stream does not exist.").
 */

/** Pages read in one call at most: each holds up to 10,000 events or 1 MB (GetLogEvents limit). */
const MAX_PAGES = 50;

/** The events of `group`/`stream` after `nextToken` (from the start without it), up to the end of the stream. */
export async function readLogPages(
    logs: CloudWatchLogsClient,
    region: string,
    group: string,
    stream: string,
    nextToken?: string,
): Promise<LogPage> {
    const lines: string[] = [];
    let token = nextToken;
    for (let page = 0; page < MAX_PAGES; page++) {
        let answer;
        try {
            answer = await logs.send(
                new GetLogEventsCommand({
                    logGroupName: group,
                    logStreamName: stream,
                    startFromHead: true,
                    ...(token === undefined ? {} : { nextToken: token }),
                }),
            );
        } catch (error) {
            if (isAwsError(error, "ResourceNotFoundException")) {
                // Not written yet: the build is still queued or provisioning.
                return { lines, ...(token === undefined ? {} : { nextToken: token }) };
            }
            throw new Error(
                `the build log ${group}/${stream} could not be read: ${messageOf(error)}; read it with: ` +
                    `aws logs get-log-events --region ${region} --log-group-name ${group} --log-stream-name ${stream} --start-from-head`,
                { cause: error },
            );
        }
        // CodeBuild writes each output line as one event, its newline included.
        for (const event of answer.events ?? []) {
            lines.push((event.message ?? "").replace(/\r?\n$/, ""));
        }
        const next = answer.nextForwardToken;
        if (next === undefined || next === token) {
            return { lines, ...(next === undefined ? {} : { nextToken: next }) };
        }
        token = next;
    }
    return { lines, ...(token === undefined ? {} : { nextToken: token }) };
}
