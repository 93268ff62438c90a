export interface FrontendGeneratorSchema {
  project: string;
  framework?: 'vite' | 'angular' | 'next';
  buildOutside?: boolean;
  nodeImage?: string;
  nginxImage?: string;
  overwrite?: boolean;
  skipFormat?: boolean;
}
