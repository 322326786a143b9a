// What the coordination system reports about itself. The harness worker prints these as JSON
// lines (docs/worker-protocol.md); an app can log them.

export type SendStatus = 'accepted' | 'duplicate' | 'stale' | 'failed';

export type CoordinationEvent =
  // `sent`: when the acquire or renew request was sent (the elector's monotonic ms). A holder may
  // rely on it only until renewDeadline after that moment, which the harness checks.
  | { type: 'acquired'; lock: string; fence: number; sent: number }
  | { type: 'denied'; lock: string; holder: string | null }
  | { type: 'renewed'; lock: string; fence: number; sent: number }
  | { type: 'lost'; lock: string; fence: number; reason: string }
  | { type: 'released'; lock: string; fence: number; sent: number }
  // `fence` is null only for the harness's no-fencing negative control.
  // `at`: the clock reading at which the sender was found leading (Elector.leadingAt), so the
  // line's time is the moment of the check itself, not a later print.
  | { type: 'send'; automation: string; seq: number; fence: number | null; partition: number; resend: boolean; at: number }
  | { type: 'sent'; automation: string; seq: number; fence: number | null; partition: number; status: SendStatus }
  | { type: 'idle'; automation: string; partition: number; reason: 'stopped' | 'complete' }
  | { type: 'error'; message: string };
