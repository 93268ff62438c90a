export const app = 'corpus';
