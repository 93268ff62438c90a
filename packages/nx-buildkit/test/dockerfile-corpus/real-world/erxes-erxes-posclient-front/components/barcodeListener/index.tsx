// placeholder for apps/posclient-front/components/barcodeListener/index.tsx in the repository
