/** The executor that builds an image: targets that use it are the workspace's image builds. */
export const BUILD_EXECUTOR = 'nx-buildkit:build';

export type ProgressMode = 'auto' | 'plain' | 'tty' | 'quiet' | 'rawjson';

export interface BuildExecutorSchema {
  dockerfile?: string;
  context?: string;
  image?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  buildArgsFromEnv?: string[];
  target?: string;
  platforms?: string[];
  labels?: Record<string, string>;
  secrets?: string[];
  ssh?: string[];
  cacheFrom?: string[];
  cacheTo?: string[];
  /** docker (buildx) or podman; default: the plugin's engine, else docker when on PATH, else podman. */
  engine?: 'docker' | 'podman';
  builder?: string;
  push?: boolean;
  load?: boolean;
  pull?: boolean;
  noCache?: boolean;
  /** Print the difference of the inputs from the last build, build nothing. */
  explain?: boolean;
  shard?: string;
  progress?: ProgressMode;
  registry?: string;
  recordDir?: string;
}
