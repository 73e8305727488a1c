import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import type { Field, Operation, Schema } from './openapi-operations';

/** What the fuzzer knows about the running server: tokens per role and ids that exist. */
export interface FuzzContext {
  tokens: Record<string, string>;
  workOrderIds: number[];
  /** The current versions of those orders, so that some actions pass the version check and reach deeper rules. */
  versions: number[];
  otherIds: number[];
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** What kind of malformation this is, for the report when something fails. */
  kind: string;
}

/** Dates the ISO 8601 check used to let through, and others a database cannot store. */
export const ODD_DATES = [
  '2030-100',
  '2030-W01-1',
  '2030-01-01T10Z',
  '2030-01-01T10:00:00,5Z',
  '2030-01-01T10:00:00+14:30',
  '2030-01-01T10:00:00+99:99',
  '2030-01-01T10:00:00+14',
  '9999-12-31T23:59:59-05:00',
  '0000-01-01T00:00:00Z',
  '-002030-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '2030-02-30T00:00:00Z',
  '2030-13-01T00:00:00Z',
  '2030-01-01T25:61:61Z',
  '2030-01-01',
  '2030-01-01 10:00:00',
  'yesterday',
  '1893456000000',
];

/** Placeholders replaced in the JSON text by numbers JSON.stringify cannot write. */
const RAW_NUMBERS: Record<string, string> = {
  '"@@big-int@@"': '123456789012345678901234567890',
  '"@@overflow@@"': '1e400',
  '"@@underflow@@"': '-1e400',
  '"@@tiny@@"': '1e-400',
  '"@@minus-zero@@"': '-0',
};

const ODD_SCALARS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0.0001,
  2 ** 31,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  '',
  ' ',
  '0',
  '-1',
  '1e3',
  'NaN',
  'Infinity',
  'null',
  'true',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE work_orders; --',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '🚀'.repeat(50),
  '\u202e\u0627\u0644\u0639\u0631\u0628\u064a\u0629',
  '%00',
  '../../etc/passwd',
  '${7*7}{{7*7}}',
  '__proto__',
  ...Object.keys(RAW_NUMBERS).map((placeholder) => placeholder.slice(1, -1)),
  ...ODD_DATES,
];

function deepValue(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ODD_SCALARS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(100_000), '长'.repeat(20_000), deepValue(20), deepValue(31)) },
);

function plausibleValue(schema: Schema, context: FuzzContext): fc.Arbitrary<unknown> {
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return fc.oneof(fc.constantFrom(1, 2, 3, ...context.workOrderIds.slice(0, 5), ...context.otherIds.slice(0, 5)), fc.integer({ min: 1, max: 100 }));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausibleValue(schema.items ?? {}, context), { maxLength: 4 });
    case 'object':
      return fc.constant({});
    default:
      if (schema.format === 'date-time') {
        return fc.constantFrom('2030-01-31T17:00:00+08:00', new Date(Date.UTC(2027, 5, 1)).toISOString(), '2000-01-01T00:00:00Z', '2100-12-31T23:59:59-14:00');
      }
      if (schema.format === 'uuid') return fc.uuid();
      return fc.oneof(fc.constantFrom('测试', 'agent1', '13812341234', '路灯不亮', 'phone', 'Demo@1234'), fc.string({ minLength: 1, maxLength: 20 }));
  }
}

function fieldValue(field: Field, context: FuzzContext): fc.Arbitrary<unknown> {
  if (field.name === 'version' && context.versions.length > 0) {
    return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...context.versions) }, { weight: 4, arbitrary: oddValue });
  }
  return fc.oneof({ weight: 5, arbitrary: plausibleValue(field.schema, context) }, { weight: 4, arbitrary: oddValue });
}

/** An object built from the operation's fields: some missing, some plausible, some of the wrong kind, maybe extra ones. */
function objectFor(fields: Field[], context: FuzzContext): fc.Arbitrary<Record<string, unknown>> {
  const entries = fields.map((field) =>
    fc.option(
      fieldValue(field, context).map((value) => [field.name, value] as const),
      { freq: 4, nil: null },
    ),
  );
  const extra = fc.option(fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', 'id', 'role', 'isAdmin', '长字段'), oddValue), { freq: 3, nil: null });
  return fc.tuple(fc.tuple(...entries), extra).map(([pairs, more]) => {
    const object: Record<string, unknown> = {};
    for (const pair of pairs) if (pair) object[pair[0]] = pair[1];
    if (more) Object.defineProperty(object, more[0], { value: more[1], enumerable: true, writable: true, configurable: true });
    return object;
  });
}

function toJsonText(value: unknown): string {
  let text = JSON.stringify(value) ?? 'null';
  for (const [placeholder, raw] of Object.entries(RAW_NUMBERS)) text = text.split(placeholder).join(raw);
  return text;
}

const ODD_IDS = ['0', '-1', '1.5', 'abc', '99999999999999999999', '2147483648', '9007199254740993', '%20', '%E4%B8%AD%E6%96%87', '1e3', '0x10', '%201', '..%2F1', 'null', '%00', 'x'.repeat(3000)];

function pathFor(operation: Operation, context: FuzzContext): fc.Arbitrary<string> {
  const values = operation.pathParams.map((name) =>
    name.toLowerCase().includes('attachment')
      ? fc.oneof(fc.uuid(), fc.constantFrom(...ODD_IDS))
      : fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...(context.workOrderIds.length ? context.workOrderIds : [1]), ...context.otherIds.slice(0, 3)).map(String) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map(String) },
          { weight: 2, arbitrary: fc.constantFrom(...ODD_IDS) },
        ),
  );
  return fc.tuple(...values).map((chosen) => operation.pathParams.reduce((path, name, i) => path.replace(`{${name}}`, chosen[i]), operation.path));
}

function queryFor(operation: Operation, context: FuzzContext): fc.Arbitrary<string> {
  const fields: Field[] = [...operation.query, { name: 'unknown', schema: { type: 'string' }, required: false }];
  const parts = fields.map((field) =>
    fc.option(
      fc.oneof(
        { weight: 4, arbitrary: plausibleValue(field.schema, context) },
        { weight: 4, arbitrary: oddValue },
        { weight: 1, arbitrary: fc.constantFrom('1000000000000000000', '10001', '9007199254740993', '-5', '1.5', '') },
      ).map((value) => {
        const values = Array.isArray(value) ? value : [value];
        const text = (v: unknown): string =>
          typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || v === undefined ? String(v) : JSON.stringify(v);
        return values.map((v) => `${encodeURIComponent(field.name)}=${encodeURIComponent(text(v).replace(/[\ud800-\udfff]/g, '?'))}`).join('&');
      }),
      { freq: 2, nil: null },
    ),
  );
  return fc.tuple(...parts).map((chosen) => {
    const query = chosen.filter((part): part is string => part !== null && part !== '').join('&');
    return query ? `?${query}` : '';
  });
}

interface Body {
  body?: string | Buffer;
  headers: Record<string, string>;
  kind: string;
}

const json = (body: string | Buffer, kind: string, contentType = 'application/json'): Body => ({ body, headers: { 'Content-Type': contentType }, kind });

/** Bodies that are not what any route expects, regardless of the operation. */
const rawBodies: fc.Arbitrary<Body> = fc.oneof(
  fc.constantFrom<Body>(
    json('{"version": 1,', 'invalid JSON'),
    json("{'version': 1}", 'single-quoted JSON'),
    json('null', 'null'),
    json('"a bare string"', 'a bare string'),
    json('42', 'a number'),
    json('[]', 'an array'),
    json('[{"version":1}]', 'an array of objects'),
    json('', 'an empty JSON body'),
    json('   ', 'a blank JSON body'),
    json('{"version":1,"version":"two"}', 'duplicate keys'),
    json('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"role":"admin"}}}', 'prototype pollution'),
    json('{"a":' + '['.repeat(2000) + ']'.repeat(2000) + '}', 'arrays nested 2,000 levels'),
    json('{"a":'.repeat(2000) + '1' + '}'.repeat(2000), 'objects nested 2,000 levels'),
    json(JSON.stringify({ content: 'x'.repeat(1_100_000) }), 'a body over 1 MB'),
    json('{"version":1}', 'charset=utf-16', 'application/json; charset=utf-16'),
    json(Buffer.from('{"version":1}', 'utf16le'), 'a UTF-16 body', 'application/json; charset=utf-16le'),
    json('{"version":1}', 'charset=latin1', 'application/json; charset=latin1'),
    json('{"version":1}', 'charset=nonsense', 'application/json; charset=x-nonsense'),
    json(Buffer.from([0xff, 0xfe, 0xfd, 0x7b, 0x7d]), 'invalid UTF-8'),
    json('version=1&reason=x', 'text/plain', 'text/plain'),
    json('<version>1</version>', 'XML', 'application/xml'),
    json('version=1&reason=%E4%B8%AD', 'a form body', 'application/x-www-form-urlencoded'),
    json('--b\r\nContent-Disposition: form-data; name="version"\r\n\r\n1\r\n--b--\r\n', 'multipart', 'multipart/form-data; boundary=b'),
    json('--b\r\nbroken', 'broken multipart', 'multipart/form-data; boundary=b'),
    json('{"version":1}', 'multipart without boundary', 'multipart/form-data'),
    json('{"version":1}', 'a content type with parameters only', ';;;'),
    { body: '{"version":1}', headers: {}, kind: 'no content type' },
    { body: gzipSync('{"version":1}'), headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, kind: 'gzip' },
    { body: Buffer.from('not gzip at all'), headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, kind: 'broken gzip' },
    { body: '{"version":1}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'snappy' }, kind: 'unknown encoding' },
  ),
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => json(text, 'random text as JSON')),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => json(Buffer.from(bytes), 'random bytes as JSON')),
);

function multipartFor(): fc.Arbitrary<Body> {
  return fc
    .tuple(
      fc.constantFrom('file', 'files', 'upload', ''),
      fc.constantFrom('a.pdf', 'a.jpg', 'a.png', 'a.docx', 'a.exe', '../../a.pdf', '中文.pdf', '', 'a'.repeat(300) + '.pdf'),
      fc.constantFrom('application/pdf', 'image/jpeg', 'application/octet-stream', 'text/html', ''),
      fc.uint8Array({ maxLength: 300 }),
    )
    .map(([name, filename, type, bytes]) => {
      const head = `--fuzz\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`;
      return {
        body: Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from('\r\n--fuzz--\r\n')]),
        headers: { 'Content-Type': 'multipart/form-data; boundary=fuzz' },
        kind: `multipart upload ${filename}`,
      };
    });
}

function bodyFor(operation: Operation, context: FuzzContext): fc.Arbitrary<Body> {
  const fromSchema = objectFor(operation.body ?? [], context).map((object) => json(toJsonText(object), 'fields of the wrong kind'));
  if (operation.bodyType === 'multipart') return fc.oneof({ weight: 3, arbitrary: multipartFor() }, { weight: 2, arbitrary: rawBodies }, { weight: 1, arbitrary: fromSchema });
  if (operation.bodyType === 'json') return fc.oneof({ weight: 6, arbitrary: fromSchema }, { weight: 3, arbitrary: rawBodies });
  // Operations without a body get one now and then.
  return fc.oneof({ weight: 5, arbitrary: fc.constant<Body>({ headers: {}, kind: 'no body' }) }, { weight: 1, arbitrary: fromSchema }, { weight: 1, arbitrary: rawBodies });
}

function authFor(context: FuzzContext): fc.Arbitrary<Record<string, string>> {
  const roles = Object.values(context.tokens);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...roles).map((token) => ({ Authorization: `Bearer ${token}` })) },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('Bearer', 'Bearer ', 'Bearer abc', 'Bearer a.b.c', 'Basic YWRtaW46RGVtb0AxMjM0NQ==', `Bearer ${'x'.repeat(8000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOjF9.')
        .map((value) => ({ Authorization: value })),
    },
  );
}

/** A malformed (or merely unusual) request for `operation`. */
export function malformedRequest(operation: Operation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      pathFor(operation, context),
      queryFor(operation, context),
      bodyFor(operation, context),
      authFor(context),
      fc.option(fc.constantFrom('fuzz-correlation-0001', 'bad id with spaces', 'x'.repeat(200)), { freq: 5, nil: null }),
    )
    .map(([path, query, body, auth, correlation]) => ({
      method: operation.method,
      path: path + query,
      headers: { ...auth, ...body.headers, ...(correlation ? { 'X-Correlation-Id': correlation } : {}) },
      body: operation.method === 'GET' || operation.method === 'HEAD' ? undefined : body.body,
      kind: operation.method === 'GET' ? 'query' : body.kind,
    }));
}
