// What the coordination system reports about itself. The harness worker prints these as JSON
// lines (docs/worker-protocol.md); an app can log them.

export type SendStatus = 'accepted' | 'duplicate' | 'stale' | 'failed';

export type CoordinationEvent =
  | { type: 'acquired'; lock: string; fence: number }
  | { type: 'denied'; lock: string; holder: string | null }
  | { type: 'renewed'; lock: string; fence: number }
  | { type: 'lost'; lock: string; fence: number; reason: string }
  | { type: 'released'; lock: string; fence: number }
  | { type: 'send'; automation: string; seq: number; fence: number; partition: number; resend: boolean }
  | { type: 'sent'; automation: string; seq: number; fence: number; partition: number; status: SendStatus }
  | { type: 'idle'; automation: string; partition: number; reason: 'stopped' | 'complete' }
  | { type: 'error'; message: string };
