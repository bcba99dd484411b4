import { ProblemCollector } from "../lib/errors";
import { CONFIG_DEFAULTS } from "./defaults";
import { configKey, RawStackConfig } from "./keys";

/** A DNS name: labels of letters, digits and inner hyphens, a top-level label of letters. */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Route 53 failover, when a hosted zone is configured. */
export interface TrafficSettings {
    /** `webank:dnsZoneId`: hosted zone id. */
    readonly zoneId: string;
    /** `webank:dnsRecordName`: the name users resolve, e.g. `app.webank.example`. */
    readonly recordName: string;
    /** `webank:primaryEndpoint`: public endpoint (load balancer DNS name) of the home region. */
    readonly primaryEndpoint: string;
    /** `webank:drEndpoint`: public endpoint of the DR region; required for the dr stack's SECONDARY record. */
    readonly drEndpoint?: string;
    /**
     * `webank:healthCheckPath`: path the health check requests.
     * @default "/healthz"
     */
    readonly healthCheckPath: string;
}

/**
 * The DNS failover keys: `undefined` when `webank:dnsZoneId` is unset (the other DNS keys are
 * then refused), else the records' names and the health check path.
 */
export function parseTraffic(raw: RawStackConfig, problems: ProblemCollector): TrafficSettings | undefined {
    const zoneId = raw.get("dnsZoneId");
    if (zoneId === undefined) {
        for (const name of ["dnsRecordName", "primaryEndpoint", "drEndpoint"] as const) {
            if (raw.get(name) !== undefined) {
                problems.add(
                    configKey(name),
                    `be set only with ${configKey("dnsZoneId")} (DNS failover needs the hosted zone)`,
                    raw.get(name),
                );
            }
        }
        return undefined;
    }
    if (!/^Z[A-Z0-9]{1,31}$/.test(zoneId)) {
        problems.add(
            configKey("dnsZoneId"),
            "be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
            zoneId,
        );
    }
    const dnsName = (name: "dnsRecordName" | "primaryEndpoint" | "drEndpoint", required: boolean) => {
        const value = raw.get(name);
        if (value === undefined ? required : !DNS_NAME.test(value)) {
            problems.add(
                configKey(name),
                `be a DNS name${required ? ` (required with ${configKey("dnsZoneId")})` : ""}`,
                value,
            );
        }
        return value;
    };
    const recordName = dnsName("dnsRecordName", true);
    const primaryEndpoint = dnsName("primaryEndpoint", true);
    const drEndpoint = dnsName("drEndpoint", false);
    const healthCheckPath = raw.get("healthCheckPath") ?? CONFIG_DEFAULTS.healthCheckPath;
    if (!healthCheckPath.startsWith("/")) {
        problems.add(configKey("healthCheckPath"), "be a path starting with /", healthCheckPath);
    }
    return recordName && primaryEndpoint
        ? { zoneId, recordName, primaryEndpoint, drEndpoint, healthCheckPath }
        : undefined;
}

/** What `webank:drEndpoint` must be on an activated dr stack (the config parser and the failover's preflight say it alike). */
export const DR_ENDPOINT_RULE =
    "be set when the dr stack is activated with DNS failover (the SECONDARY record points at it)";

/** Whether DNS failover settings can serve an activated dr stack: none at all, or with a DR endpoint. */
export function activatedTrafficReady(traffic: TrafficSettings | undefined): boolean {
    return traffic === undefined || traffic.drEndpoint !== undefined;
}
