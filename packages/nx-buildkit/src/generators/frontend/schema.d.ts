export interface FrontendGeneratorSchema {
  project: string;
  framework?: 'vite' | 'angular';
  buildOutside?: boolean;
  nodeImage?: string;
  nginxImage?: string;
  overwrite?: boolean;
  skipFormat?: boolean;
}
