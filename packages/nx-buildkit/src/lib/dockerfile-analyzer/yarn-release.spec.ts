import { memoryContextFiles } from '../../../test/memory-context-files';
import { usesYarnBerry } from './yarn-release';

describe('usesYarnBerry', () => {
  it('is true for a .yarnrc.yml or a packageManager pinned to Yarn 2+', () => {
    expect(usesYarnBerry(memoryContextFiles({ '.yarnrc.yml': 'nodeLinker: node-modules\n' }))).toBe(true);
    expect(usesYarnBerry(memoryContextFiles({ 'package.json': '{"packageManager":"yarn@4.5.3"}' }))).toBe(true);
  });

  it('is false for Yarn 1, no packageManager, or a manifest that is not JSON', () => {
    expect(usesYarnBerry(memoryContextFiles({ 'package.json': '{"packageManager":"yarn@1.22.22"}' }))).toBe(false);
    expect(usesYarnBerry(memoryContextFiles({ 'package.json': '{"name":"web"}' }))).toBe(false);
    expect(usesYarnBerry(memoryContextFiles({ 'package.json': '{' }))).toBe(false);
  });
});
