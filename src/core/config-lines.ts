/** Where in a YAML file a config error points, so annotations land on the right line. */
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { type ConfigError, parseConfig } from "./config.js";

/** Validates YAML config text; every error carries the line of the key it is about (1 when unknown). */
export function validateConfigText(text: string): (ConfigError & { line: number })[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return doc.errors.map((error) => ({
      path: "(yaml)",
      message: error.message.split("\n")[0] ?? "invalid YAML",
      line: lineCounter.linePos(error.pos[0]).line,
    }));
  }
  const raw: unknown = doc.toJS();
  // `_extends` is the config loader's (Probot's), which resolves it and drops the key.
  if (isRecord(raw) && typeof raw._extends === "string") delete raw._extends;
  const result = parseConfig(raw);
  if (result.ok) return [];
  return result.errors.map((error) => ({ ...error, line: lineOf(doc, lineCounter, error.path) }));
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  dotted: string,
): number {
  let node: unknown = doc.contents;
  let line = 1;
  for (const key of dotted === "(root)" ? [] : dotted.split(".")) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String((item.key as { value?: unknown })?.value) === key,
      );
      if (!pair) break;
      const keyNode = pair.key as { range?: [number, number, number] };
      if (keyNode.range) line = lineCounter.linePos(keyNode.range[0]).line;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      if (item.range) line = lineCounter.linePos(item.range[0]).line;
      node = item;
    } else break;
  }
  return line;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
