/**
 * A complete Secrets Manager secret ARN: `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`.
 * Secrets Manager appends a hyphen and six random characters to the name in the ARN (Secrets
 * Manager user guide, "Secret ARN"); a partial ARN without them may name another secret whose
 * name merely starts the same, so it is refused.
 */
export const COMPLETE_SECRET_ARN =
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
