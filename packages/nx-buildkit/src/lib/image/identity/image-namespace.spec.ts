import { defaultRepository, workspaceNamespace } from './image-namespace';

describe('default image names, namespaced by the workspace', () => {
  it('takes the root package npm scope, else its name, else nothing', () => {
    expect(workspaceNamespace(JSON.stringify({ name: '@acme/source' }))).toBe('acme');
    expect(workspaceNamespace(JSON.stringify({ name: 'Shop_Front' }))).toBe('shop_front');
    expect(workspaceNamespace(JSON.stringify({ private: true }))).toBeUndefined();
    expect(workspaceNamespace('not json')).toBeUndefined();
    expect(workspaceNamespace(undefined)).toBeUndefined();
  });

  it('puts the project name under it, without repeating the scope', () => {
    expect(defaultRepository('api', 'acme')).toBe('acme/api');
    expect(defaultRepository('@acme/api', 'acme')).toBe('acme/api');
    expect(defaultRepository('@other/api', 'acme')).toBe('acme/other-api');
    expect(defaultRepository('api', undefined)).toBe('api');
  });
});
