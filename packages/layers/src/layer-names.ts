import { ToolError } from '@smeconf/errors';

/** `fleet`, `group:NAME` or `host`: where a layer sits in the order fleet < groups < host. */
export type LayerName = 'fleet' | 'host' | `group:${string}`;

// a group name is a path segment of an etcd prefix and part of a file name
const GROUP = /^group:([A-Za-z0-9][A-Za-z0-9._-]*)$/;

export function isLayerName(name: string): name is LayerName {
  return name === 'fleet' || name === 'host' || GROUP.test(name);
}

/** The group's own name of `group:NAME`, else undefined. */
export function groupOf(name: LayerName): string | undefined {
  return GROUP.exec(name)?.[1];
}

/**
 * A server's layers, lowest first, from a comma-separated list such as
 * `fleet,group:web,group:odoo,host`: `host` must be there and last, `fleet`
 * if there is first, each group once, in the order given (a later group
 * wins over an earlier one).
 */
export function parseLayerList(list: string): LayerName[] {
  const names = list.split(',').map((name) => name.trim());
  const fail = (problem: string): never => {
    throw new ToolError('E_LAYER_INVALID', `invalid layer list ${JSON.stringify(list)}: ${problem}`, { details: { list } });
  };
  for (const name of names) {
    if (!isLayerName(name)) fail(`${JSON.stringify(name)} is not fleet, group:NAME (letters, digits, ".", "_", "-") or host`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) fail(`${name} is named twice`);
    seen.add(name);
  }
  if (names.at(-1) !== 'host') fail('it must end with host (the host layer is the highest)');
  if (names.indexOf('fleet') > 0) fail('fleet must come first (it is the lowest layer)');
  return names as LayerName[];
}
