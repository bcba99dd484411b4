// Pulumi entry point: the program is async (it looks up the region's clusters first); the
// SDK calls an exported function and uses what its promise resolves to as the stack outputs
// (@pulumi/pulumi cmd/run/run.ts: `programExport instanceof Function ? programExport() : ...`).
import { defineProgram } from "./program";

export = () => defineProgram();
