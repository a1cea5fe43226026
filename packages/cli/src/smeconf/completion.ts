import yargs from 'yargs';
import { SYNOPSES } from '../db/usage.ts';
import type { SmeconfCommand } from './command.ts';

/**
 * `smeconf completion`: a bash script completing `smeconf` (its commands,
 * their options, database names), `db` and `config` (database names,
 * verbs, keys, property names) and `signal-event` (event names). The
 * words of smeconf's commands are written in at generation time from the
 * commands themselves; databases, keys, props and events are read at TAB
 * time, keys and props through the very `db`/`config` being completed, so
 * that SMECONF_ROOT, --root and the backend are theirs.
 */
export function completionCommand(commands: () => readonly SmeconfCommand[]): SmeconfCommand {
  return {
    command: 'completion',
    describe: 'print a bash completion script for smeconf, db, config and signal-event (eval "$(smeconf completion)")',
    builder: (y) => y,
    rootless: true,
    task: (_args, context) => () => {
      context.io.out(completionScript(commands(), context.stockDir));
      return Promise.resolve(0);
    },
  };
}

const GLOBAL_OPTIONS = ['--help', '--root', '--version'];

/** What positional words complete to: a database name, a key of it, a prop of that key, its choices; anything else falls back to file names. */
const KINDS: Readonly<Record<string, string>> = { db: 'db', key: 'key', prop: 'prop' };

interface DeclaredOptions {
  readonly key: Record<string, unknown>;
  readonly string: readonly string[];
  readonly choices: Record<string, readonly unknown[]>;
}

function commandCase(command: SmeconfCommand): string {
  const [name, ...positionals] = command.command.split(' ');
  const names = positionals.map((word) => word.replace(/[<>[\].]/g, ''));
  // yargs' getOptions() (not in its type declarations): every option the builder declared, by name and by type
  const declared = (command.builder(yargs()) as unknown as { getOptions(): DeclaredOptions }).getOptions();
  const options = Object.keys(declared.key).filter((key) => !names.includes(key) && key !== 'help' && key !== 'version');
  const words = [...new Set([...options.map((key) => `--${key}`), ...GLOBAL_OPTIONS])].sort();
  const valued = declared.string.filter((key) => options.includes(key)).map((key) => `--${key}`);
  // a positional with choices completes to them (`=renew register …`)
  const kinds = names.map((word) => (declared.choices[word] ? quote(`=${declared.choices[word].join(' ')}`) : (KINDS[word] ?? 'other'))).join(' ');
  return `    ${name}) _smeconf_valued+=" ${valued.join(' ')}"; _smeconf_scan
      if [[ $cur == -* ]]; then _smeconf_reply "${words.join(' ')}"; else _smeconf_positional ${kinds}; fi ;;`;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function completionScript(commands: readonly SmeconfCommand[], stockDir: string): string {
  const names = commands.map((command) => command.command.split(' ')[0]!);
  return `# bash completion for smeconf, db, config and signal-event. Load it with
#   eval "$(smeconf completion)"                              (this shell)
#   smeconf completion > /etc/bash_completion.d/smeconf       (every shell)
_smeconf_stock=${quote(stockDir)}
_smeconf_verbs='${Object.keys(SYNOPSES).join(' ')}'

_smeconf_reply() { mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur" | sort -u); }

# Sets _smeconf_pos (the positional words before the one being completed)
# and _smeconf_rootopt (--root DIR as given, or nothing) with _smeconf_root.
_smeconf_scan() {
  local i w
  _smeconf_pos=() _smeconf_rootopt=() _smeconf_root=\${SMECONF_ROOT:-/}
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    case $w in
      --root=*) _smeconf_root=\${w#--root=}; _smeconf_rootopt=(--root "$_smeconf_root") ;;
      -*) if [[ " $_smeconf_valued " == *" $w "* ]]; then
            i=$((i + 1)); [[ \${COMP_WORDS[i]} == = ]] && i=$((i + 1))
            [[ $w == --root ]] && _smeconf_root=\${COMP_WORDS[i]} && _smeconf_rootopt=(--root "$_smeconf_root")
          fi ;;
      *) _smeconf_pos+=("$w") ;;
    esac
  done
}

# The option whose value is being completed, if any.
_smeconf_valueof() {
  local prev=\${COMP_WORDS[COMP_CWORD-1]}
  [[ $prev == = ]] && prev=\${COMP_WORDS[COMP_CWORD-2]}
  [[ " $_smeconf_valued " == *" $prev "* ]] && printf '%s' "$prev"
}

# Databases: those with a defaults tree, flat files of the db directory, and SME's configuration, domains, hosts.
_smeconf_dbnames() {
  local f
  printf '%s\\n' configuration domains hosts
  for f in "$_smeconf_root/etc/e-smith/db"/*/ "$_smeconf_stock/db"/*/; do [[ -d $f ]] && f=\${f%/} && printf '%s\\n' "\${f##*/}"; done
  for f in "$_smeconf_root/home/e-smith/db"/*; do
    [[ -f $f ]] || continue
    case \${f##*/} in smeconf.sqlite* | *.lock) ;; *) printf '%s\\n' "\${f##*/}" ;; esac
  done
}

_smeconf_events() {
  local f
  for f in "$_smeconf_root/etc/e-smith/events"/*/ "$_smeconf_stock/events"/*/; do
    [[ -d $f ]] && f=\${f%/} && [[ \${f##*/} != actions ]] && printf '%s\\n' "\${f##*/}"
  done
}

# $1…: the command that reads the database (db NAME, or config); $KEY: the record.
_smeconf_props() { "$@" show "$KEY" 2>/dev/null | sed -n 's/^    \\([^=]*\\)=.*/\\1/p'; }

# Completes the word after VERB KEY… ($_smeconf_pos from the verb on) for the reader "$@".
_smeconf_verb_args() {
  local n=\${#_smeconf_pos[@]} verb=\${_smeconf_pos[0]} KEY=\${_smeconf_pos[1]}
  if ((n == 0)); then _smeconf_reply "$_smeconf_verbs"; return; fi
  if ((n == 1)); then [[ $verb == keys ]] || _smeconf_reply "$("$@" keys 2>/dev/null)"; return; fi
  case $verb in
    getprop | history) ((n == 2)) && _smeconf_reply "$(_smeconf_props "$@")" ;;
    printprop | delprop) _smeconf_reply "$(_smeconf_props "$@")" ;;
    setprop) ((n % 2 == 0)) && _smeconf_reply "$(_smeconf_props "$@")" ;;
    set | setdefault) ((n >= 3 && n % 2 == 1)) && _smeconf_reply "$(_smeconf_props "$@")" ;;
  esac
}

_smeconf_db_common() {
  local cur=\${COMP_WORDS[COMP_CWORD]} _smeconf_valued=' --root '
  _smeconf_scan
  if [[ -n $(_smeconf_valueof) ]]; then mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0; fi
  if [[ $cur == -* ]]; then _smeconf_reply '--help --json --root --version'; return 0; fi
  local reader=("\${COMP_WORDS[0]}" "\${_smeconf_rootopt[@]}")
  if [[ $1 == db ]]; then
    if ((\${#_smeconf_pos[@]} == 0)); then _smeconf_reply "$(_smeconf_dbnames)"; return 0; fi
    reader+=("\${_smeconf_pos[0]}")
    _smeconf_pos=("\${_smeconf_pos[@]:1}")
  fi
  _smeconf_verb_args "\${reader[@]}"
  return 0
}
_smeconf_db() { _smeconf_db_common db; }
_smeconf_config() { _smeconf_db_common config; }

_smeconf_signal_event() {
  local cur=\${COMP_WORDS[COMP_CWORD]} _smeconf_valued=' --root '
  _smeconf_scan
  if [[ -n $(_smeconf_valueof) ]]; then mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0; fi
  if [[ $cur == -* ]]; then _smeconf_reply '--dry-run --help --json --list --root'; return 0; fi
  ((\${#_smeconf_pos[@]} == 0)) && _smeconf_reply "$(_smeconf_events)"
  return 0
}

# $@: what each positional word of the command is (db, key, prop, =CHOICES, other), db before key before prop.
_smeconf_positional() {
  local kinds=("$@") n=$((\${#_smeconf_pos[@]} - 1)) db=\${COMP_WORDS[0]%smeconf}db i at=0
  for i in "\${!kinds[@]}"; do [[ \${kinds[i]} == db ]] && at=$((i + 1)); done
  local name=\${_smeconf_pos[at]} KEY=\${_smeconf_pos[at + 1]}
  case \${kinds[n]} in
    db) _smeconf_reply "$(_smeconf_dbnames)" ;;
    key) _smeconf_reply "$("$db" "\${_smeconf_rootopt[@]}" "$name" keys 2>/dev/null)" ;;
    prop) _smeconf_reply "$(_smeconf_props "$db" "\${_smeconf_rootopt[@]}" "$name")" ;;
    =*) _smeconf_reply "\${kinds[n]#=}" ;;
  esac
}

_smeconf_smeconf() {
  local cur=\${COMP_WORDS[COMP_CWORD]} _smeconf_valued=' --root '
  _smeconf_scan
  case \${_smeconf_pos[0]} in
${commands.map(commandCase).join('\n')}
    *) if [[ $cur == -* ]]; then _smeconf_reply '${GLOBAL_OPTIONS.join(' ')}'; else _smeconf_reply '${names.join(' ')}'; fi ;;
  esac
  case $(_smeconf_valueof) in
    --root) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    --event) _smeconf_reply "$(_smeconf_events)" ;;
  esac
  return 0
}

complete -F _smeconf_db db
complete -F _smeconf_config config
complete -F _smeconf_signal_event signal-event
complete -o default -F _smeconf_smeconf smeconf
`;
}
