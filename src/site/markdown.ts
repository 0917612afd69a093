import MarkdownIt from 'markdown-it';
import { frenchSpacing } from '../core/typography.js';

// No raw HTML: a text is the operator's, but what it holds is escaped all the same. French
// quotation marks and apostrophes; the spaces before « : ; ? ! » made non-breaking.
const markdown = new MarkdownIt({
  html: false,
  typographer: true,
  quotes: ['«\u00a0', '\u00a0»', '‹\u00a0', '\u00a0›'],
});
markdown.core.ruler.push('french_spacing', (state) => {
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type === 'text') token.content = frenchSpacing(token.content);
    }
  }
});

/** Markdown as HTML, with French typography; raw HTML in the text is shown as text. */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
