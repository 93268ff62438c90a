// placeholder for apps/posclient-front/types/config.types.ts in the repository
