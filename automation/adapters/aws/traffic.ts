import {
    GetHealthCheckCommand,
    GetHealthCheckStatusCommand,
    HealthCheckConfig,
    ListResourceRecordSetsCommand,
    ResourceRecordSet,
    Route53Client,
    TestDNSAnswerCommand,
    UpdateHealthCheckCommand,
} from "@aws-sdk/client-route-53";
import type { TrafficPort, TrafficSwitchState } from "../../traffic-ports";
import { isAwsError, messageOf } from "./retry";

/**
 * The region Route 53's API is signed for. Route 53 is global, but its control plane (the
 * API that changes records and health checks) runs in us-east-1, while health checking and
 * DNS answers are its data plane, served everywhere. That is why the failover switch is a
 * switch's `Inverted` flag (automation/traffic-ports.ts) and the records stay as they are: when us-east-1 is
 * impaired, the data plane still fails over on its own when the PRIMARY's health check
 * fails; only the manual switch needs the control plane.
 */
export const ROUTE53_REGION = "us-east-1";

/**
 * Route 53 treats an endpoint as healthy when more than 18% of its health checkers report
 * it healthy (so a checker region cut off from the endpoint cannot fail it over alone).
 * The port's "healthy" is Route 53's own verdict, so it uses the same rule, not a majority.
 */
export const HEALTHY_CHECKER_SHARE = 0.18;

/** {@link TrafficPort} over Route 53. */
export class Route53Traffic implements TrafficPort {
    constructor(private readonly route53: Route53Client) {}

    /**
     * The PRIMARY failover record of `recordName`, its gate (a CALCULATED check needing both of
     * its two children, not inverted) and the gate's children: the endpoint check (any type but
     * CALCULATED), with the checkers' verdict, and the switch (CALCULATED, no children,
     * HealthThreshold 0), with its Inverted flag. Undefined when the record or that shape is
     * missing: any other shape would not keep traffic where the switch says.
     */
    public async trafficSwitch(zoneId: string, recordName: string): Promise<TrafficSwitchState | undefined> {
        const gateId = (await this.primaryRecord(zoneId, recordName))?.HealthCheckId;
        if (!gateId) {
            return undefined;
        }
        const gate = await this.config(gateId);
        const children = gate.Type === "CALCULATED" ? (gate.ChildHealthChecks ?? []) : [];
        // Only an AND of both children, not turned over, lets the switch alone fail the gate.
        if (children.length !== 2 || gate.HealthThreshold !== 2 || gate.Inverted) {
            return undefined;
        }
        const configs = await Promise.all(
            children.map(async (id) => ({ id, config: await this.config(id) })),
        );
        // HealthThreshold 0 is "always healthy" (CreateHealthCheck API reference), so Inverted alone decides.
        const switches = configs.filter(
            (c) =>
                c.config.Type === "CALCULATED" &&
                !c.config.ChildHealthChecks?.length &&
                (c.config.HealthThreshold ?? 0) === 0,
        );
        const endpoints = configs.filter((c) => c.config.Type !== "CALCULATED");
        if (switches.length !== 1 || endpoints.length !== 1) {
            return undefined;
        }
        const endpointId = endpoints[0].id;
        const status = await this.route53
            .send(new GetHealthCheckStatusCommand({ HealthCheckId: endpointId }))
            .catch((error: unknown) => {
                throw this.healthCheckError(endpointId, error);
            });
        const reports = status.HealthCheckObservations ?? [];
        const successes = reports.filter((o) => o.StatusReport?.Status?.startsWith("Success")).length;
        return {
            gateId,
            endpoint: {
                id: endpointId,
                healthy: reports.length > 0 && successes / reports.length > HEALTHY_CHECKER_SHARE,
            },
            switchId: switches[0].id,
            heldOnDr: switches[0].config.Inverted ?? false,
        };
    }

    /**
     * Sets the switch's Inverted flag; a flag already as asked is left alone, so a re-run
     * changes nothing. The version check makes a concurrent edit fail, not be lost.
     */
    public async holdOnDr(switchId: string, held: boolean): Promise<void> {
        const { HealthCheck } = await this.route53
            .send(new GetHealthCheckCommand({ HealthCheckId: switchId }))
            .catch((error: unknown) => {
                throw this.healthCheckError(switchId, error);
            });
        if ((HealthCheck?.HealthCheckConfig?.Inverted ?? false) === held) {
            return;
        }
        try {
            await this.route53.send(
                new UpdateHealthCheckCommand({
                    HealthCheckId: switchId,
                    Inverted: held,
                    HealthCheckVersion: HealthCheck?.HealthCheckVersion,
                }),
            );
        } catch (error) {
            if (isAwsError(error, "HealthCheckVersionMismatch")) {
                throw new Error(
                    `the traffic switch ${switchId} was changed by someone else meanwhile; nothing was changed by this run. ` +
                        `Check it with: aws route53 get-health-check --health-check-id ${switchId}, then run the same command again`,
                    { cause: error },
                );
            }
            throw this.healthCheckError(switchId, error);
        }
    }

    /** A health check's configuration (GetHealthCheck). */
    private async config(id: string): Promise<HealthCheckConfig> {
        const { HealthCheck } = await this.route53
            .send(new GetHealthCheckCommand({ HealthCheckId: id }))
            .catch((error: unknown) => {
                throw this.healthCheckError(id, error);
            });
        return HealthCheck?.HealthCheckConfig ?? { Type: "HTTPS" };
    }

    /** What Route 53 answers for the record now, without a trailing dot (e.g. the DR load balancer's name). */
    public async answer(zoneId: string, recordName: string): Promise<string | undefined> {
        const type = (await this.primaryRecord(zoneId, recordName))?.Type ?? "CNAME";
        const { RecordData = [] } = await this.route53.send(
            new TestDNSAnswerCommand({ HostedZoneId: zoneId, RecordName: recordName, RecordType: type }),
        );
        return RecordData.length > 0 ? RecordData.map(withoutDot).join(", ") : undefined;
    }

    /** The PRIMARY failover record set of `recordName`: records are listed in name order, starting at the name. */
    private async primaryRecord(zoneId: string, recordName: string): Promise<ResourceRecordSet | undefined> {
        const wanted = normalize(recordName);
        let start: { name?: string; type?: string; identifier?: string } = { name: recordName };
        try {
            for (;;) {
                const page = await this.route53.send(
                    new ListResourceRecordSetsCommand({
                        HostedZoneId: zoneId,
                        StartRecordName: start.name,
                        ...(start.type ? { StartRecordType: start.type as ResourceRecordSet["Type"] } : {}),
                        ...(start.identifier ? { StartRecordIdentifier: start.identifier } : {}),
                    }),
                );
                const sets = page.ResourceRecordSets ?? [];
                const primary = sets.find((s) => normalize(s.Name) === wanted && s.Failover === "PRIMARY");
                if (primary) {
                    return primary;
                }
                const pastTheName = sets.some((s) => normalize(s.Name) !== wanted);
                if (!page.IsTruncated || pastTheName) {
                    return undefined;
                }
                start = {
                    name: page.NextRecordName,
                    type: page.NextRecordType,
                    identifier: page.NextRecordIdentifier,
                };
            }
        } catch (error) {
            throw new Error(
                `the records of ${recordName} in hosted zone ${zoneId} could not be read: ${messageOf(error)}; check with: ` +
                    `aws route53 list-resource-record-sets --hosted-zone-id ${zoneId} --query "ResourceRecordSets[?Name=='${wanted}']"`,
                { cause: error },
            );
        }
    }

    private healthCheckError(id: string, error: unknown): Error {
        const what = isAwsError(error, "NoSuchHealthCheck")
            ? "was not found"
            : `could not be read: ${messageOf(error)}`;
        return new Error(
            `Route 53 health check ${id} ${what}; check it with: aws route53 get-health-check --health-check-id ${id}`,
            { cause: error },
        );
    }
}

/** Record names as Route 53 lists them: lower case, with the trailing dot. */
function normalize(name: string | undefined): string {
    const lower = (name ?? "").toLowerCase();
    return lower.endsWith(".") ? lower : `${lower}.`;
}

function withoutDot(value: string): string {
    return value.endsWith(".") ? value.slice(0, -1) : value;
}
