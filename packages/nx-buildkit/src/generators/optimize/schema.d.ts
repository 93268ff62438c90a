export interface OptimizeGeneratorSchema {
  project: string;
  dockerfile?: string;
  context?: string;
}
