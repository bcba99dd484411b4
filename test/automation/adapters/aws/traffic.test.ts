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

const healthCheck = (inverted: boolean) => ({
    HealthCheck: {
        Id: HEALTH_CHECK_ID,
        CallerReference: "ref",
        HealthCheckVersion: 7,
        HealthCheckConfig: { Type: "HTTPS" as const, Inverted: inverted },
    },
});

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

    it("finds the PRIMARY record's health check, its verdict and its Inverted flag", async () => {
        route53
            .on(GetHealthCheckStatusCommand)
            .resolves(
                observations([
                    "Success: HTTP Status Code 200, OK",
                    "Success: HTTP Status Code 200, OK",
                    "Failure: Connection timed out",
                ]),
            );
        route53.on(GetHealthCheckCommand).resolves(healthCheck(false));
        assert.deepStrictEqual(await port().primaryHealthCheck(ZONE, NAME), {
            id: HEALTH_CHECK_ID,
            healthy: true,
            inverted: false,
        });
        const list = route53.commandCalls(ListResourceRecordSetsCommand)[0].args[0].input;
        assert.strictEqual(list.HostedZoneId, ZONE);
        assert.strictEqual(list.StartRecordName, NAME);
        assert.strictEqual(
            route53.commandCalls(GetHealthCheckStatusCommand)[0].args[0].input.HealthCheckId,
            HEALTH_CHECK_ID,
        );
    });

    it("uses Route 53's own rule: healthy when more than 18% of checkers report success", async () => {
        route53.on(GetHealthCheckCommand).resolves(healthCheck(true));
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
        assert.strictEqual((await port().primaryHealthCheck(ZONE, NAME))?.healthy, true);
        assert.strictEqual((await port().primaryHealthCheck(ZONE, NAME))?.healthy, false);
        assert.strictEqual(
            (await port().primaryHealthCheck(ZONE, NAME))?.healthy,
            false,
            "no observations is not healthy",
        );
        assert.strictEqual((await port().primaryHealthCheck(ZONE, NAME))?.inverted, true);
    });

    it("answers undefined when the name has no PRIMARY failover record (and stops at the next name)", async () => {
        route53.on(ListResourceRecordSetsCommand).resolves({
            ResourceRecordSets: [records[0], records[2]],
            IsTruncated: true,
            NextRecordName: "zzz.webank.example.",
            MaxItems: 2,
        });
        assert.strictEqual(await port().primaryHealthCheck(ZONE, NAME), undefined);
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
        route53.on(GetHealthCheckCommand).resolves(healthCheck(false));
        assert.strictEqual(
            (await port().primaryHealthCheck(ZONE, "APP.webank.example."))?.id,
            HEALTH_CHECK_ID,
        );
        const second = route53.commandCalls(ListResourceRecordSetsCommand)[1].args[0].input;
        assert.strictEqual(second.StartRecordIdentifier, "primary");
    });

    it("inverts the health check with its version, and leaves a flag already set alone", async () => {
        route53.on(GetHealthCheckCommand).resolvesOnce(healthCheck(false)).resolves(healthCheck(true));
        route53.on(UpdateHealthCheckCommand).resolves({ HealthCheck: healthCheck(true).HealthCheck });
        await port().invertHealthCheck(HEALTH_CHECK_ID, true);
        assert.deepStrictEqual(route53.commandCalls(UpdateHealthCheckCommand)[0].args[0].input, {
            HealthCheckId: HEALTH_CHECK_ID,
            Inverted: true,
            HealthCheckVersion: 7,
        });
        await port().invertHealthCheck(HEALTH_CHECK_ID, true);
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
            () => port().invertHealthCheck("hc-gone", true),
            /Route 53 health check hc-gone was not found; check it with: aws route53 get-health-check --health-check-id hc-gone/,
        );
        route53.on(GetHealthCheckCommand, { HealthCheckId: HEALTH_CHECK_ID }).resolves(healthCheck(false));
        route53
            .on(UpdateHealthCheckCommand)
            .rejects(new HealthCheckVersionMismatch({ message: "version", ...meta }));
        await assert.rejects(
            () => port().invertHealthCheck(HEALTH_CHECK_ID, true),
            /health check abcdef11-2222-3333-4444-555555fedcba was changed by someone else while inverting it; nothing was changed by this run.*run the same command again/,
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
