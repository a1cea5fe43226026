/**
 * A Node system error as one short phrase for a message: `EROFS:
 * read-only file system, chmod '/x'` becomes `read-only file system
 * (EROFS)`; anything else its message.
 */
export function describeSystemError(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = String(message ?? error);
  if (typeof code !== 'string') return text;
  const match = /^[A-Z0-9]+: ([^,]+)/.exec(text);
  return `${match === null ? text : match[1]} (${code})`;
}
