/** Markdown in, post-mortem model and findings out. Pure: no I/O. */
import type { Config } from "../config.js";
import type { Postmortem } from "./model.js";

export interface ParseOptions {
  /** Repository path (or file name) of the document: used in messages and as a date source. */
  path?: string;
  /** Names as written → logins (the config's `people:`). */
  people?: Config["people"];
  /** Add a generated "find the root cause" action when the root cause is unknown (default true). */
  rootCauseAction?: boolean;
  /** Date (YYYY-MM-DD) of the commit that added the document: the last resort for the incident date. */
  fallbackDate?: string | null;
  /** Documents larger than this are refused with a finding (default 2 MB). */
  maxBytes?: number;
}

export function parsePostmortem(_markdown: string, _options: ParseOptions = {}): Postmortem {
  throw new Error("not implemented yet");
}
