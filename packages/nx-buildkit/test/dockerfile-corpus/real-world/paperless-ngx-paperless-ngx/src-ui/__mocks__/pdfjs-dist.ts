// placeholder for src-ui/__mocks__/pdfjs-dist.ts in the repository
