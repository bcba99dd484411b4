import * as policySdk from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";

/**
 * What `@pulumi/policy` (1.21, proxy.js) uses at runtime but marks `@internal`, so its
 * typings omit it: the unknown sentinels the engine sends for values not known in a
 * preview, the key that reads a proxy's plain target, and the error its proxy throws on an
 * unknown, which its server turns into an advisory "can't run policy during preview". Read
 * from the SDK itself, never retyped, so an SDK change shows here.
 */
const internals = proxyModule as unknown as Readonly<Record<string, string>>;

/** The sentinels, by kind (`unknownStringValue` is the one the engine sends for any unknown). */
export const UNKNOWN_SENTINELS: readonly string[] = [
    internals.unknownStringValue,
    internals.unknownBooleanValue,
    internals.unknownNumberValue,
    internals.unknownArrayValue,
    internals.unknownObjectValue,
    internals.unknownAssetValue,
    internals.unknownArchiveValue,
];

/** The sentinel of an unknown string: what the engine sends for any unknown input. */
export const UNKNOWN_STRING: string = internals.unknownStringValue;

/** The property that returns an unknown-checking proxy's target. */
export const PROXY_TARGET: string = internals.getSpecialProxyTarget;

/** The SDK's `UnknownValueError` class, typed. */
export const UnknownValueError = (
    policySdk as unknown as {
        UnknownValueError: new (sentinel: string, path: string[]) => Error;
    }
).UnknownValueError;

/** The SDK's `unknownCheckingProxy`, typed: how its server wraps every resource's props. */
export const unknownCheckingProxy = (
    policySdk as unknown as {
        unknownCheckingProxy: <T extends object>(props: T) => T;
    }
).unknownCheckingProxy;
