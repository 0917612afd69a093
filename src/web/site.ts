import { asyncLocalStorage, requestContext } from '@fastify/request-context';
import type { SiteSettings } from '../config.js';

/** What every page's frame says of the site: its address, its data's licence, its accessibility. */
export interface SiteFrame {
  /** The site's address, no trailing slash: canonical links and link previews are absolute. */
  readonly publicUrl: string;
  readonly licence: SiteSettings['licence'];
  readonly accessibility: SiteSettings['accessibility'];
}

declare module '@fastify/request-context' {
  interface RequestContextData {
    site: SiteFrame;
  }
}

/**
 * The site of the request being answered. The frame is drawn deep inside the views, which know
 * nothing of the settings; the app puts them in each request's context (app.ts).
 */
export function currentSite(): SiteFrame {
  const site = requestContext.get('site');
  if (!site) throw new Error('page rendue hors d’une requête : le cadre du site est inconnu');
  return site;
}

/**
 * Renders a page outside any request's context, with this site as its frame: the answers Fastify
 * or Node give before a request is routed (a malformed address, headers too large).
 */
export function renderForSite<T>(site: SiteFrame, render: () => T): T {
  // The plugin's store is the plain object of values its `get` reads; its type says otherwise.
  return asyncLocalStorage.run({ site } as unknown as Parameters<typeof asyncLocalStorage.run>[0], render);
}

/** A path of this site as an absolute address. */
export function absoluteUrl(site: SiteFrame, path: string): string {
  return `${site.publicUrl}${path}`;
}
