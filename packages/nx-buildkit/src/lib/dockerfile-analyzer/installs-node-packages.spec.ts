import { installsNodePackages } from './installs-node-packages';

describe('installsNodePackages', () => {
  it.each([
    ['npm ci', 'FROM node:20\nCOPY package*.json ./\nRUN npm ci --omit=dev\n'],
    ['npm install in a chain', 'FROM node:20\nCOPY . .\nRUN cd app && npm install\n'],
    ['pnpm through corepack', 'FROM node:20\nCOPY . .\nRUN corepack pnpm install --frozen-lockfile\n'],
    ['bare yarn', 'FROM node:20\nCOPY . .\nRUN yarn\n'],
    ['bun', 'FROM oven/bun\nCOPY . .\nRUN bun install\n'],
    ['exec form', 'FROM node:20\nCOPY . .\nRUN ["npm", "ci"]\n'],
  ])('is true for %s', (_name, dockerfile) => {
    expect(installsNodePackages(dockerfile)).toBe(true);
  });

  it.each([
    ['a copied manifest and no install', 'FROM debian:bookworm-slim\nCOPY package.json /app/\nCOPY src /app/src\n'],
    ['npm run only', 'FROM node:20\nCOPY . .\nRUN npm run build\n'],
    ['another manager', 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n'],
    ['an install in a comment', 'FROM node:20\n# RUN npm ci\nCOPY . .\n'],
  ])('is false for %s', (_name, dockerfile) => {
    expect(installsNodePackages(dockerfile)).toBe(false);
  });
});
