import * as assert from "assert";
import {
    ChangeResourceRecordSetsCommand,
    CreateHealthCheckCommand,
    CreateHostedZoneCommand,
    GetHealthCheckCommand,
    Route53Client,
} from "@aws-sdk/client-route-53";
import { Route53Traffic, ROUTE53_REGION } from "../../../../automation/adapters/aws/traffic";
import { MotoServer, motoClientConfig, motoVersion, startMoto } from "../../../support/moto";
import { requirePeer } from "../../../support/peers";

const RECORD = "app.webank.example";

/**
 * Route53Traffic against moto's Route 53: finding the PRIMARY failover record among its
 * neighbours in ListResourceRecordSets' order, its gate and the gate's two children, and the
 * traffic switch (the switch check's Inverted flag, with its version). Gaps, kept with the mocks of traffic.test.ts: moto 5.2 has
 * no TestDNSAnswer (`answer`); its GetHealthCheckStatus answers one fixed `Success` observation
 * from us-east-1 whatever the endpoint, so the 18% healthy rule over many checkers is tested
 * there; and UpdateHealthCheck leaves HealthCheckVersion at 1, where
 * Route 53 "increments by 1 each time you update settings" (API reference, HealthCheck), so the
 * version check against a concurrent edit, and that a second call sends no update, are too.
 */
describe("automation/aws/traffic: Route53Traffic against moto (peer)", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let client: Route53Client;
    let zoneId = "";
    let checkId = "";
    let switchId = "";
    let gateId = "";

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        moto = await startMoto();
        client = new Route53Client(motoClientConfig(moto.endpoint, ROUTE53_REGION));
        const zone = await client.send(
            new CreateHostedZoneCommand({ Name: "webank.example", CallerReference: "z1" }),
        );
        zoneId = zone.HostedZone!.Id!.replace("/hostedzone/", "");
        const check = await client.send(
            new CreateHealthCheckCommand({
                CallerReference: "hc1",
                HealthCheckConfig: {
                    Type: "HTTPS",
                    FullyQualifiedDomainName: "primary-lb.us-east-1.elb.amazonaws.com",
                    Port: 443,
                    ResourcePath: "/healthz",
                    RequestInterval: 10,
                    FailureThreshold: 3,
                },
            }),
        );
        checkId = check.HealthCheck!.Id!;
        // The switch and the gate components/traffic.ts declares over it and the endpoint's check.
        const calculated = async (reference: string, children: string[], threshold: number) =>
            (
                await client.send(
                    new CreateHealthCheckCommand({
                        CallerReference: reference,
                        HealthCheckConfig: {
                            Type: "CALCULATED",
                            ChildHealthChecks: children,
                            HealthThreshold: threshold,
                        },
                    }),
                )
            ).HealthCheck!.Id!;
        switchId = await calculated("switch1", [], 0);
        gateId = await calculated("gate1", [checkId, switchId], 2);
        // The pair the stacks declare, and a neighbour that sorts before it.
        const failover = (role: "PRIMARY" | "SECONDARY", target: string, healthCheck?: string) => ({
            Action: "UPSERT" as const,
            ResourceRecordSet: {
                Name: RECORD,
                Type: "CNAME" as const,
                SetIdentifier: role.toLowerCase(),
                Failover: role,
                TTL: 60,
                ResourceRecords: [{ Value: target }],
                ...(healthCheck ? { HealthCheckId: healthCheck } : {}),
            },
        });
        await client.send(
            new ChangeResourceRecordSetsCommand({
                HostedZoneId: zoneId,
                ChangeBatch: {
                    Changes: [
                        {
                            Action: "UPSERT",
                            ResourceRecordSet: {
                                Name: `api.${RECORD}`,
                                Type: "A",
                                TTL: 60,
                                ResourceRecords: [{ Value: "192.0.2.10" }],
                            },
                        },
                        failover("SECONDARY", "dr-lb.us-west-2.elb.amazonaws.com"),
                        failover("PRIMARY", "primary-lb.us-east-1.elb.amazonaws.com", gateId),
                    ],
                },
            }),
        );
    });
    after(async () => {
        client?.destroy();
        await moto?.stop();
    });

    it("finds the PRIMARY record's gate, its endpoint check and its switch, whatever the case or trailing dot of the name", async () => {
        const traffic = new Route53Traffic(client);
        for (const name of [RECORD, `${RECORD}.`, RECORD.toUpperCase()]) {
            assert.deepStrictEqual(
                await traffic.trafficSwitch(zoneId, name),
                // moto's GetHealthCheckStatus answers one Success observation (see above).
                { gateId, endpoint: { id: checkId, healthy: true }, switchId, heldOnDr: false },
                name,
            );
        }
        assert.strictEqual(await traffic.trafficSwitch(zoneId, "other.webank.example"), undefined);
    });

    it("holds traffic on DR with the switch and releases it, as Route 53 stores the flag; the endpoint's check is never touched", async () => {
        const traffic = new Route53Traffic(client);
        const inverted = async (id: string) =>
            (await client.send(new GetHealthCheckCommand({ HealthCheckId: id }))).HealthCheck
                ?.HealthCheckConfig?.Inverted ?? false;
        await traffic.holdOnDr(switchId, true);
        assert.strictEqual(await inverted(switchId), true);
        await traffic.holdOnDr(switchId, true);
        assert.strictEqual(await inverted(switchId), true, "asking again leaves it inverted");
        assert.strictEqual((await traffic.trafficSwitch(zoneId, RECORD))?.heldOnDr, true);
        assert.strictEqual(await inverted(checkId), false);
        assert.strictEqual(await inverted(gateId), false);
        await traffic.holdOnDr(switchId, false);
        assert.strictEqual(await inverted(switchId), false);
    });
});
