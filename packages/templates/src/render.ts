import Handlebars from 'handlebars';
import { NOT_LOADED } from './data-access.ts';
import type { DataAccess } from './data-access.ts';
import { HELPERS, registerHelpers } from './helpers/index.ts';
import type { RenderScope } from './helpers/index.ts';
import { locateProblem } from './locate.ts';
import type { Fragment, ResolvedTemplate } from './resolve.ts';
import type { FragmentProblem } from './template-error.ts';
import { moduleContext, type FragmentModule } from './fragment-module.ts';
import { Compiler } from './compile-cache.ts';
import { perlFragmentProblem } from './perl-fragment.ts';
import { assertConfined } from './paths.ts';

/**
 * A compiler for fragments: its own Handlebars environment with smeconf's
 * helpers, strict, no HTML escaping, only known helpers. Made once per run.
 */
export function fragmentCompiler(cacheDir?: string, warn?: (message: string) => void): Compiler {
  const env = Handlebars.create();
  registerHelpers(env);
  const knownHelpers = Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true]));
  const options = { strict: true, noEscape: true, knownHelpers, knownHelpersOnly: true };
  return new Compiler({ env, options, runtime: { allowProtoPropertiesByDefault: true } }, cacheDir, warn);
}

/** Everything one render needs besides the template itself. */
export interface RenderContext {
  readonly access: DataAccess;
  /** Loaded JavaScript fragments by path; a missing one is noted in `missingModules`. */
  readonly modules: ReadonlyMap<string, FragmentModule>;
  readonly missingModules: Set<string>;
  /** Every fragment problem of the render, in order. */
  readonly problems: FragmentProblem[];
  /** Compiles Handlebars fragments (see fragmentCompiler). */
  readonly compiler: Compiler;
}

export function isModuleFragment(fragment: Fragment): boolean {
  return /\.m?js$/.test(fragment.name);
}

/**
 * The pure core: a template's fragments and data to text. A fragment that
 * fails contributes nothing; its problem is collected and rendering goes on,
 * so that one run reports every error.
 */
export function renderTemplate(template: ResolvedTemplate, data: object, context: RenderContext): string {
  const scope: RenderScope = {
    access: context.access,
    expand: (name, extra) => {
      const sub = findSub(template, name);
      return renderTemplate(sub, Object.assign(Object.create(data) as object, extra), context);
    },
  };
  const privateData = { smeconf: scope };
  let text = '';
  for (const fragment of template.fragments) text += renderFragment(fragment, data, scope, privateData, context);
  return text;
}

function renderFragment(fragment: Fragment, data: object, scope: RenderScope, privateData: object, context: RenderContext): string {
  try {
    if (!isModuleFragment(fragment)) {
      const perl = context.compiler.perlBlock(fragment.source);
      if (perl !== undefined) {
        context.problems.push(perlFragmentProblem(fragment, perl)); // SME's Text::Template: refused, never printed as text
        return '';
      }
      const template = context.compiler.compile(fragment.source);
      return template(data, privateData);
    }
    const render = context.modules.get(fragment.path);
    if (render === undefined) {
      context.missingModules.add(fragment.path);
      return '';
    }
    const text = render(moduleContext(data, scope));
    if (typeof text !== 'string') throw new Error(`a JavaScript fragment must return a string, got ${typeof text}`);
    return text;
  } catch (error) {
    if (error === NOT_LOADED) throw error; // the render stops at a database not loaded yet (data-access.ts)
    context.problems.push(locateProblem(error, fragment));
    return '';
  }
}

/** `{{expand "VirtualHosts"}}`: a sub-template resolved with the template (`A/B` nested). */
function findSub(template: ResolvedTemplate, name: string): ResolvedTemplate {
  assertConfined(name, 'sub-template name');
  let sub: ResolvedTemplate | undefined = template;
  for (const part of name.split('/')) if (part !== '' && part !== '.') sub = sub?.subs?.get(part);
  if (sub === undefined || sub === template) throw new Error(`no sub-template ${name} under ${template.templatePath}`);
  return sub;
}
