import { parseDockerfile, ParsedDockerfile } from './model';

export interface BaseImageRef {
  /** The image reference after ARG substitution, e.g. `python:3.11-slim-bookworm`. */
  readonly ref: string;
  /** 0-based line of its FROM instruction. */
  readonly line: number;
}

/**
 * The external images a Dockerfile's stages start FROM: global ARGs substituted (build args override their
 * defaults), references to earlier stages and `scratch` left out, and a FROM whose variable has no value left out
 * (BuildKit fails on it with its own message). Order of first appearance.
 */
export function listBaseImages(dockerfile: string | ParsedDockerfile, buildArgs: Readonly<Record<string, string>> = {}): BaseImageRef[] {
  const model = typeof dockerfile === 'string' ? parseDockerfile(dockerfile, buildArgs) : dockerfile;
  const seen = new Set<string>();
  const refs: BaseImageRef[] = [];
  for (const stage of model.stages) {
    if (stage.baseStage !== undefined || stage.base === '' || stage.base === 'scratch' || seen.has(stage.base)) continue;
    seen.add(stage.base);
    refs.push({ ref: stage.base, line: stage.from.startLine });
  }
  return refs;
}
