import * as assert from "assert";
import {
    GetHealthCheckCommand,
    GetHealthCheckStatusCommand,
    HealthCheckVersionMismatch,
    ListResourceRecordSetsCommand,
    NoSuchHealthCheck,
    Route53Client,
    TestDNSAnswerCommand,
    UpdateHealthCheckCommand,
} from "@aws-sdk/client-route-53";
import { AwsClientStub } from "aws-sdk-client-mock";
import { mockInstance } from "../../../support/mock-client";
import { Route53Traffic } from "../../../../automation/adapters/aws/traffic";

const ZONE = "Z123EXAMPLE";
const NAME = "app.webank.example";
const meta = { $metadata: {} };
/** A health check id as Route 53 makes them: a UUID (CreateHealthCheck response, Route 53 API reference). */
const HEALTH_CHECK_ID = "abcdef11-2222-3333-4444-555555fedcba";

const records = [
    {
        Name: "app.webank.example.",
        Type: "CNAME" as const,
        SetIdentifier: "secondary",
        Failover: "SECONDARY" as const,
        HealthCheckId: "hc-dr",
    },
    {
        Name: "app.webank.example.",
        Type: "CNAME" as const,
        SetIdentifier: "primary",
        Failover: "PRIMARY" as const,
        HealthCheckId: HEALTH_CHECK_ID,
    },
    {
        Name: "www.webank.example.",
        Type: "CNAME" as const,
        SetIdentifier: "primary",
        Failover: "PRIMARY" as const,
        HealthCheckId: "hc-www",
    },
];

const observations = (statuses: string[]) => ({
    HealthCheckObservations: statuses.map((status, index) => ({
        Region: "us-east-1" as const,
        IPAddress: `15.177.0.${index}`,
        StatusReport: { Status: status },
    })),
});

/** The home endpoint's HTTPS check and the tool's switch under the gate (UUIDs, as Route 53 makes them). */
const ENDPOINT_ID = "abcdef11-2222-3333-4444-555555000001";
const SWITCH_ID = "abcdef11-2222-3333-4444-555555000002";

/** GetHealthCheck's answer for one check (Route 53 API reference, HealthCheck / HealthCheckConfig). */
const described = (id: string, config: Record<string, unknown>, version = 7) => ({
    HealthCheck: {
        Id: id,
        CallerReference: "ref",
        HealthCheckVersion: version,
        HealthCheckConfig: config as never,
    },
});

/** The gate components/traffic.ts declares, its endpoint check and its switch, `inverted` the switch's flag. */
function mockGate(
    route53: AwsClientStub<Route53Client>,
    inverted: boolean,
    gate?: Record<string, unknown>,
    switchConfig?: Record<string, unknown>,
) {
    route53.on(GetHealthCheckCommand, { HealthCheckId: HEALTH_CHECK_ID }).resolves(
        described(
            HEALTH_CHECK_ID,
            gate ?? {
                Type: "CALCULATED",
                HealthThreshold: 2,
                ChildHealthChecks: [ENDPOINT_ID, SWITCH_ID],
            },
        ),
    );
    route53
        .on(GetHealthCheckCommand, { HealthCheckId: ENDPOINT_ID })
        .resolves(described(ENDPOINT_ID, { Type: "HTTPS", FullyQualifiedDomainName: "home-alb.example" }));
    route53.on(GetHealthCheckCommand, { HealthCheckId: SWITCH_ID }).resolves(
        described(SWITCH_ID, {
            Type: "CALCULATED",
            HealthThreshold: 0,
            ChildHealthChecks: [],
            Inverted: inverted,
            ...switchConfig,
        }),
    );
}

describe("automation/aws/traffic: Route53Traffic", () => {
    let client: Route53Client;
    let route53: AwsClientStub<Route53Client>;
    const port = () => new Route53Traffic(client);
    beforeEach(() => {
        client = new Route53Client({ region: "us-east-1" });
        route53 = mockInstance(client);
        route53
            .on(ListResourceRecordSetsCommand)
            .resolves({ ResourceRecordSets: records, IsTruncated: false, MaxItems: 100 });
    });

    it("finds the PRIMARY record's gate, the endpoint's verdict and the switch's Inverted flag", async () => {
        route53
            .on(GetHealthCheckStatusCommand)
            .resolves(
                observations([
                    "Success: HTTP Status Code 200, OK",
                    "Success: HTTP Status Code 200, OK",
                    "Failure: Connection timed out",
                ]),
            );
        mockGate(route53, false);
        assert.deepStrictEqual(await port().trafficSwitch(ZONE, NAME), {
            gateId: HEALTH_CHECK_ID,
            endpoint: { id: ENDPOINT_ID, healthy: true },
            switchId: SWITCH_ID,
            heldOnDr: false,
        });
        const list = route53.commandCalls(ListResourceRecordSetsCommand)[0].args[0].input;
        assert.strictEqual(list.HostedZoneId, ZONE);
        assert.strictEqual(list.StartRecordName, NAME);
        assert.strictEqual(
            route53.commandCalls(GetHealthCheckStatusCommand)[0].args[0].input.HealthCheckId,
            ENDPOINT_ID,
            "the verdict is the endpoint's, never the gate's (which a held switch fails)",
        );
    });

    it("uses Route 53's own rule: healthy when more than 18% of checkers report success", async () => {
        mockGate(route53, true);
        const oneInFive = [
            "Success: HTTP Status Code 200",
            "Failure: a",
            "Failure: b",
            "Failure: c",
            "Failure: d",
        ];
        const oneInSix = [
            "Success: HTTP Status Code 200",
            "Failure: a",
            "Failure: b",
            "Failure: c",
            "Failure: d",
            "Failure: e",
        ];
        route53
            .on(GetHealthCheckStatusCommand)
            .resolvesOnce(observations(oneInFive))
            .resolvesOnce(observations(oneInSix))
            .resolves(observations([]));
        assert.strictEqual((await port().trafficSwitch(ZONE, NAME))?.endpoint.healthy, true);
        assert.strictEqual((await port().trafficSwitch(ZONE, NAME))?.endpoint.healthy, false);
        assert.strictEqual(
            (await port().trafficSwitch(ZONE, NAME))?.endpoint.healthy,
            false,
            "no observations is not healthy",
        );
        assert.strictEqual((await port().trafficSwitch(ZONE, NAME))?.heldOnDr, true);
    });

    for (const [what, gate] of [
        ["a plain endpoint check (a primary stack older than the switch)", { Type: "HTTPS" }],
        [
            "a gate with one child",
            { Type: "CALCULATED", HealthThreshold: 1, ChildHealthChecks: [ENDPOINT_ID] },
        ],
        [
            "a gate over two endpoint checks",
            { Type: "CALCULATED", HealthThreshold: 2, ChildHealthChecks: [ENDPOINT_ID, ENDPOINT_ID] },
        ],
        [
            "a gate over two switches",
            { Type: "CALCULATED", HealthThreshold: 2, ChildHealthChecks: [SWITCH_ID, SWITCH_ID] },
        ],
        [
            "a gate that needs only one of its children (a healthy home endpoint would outvote the switch)",
            { Type: "CALCULATED", HealthThreshold: 1, ChildHealthChecks: [ENDPOINT_ID, SWITCH_ID] },
        ],
        [
            "an inverted gate",
            {
                Type: "CALCULATED",
                HealthThreshold: 2,
                ChildHealthChecks: [ENDPOINT_ID, SWITCH_ID],
                Inverted: true,
            },
        ],
    ] as const) {
        it(`answers undefined (nothing to switch) for ${what}`, async () => {
            route53.on(GetHealthCheckStatusCommand).resolves(observations(["Success: ok"]));
            mockGate(route53, false, gate);
            assert.strictEqual(await port().trafficSwitch(ZONE, NAME), undefined);
        });
    }

    for (const [what, switchConfig] of [
        [
            "a switch with a threshold above its children (always unhealthy: Inverted would mean the opposite)",
            { HealthThreshold: 1 },
        ],
        [
            "a switch with children (it would follow them, not the recovery commands)",
            { ChildHealthChecks: [ENDPOINT_ID] },
        ],
    ] as const) {
        it(`answers undefined for ${what}`, async () => {
            route53.on(GetHealthCheckStatusCommand).resolves(observations(["Success: ok"]));
            mockGate(route53, false, undefined, switchConfig);
            assert.strictEqual(await port().trafficSwitch(ZONE, NAME), undefined);
        });
    }

    it("answers undefined when the name has no PRIMARY failover record (and stops at the next name)", async () => {
        route53.on(ListResourceRecordSetsCommand).resolves({
            ResourceRecordSets: [records[0], records[2]],
            IsTruncated: true,
            NextRecordName: "zzz.webank.example.",
            MaxItems: 2,
        });
        assert.strictEqual(await port().trafficSwitch(ZONE, NAME), undefined);
        assert.strictEqual(route53.commandCalls(ListResourceRecordSetsCommand).length, 1);
    });

    it("follows the record pages while they still list the name", async () => {
        route53
            .on(ListResourceRecordSetsCommand)
            .resolvesOnce({
                ResourceRecordSets: [records[0]],
                IsTruncated: true,
                NextRecordName: "app.webank.example.",
                NextRecordType: "CNAME",
                NextRecordIdentifier: "primary",
                MaxItems: 1,
            })
            .resolvesOnce({
                ResourceRecordSets: [records[1]],
                IsTruncated: true,
                NextRecordName: "www.webank.example.",
                NextRecordType: "CNAME",
                MaxItems: 1,
            });
        route53.on(GetHealthCheckStatusCommand).resolves(observations(["Success: ok"]));
        mockGate(route53, false);
        assert.strictEqual(
            (await port().trafficSwitch(ZONE, "APP.webank.example."))?.gateId,
            HEALTH_CHECK_ID,
        );
        const second = route53.commandCalls(ListResourceRecordSetsCommand)[1].args[0].input;
        assert.strictEqual(second.StartRecordIdentifier, "primary");
    });

    it("inverts the switch with its version, and leaves a flag already set alone", async () => {
        const off = described(SWITCH_ID, { Type: "CALCULATED", Inverted: false });
        const on = described(SWITCH_ID, { Type: "CALCULATED", Inverted: true }, 8);
        route53.on(GetHealthCheckCommand).resolvesOnce(off).resolves(on);
        route53.on(UpdateHealthCheckCommand).resolves({ HealthCheck: on.HealthCheck });
        await port().holdOnDr(SWITCH_ID, true);
        assert.deepStrictEqual(route53.commandCalls(UpdateHealthCheckCommand)[0].args[0].input, {
            HealthCheckId: SWITCH_ID,
            Inverted: true,
            HealthCheckVersion: 7,
        });
        await port().holdOnDr(SWITCH_ID, true);
        assert.strictEqual(
            route53.commandCalls(UpdateHealthCheckCommand).length,
            1,
            "a re-run changes nothing",
        );
    });

    it("says when the health check is missing or was changed meanwhile", async () => {
        route53
            .on(GetHealthCheckCommand, { HealthCheckId: "hc-gone" })
            .rejects(new NoSuchHealthCheck({ message: "no such", ...meta }));
        await assert.rejects(
            () => port().holdOnDr("hc-gone", true),
            /Route 53 health check hc-gone was not found; check it with: aws route53 get-health-check --health-check-id hc-gone/,
        );
        route53
            .on(GetHealthCheckCommand, { HealthCheckId: SWITCH_ID })
            .resolves(described(SWITCH_ID, { Type: "CALCULATED", Inverted: false }));
        route53
            .on(UpdateHealthCheckCommand)
            .rejects(new HealthCheckVersionMismatch({ message: "version", ...meta }));
        await assert.rejects(
            () => port().holdOnDr(SWITCH_ID, true),
            /the traffic switch abcdef11-2222-3333-4444-555555000002 was changed by someone else meanwhile; nothing was changed by this run.*run the same command again/,
        );
    });

    it("answers what Route 53 resolves the record to now", async () => {
        route53.on(TestDNSAnswerCommand).resolves({
            Nameserver: "ns-1.awsdns-01.org",
            RecordName: NAME,
            RecordType: "CNAME",
            RecordData: ["webank-dr-alb-123.us-west-2.elb.amazonaws.com."],
            ResponseCode: "NOERROR",
            Protocol: "UDP",
        });
        assert.strictEqual(await port().answer(ZONE, NAME), "webank-dr-alb-123.us-west-2.elb.amazonaws.com");
        assert.deepStrictEqual(route53.commandCalls(TestDNSAnswerCommand)[0].args[0].input, {
            HostedZoneId: ZONE,
            RecordName: NAME,
            RecordType: "CNAME",
        });
        route53.on(TestDNSAnswerCommand).resolves({
            RecordData: [],
            Nameserver: "n",
            RecordName: NAME,
            RecordType: "CNAME",
            ResponseCode: "NXDOMAIN",
            Protocol: "UDP",
        });
        assert.strictEqual(await port().answer(ZONE, NAME), undefined);
    });
});
