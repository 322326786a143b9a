/** Bad input from the user: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
