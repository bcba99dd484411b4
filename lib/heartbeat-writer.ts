/*
 * The writer side of the database heartbeat (lib/heartbeat.ts holds the table, the roles and
 * the verdict): the names, images and schedule of the Kubernetes objects that write it, and the
 * exact scripts their containers run. Pure builders, so that a test runs the very scripts the
 * CronJob and the setup Job run (test/components/heartbeat-peer.test.ts) and
 * components/heartbeat.ts only wires them. Nothing here ever holds a secret's value: the
 * scripts read the values at run time, from files in a memory-backed volume.
 */
import { POSTGRES_PORT, rdsCaBundleUrl } from "./postgres";
import {
    HEARTBEAT_INSERT_SQL,
    HEARTBEAT_PERIOD_MINUTES,
    HEARTBEAT_READER_ROLE,
    HEARTBEAT_WRITER_ROLE,
    heartbeatSetupSql,
    verifierGrantSql,
} from "./heartbeat";
import { partitionOf } from "./regions";

/**
 * The namespace of the DR tooling's own workloads in each cluster, apart from Argo CD's (whose
 * Secrets `argocd admin export` reads): the heartbeat's service accounts and pods live here.
 */
export const HEARTBEAT_NAMESPACE = "webank-dr";

/** The writer CronJob's name (`kubectl -n webank-dr get cronjob heartbeat`). */
export const HEARTBEAT_CRONJOB_NAME = "heartbeat";

/** The writer's service account (its IRSA role may only `rds-db:connect` as the writer role). */
export const WRITER_SERVICE_ACCOUNT = "heartbeat-writer";

/** The setup Job's service account (its IRSA role reads the master and verifier secrets). */
export const SETUP_SERVICE_ACCOUNT = "heartbeat-setup";

/**
 * PostgreSQL's port (lib/postgres.ts). {@link writerTokenScript} writes it as digits, since an
 * IAM token is signed for one host and port and the project's check of every `aws` command
 * line (test/docs/aws-commands.test.ts) parses them as text.
 */
export { POSTGRES_PORT, rdsCaBundleUrl };

/**
 * Pinned images. The AWS CLI is the one components/argocd.ts runs; psql is PostgreSQL 15's
 * (libpq 15 speaks to a server of any later major version); python only reshapes JSON.
 */
export const HEARTBEAT_IMAGES = {
    awsCli: "public.ecr.aws/aws-cli/aws-cli:2.22.35",
    python: "python:3.13.1-alpine",
    psql: "postgres:15.10-alpine",
} as const;

/** The environment variable naming the directory (a memory-backed emptyDir) the scripts share files in. */
export const SECRETS_DIR_ENV = "HEARTBEAT_SECRETS_DIR";

/** Where the pods mount that directory. */
export const SECRETS_DIR = "/run/heartbeat";

/**
 * How long one heartbeat may run, in seconds: below the one-minute period, so a hung run is
 * killed before the next one is due (with concurrencyPolicy Forbid a hung run would otherwise
 * block every later one).
 */
export const WRITER_DEADLINE_SECONDS = 50;

/**
 * How late a heartbeat may start, in seconds: a run missed by more is skipped, the next minute
 * writes. At least 10: the CronJob controller checks every 10 seconds, and a smaller deadline
 * "may not be scheduled" (Kubernetes docs, "CronJob", Deadline for delayed Job start).
 */
export const WRITER_STARTING_DEADLINE_SECONDS = 30;

/**
 * The PutSecretValue ClientRequestToken (32 to 64 characters) of the one generated verifier
 * password. A version with this id can be created once: a second PutSecretValue with the same
 * token and another value fails ("you can't modify a secret version", Secrets Manager API
 * Reference, PutSecretValue ClientRequestToken), so two racing setup runs cannot both store a
 * password.
 */
export const VERIFIER_PASSWORD_VERSION = "webank-dr-verifier-password-generated-once";

/**
 * The CronJob schedule of one heartbeat a period: `* * * * *` for the one-minute period of
 * lib/heartbeat.ts, `*\/N * * * *` otherwise.
 */
export function heartbeatSchedule(periodMinutes: number = HEARTBEAT_PERIOD_MINUTES): string {
    if (!Number.isInteger(periodMinutes) || periodMinutes < 1 || periodMinutes > 30 || 60 % periodMinutes) {
        throw new RangeError(`a heartbeat period must divide an hour, 1 to 30 minutes; got ${periodMinutes}`);
    }
    return periodMinutes === 1 ? "* * * * *" : `*/${periodMinutes} * * * *`;
}

/**
 * The `rds-db:connect` resource of one database user: `arn:<partition>:rds-db:<region>:
 * <account>:dbuser:<DbiResourceId>/<user>` (RDS user guide, "Creating and using an IAM policy
 * for IAM database access"; Service Authorization Reference, Amazon RDS IAM Authentication,
 * resource type db-user). The DbiResourceId, not the instance identifier: a restored instance
 * gets a new one, so a policy never outlives the instance it was written for.
 */
export function rdsDbUserArn(region: string, accountId: string, resourceId: string, user: string): string {
    return `arn:${partitionOf(region)}:rds-db:${region}:${accountId}:dbuser:${resourceId}/${user}`;
}

/**
 * The ARN pattern of the secret named `name` in `region`: Secrets Manager appends a hyphen and
 * six random characters to the name, and `-??????` matches exactly those six, never a longer
 * name that merely starts the same (Secrets Manager user guide, "Limiting Access to Specific
 * Secrets"). A replica keeps the primary's name and ARN but for the region (user guide,
 * "Replicate AWS Secrets Manager secrets across Regions"), so the DR stack names its replica of
 * the verifier secret without reading the primary's state.
 */
export function secretArnPattern(region: string, accountId: string, name: string): string {
    return `arn:${partitionOf(region)}:secretsmanager:${region}:${accountId}:secret:${name}-??????`;
}

/**
 * A PostgreSQL string constant: single quotes, each quote inside doubled (PostgreSQL docs,
 * "Lexical Structure", String Constants). Backslashes are ordinary characters there under
 * `standard_conforming_strings = on`, the default since PostgreSQL 9.1 (RDS keeps it). A NUL
 * cannot be in a PostgreSQL string at all, so it is refused.
 */
export function pgLiteral(value: string): string {
    if (value.includes("\0")) {
        throw new RangeError("a PostgreSQL string constant cannot hold a NUL character");
    }
    return `'${value.replace(/'/g, "''")}'`;
}

/** One POSIX shell word: single quotes, each quote inside written `'\''`. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * A text as Kubernetes must be given it in a container's `command`, `args` or `env[].value`:
 * Kubernetes expands `$(VAR)` there and turns `$$` into `$` ("Define Dependent Environment
 * Variables"; k8s.io/kubernetes third_party/forked/golang/expansion), so every `$` is doubled
 * and the container receives `text` unchanged.
 */
export function kubernetesLiteral(text: string): string {
    return text.replace(/\$/g, "$$$$");
}

/** The one statement a heartbeat runs: lib/heartbeat.ts's insert with the writer's name as a literal. */
export function heartbeatInsertStatement(source: string): string {
    if (!HEARTBEAT_INSERT_SQL.includes("$1")) {
        throw new Error(`HEARTBEAT_INSERT_SQL has no $1 for the source: ${HEARTBEAT_INSERT_SQL}`);
    }
    return HEARTBEAT_INSERT_SQL.replace("$1", pgLiteral(source));
}

/**
 * The writer CronJob's init container (the AWS CLI): an IAM authentication token for the writer
 * role and the regional CA bundle, into the shared directory. `generate-db-auth-token` signs
 * locally with the pod's IRSA credentials (a SigV4 presigned URL, valid 15 minutes; RDS user
 * guide, "Connecting to your DB instance using IAM authentication and the AWS CLI"): nothing is
 * sent to RDS until psql connects. The token is written to a file, never printed.
 */
export function writerTokenScript(): string {
    return [
        "set -eu",
        "umask 077",
        `d="\${${SECRETS_DIR_ENV}:?}"`,
        'aws rds generate-db-auth-token --hostname "$PGHOST" --port 5432 --username "$PGUSER" --region "$AWS_REGION" > "$d/token"',
        'curl -fsS --retry 3 --max-time 20 -o "$d/ca.pem" "$RDS_CA_BUNDLE_URL"',
    ].join("\n");
}

/**
 * The writer CronJob's main container (psql): one insert, connected by the libpq environment
 * (PGHOST, PGPORT, PGDATABASE, PGUSER, PGSSLMODE=verify-full, PGSSLROOTCERT) with the password
 * (the IAM token) read from `$HEARTBEAT_SECRETS_DIR/token`. `-v ON_ERROR_STOP=1` and `set -e`:
 * any failure (a refused login, a certificate that does not verify, a missing table) exits
 * non-zero, and the Job fails.
 */
export function writerScript(statement: string): string {
    return [
        "set -eu",
        `PGPASSWORD="$(cat "\${${SECRETS_DIR_ENV}:?}/token")"`,
        "export PGPASSWORD",
        `psql -X -q -v ON_ERROR_STOP=1 -c ${shellQuote(statement)}`,
        'echo "heartbeat written to $PGDATABASE on $PGHOST as $PGUSER"',
    ].join("\n");
}

/**
 * What the setup Job runs as the database's master user, after the heartbeat schema and roles
 * of lib/heartbeat.ts: `GRANT rds_iam`, without which RDS does not accept an IAM token for the
 * writer (RDS user guide, "Creating a database account using IAM authentication", PostgreSQL).
 * then SELECT for the verifier on each of `verifiedTables` that exists (lib/heartbeat.ts
 * verifierGrantSql). The verifier's password is appended at run time, from its secret. Each
 * statement is safe to run again (re-granting a membership is only a notice).
 */
export function setupStatements(verifiedTables: readonly string[] = []): string[] {
    return [
        ...heartbeatSetupSql(),
        `GRANT rds_iam TO ${HEARTBEAT_WRITER_ROLE}`,
        ...verifierGrantSql(verifiedTables),
    ];
}

/** {@link setupStatements} as one script, each statement ended by `;` on its own line. */
export function setupSqlText(verifiedTables: readonly string[] = []): string {
    return setupStatements(verifiedTables)
        .map((statement) => `${statement};\n`)
        .join("");
}

/**
 * The setup Job's first init container (the AWS CLI): the master secret, the verifier secret and
 * the CA bundle, into the shared directory, never to the log.
 *
 * The verifier's password is generated ONCE and never rotated: only when the verifier secret
 * has no value yet (GetSecretValue answers ResourceNotFoundException for a secret without a
 * version), and only where the secret is writable (`VERIFIER_SECRET_WRITABLE=true`: the primary
 * stack; a replica is read-only). A re-run finds the value and reuses it. Rotating it would
 * break the one thing it is for: a database restored from before a rotation holds the old
 * password's hash, and the verifier could not log in to the very restores it must judge. After
 * storing, it reads the secret back, so whatever is current (a racing run's value) is what the
 * database gets.
 */
export function setupFetchScript(): string {
    return [
        "set -eu",
        "umask 077",
        `d="\${${SECRETS_DIR_ENV}:?}"`,
        'get() { aws secretsmanager get-secret-value --secret-id "$1" --query SecretString --output text; }',
        'get "$MASTER_SECRET_ID" > "$d/master.json"',
        'if ! get "$VERIFIER_SECRET_ID" > "$d/verifier.json" 2> "$d/verifier.err"; then',
        '    if ! grep -q "ResourceNotFoundException" "$d/verifier.err"; then cat "$d/verifier.err" >&2; exit 1; fi',
        '    if [ "${VERIFIER_SECRET_WRITABLE:-false}" != true ]; then',
        '        echo "the verifier secret $VERIFIER_SECRET_ID has no value here and this stack only reads it: the primary stack\'s setup Job stores it, once" >&2',
        "        exit 1",
        "    fi",
        '    echo "the verifier secret has no value yet: generating its password, once"',
        '    password="$(aws secretsmanager get-random-password --password-length 40 --exclude-punctuation --require-each-included-type --query RandomPassword --output text)"',
        `    printf '{"username":"%s","password":"%s"}' "${HEARTBEAT_READER_ROLE}" "$password" > "$d/new.json"`,
        "    unset password",
        `    aws secretsmanager put-secret-value --secret-id "$VERIFIER_SECRET_ID" --client-request-token ${VERIFIER_PASSWORD_VERSION} --secret-string "file://$d/new.json" --query VersionId --output text`,
        '    rm -f "$d/new.json"',
        '    get "$VERIFIER_SECRET_ID" > "$d/verifier.json"',
        "fi",
        'rm -f "$d/verifier.err"',
        'curl -fsS --retry 3 --max-time 20 -o "$d/ca.pem" "$RDS_CA_BUNDLE_URL"',
    ].join("\n");
}

/**
 * The setup Job's second init container (python): the JSON secrets into a pgpass file for the
 * master user (each `:` and `\` escaped, libpq "The Password File"), the master user's name,
 * and `setup.sql`: {@link setupSqlText} (from `HEARTBEAT_SETUP_SQL`) plus the verifier role's
 * password as a SCRAM-SHA-256 verifier in a quoted literal. PostgreSQL stores a password given
 * already SCRAM-encrypted as it is (docs, CREATE ROLE, PASSWORD), so the plaintext never
 * reaches the server, its logs or pg_stat_statements (which records utility statements,
 * `track_utility` on by default). The verifier is RFC 5802/7677 as PostgreSQL writes it
 * (src/common/scram-common.c): `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`.
 * A printable-ASCII password without spaces is its own SASLprep form, so the hash matches
 * what the server computes at login. Messages name what is wrong, never a value.
 */
export const SETUP_PREPARE_SCRIPT = `
import base64, hashlib, hmac, json, os, sys

d = os.environ["${SECRETS_DIR_ENV}"]
reader = os.environ["HEARTBEAT_VERIFIER_ROLE"]

def fail(message):
    print("heartbeat setup: " + message, file=sys.stderr)
    sys.exit(1)

def secret(name, what):
    try:
        with open(os.path.join(d, name), encoding="utf-8") as f:
            value = json.load(f)
    except (OSError, ValueError) as error:
        fail(what + " is not readable JSON (" + type(error).__name__ + ")")
    if not isinstance(value, dict):
        fail(what + " is not a JSON object")
    for key in ("username", "password"):
        if not isinstance(value.get(key), str) or not value[key]:
            fail(what + " has no " + key)
    return value

def write(name, text):
    fd = os.open(os.path.join(d, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)

def pgpass(field):
    return field.replace("\\\\", "\\\\\\\\").replace(":", "\\\\:")

def literal(text):
    if "\\0" in text:
        fail("a value holds a NUL character")
    return "'" + text.replace("'", "''") + "'"

def scram(password, iterations=4096):
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    stored = hashlib.sha256(hmac.new(salted, b"Client Key", hashlib.sha256).digest()).digest()
    server = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    b64 = lambda raw: base64.b64encode(raw).decode("ascii")
    return "SCRAM-SHA-256$%d:%s$%s:%s" % (iterations, b64(salt), b64(stored), b64(server))

master = secret("master.json", "the master secret")
verifier = secret("verifier.json", "the verifier secret")
if verifier["username"] != reader:
    fail("the verifier secret is for the user %r, not %r" % (verifier["username"], reader))
password = verifier["password"]
if len(password) < 20 or not all(33 <= ord(c) <= 126 for c in password):
    fail("the verifier password must be at least 20 printable ASCII characters without spaces")
fields = [os.environ["PGHOST"], os.environ["PGPORT"], os.environ["PGDATABASE"], master["username"], master["password"]]
write("pgpass", ":".join(pgpass(field) for field in fields) + "\\n")
write("user", master["username"])
write("setup.sql", "SET client_min_messages = warning;\\n" + os.environ["HEARTBEAT_SETUP_SQL"]
      + "ALTER ROLE " + reader + " PASSWORD " + literal(scram(password)) + ";\\n")
for name in ("master.json", "verifier.json"):
    os.remove(os.path.join(d, name))
print("heartbeat setup: credentials and SQL prepared (no value shown)")
`.trimStart();

/**
 * The setup Job's main container (psql): `setup.sql` as the master user, in one transaction
 * (all of it or nothing), over verified TLS (the libpq environment as for the writer), with the
 * password from the pgpass file. The files holding credentials are removed afterwards.
 */
export function setupPsqlScript(): string {
    return [
        "set -eu",
        `d="\${${SECRETS_DIR_ENV}:?}"`,
        'PGUSER="$(cat "$d/user")"',
        'PGPASSFILE="$d/pgpass"',
        "export PGUSER PGPASSFILE",
        'psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$d/setup.sql"',
        'rm -f "$d/pgpass" "$d/setup.sql" "$d/user"',
        `echo "heartbeat schema, roles and grants in place in $PGDATABASE; ${HEARTBEAT_READER_ROLE}'s password set from its secret"`,
    ].join("\n");
}
