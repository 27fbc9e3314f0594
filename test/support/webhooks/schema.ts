import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const require = createRequire(import.meta.url);

// ajv-formats is CommonJS with `exports.default`; NodeNext types see the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type SchemaNode = { [key: string]: unknown };

interface WebhookSpec {
  webhooks: Record<
    string,
    { post: { requestBody: { content: { "application/json": { schema: { $ref: string } } } } } }
  >;
  components: { schemas: Record<string, unknown> };
}

const ROOT_ID = "openapi-webhooks";
const COMPONENT_PREFIX = "#/components/schemas/";

let spec: WebhookSpec | undefined;
let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function loadSpec(): WebhookSpec {
  spec ??= require("@octokit/openapi-webhooks/generated/api.github.com.json") as WebhookSpec;
  return spec;
}

/** The names under the spec's `webhooks` key, e.g. `push`, `issues-closed`. */
export function webhookKeys(): string[] {
  return Object.keys(loadSpec().webhooks);
}

/**
 * Resolves the spec key for an event: accepts `pull_request` (action taken from the payload),
 * `pull_request.opened`, or a spec key such as `pull-request-opened`.
 */
export function webhookKey(eventName: string, payload?: unknown): string {
  const { webhooks } = loadSpec();
  if (webhooks[eventName]) return eventName;
  const [event = "", dotted] = eventName.split(".");
  const action =
    dotted ??
    (payload !== null && typeof payload === "object" && "action" in payload
      ? String((payload as { action: unknown }).action)
      : undefined);
  const base = event.replaceAll("_", "-");
  const candidates = action ? [`${base}-${action.replaceAll("_", "-")}`, base] : [base];
  const found = candidates.find((key) => webhooks[key]);
  if (!found) {
    throw new Error(
      `No webhook schema for event "${eventName}"${action ? ` with action "${action}"` : ""} (tried ${candidates.join(", ")})`,
    );
  }
  return found;
}

const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMA_VALUES = new Set([
  "items",
  "additionalProperties",
  "not",
  "contains",
  "if",
  "then",
  "else",
  "propertyNames",
]);

/**
 * OpenAPI → JSON Schema: component refs point at `$defs`, and OpenAPI 3.0 `nullable: true`
 * becomes a `null` type (the 3.1 file already uses type arrays; this keeps 3.0 files working).
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node as SchemaNode)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT_PREFIX)) {
      out[key] = `#/$defs/${value.slice(COMPONENT_PREFIX.length)}`;
    } else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === "object") {
      out[key] = Object.fromEntries(
        Object.entries(value as SchemaNode).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(toJsonSchema);
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = toJsonSchema(value);
    } else {
      out[key] = value;
    }
  }
  return convertNullable(out);
}

function convertNullable(schema: SchemaNode): SchemaNode {
  if (!("nullable" in schema)) return schema;
  const { nullable, ...rest } = schema;
  if (nullable !== true) return rest;
  if (Array.isArray(rest.enum) && !rest.enum.includes(null)) rest.enum = [...rest.enum, null];
  if (typeof rest.type === "string") return { ...rest, type: [rest.type, "null"] };
  if (Array.isArray(rest.type)) {
    return rest.type.includes("null") ? rest : { ...rest, type: [...rest.type, "null"] };
  }
  // No type to widen ($ref, allOf, ...): allow null alongside the schema.
  return { anyOf: [rest, { type: "null" }] };
}

function getAjv(): Ajv2020 {
  if (ajv) return ajv;
  const instance = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  addFormats(instance);
  instance.addKeyword("example");
  const defs = Object.fromEntries(
    Object.entries(loadSpec().components.schemas).map(([name, schema]) => [
      name,
      toJsonSchema(schema),
    ]),
  );
  instance.addSchema({ $id: ROOT_ID, $defs: defs });
  ajv = instance;
  return instance;
}

function validatorFor(key: string): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    const ref = loadSpec().webhooks[key]?.post.requestBody.content["application/json"].schema.$ref;
    if (!ref?.startsWith(COMPONENT_PREFIX)) throw new Error(`Webhook "${key}" has no schema`);
    validate = getAjv().compile({
      $ref: `${ROOT_ID}#/$defs/${ref.slice(COMPONENT_PREFIX.length)}`,
    });
    validators.set(key, validate);
  }
  return validate;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function formatError(error: ErrorObject): string {
  const path = error.instancePath || "(root)";
  switch (error.keyword) {
    case "enum":
      return `${path} ${error.message}: ${(error.params.allowedValues as unknown[]).map(describe).join(", ")} (got ${describe(error.data)})`;
    case "additionalProperties":
      return `${path} has unexpected property "${error.params.additionalProperty}"`;
    case "type":
    case "format":
    case "const":
    case "pattern":
      return `${path} ${error.message} (got ${describe(error.data)})`;
    default:
      return `${path} ${error.message}`;
  }
}

/**
 * Validates a payload against the openapi-webhooks schema for the event and its action.
 * Returns readable errors, empty when the payload is valid.
 */
export function validateWebhook(eventName: string, payload: unknown): string[] {
  const validate = validatorFor(webhookKey(eventName, payload));
  if (validate(payload)) return [];
  return [...new Set((validate.errors ?? []).map(formatError))];
}

/** Throws with every schema error listed when the payload is not valid. */
export function assertValidWebhook(eventName: string, payload: unknown, builder: string): void {
  const errors = validateWebhook(eventName, payload);
  if (errors.length > 0) {
    const key = webhookKey(eventName, payload);
    throw new Error(
      `${builder} built an invalid "${key}" payload:\n${errors.map((e) => `  - ${e}`).join("\n")}`,
    );
  }
}
