// Where the automation's messages go. The first sender POSTs JSON to an HTTP endpoint; the
// receiver answers 200 accepted, 208 already accepted (duplicate), 409 stale fence.
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
  return async (m, signal) => {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(m),
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      await res.arrayBuffer();
      if (res.status === 200) return 'accepted';
      if (res.status === 208) return 'duplicate';
      if (res.status === 409) return 'stale';
      return 'failed';
    } catch {
      return 'failed';
    }
  };
}
