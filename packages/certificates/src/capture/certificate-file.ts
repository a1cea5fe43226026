import { readFileSync } from 'node:fs';
import { parsePems, subjectAltNames } from '../inspect.ts';
import { pathInsideRoot } from '../root-path.ts';
import type { CertificateFacts } from './hook-call.ts';

/**
 * The names (subjectAltNames) and end of validity of the certificate
 * dehydrated hands deploy_cert/unchanged_cert, the path confined to the
 * root (a symlink out of it is refused); why not, when it cannot be read.
 */
export function readCertificateFacts(root: string, path: string): CertificateFacts {
  const inside = pathInsideRoot(root, path);
  if ('why' in inside) return inside;
  let text: string;
  try {
    text = readFileSync(inside.path, 'utf8');
  } catch (error) {
    return { why: `${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}` };
  }
  const [certificate] = parsePems(text);
  if (certificate === undefined) return { why: `${path}: no PEM certificate in it` };
  return { names: subjectAltNames(certificate), notAfter: new Date(certificate.validTo).toISOString() };
}
