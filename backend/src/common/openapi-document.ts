import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * The API's OpenAPI document, generated from the controllers and DTOs. Served at /api/docs-json, written to
 * docs/openapi.json by `npm run openapi -w backend`, and the source of the console's generated types.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('jiesu (接诉) API')
      .setDescription(
        'The 12345 hotline platform: work orders from registration to closing. Every lifecycle action is `POST /api/work-orders/{id}/{action}` with the `version` the caller read; a stale version or an action not allowed now answers 409 with the current status and allowed actions.',
      )
      .setVersion('0.1.0')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      .addServer('/', 'This server')
      .addBearerAuth()
      // The SIP bridge's or PBX's routes (cti/cti-bridge.controller.ts): the CTI token instead of a login.
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-CTI-Token', description: 'CTI_TOKEN; also accepted as Authorization: Bearer <token>' }, 'cti-token')
      // Every operation needs the access token unless it is marked public (`@Public()` adds `security: []`).
      .addSecurityRequirements('bearer')
      .build(),
  );
  return withDirectReferences(document);
}

type SchemaNode = Record<string, unknown>;

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null;
}

/**
 * @nestjs/swagger writes a property typed by a named enum or object as `allOf: [{ $ref }]` so that it can put
 * `description`/`nullable` beside it. OpenAPI 3.0 ignores siblings of `$ref`, and `nullable` needs a `type` beside
 * it. So: a lone reference becomes the plain `$ref` (its description is the named schema's); one that may be null
 * inlines an enum (`type` + `enum` + `nullable`) or keeps `allOf` with `type: object` for an object.
 */
function withDirectReferences(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaNode>;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isNode(node)) return node;
    const visited = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
    const allOf = visited.allOf;
    if (!Array.isArray(allOf) || allOf.length !== 1 || !isNode(allOf[0]) || typeof allOf[0].$ref !== 'string') return visited;
    const { allOf: _lone, ...siblings } = visited;
    const target = schemas[allOf[0].$ref.replace('#/components/schemas/', '')];
    if (siblings.nullable === true && target && Array.isArray(target.enum)) return { type: target.type ?? 'string', enum: target.enum, ...siblings };
    if (siblings.nullable === true) return { type: 'object', ...visited };
    return { $ref: allOf[0].$ref };
  };
  const paths = visit(document.paths) as OpenAPIObject['paths'];
  const components = visit(document.components) as NonNullable<OpenAPIObject['components']>;
  // An enum named only by nullable properties is now inlined everywhere: drop its unused component.
  const text = JSON.stringify({ paths, components });
  const unused = Object.keys(schemas).filter((name) => Array.isArray(schemas[name].enum) && !text.includes(`"#/components/schemas/${name}"`));
  for (const name of unused) delete components.schemas?.[name];
  return { ...document, paths, components };
}
