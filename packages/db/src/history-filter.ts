import type { ChangeEntry, HistoryFilter } from './changes.ts';

/** Applies a HistoryFilter to a change log listed oldest first. */
export function filterHistory(entries: readonly ChangeEntry[], filter: HistoryFilter): ChangeEntry[] {
  const matching = entries.filter(
    (entry) =>
      (filter.key === undefined || entry.key === filter.key) &&
      (filter.prop === undefined || entry.prop === filter.prop),
  );
  return filter.limit === undefined ? matching : matching.slice(-filter.limit);
}
