/** The entry point of the GitHub Action (bundled into action/index.js). */
import { runAction } from "./run.js";

process.exitCode = await runAction({ env: process.env });
