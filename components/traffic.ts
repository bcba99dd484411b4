import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import {
    FAILOVER_TTL_SECONDS,
    HEALTH_CHECK_FAILURE_THRESHOLD,
    HEALTH_CHECK_INTERVAL_SECONDS,
} from "../lib/dns-failover";

/** Which side of a Route 53 failover pair a record is. */
export type FailoverRole = "PRIMARY" | "SECONDARY";

/**
 * The failover record's TTL caches may hold an answer for, as a share of the RTO: 1/20, so
 * resolvers move to the healthy region within a small fraction of the objective.
 */
const TTL_SHARE_OF_RTO = 20;

/** HTTPS. */
const HTTPS_PORT = 443;

/** A hosted zone id as Route 53 prints it: `Z` then uppercase letters and digits. */
const ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;

/** One DNS label: 1–63 letters, digits and hyphens, not starting or ending with a hyphen. */
const DNS_LABEL_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A Route 53 health check path: starts with `/`, at most 255 characters, no whitespace. */
const HEALTH_CHECK_PATH_PATTERN = /^\/\S{0,254}$/;

/** Arguments of {@link TrafficFailover}. */
export interface TrafficFailoverArgs {
    /** `PRIMARY` for the home region's record, `SECONDARY` for the DR region's. */
    role: FailoverRole;
    /** Id of the public hosted zone that holds the record, e.g. `Z0123456789ABCDEFGHIJ`. */
    zoneId: string;
    /** The name clients use, e.g. `app.webank.example` (not the zone apex: a CNAME cannot live there). */
    recordName: string;
    /**
     * DNS name of this region's public endpoint, e.g. a load balancer's hostname. The record
     * is a CNAME to it, and the health check probes it over HTTPS with this name as Host and
     * SNI, so the endpoint must answer {@link TrafficFailoverArgs.healthCheckPath} for it.
     */
    target: string;
    /** Path the health check requests; any 2xx or 3xx answer is healthy. Default `/healthz`. */
    healthCheckPath?: string;
    /** Recovery time objective of the platform, in minutes: sets the record's TTL (see {@link failoverTtlSeconds}). */
    rtoMinutes: number;
}

/**
 * The TTL of a failover record for an RTO, in seconds: a twentieth of the RTO, so that
 * resolvers move to the healthy region within a small fraction of it, clamped to
 * {@link FAILOVER_TTL_SECONDS}. E.g. RTO 10 min: 30 s; RTO 15 min: 45 s; RTO 60 min: 60 s.
 */
export function failoverTtlSeconds(rtoMinutes: number): number {
    const share = Math.floor((rtoMinutes * 60) / TTL_SHARE_OF_RTO);
    return Math.min(FAILOVER_TTL_SECONDS.max, Math.max(FAILOVER_TTL_SECONDS.min, share));
}

/** True when `value` is a fully qualified DNS name (two or more labels, an optional final dot). */
function isDnsName(value: unknown): boolean {
    if (typeof value !== "string") {
        return false;
    }
    const name = value.endsWith(".") ? value.slice(0, -1) : value;
    const labels = name.split(".");
    return name.length <= 253 && labels.length >= 2 && labels.every((label) => DNS_LABEL_PATTERN.test(label));
}

/**
 * One side of DNS failover for the platform's public name: a Route 53 HTTPS health check of
 * this region's endpoint (fast checks, 3 failures to fail over), and a failover CNAME record
 * to that endpoint whose set identifier is the role in lowercase. The PRIMARY record follows a
 * calculated gate over that check and the recovery commands' traffic switch instead, so a
 * failover keeps traffic on DR until failback, whatever the home endpoint does. Route 53 answers with the
 * PRIMARY record while its health check passes and with the SECONDARY otherwise; the
 * SECONDARY is health-checked too, so Route 53 never sends clients to an unhealthy DR
 * region. The TTL follows the RTO (see {@link failoverTtlSeconds}).
 *
 * Declare one per region, both with the same zone and record name. When no zone is
 * configured the caller skips the component.
 */
export class TrafficFailover extends pulumi.ComponentResource {
    /** The health check of this region's endpoint. */
    public readonly healthCheck: aws.route53.HealthCheck;
    /**
     * PRIMARY only: the switch the recovery commands invert to hold traffic on DR, and the gate
     * over it and the endpoint's check that the record follows (automation/traffic-ports.ts).
     */
    public readonly trafficSwitch?: { switch: aws.route53.HealthCheck; gate: aws.route53.HealthCheck };
    /** The failover record. */
    public readonly record: aws.route53.Record;
    /** Id of the endpoint's health check (for a CloudWatch alarm on `AWS/Route53 HealthCheckStatus`). */
    public readonly healthCheckId: pulumi.Output<string>;
    /** The record's name, without a final dot. */
    public readonly recordFqdn: pulumi.Output<string>;
    /** The record's TTL, in seconds. */
    public readonly ttlSeconds: number;

    constructor(name: string, args: TrafficFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:traffic:TrafficFailover", name, {}, opts);
        const healthCheckPath = args.healthCheckPath ?? "/healthz";
        const problems = new ProblemCollector();
        const field = (argument: string) => `TrafficFailover(${name}).${argument}`;
        if (args.role !== "PRIMARY" && args.role !== "SECONDARY") {
            problems.add(field("role"), "be PRIMARY or SECONDARY", args.role);
        }
        if (typeof args.zoneId !== "string" || !ZONE_ID_PATTERN.test(args.zoneId)) {
            problems.add(
                field("zoneId"),
                'be a Route 53 hosted zone id: "Z" then uppercase letters and digits',
                args.zoneId,
            );
        }
        if (!isDnsName(args.recordName)) {
            problems.add(
                field("recordName"),
                "be a fully qualified DNS name such as app.webank.example",
                args.recordName,
            );
        }
        if (!isDnsName(args.target)) {
            problems.add(
                field("target"),
                "be the DNS name of this region's public endpoint, such as a load balancer hostname",
                args.target,
            );
        }
        if (typeof healthCheckPath !== "string" || !HEALTH_CHECK_PATH_PATTERN.test(healthCheckPath)) {
            problems.add(
                field("healthCheckPath"),
                'be a path starting with "/", at most 255 characters, without spaces',
                healthCheckPath,
            );
        }
        if (!Number.isInteger(args.rtoMinutes) || args.rtoMinutes < 1) {
            problems.add(field("rtoMinutes"), "be a positive whole number of minutes", args.rtoMinutes);
        }
        problems.throwIfAny(`Invalid arguments for TrafficFailover "${name}"`);

        const setIdentifier = args.role.toLowerCase();
        this.ttlSeconds = failoverTtlSeconds(args.rtoMinutes);

        this.healthCheck = new aws.route53.HealthCheck(
            `${name}-health`,
            {
                type: "HTTPS",
                fqdn: args.target,
                port: HTTPS_PORT,
                resourcePath: healthCheckPath,
                enableSni: true,
                requestInterval: HEALTH_CHECK_INTERVAL_SECONDS,
                failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
                measureLatency: false,
                tags: { Name: `${args.recordName} ${setIdentifier}` },
            },
            { parent: this },
        );

        // The PRIMARY follows a gate: healthy while the endpoint is AND the tool's switch is not
        // inverted, so a failover holds traffic on DR whatever the home endpoint does
        // (automation/traffic-ports.ts). The switch has no children and a HealthThreshold of 0:
        // "If you specify 0, Route 53 always considers this health check to be healthy" (Route 53
        // API reference, HealthCheckConfig HealthThreshold); its Inverted flag belongs to the
        // recovery commands, so an up never turns it back (ignoreChanges).
        if (args.role === "PRIMARY") {
            const trafficSwitch = new aws.route53.HealthCheck(
                `${name}-switch`,
                {
                    type: "CALCULATED",
                    childHealthchecks: [],
                    childHealthThreshold: 0,
                    invertHealthcheck: false,
                    tags: { Name: `${args.recordName} traffic switch (inverted: held on DR)` },
                },
                { parent: this, ignoreChanges: ["invertHealthcheck"] },
            );
            const gate = new aws.route53.HealthCheck(
                `${name}-gate`,
                {
                    type: "CALCULATED",
                    childHealthchecks: [this.healthCheck.id, trafficSwitch.id],
                    childHealthThreshold: 2,
                    tags: { Name: `${args.recordName} ${setIdentifier} gate` },
                },
                { parent: this },
            );
            this.trafficSwitch = { switch: trafficSwitch, gate };
        }

        this.record = new aws.route53.Record(
            `${name}-record`,
            {
                zoneId: args.zoneId,
                name: args.recordName,
                type: "CNAME",
                ttl: this.ttlSeconds,
                records: [args.target],
                setIdentifier,
                failoverRoutingPolicies: [{ type: args.role }],
                healthCheckId: (this.trafficSwitch?.gate ?? this.healthCheck).id,
            },
            { parent: this },
        );

        this.healthCheckId = this.healthCheck.id;
        this.recordFqdn = this.record.name.apply((recordName) => recordName.replace(/\.$/, ""));
        this.registerOutputs({
            healthCheckId: this.healthCheckId,
            recordFqdn: this.recordFqdn,
            ttlSeconds: this.ttlSeconds,
        });
    }
}
