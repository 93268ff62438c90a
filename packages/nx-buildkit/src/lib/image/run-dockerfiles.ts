import { readFileSync } from 'node:fs';
import { parseDockerfile, ParsedDockerfile } from '../dockerfile';
import { compareCodeUnits } from '../compare-text';

/**
 * The Dockerfiles of one run, each read once and parsed once per text and set of build args: the base-image prefetch,
 * the inputs hash, the pruned-dependencies check and the local-dependency check all ask for the same file, a parent
 * image of the workspace is hashed from its own, and services made from one template share one parse (the model
 * depends on the text alone, and is read-only). What was read is kept for the run only: a later run reads the file
 * as it is then.
 */
export interface RunDockerfiles {
  /** The Dockerfile's bytes (what is hashed); throws what reading it threw, every time it is asked. */
  bytes(path: string): Buffer;
  /** The Dockerfile's text parsed with these build args (ARG defaults they override). */
  model(path: string, buildArgs?: Readonly<Record<string, string>>): ParsedDockerfile;
}

export function createRunDockerfiles(
  read: (path: string) => Buffer = (path) => readFileSync(path),
  parse: (text: string, buildArgs: Readonly<Record<string, string>>) => ParsedDockerfile = parseDockerfile,
): RunDockerfiles {
  const files = new Map<string, { readonly bytes: Buffer } | { readonly error: unknown }>();
  const texts = new Map<string, string>();
  // By text, then by build args: one text string per path, so the outer look-up hashes each text once.
  const models = new Map<string, Map<string, ParsedDockerfile>>();
  const bytes = (path: string): Buffer => {
    let file = files.get(path);
    if (!file) {
      try {
        file = { bytes: read(path) };
      } catch (error) {
        file = { error };
      }
      files.set(path, file);
    }
    if ('error' in file) throw file.error;
    return file.bytes;
  };
  return {
    bytes,
    model: (path, buildArgs = {}) => {
      let text = texts.get(path);
      if (text === undefined) {
        text = bytes(path).toString('utf8');
        texts.set(path, text);
      }
      let byArgs = models.get(text);
      if (!byArgs) {
        byArgs = new Map();
        models.set(text, byArgs);
      }
      const argsKey = JSON.stringify(Object.entries(buildArgs).sort(([a], [b]) => compareCodeUnits(a, b)));
      let model = byArgs.get(argsKey);
      if (!model) {
        model = parse(text, buildArgs);
        byArgs.set(argsKey, model);
      }
      return model;
    },
  };
}
