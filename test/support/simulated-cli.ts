import { main } from "../../automation/cli/main";

/**
 * The stack-file config of managed DNS failover, as production sets it: a zone id in Route 53's
 * format and the two regions' load balancer names as ELB gives them. Without it `status` says
 * NOT MANAGED and a failback is refused.
 */
export const DNS_STACK_CONFIG = {
    "webank:dnsZoneId": "Z0123456789ABCDEFGHIJ",
    "webank:dnsRecordName": "app.webank.example",
    "webank:primaryEndpoint": "primary-alb.us-east-1.elb.amazonaws.com",
    "webank:drEndpoint": "dr-alb.us-west-2.elb.amazonaws.com",
} as const;

/** What one command line of the simulated CLI returned. */
export interface CliResult {
    /** The exit code. */
    readonly code: number;
    /** stdout and stderr, interleaved as written. */
    readonly out: string;
}

/**
 * `npm run dr -- <argv> --simulate` in-process, against the persistent simulated account in
 * `workDir()`, with the stack files of `configRoot()` (@default the repository's own).
 */
export function simulatedCli(
    workDir: () => string,
    configRoot?: () => string,
): (...argv: string[]) => Promise<CliResult> {
    return async (...argv) => {
        let out = "";
        const sink = { write: (text: string) => ((out += text), true) };
        const code = await main([...argv, "--simulate"], {
            stdout: sink,
            stderr: sink,
            workDir: workDir(),
            ...(configRoot ? { configRoot: configRoot() } : {}),
            env: {},
            isTTY: false,
            exit: () => undefined,
        });
        return { code, out };
    };
}
