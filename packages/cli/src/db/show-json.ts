import { compareBytes, recordToJson } from '@smeconf/db';
import type { ConfigDb } from '@smeconf/db';
import { LayeredBackend } from '@smeconf/layers';
import type { Provenance } from '@smeconf/layers';

/**
 * `show --json` over layers: each record as without layers, plus `from`
 * (each prop's layer, in the props' order) and `typeFrom` (the layer that
 * gives the type): `{"key","type","props","from":{"TCPPort":"host"},"typeFrom":"fleet"}`.
 * Undefined when the database has no layers (the plain JSON, unchanged).
 */
export async function showWithProvenance(db: ConfigDb, key: string | undefined): Promise<object[] | undefined> {
  const view = db.backend;
  if (!(view instanceof LayeredBackend)) return undefined;
  if (key === undefined) return (await view.listProvenance(db.name)).map(([name, found]) => provenanceJson(name, found));
  const found = await view.provenance(db.name, key.trim());
  return found === undefined ? [] : [provenanceJson(key.trim(), found)];
}

function provenanceJson(key: string, found: Provenance): object {
  const from = [...found.from].sort((a, b) => compareBytes(a[0], b[0]));
  return { ...recordToJson(key, found.record), from: Object.fromEntries(from), typeFrom: found.typeFrom };
}
