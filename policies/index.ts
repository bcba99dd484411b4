// The policy pack the Pulumi CLI serves (`pulumi preview --policy-pack policies`) and that
// `npm run policy:check` serves the same way. Constructing it starts the analyzer server.
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("webank-dr", { enforcementLevel: "mandatory", policies: [...POLICIES] });
