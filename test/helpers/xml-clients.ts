import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './processes.js';

const SITEMAP_XSD = path.join(ROOT, 'test', 'fixtures', 'sitemap-0.9.xsd');

/** Runs a program with `input` on its standard input; resolves with its output and exit code. */
function run(file: string, args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

/**
 * What xmllint (libxml2) says of a document: well-formed, and with `schema: 'sitemap'` valid
 * against sitemaps.org's schema of a urlset. Empty when all is right, else its messages.
 */
export async function xmllint(xml: string, options: { schema?: 'sitemap' } = {}): Promise<string> {
  const args = ['--noout', ...(options.schema ? ['--schema', SITEMAP_XSD] : []), '-'];
  const { code, stderr } = await run('/usr/bin/xmllint', args, xml);
  return code === 0 ? '' : stderr || `xmllint a fini en erreur ${code}`;
}

/** A feed as Python's feedparser, the library many feed readers are built on, reads it. */
export interface ParsedFeed {
  bozo: boolean;
  bozoException: string | null;
  version: string;
  feed: { title: string; id: string; links: Array<{ rel: string; href: string }>; rights: string };
  /** Titles and summaries as a reader shows them: the text of their markup. */
  entries: Array<{
    title: string;
    link: string;
    id: string;
    updated: string;
    summary: string;
    author: string;
    tags: string[];
  }>;
}

// A text construct of type html is markup: a reader shows its text, which is what is compared.
const READ_FEED = `
import feedparser, html, json, re, sys
def shown(entry, key):
    value = entry.get(key, "")
    detail = entry.get(key + "_detail") or {}
    return html.unescape(re.sub(r"<[^>]+>", "", value)) if detail.get("type") == "text/html" else value
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
  "bozo": bool(d.bozo),
  "bozoException": str(d.get("bozo_exception")) if d.bozo else None,
  "version": d.version,
  "feed": {"title": d.feed.get("title", ""), "id": d.feed.get("id", ""), "rights": d.feed.get("rights", ""),
           "links": [{"rel": l.get("rel", ""), "href": l.get("href", "")} for l in d.feed.get("links", [])]},
  "entries": [{"title": shown(e, "title"), "link": e.get("link", ""), "id": e.get("id", ""),
               "updated": e.get("updated", ""), "summary": shown(e, "summary"), "author": e.get("author", ""),
               "tags": [t.get("label") or t.get("term") for t in e.get("tags", [])]} for e in d.entries],
}))
`;

/** Reads an Atom or RSS document with feedparser (Debian's python3-feedparser). */
export async function parseFeed(xml: string): Promise<ParsedFeed> {
  const { code, stdout, stderr } = await run('/usr/bin/python3', ['-c', READ_FEED], xml);
  if (code !== 0) throw new Error(`feedparser : ${stderr}`);
  return JSON.parse(stdout) as ParsedFeed;
}
