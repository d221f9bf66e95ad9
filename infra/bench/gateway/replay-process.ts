/**
 * No gateway: for each operation, the subgraph requests our gateway made for it (capture.ts) are
 * sent straight to the subgraphs, each as soon as the requests it waited for have answered, with
 * a fresh `x-gateway-assertion` per operation and the access assertion of this operation's own
 * `GET /access`. The client gets our gateway's recorded answer: what a gateway costing nothing
 * would give. With `x-bench-verify: 1`, every answer is compared with the recorded one first.
 */
import { readFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { ACCESS_HEADER, GATEWAY_HEADER, STORE_HEADER, bearerToken, signGatewayAssertion } from '@cg/auth';
import { VERIFY_HEADER, type CapturedCall, type CapturedOperation } from './capture.ts';
import { announce, processSettings } from './processes.ts';

export interface ReplaySettings {
  /** A JSON file of CapturedOperation[]. */
  capturePath: string;
  /** Subgraph name → URL. */
  subgraphUrls: Record<string, string>;
  /** The store the operations work in, for an access lookup the recording did not show. */
  storeId: string;
}

/** How long the replay keeps an access assertion it looked up itself (they live 2 minutes). */
const SHARED_ACCESS_MS = 60_000;

const settings = processSettings<ReplaySettings>();
const operations = new Map(
  (JSON.parse(readFileSync(settings.capturePath, 'utf8')) as CapturedOperation[]).map((operation) => [
    operation.request,
    operation,
  ]),
);
const agent = new Agent({ keepAlive: true });

/** The client address our gateway asserted (read from its recorded assertion), so the replay asserts the same. */
function assertedIp(operation: CapturedOperation): string | undefined {
  const assertion = operation.calls[0]?.headers[GATEWAY_HEADER];
  const payload = assertion?.split('.')[1];
  return payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { ip?: string }).ip : undefined;
}

function send(call: CapturedCall, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const target = new URL(settings.subgraphUrls[call.subgraph]!);
  return new Promise((resolve, reject) => {
    const body = Buffer.from(call.body);
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: call.path,
        method: call.method,
        agent,
        headers: { ...headers, ...(call.method === 'GET' ? {} : { 'content-length': body.length }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(call.method === 'GET' ? undefined : body);
  });
}

/**
 * When our gateway made no `/access` request for an operation yet sent an access assertion (it kept
 * one from an earlier operation), the replay keeps one too, looked up now and then.
 */
let sharedAccess: { at: number; assertion: Promise<string> } | undefined;

function keptAccess(authorization: string, gatewayAssertion: string): Promise<string> {
  if (!sharedAccess || performance.now() - sharedAccess.at > SHARED_ACCESS_MS) {
    const lookup: CapturedCall = {
      subgraph: 'customer',
      method: 'GET',
      path: '/access',
      headers: {},
      body: '',
      status: 200,
      response: '',
      after: [],
    };
    const assertion = send(lookup, {
      authorization,
      [STORE_HEADER]: settings.storeId,
      [GATEWAY_HEADER]: gatewayAssertion,
    }).then((answer) => {
      const found = (JSON.parse(answer.body) as { assertion?: string }).assertion;
      if (answer.status !== 200 || !found) throw new Error(`GET /access: HTTP ${answer.status}: ${answer.body}`);
      return found;
    });
    sharedAccess = { at: performance.now(), assertion };
    assertion.catch(() => (sharedAccess = undefined));
  }
  return sharedAccess.assertion;
}

function mismatch(call: CapturedCall, status: number, body: string): string | undefined {
  if (status !== call.status) return `status ${status}, recorded ${call.status}`;
  // The access lookup answers a fresh assertion every time; only its status is compared.
  if (call.path.startsWith('/access')) return undefined;
  return isDeepStrictEqual(JSON.parse(body), JSON.parse(call.response)) ? undefined : 'another body';
}

async function replay(operation: CapturedOperation, authorization: string, verify: boolean): Promise<void> {
  const gatewayAssertion = await signGatewayAssertion(bearerToken(authorization)!, {
    ...(assertedIp(operation) ? { ip: assertedIp(operation)! } : {}),
  });
  let access: string | undefined;
  if (!operation.calls.some((call) => call.path.startsWith('/access')))
    access = await keptAccess(authorization, gatewayAssertion);
  const done: Promise<void>[] = [];
  operation.calls.forEach((call, index) => {
    done[index] = Promise.all(call.after.map((i) => done[i]!)).then(async () => {
      const headers: Record<string, string> = { ...call.headers, [GATEWAY_HEADER]: gatewayAssertion };
      if (call.headers[ACCESS_HEADER]) {
        if (!access)
          throw new Error(`${call.subgraph} ${call.path} needs the access assertion before /access answered`);
        headers[ACCESS_HEADER] = access;
      }
      const answer = await send(call, headers);
      if (call.path.startsWith('/access')) access = (JSON.parse(answer.body) as { assertion?: string }).assertion;
      const wrong = verify
        ? mismatch(call, answer.status, answer.body)
        : answer.status === 200
          ? undefined
          : `status ${answer.status}`;
      if (wrong)
        throw new Error(
          `${call.subgraph} ${call.method} ${call.path.split('?')[0]}: ${wrong}: ${answer.body.slice(0, 300)}`,
        );
    });
  });
  await Promise.all(done);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = createServer((req, res) => {
  void (async () => {
    const operation = operations.get(await readBody(req));
    if (!operation) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"message":"not recorded"}]}');
      return;
    }
    try {
      await replay(operation, req.headers.authorization ?? '', req.headers[VERIFY_HEADER] === '1');
      res.writeHead(200, { 'content-type': 'application/json' }).end(operation.response);
    } catch (error) {
      res
        .writeHead(502, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
    }
  })();
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, async () => {
  server.closeAllConnections();
  await new Promise<void>((closed) => server.close(() => closed()));
});
