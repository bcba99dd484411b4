// Pulumi entry point: the exported object becomes the stack outputs.
import { defineProgram } from "./program";

export = defineProgram();
