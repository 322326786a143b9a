// Credentials must never reach a log, an error, a report or a process listing we print.

const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/gi;
const SECRET_PARAMS = /([?&](?:password|pass|pwd|secret|token|authSource_password|tlsCertificateKeyFilePassword)=)[^&\s]+/gi;

/** Replaces `user:password@` (and password-like query parameters) in any URI inside `text`. */
export function redact(text: string): string {
  return text
    .replace(USERINFO, (_m, scheme: string, userinfo: string) => {
      const user = userinfo.split(':')[0];
      return userinfo.includes(':') ? `${scheme}${user}:***@` : `${scheme}***@`;
    })
    .replace(SECRET_PARAMS, '$1***');
}
