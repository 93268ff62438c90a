import { parseDockerfile } from '../../dockerfile';
import { finalStageRoot } from './final-stage-root';

const check = (text: string) => finalStageRoot.check({ dockerfile: parseDockerfile(text) });

describe('security/final-stage-root', () => {
  it('reports a final stage without USER at its FROM, suggesting the node image user', () => {
    const [hit] = check('FROM node:20 AS build\nUSER node\nFROM node:20-slim\nCMD ["node"]\n');
    expect(hit.line).toBe(2);
    expect(hit.fix).toContain('USER node (the image has it)');
  });

  it.each([
    ['USER root', 'FROM debian\nUSER app\nUSER root\n', 2],
    ['USER 0:0', 'FROM debian\nUSER 0:0\n', 1],
    ['FROM scratch without USER', 'FROM golang AS b\nFROM scratch\nCOPY --from=b /x /x\n', 1],
  ])('reports %s', (_name, text, line) => {
    expect(check(text).map((hit) => hit.line)).toEqual([line]);
  });

  it.each([
    ['a non-root USER', 'FROM debian\nRUN useradd app\nUSER app\n'],
    ['a USER inherited from the stage it starts FROM', 'FROM debian AS base\nUSER 1000\nFROM base\nCMD ["x"]\n'],
    ['a base image that is non-root by name', 'FROM gcr.io/distroless/static:nonroot\nCOPY x /x\n'],
    ['an unknown base (a variable without value)', 'ARG BASE\nFROM $BASE\n'],
    ['no stage at all', 'RUN true\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});
