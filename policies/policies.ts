import * as backup from "./backup";
import * as dynamodb from "./dynamodb";
import * as eks from "./eks";
import * as protection from "./protection";
import * as rds from "./rds";
import * as s3 from "./s3";

/** Every policy of the pack, one exported const each in its service's file. */
export const POLICIES = [
    ...Object.values(rds),
    ...Object.values(s3),
    ...Object.values(dynamodb),
    ...Object.values(backup),
    ...Object.values(eks),
    protection.statefulResourcesProtected,
];
