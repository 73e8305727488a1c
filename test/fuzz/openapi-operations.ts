/** The operations of the served OpenAPI document, reduced to what the fuzzer needs to build requests. */

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  example?: unknown;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface OperationObject {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Field {
  name: string;
  schema: Schema;
  required: boolean;
}

export interface Operation {
  method: string;
  /** e.g. /api/work-orders/{id}/dispatch */
  path: string;
  pathParams: string[];
  query: Field[];
  /** Fields of the JSON (or multipart) body, when the operation takes one. */
  body: Field[] | null;
  bodyType: 'json' | 'multipart' | null;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Follows $ref and merges allOf, so that a DTO's inherited fields (version, page…) are all there. */
export function resolve(document: OpenApiDocument, schema: Schema | undefined, seen = new Set<string>()): Schema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return {};
    return resolve(document, document.components?.schemas?.[name], new Set([...seen, name]));
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((part) => resolve(document, part, seen));
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
      required: parts.flatMap((p) => p.required ?? []),
    };
  }
  return schema;
}

function fieldsOf(document: OpenApiDocument, schema: Schema | undefined): Field[] {
  const resolved = resolve(document, schema);
  const required = new Set(resolved.required ?? []);
  return Object.entries(resolved.properties ?? {}).map(([name, property]) => ({
    name,
    schema: resolve(document, property),
    required: required.has(name),
  }));
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json'];
      const multipart = content['multipart/form-data'];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(document, p.schema), required: p.required === true })),
        body: json ? fieldsOf(document, json.schema) : multipart ? fieldsOf(document, multipart.schema) : null,
        bodyType: json ? 'json' : multipart ? 'multipart' : null,
      });
    }
  }
  return operations;
}
