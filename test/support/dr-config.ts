import { StackConfig } from "../../config/stack-config";
import { drStackConfig } from "../../automation/commands/dr-config";

/** The dr stack's config as the repository has it: no hosted zone, so DNS failover is not managed. */
export const DR_BASE = drStackConfig();

/**
 * The dr config with a hosted zone: DNS failover managed (a zone id in Route 53's format, the
 * two regions' load balancer names as ELB gives them).
 */
export const DR_WITH_DNS: StackConfig = {
    ...DR_BASE,
    platform: {
        ...DR_BASE.platform,
        traffic: {
            zoneId: "Z0123456789ABCDEFGHIJ",
            recordName: "app.webank.example",
            primaryEndpoint: "primary-alb.us-east-1.elb.amazonaws.com",
            drEndpoint: "dr-alb.us-west-2.elb.amazonaws.com",
            healthCheckPath: "/healthz",
        },
    },
};
