// placeholder for apps/posclient-front/store/barcode.store.ts in the repository
