import { describe, expect, it } from 'vitest';
import { categoriesOf, filterApps, filterModules, indexApps, type PickerApp } from '../../web/src/picker/filter.ts';

const app = (id: string, name: string, category: string, modules: string[] = []): PickerApp => ({
  id,
  name,
  category,
  modules: modules.map((m, i) => ({ id: `${id}-${i}`, name: m })),
});

const catalog = [
  app('airtable', 'Airtable', 'Databases', ['List bases']),
  app('gitea', 'Gitea', 'Developer tools', ['List repositories']),
  app('github', 'GitHub', 'Developer tools', ['List repositories', 'Create an issue']),
  app('slack', 'Slack', 'Communication', ['Send a message', 'List git-style threads']),
];

describe('the picker’s filter', () => {
  it('puts the team’s apps first, most used first, then the rest in catalog order', () => {
    const index = indexApps(
      catalog,
      new Map([
        ['slack', 1],
        ['github', 3],
      ]),
    );
    expect(filterApps(index, '', null).map((a) => a.id)).toEqual(['github', 'slack', 'airtable', 'gitea']);
  });

  it('matches every word in the name, category or module names, apps named so first', () => {
    const index = indexApps(catalog, new Map());
    // "git" is in Slack's module name too, but the apps whose names start with it come first.
    expect(filterApps(index, 'git', null).map((a) => a.id)).toEqual(['gitea', 'github', 'slack']);
    expect(filterApps(index, 'developer issue', null).map((a) => a.id)).toEqual(['github']);
    expect(filterApps(index, 'SEND', null).map((a) => a.id)).toEqual(['slack']);
    expect(filterApps(index, 'nothing like it', null)).toEqual([]);
  });

  it('narrows to a category', () => {
    const index = indexApps(catalog, new Map());
    expect(filterApps(index, '', 'Developer tools').map((a) => a.id)).toEqual(['gitea', 'github']);
    expect(filterApps(index, 'list', 'Databases').map((a) => a.id)).toEqual(['airtable']);
  });

  it('finds modules by their name (with their app’s), up to a limit', () => {
    const found = filterModules(catalog, 'github list', 10).map((m) => `${m.app.id}/${m.module.name}`);
    expect(found).toEqual(['github/List repositories']);
    // An app's name alone does not list all its modules.
    expect(filterModules(catalog, 'github', 10)).toEqual([]);
    expect(filterModules(catalog, 'list', 2)).toHaveLength(2);
  });

  it('lists categories once, in first-seen order', () => {
    expect(categoriesOf(catalog)).toEqual(['Databases', 'Developer tools', 'Communication']);
  });
});
