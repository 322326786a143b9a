// Where the automation's messages go. The first sender POSTs JSON to an HTTP endpoint; the
// receiver answers 200 accepted, 208 already accepted (duplicate), 409 stale fence.
import http from 'node:http';
import https from 'node:https';
import type { SendStatus } from './events.ts';

export interface Message {
  automation: string;
  seq: number;
  /** null only from a worker without fencing tokens (the receiver then cannot refuse a stale write). */
  fence: number | null;
  instance: string;
  partition: number;
}

export type Sender = (m: Message, signal: AbortSignal) => Promise<SendStatus>;

export function httpSender(baseUrl: string, timeoutMs = 5_000): Sender {
  const url = new URL('deliver', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  // node:http with a keep-alive agent, not fetch: undici costs a deployment about 40 MB of memory.
  const client = url.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: 8 });
  return (m, signal) => new Promise<SendStatus>((resolve) => {
    const body = JSON.stringify(m);
    const req = client.request(url, {
      method: 'POST', agent, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.once('end', () => resolve(STATUS[res.statusCode ?? 0] ?? 'failed'));
      res.once('error', () => resolve('failed'));
    });
    req.once('error', () => resolve('failed'));
    req.end(body);
  });
}

const STATUS: Record<number, SendStatus> = { 200: 'accepted', 208: 'duplicate', 409: 'stale' };
