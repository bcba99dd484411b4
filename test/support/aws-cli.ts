import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { makeTempDir } from "./temp-dir";

/**
 * Runs AWS CLI commands against an endpoint that cannot answer, to learn whether the CLI
 * accepts them. The CLI parses the command line and validates the parameters against the
 * service model before it sends anything (botocore's `validate_parameters`), so a command
 * that reaches "Could not connect to the endpoint URL" was accepted; one rejected earlier
 * names the problem. AWS CLI v1 exits 2 for argparse errors ("the following arguments are
 * required", "Invalid choice") but 255 for "Unknown options" and "Parameter validation
 * failed" (awscli/clidriver.py); v2 exits 252 for all of them (AWS CLI v2 user guide,
 * "Command line return codes"). So the verdict comes from the output, not the code alone.
 */

/** Nothing listens on the discard port of the loopback address: every connection is refused at once. */
export const UNANSWERING_ENDPOINT = "http://127.0.0.1:9";

/** What the CLI made of one command. */
export interface CliVerdict {
    /** `parsed`: it got as far as the endpoint, or did not need one; `rejected`: the CLI refused it. */
    readonly verdict: "parsed" | "rejected";
    /** Its exit code. */
    readonly exitCode: number;
    /** Why, when rejected: the CLI's error lines. */
    readonly reason: string;
    /** How long it took, in milliseconds. */
    readonly ms: number;
}

/** The output that means the request was built and sent (botocore's EndpointConnectionError, ConnectTimeoutError). */
const REACHED_ENDPOINT = /Could not connect to the endpoint URL|Connect timeout on endpoint URL/;

let version: string | null | undefined;

/** The CLI's version (`aws-cli/1.45.11`), or undefined when it is not installed; asked once. */
export function awsCliVersion(): string | undefined {
    if (version === undefined) {
        try {
            version = execFileSync("aws", ["--version"], {
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            })
                .trim()
                .split(/\s/)[0];
        } catch {
            version = null;
        }
    }
    return version ?? undefined;
}

/**
 * A scratch directory for one run: the CLI's config, kubeconfig and local files live there.
 * Removed when the process exits, or sooner with temp-dir.ts's `removeTempDir`.
 */
export function scratchDir(): string {
    return makeTempDir("webank-aws-cli-");
}

/**
 * Local paths a command reads before it sends anything, pointed at files that exist: `file://`
 * and `fileb://` parameters (AWS CLI user guide, "Loading parameters from a file") and
 * `--body`, which the CLI opens at once, and the local arguments of `aws s3 cp|mv|sync`,
 * which it checks ("The user-provided path ... does not exist"). A path the repository holds is kept.
 */
export function withLocalFiles(args: readonly string[], scratch: string, root: string): string[] {
    const file = path.join(scratch, "input.json");
    fs.writeFileSync(file, "{}\n");
    const exists = (p: string) => fs.existsSync(path.resolve(root, p));
    const s3Transfer = args[0] === "s3" && ["cp", "mv", "sync"].includes(args[1]);
    return args.map((arg, i) => {
        const scheme = /^(fileb?:\/\/)(.*)$/.exec(arg);
        if (scheme) {
            return exists(scheme[2]) ? `${scheme[1]}${path.resolve(root, scheme[2])}` : `${scheme[1]}${file}`;
        }
        if (args[i - 1] === "--body" && !exists(arg)) {
            return file;
        }
        const positional = i >= 2 && !arg.startsWith("-") && !args[i - 1].startsWith("--");
        if (s3Transfer && positional && !arg.startsWith("s3://") && arg !== "-") {
            return args[1] === "sync" ? scratch : file;
        }
        return arg;
    });
}

/** The CLI's error lines: what follows its usage banner. */
function reasonOf(output: string): string {
    const lines = output
        .split("\n")
        .map((l) => l.trim())
        .filter((l) =>
            /error|Unknown options|Invalid|required|Parameter validation|Bad value|Unable|does not exist/i.test(
                l,
            ),
        );
    return (lines.length > 0 ? lines : output.trim().split("\n").slice(-3)).join(" / ").slice(0, 600);
}

/** The environment every run gets: throwaway credentials and config, one attempt, no pager. */
function cliEnv(scratch: string): NodeJS.ProcessEnv {
    return {
        PATH: process.env.PATH ?? "",
        HOME: scratch,
        PYENV_VERSION: process.env.PYENV_VERSION,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: path.join(scratch, "config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, "credentials"),
        AWS_MAX_ATTEMPTS: "1",
        AWS_RETRY_MODE: "standard",
        AWS_PAGER: "",
        AWS_EC2_METADATA_DISABLED: "true",
        KUBECONFIG: path.join(scratch, "kubeconfig"),
    };
}

/** The global options that point a command at {@link UNANSWERING_ENDPOINT}. */
const UNANSWERED = ["--endpoint-url", UNANSWERING_ENDPOINT, "--cli-connect-timeout", "1"];

/** The verdict on one run's exit code and output. */
function verdictOf(exitCode: number, output: string, ms: number): CliVerdict {
    const parsed = exitCode === 0 || REACHED_ENDPOINT.test(output);
    return { verdict: parsed ? "parsed" : "rejected", exitCode, reason: parsed ? "" : reasonOf(output), ms };
}

/** Runs `aws <args>` in its own process against {@link UNANSWERING_ENDPOINT}. */
export function parseWithAwsCli(args: readonly string[], scratch: string): Promise<CliVerdict> {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = execFile(
            "aws",
            [...UNANSWERED, ...args],
            { env: cliEnv(scratch), timeout: 60_000, encoding: "utf8" },
            (error, stdout, stderr) => {
                const exitCode = error ? (typeof error.code === "number" ? error.code : -1) : 0;
                resolve(verdictOf(exitCode, `${stdout}\n${stderr}`, Date.now() - started));
            },
        );
        child.stdin?.end();
    });
}

/**
 * Runs commands one after another in one Python process, through the entry point the `aws`
 * script itself calls (`awscli.clidriver.create_clidriver().main(argv)`, awscli/clidriver.py),
 * a fresh driver and session for each: the same parser and validation, without a second of
 * interpreter start-up per command. The sessions share one botocore data loader, which caches
 * the service models it has read (botocore/loaders.py, `instance_cache`): the models are the
 * same files, read once. argparse reports a usage error by SystemExit(2).
 */
const BATCH = `
import contextlib, io, json, sys, time
import awscli.clidriver
sys.argv[0] = "aws"
results, loader = [], None
for argv in json.load(sys.stdin):
    out, err, started = io.StringIO(), io.StringIO(), time.time()
    driver = awscli.clidriver.create_clidriver()
    if loader is None:
        loader = driver.session.get_component("data_loader")
    else:
        driver.session.register_component("data_loader", loader)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = driver.main(argv)
        except SystemExit as exit:
            rc = exit.code if isinstance(exit.code, int) else 1
    results.append({"rc": rc, "output": out.getvalue() + "\\n" + err.getvalue(), "ms": int((time.time() - started) * 1000)})
json.dump(results, sys.stdout)
`;

/** Candidate interpreters of the `aws` on PATH: its shebang's, pyenv's for it, python3. */
function interpreterCandidates(): string[] {
    const shebang = (file: string | undefined) => {
        try {
            const first = file ? fs.readFileSync(file, "utf8").split("\n", 1)[0] : "";
            return /^#!\s*(\S*python\S*)\s*$/.exec(first)?.[1];
        } catch {
            return undefined;
        }
    };
    const which = (cmd: string, args: string[]) => {
        try {
            return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
        } catch {
            return undefined;
        }
    };
    const onPath = which("sh", ["-c", "command -v aws"]);
    return [shebang(onPath), shebang(which("pyenv", ["which", "aws"])), "python3"].filter(
        (c): c is string => c !== undefined,
    );
}

let interpreter: string | null | undefined;

/** An interpreter whose awscli is the same version as the `aws` on PATH, or undefined (CLI v2, a binary); found once. */
export function awsCliInterpreter(): string | undefined {
    if (interpreter === undefined) {
        interpreter = findInterpreter(awsCliVersion()) ?? null;
    }
    return interpreter ?? undefined;
}

function findInterpreter(cliVersion: string | undefined): string | undefined {
    const wanted = cliVersion?.replace(/^aws-cli\//, "");
    return interpreterCandidates().find((python) => {
        try {
            const found = execFileSync(python, ["-c", "import awscli; print(awscli.__version__)"], {
                encoding: "utf8",
                stdio: ["ignore", "pipe", "ignore"],
            }).trim();
            return found === wanted;
        } catch {
            return false;
        }
    });
}

/** Runs a batch in one interpreter (see {@link BATCH}). */
function parseBatch(
    python: string,
    argvs: readonly (readonly string[])[],
    scratch: string,
): Promise<CliVerdict[]> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            python,
            ["-c", BATCH],
            { env: cliEnv(scratch), timeout: 300_000, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(`the AWS CLI batch failed: ${stderr || error.message}`));
                    return;
                }
                const results = JSON.parse(stdout) as { rc: number; output: string; ms: number }[];
                resolve(results.map((r) => verdictOf(r.rc, r.output, r.ms)));
            },
        );
        child.stdin?.end(JSON.stringify(argvs.map((args) => [...UNANSWERED, ...args])));
    });
}

/**
 * Runs every command line against {@link UNANSWERING_ENDPOINT}, `pool` at a time: in batches
 * inside the CLI's own interpreter when it is Python (CLI v1), else one process each.
 */
export async function parseAllWithAwsCli(
    argvs: readonly (readonly string[])[],
    scratch: string,
    pool: number,
): Promise<CliVerdict[]> {
    const python = awsCliInterpreter();
    if (!python) {
        return inPool(argvs, pool, (args) => parseWithAwsCli(args, scratch));
    }
    const chunks = Array.from({ length: pool }, (_, k) => argvs.filter((_, i) => i % pool === k));
    const done = await Promise.all(chunks.map((chunk) => parseBatch(python, chunk, scratch)));
    return argvs.map((_, i) => done[i % pool][Math.floor(i / pool)]);
}

/** Maps `items` through `work`, at most `size` at a time, keeping the order. */
export async function inPool<T, R>(
    items: readonly T[],
    size: number,
    work: (item: T) => Promise<R>,
): Promise<R[]> {
    const results: R[] = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await work(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
    return results;
}
