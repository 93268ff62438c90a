// placeholder for apps/posclient-front/lib/captureHtml.ts in the repository
