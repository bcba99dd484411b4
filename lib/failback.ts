/**
 * The primary stack's failback outputs' value when `webank:failback` is not set: no home-region
 * replica of the DR database is declared (stacks/primary-failback.ts). The failback reads it
 * back to check its up: once it has made the replica the home database, the key is removed.
 */
export const FAILBACK_NOT_SET =
    "not set: webank:failback is not set, so no home-region replica of the DR database is declared";
