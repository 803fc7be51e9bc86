/**
 * Lays out a bot message: paragraphs of linkified text, with runs of numbered
 * lines (「1. 长按电源键」, 「2、连接充电器」) shown as an ordered list.
 */
import { linkify } from './linkify.js';

const STEP = /^\s*(\d{1,2})\s*[.、．)）]\s*(.*)$/;

/** A block of a message: a paragraph or a numbered list. Pure; exported for tests. */
export type Block = { kind: 'p'; lines: string[] } | { kind: 'ol'; start: number; items: string[] };

export function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const line of text.split(/\r?\n/)) {
    const step = STEP.exec(line);
    const prev = blocks[blocks.length - 1];
    if (step) {
      const n = Number(step[1]);
      const item = step[2] ?? '';
      if (prev?.kind === 'ol' && n === prev.start + prev.items.length) prev.items.push(item);
      else blocks.push({ kind: 'ol', start: n, items: [item] });
    } else if (line.trim() === '') {
      // A blank line ends the current paragraph or list.
      if (prev && !(prev.kind === 'p' && prev.lines.length === 0)) blocks.push({ kind: 'p', lines: [] });
    } else if (prev?.kind === 'p') {
      prev.lines.push(line);
    } else {
      blocks.push({ kind: 'p', lines: [line] });
    }
  }
  return blocks.filter((b) => (b.kind === 'p' ? b.lines.length > 0 : true));
}

/** DOM for a whole message text. */
export function renderRichText(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const block of toBlocks(text)) {
    if (block.kind === 'ol') {
      const ol = document.createElement('ol');
      if (block.start !== 1) ol.start = block.start;
      for (const item of block.items) {
        const li = document.createElement('li');
        li.appendChild(linkify(item));
        ol.appendChild(li);
      }
      frag.appendChild(ol);
    } else {
      const p = document.createElement('p');
      block.lines.forEach((line, i) => {
        if (i > 0) p.appendChild(document.createElement('br'));
        p.appendChild(linkify(line));
      });
      frag.appendChild(p);
    }
  }
  return frag;
}
