import { Netmask } from "netmask";

/** The subnet ranges of one VPC: a private and a public subnet per availability zone. */
export interface SubnetPlan {
    /** One large private range per AZ (workloads, databases, nodes). */
    readonly private: readonly string[];
    /** One small public range per AZ (load balancers and NAT gateways only). */
    readonly public: readonly string[];
}

/**
 * Splits a VPC range into `zones` private subnets of 1/8 of the VPC each, and `zones`
 * public subnets of 1/64 each carved out of the next free eighth. A /16 gives /19 private
 * and /22 public subnets. At most 7 zones fit.
 */
export function planSubnets(vpcCidr: string, zones: number): SubnetPlan {
    const vpc = new Netmask(vpcCidr);
    if (zones < 1 || zones > 7) {
        throw new RangeError(`zones must be from 1 to 7; got ${zones}`);
    }
    const eighth = new Netmask(`${vpc.base}/${vpc.bitmask + 3}`);
    const privateRanges = Array.from({ length: zones }, (_, i) => eighth.next(i).toString());
    const publicBase = eighth.next(zones);
    const small = new Netmask(`${publicBase.base}/${vpc.bitmask + 6}`);
    const publicRanges = Array.from({ length: zones }, (_, i) => small.next(i).toString());
    return { private: privateRanges, public: publicRanges };
}
