import PDFDocument from 'pdfkit';
import { type FicheJson, ficheDates } from '../actions/actions.presenter.js';
import { ficheBlocks } from '../actions/actions.views.js';

// The PDF's standard fonts (Helvetica) know the WinAnsi characters: Latin-1 and typographic
// quotes, dashes, €, œ. Narrow no-break spaces become plain no-break spaces; anything else that
// the fonts cannot draw (emoji, other scripts) is replaced by a visible "?" rather than dropped.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function drawable(text: string): string {
  return [...text.replace(/[\u202f\u2009]/g, '\u00a0')]
    .map((c) => (c.codePointAt(0)! < 256 || WIN_ANSI_EXTRA.has(c) ? c : '?'))
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

/**
 * One fiche as an A4 PDF: its title, structure and every field of its page, in the same order
 * and with the same headings. The document is a stream: pipe it, then it ends by itself.
 */
export function fichePdf(fiche: FicheJson, publicUrl: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 62, right: 62 },
    info: { Title: drawable(fiche.title), Author: drawable(fiche.structure.name), Creator: 'Essaim' },
    lang: 'fr-FR',
    displayTitle: true,
  });
  const dep = fiche.structure.department;
  doc.font('Helvetica').fontSize(9).fillColor('#4a4a55').text('FICHE ACTION — ESSAIM');
  doc.moveDown(0.3).font('Helvetica-Bold').fontSize(18).fillColor('#1d1d1f').text(drawable(fiche.title));
  doc
    .moveDown(0.3)
    .font('Helvetica')
    .fontSize(10.5)
    .fillColor('#4a4a55')
    .text(
      drawable(
        `${fiche.structure.name} — ${dep.name ?? dep.code} (${dep.code})${dep.region ? ` · ${dep.region.name}` : ''}`,
      ),
    );
  for (const block of ficheBlocks(fiche)) {
    const text = block.kind === 'text' ? block.text : plainText(String(block.value));
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(11).fillColor('#8a4b00').text(drawable(block.heading));
    doc.moveDown(0.2).font('Helvetica').fontSize(10.5).fillColor('#1d1d1f').text(drawable(text), { lineGap: 1.5 });
  }
  doc
    .moveDown(1.2)
    .fontSize(8.5)
    .fillColor('#4a4a55')
    .text(
      drawable(
        `${ficheDates(fiche)
          .map((part) => part.text)
          .join(' · ')} · ${publicUrl}${fiche.url}`,
      ),
    );
  doc.end();
  return doc;
}
