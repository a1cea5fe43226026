import type { ConfigDb, DbRecord } from '@smeconf/db';
import { recordToJson, sortedProps } from '@smeconf/db';
import type { Io } from '../io.ts';
import { checkArity, nonEmpty, pairs } from './args.ts';
import { historyLine, printLine, rawForm, showBlock } from './format.ts';
import type { Verb } from './usage.ts';

export interface VerbContext {
  readonly db: ConfigDb;
  readonly args: readonly string[];
  readonly json: boolean;
  readonly io: Io;
  readonly program: string;
}

type VerbRun = (ctx: VerbContext) => Promise<number>;

const FOUND = 0;
const MISSING = 1;

/** Writes records (or one record) as text lines or JSON; exit 1 when none. */
function emitRecords(ctx: VerbContext, records: DbRecord[], text: (r: DbRecord) => string, json: (r: DbRecord) => object): number {
  if (records.length === 0) return MISSING;
  const single = ctx.args.length > 0;
  if (ctx.json) ctx.io.out(JSON.stringify(single ? json(records[0]!) : records.map(json)) + '\n');
  else ctx.io.out(records.map(text).join(''));
  return FOUND;
}

/** Records already made JSON (one object for a named key, else a list); exit 1 when none. */
function emitJson(ctx: VerbContext, records: object[]): number {
  if (records.length === 0) return MISSING;
  ctx.io.out(JSON.stringify(ctx.args.length > 0 ? records[0] : records) + '\n');
  return FOUND;
}

/** The record named by the optional key argument, or every record. */
async function selected(ctx: VerbContext): Promise<DbRecord[]> {
  const key = ctx.args[0];
  if (key === undefined) return ctx.db.list();
  const record = await ctx.db.get(key);
  return record === undefined ? [] : [{ key: key.trim(), ...record }];
}

async function one(ctx: VerbContext, verb: string): Promise<DbRecord | undefined> {
  const key = nonEmpty(verb, 'key', ctx.args[0]).trim();
  const record = await ctx.db.get(key);
  return record && { key, ...record };
}

const typeJson = (r: DbRecord): object => ({ key: r.key, type: r.type });

export const VERBS: Record<Verb, { readonly read: boolean; readonly run: VerbRun }> = {
  keys: {
    read: true,
    async run(ctx) {
      checkArity('keys', ctx.args, { min: 0, max: 0 });
      const keys = (await ctx.db.list()).map((r) => r.key);
      if (keys.length === 0) return MISSING;
      ctx.io.out(ctx.json ? JSON.stringify(keys) + '\n' : keys.map((k) => `${k}\n`).join(''));
      return FOUND;
    },
  },
  print: {
    read: true,
    async run(ctx) {
      checkArity('print', ctx.args, { min: 0, max: 1 });
      return emitRecords(ctx, await selected(ctx), (r) => printLine(r.key, r), (r) => recordToJson(r.key, r));
    },
  },
  show: {
    read: true,
    async run(ctx) {
      checkArity('show', ctx.args, { min: 0, max: 1 });
      // loaded only for show --json: it says where props come from over layers
      const layered = ctx.json ? await (await import('./show-json.ts')).showWithProvenance(ctx.db, ctx.args[0]) : undefined;
      if (layered !== undefined) return emitJson(ctx, layered);
      return emitRecords(ctx, await selected(ctx), (r) => showBlock(r.key, r), (r) => recordToJson(r.key, r));
    },
  },
  get: {
    read: true,
    async run(ctx) {
      checkArity('get', ctx.args, { min: 1, max: 1 });
      const record = await one(ctx, 'get');
      if (record === undefined) return MISSING;
      ctx.io.out(ctx.json ? JSON.stringify(recordToJson(record.key, record)) + '\n' : rawForm(record.key, record) + '\n');
      return FOUND;
    },
  },
  set: {
    read: false,
    async run(ctx) {
      checkArity('set', ctx.args, { min: 2, pairsFrom: 2 });
      const [key, type, ...rest] = ctx.args;
      await ctx.db.set(nonEmpty('set', 'key', key), type!, pairs(rest));
      return FOUND;
    },
  },
  setdefault: {
    read: false,
    async run(ctx) {
      checkArity('setdefault', ctx.args, { min: 2, pairsFrom: 2 });
      const [key, type, ...rest] = ctx.args;
      await ctx.db.setDefault(nonEmpty('setdefault', 'key', key), nonEmpty('setdefault', 'type', type), pairs(rest));
      return FOUND;
    },
  },
  delete: {
    read: false,
    async run(ctx) {
      checkArity('delete', ctx.args, { min: 1, max: 1 });
      return (await ctx.db.delete(nonEmpty('delete', 'key', ctx.args[0]))) ? FOUND : MISSING;
    },
  },
  printtype: {
    read: true,
    async run(ctx) {
      checkArity('printtype', ctx.args, { min: 0, max: 1 });
      return emitRecords(ctx, await selected(ctx), (r) => `${r.key}=${r.type}\n`, typeJson);
    },
  },
  gettype: {
    read: true,
    async run(ctx) {
      checkArity('gettype', ctx.args, { min: 1, max: 1 });
      const record = await one(ctx, 'gettype');
      if (record === undefined) return MISSING;
      ctx.io.out(ctx.json ? JSON.stringify(typeJson(record)) + '\n' : `${record.type}\n`);
      return FOUND;
    },
  },
  settype: {
    read: false,
    async run(ctx) {
      checkArity('settype', ctx.args, { min: 2, max: 2 });
      const [key, type] = ctx.args;
      return (await ctx.db.setType(nonEmpty('settype', 'key', key), nonEmpty('settype', 'type', type))) ? FOUND : MISSING;
    },
  },
  printprop: {
    read: true,
    async run(ctx) {
      checkArity('printprop', ctx.args, { min: 1 });
      const record = await one(ctx, 'printprop');
      const wanted = ctx.args.slice(1);
      const all = record === undefined ? [] : sortedProps(record);
      // All props: exit 1 if there are none. Listed props: those defined, in argument order, exit 0.
      const shown = wanted.length === 0 ? all : wanted.flatMap((name) => all.filter(([n]) => n === name));
      if (wanted.length === 0 && shown.length === 0) return MISSING;
      if (ctx.json) ctx.io.out(JSON.stringify({ key: ctx.args[0]!.trim(), props: Object.fromEntries(shown) }) + '\n');
      else ctx.io.out(shown.map(([name, value]) => `${name}=${value}\n`).join(''));
      return FOUND;
    },
  },
  getprop: {
    read: true,
    async run(ctx) {
      checkArity('getprop', ctx.args, { min: 2, max: 2 });
      const record = await one(ctx, 'getprop');
      const prop = nonEmpty('getprop', 'property name', ctx.args[1]);
      const value = record?.props.get(prop);
      if (value === undefined) return MISSING;
      ctx.io.out(ctx.json ? JSON.stringify({ key: record!.key, prop, value }) + '\n' : `${value}\n`);
      return FOUND;
    },
  },
  setprop: {
    read: false,
    async run(ctx) {
      checkArity('setprop', ctx.args, { min: 3, pairsFrom: 1 });
      const key = nonEmpty('setprop', 'key', ctx.args[0]);
      if (!(await ctx.db.setProps(key, pairs(ctx.args.slice(1))))) warnMissing(ctx, key);
      return FOUND;
    },
  },
  delprop: {
    read: false,
    async run(ctx) {
      checkArity('delprop', ctx.args, { min: 2 });
      const key = nonEmpty('delprop', 'key', ctx.args[0]);
      if (!(await ctx.db.delProps(key, ctx.args.slice(1)))) warnMissing(ctx, key);
      return FOUND;
    },
  },
  history: {
    read: true,
    async run(ctx) {
      checkArity('history', ctx.args, { min: 0, max: 2 });
      const [key, prop] = ctx.args;
      const entries = await ctx.db.history({ ...(key !== undefined && { key: key.trim() }), ...(prop !== undefined && { prop }) });
      ctx.io.out(ctx.json ? JSON.stringify(entries) + '\n' : entries.map(historyLine).join(''));
      return FOUND;
    },
  },
};

/** SME does nothing and exits 0 for a missing key; we also say so. */
function warnMissing(ctx: VerbContext, key: string): void {
  ctx.io.err(`${ctx.program}: warning: no record ${key.trim()} in ${ctx.db.name}; nothing changed\n`);
}
