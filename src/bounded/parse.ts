/**
 * `parsePostmortem`, run in a worker thread with a time budget: a document that takes longer is
 * not read, and gets the `document-too-complex` finding and nothing else.
 */
import { Findings, RULES } from "../core/postmortem/findings.js";
import type { Postmortem } from "../core/postmortem/model.js";
import { emptyModel, type ParseOptions } from "../core/postmortem/parse.js";
import { type BoundedOptions, BoundedRefusal, runBounded } from "./pool.js";

export async function parseBounded(
  markdown: string,
  options: ParseOptions & BoundedOptions = {},
): Promise<Postmortem> {
  const { budgetMs, ...parseOptions } = options;
  try {
    return await runBounded("parse", [markdown, parseOptions], { budgetMs });
  } catch (error) {
    if (!(error instanceof BoundedRefusal)) throw error;
    const findings = new Findings();
    findings.error(
      RULES.documentTooComplex,
      `the document could not be read in bounded time: reading it was ${error.message}; split it, or simplify its longest lines`,
      null,
    );
    return emptyModel(parseOptions.path ?? "post-mortem.md", findings);
  }
}
