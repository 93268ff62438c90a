import { preparePluginTemplate } from './workspace';

/** Builds and packs the plugin once, and installs it into a template workspace that each suite copies. */
export default async function globalSetup(): Promise<void> {
  const template = await preparePluginTemplate();
  process.env.NXB_E2E_TEMPLATE = template;
}
