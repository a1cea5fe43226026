import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { DataAccess } from './data-access.ts';
import { HELPERS, registerHelpers } from './helpers/index.ts';
import type { RenderScope } from './helpers/index.ts';
import { locateProblem } from './locate.ts';
import type { Fragment, ResolvedTemplate } from './resolve.ts';
import type { FragmentProblem } from './template-error.ts';
import { moduleContext, type FragmentModule } from './fragment-module.ts';
import { compileFragment } from './compile-cache.ts';
import { perlFragmentProblem } from './perl-fragment.ts';
import type { CompileSetup } from './compile-cache.ts';

const env = Handlebars.create();
registerHelpers(env);
const setup: CompileSetup = {
  env,
  options: { strict: true, noEscape: true, knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])), knownHelpersOnly: true },
};

/** Everything one render needs besides the template itself. */
export interface RenderContext {
  readonly access: DataAccess;
  /** Loaded JavaScript fragments by path; a missing one is noted in `missingModules`. */
  readonly modules: ReadonlyMap<string, FragmentModule>;
  readonly missingModules: Set<string>;
  /** Resolves a sub-template path (`<template path>/<name>`). */
  readonly resolveSub: (templatePath: string) => ResolvedTemplate | undefined;
  /** Every fragment problem of the render, in order. */
  readonly problems: FragmentProblem[];
  /** Where compiled fragments are kept between processes (none: compile in every process). */
  readonly compileCacheDir?: string | undefined;
  /** Where a compiled-fragment cache that was repaired or refused is reported. */
  readonly warn?: ((message: string) => void) | undefined;
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
  let text = '';
  for (const fragment of template.fragments) text += renderFragment(fragment, template, data, context);
  return text;
}

function renderFragment(fragment: Fragment, template: ResolvedTemplate, data: object, context: RenderContext): string {
  const scope: RenderScope = {
    access: context.access,
    expand: (name, extra) => {
      const sub = context.resolveSub(join(template.templatePath, name));
      if (sub === undefined) throw new Error(`no sub-template ${name} under ${template.templatePath}`);
      return renderTemplate(sub, Object.assign(Object.create(data) as object, extra), context);
    },
  };
  try {
    if (!isModuleFragment(fragment)) {
      const perl = perlFragmentProblem(fragment);
      if (perl !== undefined) {
        context.problems.push(perl); // SME's Text::Template: refused, never printed as text
        return '';
      }
      const template = compileFragment(fragment.source, setup, context.compileCacheDir, context.warn);
      return template(data, { data: { smeconf: scope }, allowProtoPropertiesByDefault: true });
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
    context.problems.push(locateProblem(error, fragment));
    return '';
  }
}
