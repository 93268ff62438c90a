import { parseDockerfile } from '../../dockerfile';
import { unpinnedBaseImage } from './unpinned-base-image';

const check = (text: string) => unpinnedBaseImage.check({ dockerfile: parseDockerfile(text) });

describe('base-image/unpinned-tag', () => {
  it('reports latest and untagged images, with a registry port not read as a tag', () => {
    const hits = check('FROM node:latest\nFROM python\nFROM localhost:5000/team/base\n');
    expect(hits.map((hit) => hit.line)).toEqual([0, 1, 2]);
    expect(hits[0].message).toContain('uses the moving "latest" tag');
    expect(hits[1].message).toContain('has no tag, which means "latest"');
    expect(hits[2].fix).toContain('FROM localhost:5000/team/base:<major>-<distro>');
  });

  it('resolves global ARG defaults', () => {
    expect(check('ARG TAG=latest\nFROM node:${TAG}\n')).toHaveLength(1);
    expect(check('ARG TAG=20\nFROM node:${TAG}\n')).toEqual([]);
  });

  it.each([
    ['a tag', 'FROM node:20-bookworm-slim\n'],
    ['a digest', 'FROM node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n'],
    ['scratch', 'FROM scratch\n'],
    ['a stage', 'FROM node:20 AS base\nFROM base\n'],
    ['an unresolved variable', 'ARG IMAGE\nFROM $IMAGE\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});
