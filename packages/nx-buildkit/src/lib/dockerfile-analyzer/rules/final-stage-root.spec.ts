import { parseDockerfile } from '../../dockerfile';
import { finalStageRoot } from './final-stage-root';

const check = (text: string) => finalStageRoot.check({ dockerfile: parseDockerfile(text) });

describe('security/final-stage-root', () => {
  it('reports a final stage without USER at its FROM, suggesting the node image user', () => {
    const [hit] = check('FROM node:20 AS build\nUSER node\nFROM node:20-slim\nCMD ["node"]\n');
    expect(hit.line).toBe(2);
    expect(hit.fix).toContain('USER node (the image has it)');
  });

  it('says the user a RUN created is never switched to', () => {
    // saleor-saleor, lines 21-23: `FROM python:3.12-slim`, then `RUN groupadd -r saleor && useradd -r -g saleor saleor`
    // and no USER to the end of the file.
    const text = '### Build and install packages\nFROM python:3.12 AS build-python\nRUN useradd builder\n### Final image\nFROM python:3.12-slim\n\nRUN groupadd -r saleor && useradd -r -g saleor saleor\nCMD ["uvicorn"]\n';
    const [hit] = check(text);
    expect(hit.line).toBe(4);
    expect(hit.message).toBe('The final stage (python:3.12-slim) creates user saleor (line 7) but never switches to it, so the container runs as root: add USER saleor.');
    expect(hit.fix).toBe('Add USER saleor after the last step that needs root.');
  });

  it.each([
    ['useradd with a cluster whose last option takes a value', 'RUN useradd -ms /bin/bash app', 'app'],
    ['useradd with long options', 'RUN useradd --uid 1001 --home-dir=/app --create-home web', 'web'],
    ["Debian's adduser", 'RUN adduser --system --ingroup app --home /app worker', 'worker'],
    ["BusyBox's adduser", 'RUN addgroup -S app && adduser -S -D -H -u 1000 -G app app', 'app'],
    ['a user created in the stage the final one starts FROM', 'RUN useradd -r svc\nFROM base', 'svc'],
  ])('reads the login of %s', (_name, run, name) => {
    const [hit] = check(`FROM debian AS base\n${run}\n`);
    expect(hit.message).toContain(`creates user ${name} (`);
  });

  it('says the entrypoint may drop to the created user when the image installs a tool for that', () => {
    // mealie-recipes-mealie: `RUN useradd -u 911 -U -d $MEALIE_HOME -s /bin/bash abc` (line 39), gosu installed with apt
    // (line 90), ENTRYPOINT ["/app/run.sh"] and no USER.
    const text = 'FROM python:3.10-slim\nRUN useradd -u 911 -U -d $MEALIE_HOME -s /bin/bash abc \\\n    && usermod -G users abc\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n    gosu \\\n    && rm -rf /var/lib/apt/lists/*\nENTRYPOINT ["/app/run.sh"]\n';
    const [hit] = check(text);
    expect(hit.message).toBe('The final stage (python:3.10-slim) creates user abc (line 2) but sets no USER: the container starts as root and only drops to abc if its entrypoint uses gosu.');
    expect(hit.fix).toBe('Add USER abc after the last step that needs root, or make sure the entrypoint drops to it with gosu.');
  });

  it('suggests the created user when the stage ends as root', () => {
    const [hit] = check('FROM debian\nRUN useradd -r app\nUSER app\nUSER root\n');
    expect(hit.fix).toBe('Switch to an unprivileged user at the end: USER app (created at line 2).');
  });

  it('keeps the plain message when the login is a shell variable or useradd only sets defaults', () => {
    expect(check('FROM debian\nRUN useradd -m "$APP_USER"\nRUN useradd -D -s /bin/sh\n')[0].message).toContain('sets no USER');
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
