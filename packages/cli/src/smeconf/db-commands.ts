import { readFileSync } from 'node:fs';
import { DbError } from '@smeconf/errors';
import { ConfigDb, decodeFlatBytes, exportFlat, importFlat, initializeDefaultDatabases } from '@smeconf/db';
import { openDatabase } from '../open-db.ts';
import { writeFlatFile } from '@smeconf/db-flatfile';
import type { CommandContext, SmeconfCommand } from './command.ts';
import { layoutOf, withBackend } from './command-layout.ts';

const warnTo = (context: CommandContext) => (line: string) => context.io.err(`${line}\n`);

export const DB_COMMANDS: readonly SmeconfCommand[] = [
  {
    command: 'import <db> <file>',
    describe: 'replace database DB with the records of an SME flat file, in one transaction',
    builder: (y) => y.positional('db', { type: 'string' }).positional('file', { type: 'string' }),
    task: (args, context) => async () => {
      const file = String(args['file']);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        throw new DbError('E_DB_IO', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
      }
      const text = decodeFlatBytes(bytes, file);
      const db = await openDatabase(layoutOf(args, context), String(args['db']), warnTo(context));
      try {
        const { records } = await importFlat(db, text, file);
        context.io.out(`imported ${records} record${records === 1 ? '' : 's'} into ${db.name} (${db.backend.name})\n`);
        return 0;
      } finally {
        await db.backend.close();
      }
    },
  },
  {
    command: 'export <db> [file]',
    describe: 'write database DB in the SME flat-file format (to stdout without FILE)',
    builder: (y) => y.positional('db', { type: 'string' }).positional('file', { type: 'string' }),
    task: (args, context) => async () => {
      const db = await openDatabase(layoutOf(args, context), String(args['db']), warnTo(context));
      try {
        const text = await exportFlat(db, new Date());
        if (args['file'] === undefined) context.io.out(text);
        else writeFlatFile(args['file'] as string, text);
        return 0;
      } finally {
        await db.backend.close();
      }
    },
  },
  {
    command: 'initialize-default-databases',
    describe: 'apply the defaults and force trees of every database (SME action of the same name)',
    builder: (y) => y,
    task: (args, context) => async () => {
      const layout = layoutOf(args, context);
      await withBackend(layout, warnTo(context), (backend) =>
        initializeDefaultDatabases({ dirs: layout.defaultsDirs, open: (name) => new ConfigDb(backend, name), log: warnTo(context) }),
      );
      return 0;
    },
  },
];
