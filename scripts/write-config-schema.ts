/**
 * Writes `schema/follow-through.schema.json`, the JSON schema of `.github/follow-through.yml` for
 * editors, from the zod schema in src/core/config.ts. Run with `npm run schema`; a test fails when the
 * committed file is out of date.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { configSchema } from "../src/core/config.js";

export const SCHEMA_FILE = fileURLToPath(
  new URL("../schema/follow-through.schema.json", import.meta.url),
);

/** The schema file's text. The input side, so keys with defaults are optional. */
export function renderConfigSchema(): string {
  // draft-07: the draft editors' YAML language servers support best.
  const { $schema, title, description, ...rest } = z.toJSONSchema(configSchema, {
    io: "input",
    target: "draft-07",
  });
  // Title and description first, where a reader of the file looks.
  return `${JSON.stringify({ $schema, title, description, ...rest }, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(SCHEMA_FILE, renderConfigSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
