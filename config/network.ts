import { ProblemCollector } from "../lib/errors";
import { configKey, RawStackConfig } from "./keys";
import { cidrsOverlap, ipv4Cidr } from "./values";

/** VPCs are /16 to /20: room for three private and three public subnets. */
const VPC_PREFIX_LENGTHS = { min: 16, max: 20 } as const;

/** The two VPC ranges, which must not overlap so the VPCs can be peered. */
export function parseNetwork(
    raw: RawStackConfig,
    problems: ProblemCollector,
): { homeCidr: string; drCidr: string } | undefined {
    const homeCidr = ipv4Cidr(problems, configKey("homeVpcCidr"), raw.get("homeVpcCidr"), VPC_PREFIX_LENGTHS);
    const drCidr = ipv4Cidr(problems, configKey("drVpcCidr"), raw.get("drVpcCidr"), VPC_PREFIX_LENGTHS);
    if (homeCidr && drCidr && cidrsOverlap(homeCidr, drCidr)) {
        problems.add(
            configKey("drVpcCidr"),
            `not overlap ${configKey("homeVpcCidr")} ("${homeCidr}"), so the two VPCs can be peered`,
            drCidr,
        );
        return undefined;
    }
    return homeCidr && drCidr ? { homeCidr, drCidr } : undefined;
}
