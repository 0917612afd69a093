import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { type FicheJson, ficheDates, longDay } from '../actions/actions.presenter.js';
import { ficheBlocks } from '../actions/actions.views.js';

// DejaVu Sans, embedded (subset) in every PDF, so that every character of every fiche prints
// whatever the reader's machine has: Latin with all its accents, Greek, Cyrillic, typographic
// signs. The files come with the npm package, so no system font is needed.
const fontFile = (name: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`);
const REGULAR = readFileSync(fontFile('DejaVuSans.ttf'));
const BOLD = readFileSync(fontFile('DejaVuSans-Bold.ttf'));
const GLYPHS = fontkit.create(REGULAR) as fontkit.Font;

/**
 * The text with what the font cannot draw (emoji, some scripts) shown as "?", never dropped; line
 * breaks kept, other white space (tabs, line separators) drawn as a space.
 */
function drawable(text: string): string {
  return [...text]
    .map((c) =>
      c === '\n'
        ? c
        : /\s/.test(c) && c !== '\u00a0' && c !== '\u202f'
          ? ' '
          : GLYPHS.hasGlyphForCodePoint(c.codePointAt(0) ?? 0)
            ? c
            : '?',
    )
    .join('');
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The text a short field of the page shows, without its markup: lists joined by commas. */
function plainText(html: string): string {
  return html
    .replace(/<\/dt>/g, ' : ')
    .replace(/<\/dd>/g, '\n')
    .replace(/<\/li>(?=<li)/g, ', ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e])
    .trim();
}

const MARGIN = { top: 56, bottom: 72, left: 62, right: 62 };
const INK = '#1d1d1f';
const MUTED = '#4a4a55';

/**
 * One fiche as an A4 PDF: its title, structure and every field of its page, in the same order
 * and with the same headings. Each page ends with the site, the fiche's address, the date it was
 * made and « page N / M », in the bottom margin, so that no page ever holds a footer alone. The
 * document is a stream: pipe it, then it ends by itself.
 */
export function fichePdf(fiche: FicheJson, publicUrl: string, now = new Date()): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    info: { Title: drawable(fiche.title), Author: drawable(fiche.structure.name), Creator: 'Essaim' },
    lang: 'fr-FR',
    displayTitle: true,
    bufferPages: true,
  });
  doc.registerFont('Regular', REGULAR);
  doc.registerFont('Bold', BOLD);
  const dep = fiche.structure.department;
  doc.font('Regular').fontSize(9).fillColor(MUTED).text('FICHE ACTION — ESSAIM');
  doc.moveDown(0.3).font('Bold').fontSize(18).fillColor(INK).text(drawable(fiche.title));
  const where = `${fiche.structure.name} — ${dep.name ?? dep.code} (${dep.code})${dep.region ? ` · ${dep.region.name}` : ''}`;
  doc.moveDown(0.3).font('Regular').fontSize(10.5).fillColor(MUTED).text(drawable(where));
  doc.fontSize(9).text(
    drawable(
      ficheDates(fiche)
        .map((part) => part.text)
        .join(' · '),
    ),
  );
  for (const block of ficheBlocks(fiche)) {
    const text = block.kind === 'text' ? block.text : plainText(String(block.value));
    // A heading never ends a page: it goes with the first lines of its text.
    if (doc.y + 60 > doc.page.height - MARGIN.bottom) doc.addPage();
    doc.moveDown(0.8).font('Bold').fontSize(11).fillColor('#8a4b00').text(drawable(block.heading));
    doc.moveDown(0.2).font('Regular').fontSize(10.5).fillColor(INK).text(drawable(text), { lineGap: 1.5 });
  }
  drawFooters(doc, `${publicUrl}${fiche.url}`, now);
  doc.end();
  return doc;
}

/** The running footer of every page, written once the pages are all laid out. */
function drawFooters(doc: PDFKit.PDFDocument, address: string, now: Date): void {
  const { start, count } = doc.bufferedPageRange();
  const made = longDay(now);
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Written in the bottom margin: without this, pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    const width = doc.page.width - MARGIN.left - MARGIN.right;
    const y = doc.page.height - MARGIN.bottom + 24;
    doc.font('Regular').fontSize(8).fillColor(MUTED);
    doc.text(
      drawable(`Essaim, le catalogue des actions des centres sociaux — fiche éditée le ${made}`),
      MARGIN.left,
      y,
      {
        width: width - 70,
        lineBreak: false,
      },
    );
    doc.text(`page ${i - start + 1} / ${count}`, MARGIN.left, y, { width, align: 'right', lineBreak: false });
    // The address on a line of its own, small enough for the longest slug to hold on it.
    doc.fontSize(7).text(drawable(address), MARGIN.left, y + 12, { width });
  }
}
