/** Test helper: checks a real response body against what the OpenAPI document says the route answers. */

export interface SchemaObject {
  $ref?: string;
  allOf?: SchemaObject[];
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  additionalProperties?: boolean | SchemaObject;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, { schema?: SchemaObject }>;
}

export interface Operation {
  summary?: string;
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaObject> };
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export class OpenApiConformance {
  constructor(private readonly document: OpenApiDocument) {}

  /** A named component schema, e.g. `schema('WorkOrderDetailResponse')`. */
  schema(name: string): SchemaObject {
    const found = this.document.components.schemas[name];
    if (!found) throw new Error(`The document has no schema ${name}`);
    return found;
  }

  /** Follows `$ref` and a lone `allOf: [{ $ref }]` to the schema they name. */
  resolve(schema: SchemaObject): SchemaObject {
    if (schema.$ref) return this.resolve(this.schema(schema.$ref.replace('#/components/schemas/', '')));
    if (schema.allOf?.length === 1) return this.resolve(schema.allOf[0]);
    return schema;
  }

  /** The JSON schema documented for `status` of the operation (a `/api/...` path as the document spells it). */
  responseSchema(path: string, method: string, status: number): SchemaObject {
    const operation = this.document.paths[path]?.[method];
    if (!operation) throw new Error(`The document has no ${method.toUpperCase()} ${path}`);
    const response = operation.responses[String(status)];
    if (!response) throw new Error(`${method.toUpperCase()} ${path} does not document status ${status} (documents ${Object.keys(operation.responses).join(', ')})`);
    const schema = response.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${path} documents no JSON body for ${status}`);
    return schema;
  }

  /** Every way the real answer differs from the documented one; empty when it conforms. */
  problemsOf(path: string, method: string, response: { status: number; body: unknown }): string[] {
    return this.problems(response.body, this.responseSchema(path, method, response.status), '$');
  }

  problems(value: unknown, schema: SchemaObject, at: string): string[] {
    if (value === null) return schema.nullable || this.resolve(schema).nullable ? [] : [`${at} is null but not nullable`];
    if (schema.$ref) return this.problems(value, this.resolve(schema), at);
    if (schema.allOf) return schema.allOf.flatMap((part) => this.problems(value, part, at));
    const problems: string[] = [];
    if (schema.enum && !schema.enum.includes(value)) problems.push(`${at} is ${JSON.stringify(value)}, not one of ${schema.enum.join(', ')}`);
    switch (schema.type) {
      case 'string':
        if (typeof value !== 'string') return [`${at} should be a string, is ${JSON.stringify(value)}`];
        if (schema.format === 'date-time' && !ISO_DATE_TIME.test(value)) problems.push(`${at} should be an ISO date-time, is ${value}`);
        return problems;
      case 'integer':
        return Number.isInteger(value) ? problems : [`${at} should be an integer, is ${JSON.stringify(value)}`];
      case 'number':
        return typeof value === 'number' ? problems : [`${at} should be a number, is ${JSON.stringify(value)}`];
      case 'boolean':
        return typeof value === 'boolean' ? problems : [`${at} should be a boolean, is ${JSON.stringify(value)}`];
      case 'array':
        if (!Array.isArray(value)) return [`${at} should be an array`];
        return value.flatMap((item, index) => this.problems(item, schema.items ?? {}, `${at}[${index}]`));
      case 'object':
        return this.objectProblems(value, schema, at);
      default:
        return [...problems, ...(schema.type === undefined && !schema.enum ? [`${at} has a schema without a type`] : [])];
    }
  }

  private objectProblems(value: unknown, schema: SchemaObject, at: string): string[] {
    if (typeof value !== 'object' || Array.isArray(value) || value === null) return [`${at} should be an object`];
    const record = value as Record<string, unknown>;
    if (!schema.properties) return schema.additionalProperties ? [] : [`${at} is an object whose schema declares no properties`];
    const declared = schema.properties;
    return [
      ...Object.keys(record)
        .filter((key) => !(key in declared))
        .map((key) => `${at}.${key} is answered but not declared`),
      ...(schema.required ?? []).filter((key) => !(key in record)).map((key) => `${at}.${key} is required but missing`),
      ...Object.entries(record)
        .filter(([key]) => key in declared)
        .flatMap(([key, item]) => this.problems(item, declared[key], `${at}.${key}`)),
    ];
  }
}
