import { defaultRepository } from '../lib/image/identity/image-namespace';
import { repositoryFromProjectName } from '../lib/image/identity/image-ref';

export interface TargetName {
  readonly target: string;
  readonly variant: string;
}

/**
 * Target names per Dockerfile. One Dockerfile: `<targetName>`. Several: `<targetName>-<variant>`, where the variant is
 * what tells the files apart: `prod` for Dockerfile.prod, `worker` for worker.Dockerfile, `default` for a plain
 * Dockerfile. Two files with the same variant (Dockerfile.api, api.Dockerfile) use their whole file names instead.
 */
export function targetNamesFor(fileNames: readonly string[], targetName: string): Map<string, TargetName> {
  const variants = fileNames.map(variantOf);
  const result = new Map<string, TargetName>();
  fileNames.forEach((fileName, i) => {
    const clash = variants.filter((v) => v === variants[i]).length > 1;
    const variant = clash ? slug(fileName) : variants[i];
    result.set(fileName, { variant, target: fileNames.length === 1 ? targetName : `${targetName}-${variant}` });
  });
  return result;
}

export function variantOf(fileName: string): string {
  if (fileName === 'Dockerfile') return 'default';
  const match = /^Dockerfile[.-](.+)$/i.exec(fileName) ?? /^(.+)[.-]Dockerfile$/i.exec(fileName);
  return slug(match ? match[1] : fileName);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'image';
}

/**
 * The image a target builds, from the plugin's `image` template (`{projectName}`, `{variant}`); without one, the
 * project's name under the workspace's namespace (image-namespace.ts: `acme/api`).
 */
export function imageName(template: string | undefined, projectName: string, variant: string, several: boolean, namespace?: string): string {
  if (template === undefined) return several ? `${defaultRepository(projectName, namespace)}-${variant}` : defaultRepository(projectName, namespace);
  const pattern = several && !template.includes('{variant}') ? `${template}-{variant}` : template;
  return pattern.replace(/\{projectName\}/g, repositoryFromProjectName(projectName)).replace(/\{variant\}/g, variant);
}
