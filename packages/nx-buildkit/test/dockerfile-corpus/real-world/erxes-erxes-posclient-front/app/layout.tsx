// placeholder for apps/posclient-front/app/layout.tsx in the repository
