/** The entry point of the GitHub Action (bundled into action/index.js). */
import { runInline } from "../bounded/pool.js";
import { runAction } from "./run.js";

// One bundled file: documents are read on this thread (see runInline).
runInline();

process.exitCode = await runAction({ env: process.env });
