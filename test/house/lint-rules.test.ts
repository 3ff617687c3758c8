import fs from 'node:fs';
import js from '@eslint/js';
import { parse } from 'jsonc-parser';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * oxlint runs the lint (.oxlintrc.json), but the rule set it runs is @eslint/js's recommended set and
 * typescript-eslint's strict-type-checked set: these tests hold the file to both packages, so a rule
 * one of them adds fails here until it is in the file, and no rule is dropped by editing the file alone.
 */

type Level = 'error' | 'warn' | 'off';
type Setting = Level | number | [Level | number, ...unknown[]];
interface OxlintConfig {
  rules: Record<string, Setting>;
  overrides: { files: string[]; rules?: Record<string, Setting> }[];
}

const config = parse(fs.readFileSync('.oxlintrc.json', 'utf8')) as OxlintConfig;
const level = (setting: Setting | undefined): Level | number | undefined =>
  Array.isArray(setting) ? setting[0] : setting;
const isOn = (setting: Setting | undefined) =>
  setting !== undefined && level(setting) !== 'off' && level(setting) !== 0;

/** The presets as ESLint applied them to a .ts file: @eslint/js first, typescript-eslint's configs over it. */
function presetRules(): Record<string, Setting> {
  const rules: Record<string, Setting> = { ...(js.configs.recommended.rules as Record<string, Setting>) };
  for (const part of tseslint.configs.strictTypeChecked) Object.assign(rules, part.rules ?? {});
  return rules;
}

/**
 * oxlint's name for a rule: typescript-eslint's rules are `typescript/…`, except its extensions of a core
 * rule that oxlint's core rule already checks in TypeScript (no-unused-vars and the like), which keep the
 * core name.
 */
function oxlintName(rule: string): string {
  if (!rule.startsWith('@typescript-eslint/')) return rule;
  const bare = rule.slice('@typescript-eslint/'.length);
  return `typescript/${bare}` in config.rules || !(bare in config.rules) ? `typescript/${bare}` : bare;
}

/** Rules the project turns off on purpose; .oxlintrc.json says why beside each. */
const OFF_ON_PURPOSE = ['typescript/no-non-null-assertion', 'typescript/require-await'];
/**
 * Rules with nothing left to catch in an ES module (every file here is one), where the parser already
 * refuses what they look for: legacy octal literals, and a parameter name given twice.
 */
const SYNTAX_ERRORS_IN_MODULES = ['no-octal', 'no-dupe-args'];

describe('the lint runs the presets it names', () => {
  const preset = presetRules();
  const wanted = Object.entries(preset)
    .filter(([, setting]) => isOn(setting))
    .map(([rule]) => oxlintName(rule))
    .filter((rule) => !SYNTAX_ERRORS_IN_MODULES.includes(rule));

  it('has every rule of both presets on, save the ones it turns off on purpose', () => {
    expect(wanted.length).toBeGreaterThan(100);
    const missing = wanted.filter((rule) => !isOn(config.rules[rule]) && !OFF_ON_PURPOSE.includes(rule));
    expect(missing).toEqual([]);
    expect(OFF_ON_PURPOSE.filter((rule) => level(config.rules[rule]) !== 'off')).toEqual([]);
  });

  it('reports every rule as an error, so a finding fails the run', () => {
    const warnings = Object.entries(config.rules).filter(
      ([, setting]) => level(setting) === 'warn' || level(setting) === 1,
    );
    expect(warnings).toEqual([]);
  });

  it('keeps the presets’ own options where the project sets none', () => {
    for (const rule of [
      '@typescript-eslint/ban-ts-comment',
      '@typescript-eslint/restrict-plus-operands',
      '@typescript-eslint/return-await',
    ]) {
      const ours = config.rules[oxlintName(rule)];
      expect(Array.isArray(ours) ? ours.slice(1) : [], rule).toEqual((preset[rule] as unknown[]).slice(1));
    }
  });

  it('checks JavaScript files without types, and with the core rules TypeScript replaces in .ts files', () => {
    const forJs = config.overrides.find((o) => o.files.includes('**/*.mjs'))?.rules ?? {};
    const typed = Object.keys(tseslint.configs.disableTypeChecked.rules ?? {}).map((rule) => oxlintName(rule));
    expect(typed.filter((rule) => rule in config.rules && level(forJs[rule]) !== 'off')).toEqual([]);
    const core = js.configs.recommended.rules as Record<string, Setting>;
    const replacedInTs = Object.entries(tseslint.configs.eslintRecommended.rules ?? {})
      .filter(([rule, setting]) => !isOn(setting as Setting) && isOn(core[rule]))
      .map(([rule]) => rule);
    expect(replacedInTs).toContain('no-undef');
    expect(replacedInTs.filter((rule) => !isOn(forJs[rule]) && !SYNTAX_ERRORS_IN_MODULES.includes(rule))).toEqual([]);
  });
});
