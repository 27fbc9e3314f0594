/** Runs the CLI in-process, its standard output and error captured. */
import { type CliIO, main } from "../../src/cli.js";

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(
  argv: string[],
  io: Omit<CliIO, "stdout" | "stderr" | "cwd"> & { cwd?: string },
): Promise<CliRun> {
  let out = "";
  let err = "";
  const code = await main(argv, {
    cwd: process.cwd(),
    ...io,
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}
