// Vitest setup (vite.config.ts): a test whose page calls an API the test did not mock fails, naming the request. jsdom
// would send it to http://localhost:3000: nothing listens there in CI, but on a developer's machine their own backend
// may, and the test's outcome would depend on it. The request itself fails at once, as a network error.
import { afterEach } from 'vitest';

const unmocked: string[] = [];
const requests = new WeakMap<XMLHttpRequest, string>();
const open = XMLHttpRequest.prototype.open;

XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
  requests.set(this, `${method.toUpperCase()} ${String(url)}`);
  return (open as (this: XMLHttpRequest, ...args: unknown[]) => void).call(this, method, url, ...rest);
};

XMLHttpRequest.prototype.send = function (this: XMLHttpRequest) {
  unmocked.push(requests.get(this) ?? 'a request');
  setTimeout(() => this.dispatchEvent(new ProgressEvent('error')));
};

afterEach(() => {
  if (unmocked.length === 0) return;
  const sent = unmocked.splice(0).join(', ');
  throw new Error(`The test sent ${sent} to the network: mock the API module that makes the call (vi.mock('@/api/…')).`);
});
