import { parseDockerfile } from '../../dockerfile';
import { unpinnedBaseImage } from './unpinned-base-image';

const check = (text: string) => unpinnedBaseImage.check({ dockerfile: parseDockerfile(text) });

describe('base-image/unpinned-tag', () => {
  it('reports latest and untagged images, with a registry port not read as a tag', () => {
    const hits = check('FROM node:latest\nFROM python\nFROM localhost:5000/team/base\n');
    expect(hits.map((hit) => hit.line)).toEqual([0, 1, 2]);
    expect(hits[0].message).toContain('uses the moving "latest" tag');
    expect(hits[1].message).toContain('has no tag, which means "latest"');
    expect(hits[2].fix).toContain('FROM localhost:5000/team/base:<major>-<distro>');
  });

  it('reports tags that name no version: a channel, a variant or both', () => {
    // docker-getting-started, lines 3 and 38; docker-awesome-compose-react-express-mysql-backend, line 4.
    const text = 'FROM --platform=$BUILDPLATFORM python:alpine AS base\nFROM node:lts AS development\nFROM node:current-alpine\nFROM nginx:mainline\nFROM python:slim\nFROM node:lts-bookworm-slim\nFROM --platform=$TARGETPLATFORM nginx:alpine\n';
    const hits = check(text);
    expect(hits.map((hit) => hit.line)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(hits[0].message).toBe('FROM python:alpine: the tag "alpine" names no version of python, so it moves like "latest": a new upstream release changes the image and invalidates every cached layer.');
    expect(hits[0].fix).toBe('Pin a version, e.g. FROM python:<version>-alpine (or a digest with @sha256:…).');
    expect(hits[1].fix).toContain('FROM node:<version> ');
    expect(hits[2].fix).toContain('FROM node:<version>-alpine ');
    expect(hits[5].fix).toContain('FROM node:<version>-bookworm-slim ');
  });

  it('reports a codename on an image that is not the distribution: it picks Debian, not the Node version', () => {
    expect(check('FROM node:bookworm-slim\nFROM python:trixie\n').map((hit) => hit.message)).toEqual([
      expect.stringContaining('the tag "bookworm-slim" names no version of node'),
      expect.stringContaining('the tag "trixie" names no version of python'),
    ]);
  });

  it('reports a channel of a distribution image (stable, sid, edge, rolling)', () => {
    expect(check('FROM debian:stable-slim\nFROM debian:sid\nFROM alpine:edge\nFROM ubuntu:rolling\n').map((hit) => hit.line)).toEqual([0, 1, 2, 3]);
  });

  it('resolves global ARG defaults', () => {
    expect(check('ARG TAG=latest\nFROM node:${TAG}\n')).toHaveLength(1);
    expect(check('ARG TAG=20\nFROM node:${TAG}\n')).toEqual([]);
  });

  it.each([
    ['a tag', 'FROM node:20-bookworm-slim\n'],
    ['a version with a variant', 'FROM node:20-alpine\nFROM python:3.12-slim\nFROM nginx:1.27-alpine\n'],
    // miniflux-v2, line 1: the Alpine release is pinned, which the rule takes as a version.
    ['a variant with its own version', 'FROM docker.io/library/golang:alpine3.23 AS build\n'],
    // dani-garcia-vaultwarden, line 154: for Debian itself the codename is the release (trixie is Debian 13).
    ['a codename of a distribution image', 'FROM --platform=$TARGETPLATFORM docker.io/library/debian:trixie-slim\nFROM ubuntu:jammy\nFROM debian:bookworm\n'],
    // excalidraw-excalidraw, line 16.
    ['a variant-only tag pinned by digest', 'FROM nginx:stable-alpine-slim@sha256:2c605dbeab79a6b2a63340474fe58119d0ef95bdc4b1f41df0aa689659b3d13b\n'],
    // louislam-uptime-kuma, line 8; node:iron is Node 20: names the rule cannot judge are left alone.
    ['a tag that is neither a channel nor a variant', 'FROM louislam/uptime-kuma:builder-go AS build_healthcheck\nFROM node:iron\nFROM gcr.io/distroless/static-debian12:nonroot\n'],
    ['a digest', 'FROM node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n'],
    ['scratch', 'FROM scratch\n'],
    ['a stage', 'FROM node:20 AS base\nFROM base\n'],
    ['an unresolved variable', 'ARG IMAGE\nFROM $IMAGE\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});
