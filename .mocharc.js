// Mocha's config. Test files are spread over worker processes, one per core (a worker runs
// one file at a time and is then reused), which on CI's two cores about halves the wall time
// of the serial run. Mocha's own default is one worker fewer than the cores: on two cores, no
// parallelism at all.
const os = require("os");

module.exports = {
    require: ["ts-node/register/transpile-only"],
    extension: ["ts"],
    spec: ["test/**/*.test.ts"],
    timeout: 60000,
    reporter: "spec",
    parallel: true,
    jobs: Math.max(2, os.availableParallelism()),
};
