import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import {
  convertedComponents,
  type Json,
  type Operation,
  type ResponseObject,
  resolveRef,
  toJsonSchema,
} from "./openapi.js";

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction | null>();

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
    formatsModule.default(ajv);
    // Formats GitHub's description uses that are not JSON Schema formats.
    for (const name of ["repo.nwo", "timestamp"]) ajv.addFormat(name, true);
    ajv.addSchema(convertedComponents());
  }
  return ajv;
}

/** Compile once per key; `null` means "nothing to validate". */
function compiled(key: string, build: () => Json | undefined): ValidateFunction | null {
  let fn = cache.get(key);
  if (fn === undefined) {
    const schema = build();
    fn = schema ? instance().compile(schema) : null;
    cache.set(key, fn);
  }
  return fn;
}

export function describeErrors(errors: ErrorObject[] | null | undefined, root: string): string {
  if (!errors?.length) return "";
  const lines = new Set<string>();
  for (const e of errors) {
    const where = `${root}${e.instancePath}`;
    const extra =
      e.keyword === "enum"
        ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")})`
        : e.keyword === "additionalProperties"
          ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
          : "";
    lines.add(`${where} ${e.message ?? e.keyword}${extra}`);
  }
  return [...lines].slice(0, 8).join("; ");
}

/** Query strings carry text; turn it into what the parameter's schema types. */
function coerce(value: string, schema: Json | undefined): unknown {
  const type = schema?.type;
  if (type === "integer" || type === "number") {
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  if (type === "array") return value.split(",");
  return value;
}

export interface ParameterCheck {
  /** Coerced path and query values. */
  values: Record<string, unknown>;
  pathProblems: string;
  queryProblems: string;
  unknownQuery: string[];
}

export function checkParameters(
  op: Operation,
  pathParams: Record<string, string>,
  query: Record<string, string>,
): ParameterCheck {
  const values: Record<string, unknown> = {};
  const pathValues: Record<string, unknown> = {};
  const queryValues: Record<string, unknown> = {};
  const known = new Set<string>();
  for (const p of op.parameters) {
    if (p.in === "path" && p.name in pathParams) {
      pathValues[p.name] = coerce(pathParams[p.name] ?? "", p.schema);
    } else if (p.in === "query") {
      known.add(p.name);
      if (p.name in query) queryValues[p.name] = coerce(query[p.name] ?? "", p.schema);
    }
  }
  const build = (where: "path" | "query") => (): Json => {
    const params = op.parameters.filter((p) => p.in === where);
    return {
      type: "object",
      properties: Object.fromEntries(params.map((p) => [p.name, toJsonSchema(p.schema ?? {})])),
      required: params.filter((p) => p.required).map((p) => p.name),
    };
  };
  const pathFn = compiled(`${op.operationId} path`, build("path"));
  const queryFn = compiled(`${op.operationId} query`, build("query"));
  const pathProblems = pathFn && !pathFn(pathValues) ? describeErrors(pathFn.errors, "path") : "";
  const queryProblems =
    queryFn && !queryFn(queryValues) ? describeErrors(queryFn.errors, "query") : "";
  Object.assign(values, queryValues, pathValues);
  const unknownQuery = Object.keys(query).filter((k) => !known.has(k));
  return { values, pathProblems, queryProblems, unknownQuery };
}

function jsonContent(content: Record<string, { schema?: Json }> | undefined, mediaType?: string) {
  if (!content) return undefined;
  if (mediaType && content[mediaType]) return content[mediaType].schema;
  return content["application/json"]?.schema;
}

/** Returns a problem description, or "" when the body matches the documented schema. */
export function checkRequestBody(op: Operation, body: unknown): string {
  const fn = compiled(`${op.operationId} body`, () => {
    const schema = jsonContent(op.requestBody?.content);
    return schema ? (toJsonSchema(schema) as Json) : undefined;
  });
  if (!fn || fn(body)) return "";
  return describeErrors(fn.errors, "body");
}

/** Top-level properties GitHub would silently ignore. */
export function unknownBodyProperties(op: Operation, body: unknown): string[] {
  const schema = resolveRef<Json>(jsonContent(op.requestBody?.content) ?? {});
  const props = schema.properties as Json | undefined;
  if (!props || typeof body !== "object" || body === null || Array.isArray(body)) return [];
  return Object.keys(body).filter((k) => !(k in props));
}

export function hasDocumentedStatus(op: Operation, status: number): boolean {
  return String(status) in op.responses;
}

export function checkResponse(
  op: Operation,
  status: number,
  body: unknown,
  mediaType?: string,
): string {
  const documented = op.responses[String(status)] ?? op.responses.default;
  let schema: Json | undefined;
  let key: string;
  if (documented) {
    const response = resolveRef<ResponseObject>(documented);
    schema = jsonContent(response.content, mediaType);
    key = `${op.operationId} ${status} ${mediaType ?? ""}`;
    if (!schema) {
      if (body === undefined) return "";
      return `status ${status} is documented without a body, but the fake sent one`;
    }
  } else if (status >= 400) {
    // Errors the description leaves out still have GitHub's error shape.
    const name = status === 422 ? "validation-error" : "basic-error";
    schema = { $ref: `#/components/schemas/${name}` };
    key = `error ${name}`;
  } else {
    return `status ${status} is not documented for ${op.operationId}`;
  }
  const fn = compiled(key, () => toJsonSchema(schema) as Json);
  if (!fn || fn(body)) return "";
  return describeErrors(fn.errors, "response");
}
