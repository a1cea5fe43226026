import { readFileSync } from 'node:fs';

/** A user name or number from metadata to a uid; an unknown name warns and is root, as in SME. */
export function resolveUser(name: string, warn: (message: string) => void): number {
  return resolveId(name, '/etc/passwd', warn, 'user');
}

export function resolveGroup(name: string, warn: (message: string) => void): number {
  return resolveId(name, '/etc/group', warn, 'group');
}

function resolveId(name: string, file: string, warn: (message: string) => void, what: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // no such file: every name is unknown
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined) return Number(fields[2]);
  }
  warn(`invalid ${what}: ${name}, defaulting to 'root' ${what} (0)`);
  return 0;
}
