export interface BackendGeneratorSchema {
  project: string;
  runtime?: 'python' | 'node';
  baseImage?: string;
  systemPackages?: string[] | string;
  port?: number;
  cmd?: string[] | string;
  healthcheckPath?: string;
  user?: string;
  overwrite?: boolean;
  skipFormat?: boolean;
}
